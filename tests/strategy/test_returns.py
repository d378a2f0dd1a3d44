from datetime import date
from decimal import Decimal as D

import pytest

from saferhub.audit.models import AuditEvent
from saferhub.strategy import returns
from saferhub.strategy.models import MeasureValue
from saferhub.strategy.periods import Period, PeriodType
from saferhub.strategy.values import series

Q4 = Period.parse("2023/24-Q4", PeriodType.QUARTERLY)
Q1 = Period.parse("2023/24-Q1", PeriodType.QUARTERLY)


def _keys(figures):
    return [(f.measure.code, f.period.code) for f in figures]


def test_an_agency_owes_monthly_quarterly_and_year_end_figures(plan, world):
    assert _keys(returns.owed_figures(plan.strategy, world.housing, Q4)) == [
        ("asb-reports", "2024-01"),
        ("asb-reports", "2024-02"),
        ("asb-reports", "2024-03"),
        ("households", "2023/24"),
    ]
    assert _keys(returns.owed_figures(plan.strategy, world.housing, Q1)) == [
        ("asb-reports", "2023-04"),
        ("asb-reports", "2023-05"),
        ("asb-reports", "2023-06"),
    ]
    # Formula and derived measures are never owed by anyone.
    assert _keys(returns.owed_figures(plan.strategy, world.police, Q1)) == [
        ("da-incidents", "2023/24-Q1"),
        ("da-repeats", "2023/24-Q1"),
    ]


def _fill(plan, world, quarter=Q1, value=D(420), repeats=D(126)):
    """Fill the police return: incidents, then repeat incidents."""
    ret = returns.return_for(plan.strategy, world.police, quarter)
    incidents, repeat = returns.owed_figures(plan.strategy, world.police, quarter)
    returns.save_figures(
        ret, world.police_lead, {incidents.key: (value, ""), repeat.key: (repeats, "")}, ret.version
    )
    return ret, incidents.key


def test_submit_approve_and_the_figure_goes_public(plan, world):
    ret, key = _fill(plan, world)
    first, last = date(2023, 4, 1), date(2023, 6, 30)
    # Before approval the housing officer cannot see the police figure...
    assert (
        series(world.housing_officer, [plan.incidents], first, last)[plan.incidents.id].values[Q1]
        is None
    )
    # ...but the police and the CSP team can.
    assert series(world.police_officer, [plan.incidents], first, last)[plan.incidents.id].values[
        Q1
    ] == D(420)
    assert series(world.analyst, [plan.incidents], first, last)[plan.incidents.id].values[Q1] == D(
        420
    )
    returns.submit(ret, world.police_lead, ret.version)
    returns.approve(ret, world.analyst, ret.version)
    assert series(world.housing_officer, [plan.incidents], first, last)[plan.incidents.id].values[
        Q1
    ] == D(420)
    verbs = list(AuditEvent.objects.filter(target_id=str(ret.id)).values_list("verb", flat=True))
    assert set(verbs) == {"return.figures_saved", "return.submitted", "return.approved"}


def test_an_approved_return_is_locked_and_a_correction_is_a_new_revision(plan, world):
    ret, key = _fill(plan, world)
    returns.submit(ret, world.police_lead, ret.version)
    returns.approve(ret, world.analyst, ret.version)
    with pytest.raises(returns.ReturnError, match="approved"):
        returns.save_figures(ret, world.police_lead, {key: (D(1), "")}, ret.version)
    returns.send_back(ret, world.analyst, "Q1 excluded Otley: please correct", ret.version)
    returns.save_figures(ret, world.police_lead, {key: (D(431), "Otley added")}, ret.version)
    history = list(
        MeasureValue.objects.filter(measure=plan.incidents).values_list(
            "revision", "value", "is_current"
        )
    )
    assert history == [(1, D(420), False), (2, D(431), True)]


def test_saving_the_same_figures_again_changes_nothing(plan, world):
    ret, key = _fill(plan, world)
    version = ret.version
    assert returns.save_figures(ret, world.police_lead, {key: (D(420), "")}, ret.version) == 0
    assert ret.version == version and MeasureValue.objects.count() == 2


