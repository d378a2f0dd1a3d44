import pytest

from tests.strategy.plan import Plan, build_plan


@pytest.fixture
def plan(world) -> Plan:
    return build_plan(world)
