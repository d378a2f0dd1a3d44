import pytest

from tests.strategy.plan import Plan, build_plan
from tests.world import World, build_world


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; the tests sign in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def plan(world) -> Plan:
    """A small strategy on top of the world (tests/strategy/plan.py)."""
    return build_plan(world)