def test_a_stale_save_is_refused_and_nothing_is_lost(plan, world):
    ret, key = _fill(plan, world)
    stale = ret.version - 1
    with pytest.raises(returns.StaleReturn, match="Someone else changed Testford Police"):
        returns.save_figures(ret, world.police_lead, {key: (D(1), "")}, stale)
    assert MeasureValue.objects.get(is_current=True, measure=plan.incidents).value == D(420)


def test_a_return_with_missing_figures_cannot_be_submitted(plan, world):
    ret = returns.return_for(plan.strategy, world.housing, Q1)
    with pytest.raises(returns.ReturnError, match="Missing: Asb Reports"):
        returns.submit(ret, world.housing_officer, ret.version)


def test_sending_back_needs_a_reason(plan, world):
    ret, _ = _fill(plan, world)
    returns.submit(ret, world.police_lead, ret.version)
    with pytest.raises(returns.ReturnError, match="reason"):
        returns.send_back(ret, world.analyst, "  ", ret.version)


def test_overdue_returns_are_named_by_agency_and_quarter(plan, world):
    ret, _ = _fill(plan, world)
    returns.submit(ret, world.police_lead, ret.version)
    overdue = returns.overdue_returns(plan.strategy, date(2023, 8, 15))  # 2023/24 Q1 due 30 July
    earlier = ["2022/23-Q1", "2022/23-Q2", "2022/23-Q3", "2022/23-Q4"]
    assert sorted((a.code, q.code) for a, q in overdue) == sorted(
        [("police", q) for q in earlier] + [("housing", q) for q in [*earlier, "2023/24-Q1"]]
    )


def test_a_yearly_only_agency_owes_only_at_the_year_end():
    assert returns.owes_in({PeriodType.YEARLY}, Q4)
    assert not returns.owes_in({PeriodType.YEARLY}, Q1)
    assert returns.owes_in({PeriodType.YEARLY, PeriodType.MONTHLY}, Q1)


def test_formula_and_derived_measures_compute_on_read(plan, world):
    _fill(plan, world, Q1, D(400), D(130))
    _fill(plan, world, Q4, D(0), D(0))
    data = series(
        world.analyst, [plan.rate, plan.overdue_actions], date(2023, 4, 1), date(2024, 3, 31)
    )
    rate = data[plan.rate.id].values
    assert rate[Q1] == D("32.50")  # 130 / 400 x 100
    assert rate[Q4] is None  # a zero denominator gives no figure, not an error
    assert rate[Period.parse("2023/24-Q2", PeriodType.QUARTERLY)] is None  # nothing reported
    overdue = data[plan.overdue_actions.id].values
    assert overdue[Q1] == 0  # due 30 June: not yet past on the last day of Q1
    assert overdue[Period.parse("2023/24-Q2", PeriodType.QUARTERLY)] == 1


def test_a_formula_sees_only_what_the_reader_may_see(plan, world):
    _fill(plan, world, Q1, D(400), D(130))
    data = series(world.housing_officer, [plan.rate], date(2023, 4, 1), date(2023, 6, 30))
    assert data[plan.rate.id].values[Q1] is None  # the police return is not approved yet


def test_a_formula_over_mismatched_periods_is_refused(plan):
    from django.core.exceptions import ValidationError

    plan.rate.denominator = plan.households
    with pytest.raises(ValidationError, match="same periods"):
        plan.rate.clean()


def test_no_figure_is_taken_for_a_period_that_has_not_ended(plan, world, monkeypatch):
    import datetime as real_datetime

    class Today(real_datetime.date):
        @classmethod
        def today(cls):
            return real_datetime.date(2023, 6, 30)  # the last day of 2023/24-Q1

    monkeypatch.setattr("saferhub.strategy.returns.date", Today)
    ret = returns.return_for(plan.strategy, world.police, Q1)
    key = returns.owed_figures(plan.strategy, world.police, Q1)[0].key
    with pytest.raises(returns.ReturnError, match="has not ended yet"):
        returns.save_figures(ret, world.police_lead, {key: (D(1), "")}, ret.version)
