import pytest

from tests.reports.data import Year, fill_year


@pytest.fixture
def year(plan, world) -> Year:
    """Two years of approved police figures (2022/23 and 2023/24) with a target for each
    quarter of 2023/24: the report for the year ending 31 March 2024."""
    return fill_year(plan, world)
