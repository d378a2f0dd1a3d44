"""The demo strategy: two Safer Leeds plans with something real on every page."""

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from saferhub.audit.models import AuditEvent
from saferhub.partnership.models import User
from saferhub.strategy import returns
from saferhub.strategy.actions import overdue
from saferhub.strategy.models import (
    Action,
    ExternalObjective,
    ExternalPlan,
    Measure,
    MeasureValue,
    Outcome,
    PartnerReturn,
    Priority,
    ProgressUpdate,
    Strategy,
    Target,
)
from saferhub.strategy.periods import Period, PeriodType
from saferhub.strategy.values import series

STRATEGY_MODELS = (
    Strategy,
    Priority,
    Outcome,
    ExternalPlan,
    ExternalObjective,
    Priority.aligned_objectives.through,
    Measure,
    Target,
    PartnerReturn,
    MeasureValue,
    Action,
    ProgressUpdate,
    AuditEvent,
)
Status = PartnerReturn.Status


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Loaded once for the module (it takes a few seconds), then removed again."""
    out = StringIO()
    with django_db_blocker.unblock():
        call_command("demo", stdout=out)
    yield out.getvalue()
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def past(demo, db) -> Strategy:
    return Strategy.objects.get(slug="2021-24")


@pytest.fixture
def current(demo, db) -> Strategy:
    return Strategy.objects.get(slug="2024-27")


def _counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in STRATEGY_MODELS)


def test_it_reports_each_plan(demo, db):  # db: run with the others, on one load
    for title in ("Safer Leeds Strategy 2021-24", "Safer Leeds Strategy 2024-27"):
        assert f"Strategy '{title}': 9 priorities, 42 measures, " in demo


def test_the_2021_24_plan_runs_from_november_2021_and_the_next_is_current(past, current):
    assert (past.starts_on, past.ends_on) == (date(2021, 11, 1), date(2024, 10, 31))
    assert current.starts_on <= date.today() <= current.ends_on


@pytest.mark.parametrize("slug", ["2021-24", "2024-27"])
def test_nine_priorities_with_outcomes_a_lead_agency_and_officer(demo, db, slug):
    priorities = Priority.objects.filter(strategy__slug=slug)
    assert [p.number for p in priorities] == list(range(1, 10))
    for priority in priorities:
        assert priority.outcomes.count() >= 2
        assert priority.lead_officer.agency == priority.lead_agency
        assert priority.aligned_objectives.exists()
    titles = " / ".join(p.title.lower() for p in priorities)
    for words in ("domestic violence", "drugs", "organised crime", "prevent", "rough sleeping"):
        assert words in titles
    for words in ("women and girls", "anti-social", "hate crime", "reoffending"):
        assert words in titles


def test_alignment_with_the_police_and_crime_plan_both_ways(past):
    plan = ExternalPlan.objects.get(title__startswith="West Yorkshire Police and Crime Plan 2021")
    assert "paraphrase" in plan.title
    for objective in plan.objectives.all():
        assert objective.priorities.filter(strategy=past).exists(), objective
    assert not past.priorities.filter(aligned_objectives=None).exists()


@pytest.mark.parametrize("slug", ["2021-24", "2024-27"])
def test_about_forty_measures_of_every_unit_source_and_period(demo, db, slug):
    measures = Measure.objects.filter(strategy__slug=slug)
    assert 38 <= measures.count() <= 46
    assert {m.unit for m in measures} == set(Measure.Unit.values)
    assert {m.direction for m in measures} == set(Measure.Direction.values)
    assert {m.period_type for m in measures} == set(PeriodType.values)
    sources = Counter(m.source for m in measures)
    assert sources[Measure.Source.FORMULA] >= 2 and sources[Measure.Source.DERIVED] >= 1
    assert measures.get(source=Measure.Source.DERIVED).derived_key == "strategy.actions_overdue"
    for priority in Priority.objects.filter(strategy__slug=slug):
        assert 1 <= priority.measures.filter(is_headline=True).count() <= 2
    for measure in measures:
        measure.full_clean()  # Measure.clean(): formulas' parts share their period type
        if measure.source != Measure.Source.DERIVED:
            assert measure.baseline is not None and measure.baseline_label


def test_targets_for_every_period(current):
    measure = current.measures.get(code="knife-crime")
    first = Period.containing(current.starts_on, PeriodType.QUARTERLY)
    last = Period.containing(current.ends_on, PeriodType.QUARTERLY)
    assert measure.targets.count() == len(first.periods_between(last))


def test_three_years_of_quarterly_figures_for_the_2021_24_plan(past):
    analyst = User.objects.get(username="analyst")
    measure = past.measures.get(code="da-incidents")
    data = series(analyst, [measure], past.starts_on, past.ends_on)[measure.id]
    filled = [p for p in data.periods if data.values[p] is not None]
    assert len(filled) >= 12
    assert filled[0].code == "2021/22-Q3" and filled[-1].code == "2024/25-Q2"


def test_every_figure_is_a_sensible_number_for_its_unit(current, past):
    analyst = User.objects.get(username="analyst")
    for strategy in (past, current):
        measures = list(strategy.measures.select_related("numerator", "denominator"))
        last_day = min(strategy.ends_on, date.today())
        data = series(analyst, measures, strategy.starts_on, last_day)
        for measure in measures:
            values = [v for v in data[measure.id].values.values() if v is not None]
            assert values, measure.code
            for value in values:
                assert value >= 0, measure.code
                if measure.unit == Measure.Unit.PERCENTAGE:
                    assert value <= 100, measure.code
                if measure.unit == Measure.Unit.COUNT:
                    assert value == int(value), measure.code
    rate = next(m for m in measures if m.code == "da-repeat-rate")
    assert all(20 < v < 50 for v in data[rate.id].values.values() if v is not None)


def test_the_latest_quarter_has_returns_in_every_state(current):
    latest = returns.quarters_of(current)
    latest = [q for q in latest if q.end < date.today()][-1]
    states = Counter(
        PartnerReturn.objects.filter(strategy=current, quarter_start=latest.start).values_list(
            "status", flat=True
        )
    )
    assert set(states) == set(Status.values)
    returned = PartnerReturn.objects.get(strategy=current, status=Status.RETURNED)
    assert returned.return_reason and returned.reviewed_by.username == "analyst"
    missing = {agency.code for agency, quarter in returns.overdue_returns(current, date.today())}
    assert {"lwa", "probation"} <= missing  # never started


def test_returns_look_as_the_workflow_left_them(past):
    for ret in PartnerReturn.objects.filter(strategy=past, status=Status.APPROVED)[:40]:
        assert ret.submitted_by.agency_id == ret.agency_id
        assert ret.submitted_at < ret.reviewed_at
        assert ret.version >= 4  # saved, submitted and approved at least
        assert ret.quarter.end < ret.submitted_at.date()
    sent_back = MeasureValue.objects.filter(measure__strategy=past, revision=2)
    assert sent_back.exists()
    assert MeasureValue.objects.filter(entry=MeasureValue.Entry.CORRECTION).exists()
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"return.submitted", "return.approved", "return.sent_back"} <= verbs
    assert not AuditEvent.objects.filter(at__gt=timezone.now()).exists()


def test_some_returns_missing_and_some_actions_overdue(current):
    assert returns.overdue_returns(current, date.today())
    actions = Action.objects.filter(priority__strategy=current)
    late = overdue(actions, date.today())
    assert 3 <= late.count() < actions.count() / 2
    assert actions.filter(status=Action.Status.DONE, completed_on__isnull=False).exists()
    assert actions.filter(status=Action.Status.AT_RISK).exists()
    for priority in current.priorities.all():
        assert priority.actions.count() >= 3
    for action in actions.exclude(status=Action.Status.NOT_STARTED):
        assert action.updates.exists()
        assert action.owner.agency_id == action.owning_agency_id
    assert not ProgressUpdate.objects.filter(written_on__gt=date.today()).exists()


def test_running_it_twice_duplicates_nothing(demo, db):
    before = _counts()
    out = StringIO()
    call_command("demo", stdout=out)
    assert _counts() == before
    assert "Already loaded" in out.getvalue()
