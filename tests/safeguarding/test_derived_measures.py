"""The MARAC measures the strategy derives (safeguarding/derived_sources.py)."""

from datetime import date
from decimal import Decimal

import pytest

from saferhub.safeguarding import derived_sources, safety_plans
from saferhub.safeguarding.models import AreaSettings, Referral, SafetyAction
from saferhub.strategy import derived
from saferhub.strategy.models import Measure, Priority, Strategy
from saferhub.strategy.periods import Period, PeriodType
from saferhub.strategy.values import series
from tests.safeguarding.cases import make_referral, victim
from tests.safeguarding.heard import case, hear

TODAY = date(2023, 10, 15)  # in 2023/24-Q3
Q = PeriodType.QUARTERLY
LAST_YEAR_Q4 = Period(date(2023, 1, 1), Q)  # 2022/23-Q4
Q1, Q2, Q3, Q4 = (Period(date(2023, 4, 1), Q).shifted(i) for i in range(4))
PERIODS = [LAST_YEAR_Q4, Q1, Q2, Q3, Q4]
KEYS = [
    "marac.safety_plans_12m",
    "marac.repeat_rate",
    "marac.cases_per_10k_adult_females",
    "marac.children_in_households",
    "marac.overdue_actions",
]


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(derived_sources, "_today", lambda: TODAY)


@pytest.fixture
def measures(world) -> dict[str, Measure]:
    strategy = Strategy.objects.create(
        partnership=world.partnership,
        title="Safer Testford 2023-26",
        slug="2023-26",
        starts_on=date(2023, 4, 1),
        ends_on=date(2026, 3, 31),
    )
    priority = Priority.objects.create(
        strategy=strategy, number=1, title="Domestic abuse", lead_agency=world.police
    )
    return {
        key: Measure.objects.create(
            priority=priority,
            code=key.replace(".", "-").replace("_", "-"),
            name=key,
            definition=derived.get(key).label,
            unit=Measure.Unit.COUNT,
            direction=Measure.Direction.DOWN,
            period_type=Q,
            reporting_agency=world.coordinator.agency,
            source=Measure.Source.DERIVED,
            derived_key=key,
        )
        for key in KEYS
    }


@pytest.fixture
def heard(world):
    d = date
    case(world, d(2022, 6, 30), children=9)  # 12 months before Q1's end, and a day
    case(world, d(2022, 7, 1), children=9)  # the first day of the 12 months to Q1's end
    case(world, d(2023, 4, 1), repeat=True, children=2)
    case(world, d(2023, 5, 10), repeat=True)
    case(world, d(2023, 6, 30), children=1)
    case(world, d(2023, 5, 1), status=Referral.Status.NOT_ELIGIBLE, repeat=True, children=9)
    case(world, d(2023, 7, 15))
    case(world, d(2023, 10, 2), children=4)  # in the quarter not yet ended
    case(  # another partnership's
        world,
        d(2023, 5, 1),
        agency=world.stranger.agency,
        partnership=world.stranger.agency.partnership,
        children=9,
    )


def _figures(measures, key):
    return derived.get(key).function(measures[key], PERIODS)


def test_every_measure_is_registered():
    for key in KEYS:
        assert derived.get(key) is not None
        assert key in dict(derived.choices())


def test_safety_plans_in_the_12_months_to_each_quarter_end(world, measures, heard):
    assert _figures(measures, "marac.safety_plans_12m") == {
        LAST_YEAR_Q4: Decimal(2),  # 30 June and 1 July 2022
        Q1: Decimal(4),  # 1 July 2022 to 30 June 2023
        Q2: Decimal(4),  # 1 October 2022 to 30 September 2023
        Q3: None,  # not ended
        Q4: None,
    }


def test_repeat_rate_of_the_cases_heard_in_the_quarter(world, measures, heard):
    assert _figures(measures, "marac.repeat_rate") == {
        LAST_YEAR_Q4: None,  # no case heard: no rate
        Q1: Decimal("66.7"),
        Q2: Decimal("0.0"),
        Q3: None,
        Q4: None,
    }


def test_children_in_the_households_of_the_quarter(world, measures, heard):
    assert _figures(measures, "marac.children_in_households") == {
        LAST_YEAR_Q4: Decimal(0),
        Q1: Decimal(3),
        Q2: Decimal(0),
        Q3: None,
        Q4: None,
    }


def test_cases_per_10k_adult_females_needs_the_population(world, measures, heard):
    assert set(_figures(measures, "marac.cases_per_10k_adult_females").values()) == {None}
    AreaSettings.objects.create(partnership=world.partnership, adult_female_population=40000)
    assert _figures(measures, "marac.cases_per_10k_adult_females") == {
        LAST_YEAR_Q4: Decimal("0.5"),
        Q1: Decimal("1.0"),
        Q2: Decimal("1.0"),
        Q3: None,
        Q4: None,
    }


def test_cases_per_10k_with_no_case_is_zero_once_the_population_is_set(world, measures):
    AreaSettings.objects.create(partnership=world.partnership, adult_female_population=40000)
    assert _figures(measures, "marac.cases_per_10k_adult_females")[Q1] == Decimal("0.0")


def test_overdue_actions_at_each_quarter_end_and_today(world, measures):
    referral = make_referral(world.police_officer, victim(world), on=date(2023, 4, 3))
    hear(
        world.coordinator,
        [referral],
        date(2023, 4, 12),
        actions=[
            (world.housing, date(2023, 5, 1)),
            (world.police, date(2023, 8, 1)),
            (world.idva_service, date(2023, 12, 1)),
        ],
    )
    housing, police, _ = SafetyAction.objects.order_by("due_on")
    safety_plans.update(
        world.coordinator,
        housing,
        text="Done",
        complete=True,
        expected_version=1,
        on=date(2023, 7, 10),
    )
    safety_plans.update(
        world.coordinator,
        police,
        text="Done",
        complete=True,
        expected_version=1,
        on=date(2023, 10, 1),
    )
    assert _figures(measures, "marac.overdue_actions") == {
        LAST_YEAR_Q4: Decimal(0),  # not yet agreed
        Q1: Decimal(1),  # housing's: due 1 May, done 10 July
        Q2: Decimal(1),  # police's: due 1 August, done 1 October
        Q3: Decimal(0),  # today (15 October): idva's is not due until 1 December
        Q4: None,  # not begun
    }


@pytest.mark.parametrize("key", KEYS)
def test_one_query_whatever_the_number_of_periods(
    world, measures, heard, key, django_assert_max_num_queries
):
    AreaSettings.objects.create(partnership=world.partnership, adult_female_population=40000)
    with django_assert_max_num_queries(1):
        _figures(measures, key)


def test_the_strategy_reads_them_through_its_values(world, measures, heard):
    data = series(world.analyst, list(measures.values()), date(2023, 4, 1), date(2024, 3, 31))
    rate = measures["marac.repeat_rate"]
    assert data[rate.id].values == {Q1: Decimal("66.7"), Q2: Decimal("0.0"), Q3: None, Q4: None}
    plans = measures["marac.safety_plans_12m"]
    assert data[plans.id].values[Q1] == Decimal(4)
