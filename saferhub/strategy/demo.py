"""The demo strategy: two Safer Leeds plans with figures, partner returns and actions.

`load_demo_strategy(partnership)` loads each plan of demo_data that is not there yet and
leaves a plan that is (found by its slug) exactly as it is: `saferhub demo` may run any
number of times and duplicates nothing. It does not refresh a loaded plan; to see the
demo as of a later day, start from an empty database.

- Safer Leeds Strategy 2021-24 (November 2021 to October 2024): three years of figures,
  a few returns that never came in, every action done (some late).
- Safer Leeds Strategy 2024-27 (current): two years of figures up to the last quarter
  ended before today, whose returns are a mix of approved, awaiting approval, sent back,
  in draft and missing; actions on track, at risk, done and overdue.

Tables are in demo_data, figures in demo_figures, the returns' replay in demo_returns.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from saferhub.access.roles import Role
from saferhub.audit import services as audit
from saferhub.partnership.demo import OTHER_LEADS, SIGN_INS
from saferhub.partnership.models import Agency, Partnership, User
from saferhub.strategy import actions as action_service
from saferhub.strategy.demo_data import (
    CURRENT,
    CURRENT_ACTIONS,
    CURRENT_EXTRA_OUTCOMES,
    CURRENT_TITLES,
    DONE_NOTE,
    EXTERNAL_PLAN_OWNER,
    MEASURES,
    OBJECTIVES,
    PAST_ACTIONS,
    PLANS,
    PRIORITIES,
    STARTED_NOTE,
    ActionSpec,
    PlanSpec,
)
from saferhub.strategy.demo_figures import (
    SPECS,
    baseline,
    baseline_label,
    generate_series,
    seeded,
    target,
)
from saferhub.strategy.demo_returns import Staff, dated_events, load_returns
from saferhub.strategy.models import (
    Action,
    ExternalObjective,
    ExternalPlan,
    Measure,
    MeasureValue,
    Outcome,
    Priority,
    Strategy,
    Target,
)


@dataclass(frozen=True)
class Cast:
    agencies: dict[str, Agency]  # by code
    users: dict[str, User]  # by username
    staff: Staff


def load_demo_strategy(
    partnership: Partnership, today: date | None = None
) -> list[tuple[Strategy, bool]]:
    """Each demo plan, and whether it was loaded now (False: it was there, left untouched)."""
    today = today or date.today()
    cast = _cast(partnership)
    series = generate_series(today)
    loaded = []
    for spec in PLANS:
        existing = Strategy.objects.filter(partnership=partnership, slug=spec.slug).first()
        if existing:
            loaded.append((existing, False))
            continue
        with transaction.atomic():
            loaded.append((_load_plan(spec, partnership, cast, series, today), True))
    return loaded


def describe(strategy: Strategy, loaded: bool) -> str:
    """One line for `saferhub demo` to print."""
    figures = MeasureValue.objects.filter(measure__strategy=strategy, is_current=True).count()
    actions = Action.objects.filter(priority__strategy=strategy).count()
    line = (
        f"Strategy '{strategy.title}': {strategy.priorities.count()} priorities, "
        f"{strategy.measures.count()} measures, {figures:,} figures, {actions} actions."
    )
    return line if loaded else f"{line} (Already loaded: left as it was.)"


def _cast(partnership: Partnership) -> Cast:
    people = SIGN_INS + OTHER_LEADS
    users = {
        user.username: user
        for user in User.objects.filter(
            username__in=[p.username for p in people], agency__partnership=partnership
        ).select_related("agency")
    }
    leads = {p.agency: users[p.username] for p in people if Role.AGENCY_LEAD in p.roles}
    agencies = {agency.code: agency for agency in partnership.agencies.all()}
    return Cast(agencies, users, Staff(leads, users["analyst"]))


def _load_plan(spec: PlanSpec, partnership, cast: Cast, series, today: date) -> Strategy:
    strategy = Strategy.objects.create(
        partnership=partnership,
        title=spec.title,
        slug=spec.slug,
        ambition=spec.ambition,
        starts_on=spec.starts_on,
        ends_on=spec.ends_on,
    )
    objectives = _objectives(partnership, spec.external_plan)
    priorities = _priorities(strategy, spec, cast, objectives)
    measures = _measures(strategy, spec, priorities, cast)
    _targets(strategy, spec, measures)
    load_returns(strategy, spec, cast.staff, series, today)
    _actions(spec, priorities, cast, today)
    return strategy


def _objectives(partnership, title: str) -> dict[str, ExternalObjective]:
    plan, _ = ExternalPlan.objects.get_or_create(
        partnership=partnership, title=title, defaults={"owner": EXTERNAL_PLAN_OWNER}
    )
    return {
        code: ExternalObjective.objects.get_or_create(
            plan=plan, code=code, defaults={"title": text}
        )[0]
        for code, text in OBJECTIVES
    }


def _priorities(strategy, spec: PlanSpec, cast: Cast, objectives) -> dict[int, Priority]:
    current = spec is CURRENT
    priorities = {}
    for item in PRIORITIES:
        priority = Priority.objects.create(
            strategy=strategy,
            number=item.number,
            title=CURRENT_TITLES.get(item.number, item.title) if current else item.title,
            summary=item.summary,
            lead_agency=cast.agencies[item.lead_agency],
            lead_officer=cast.users[item.lead_officer],
        )
        outcomes = item.outcomes + (CURRENT_EXTRA_OUTCOMES.get(item.number, ()) if current else ())
        Outcome.objects.bulk_create(
            Outcome(priority=priority, order=order, text=text)
            for order, text in enumerate(outcomes, start=1)
        )
        priority.aligned_objectives.set([objectives[code] for code in item.objectives])
        priorities[item.number] = priority
    return priorities


def _measures(strategy, plan: PlanSpec, priorities, cast: Cast) -> dict[str, Measure]:
    measures: dict[str, Measure] = {}
    for spec in MEASURES:
        if spec.only and spec.only != plan.slug:
            continue
        source = Measure.Source.SUBMITTED
        if spec.formula:
            source = Measure.Source.FORMULA
        elif spec.derived_key:
            source = Measure.Source.DERIVED
        measure = Measure(
            strategy=strategy,
            priority=priorities[spec.priority],
            code=spec.code,
            name=spec.name,
            definition=spec.definition,
            unit=spec.unit,
            direction=spec.direction,
            period_type=spec.period_type,
            reporting_agency=cast.agencies[spec.agency],
            tolerance_percent=Decimal(spec.tolerance),
            is_headline=spec.headline,
            source=source,
            derived_key=spec.derived_key,
        )
        if spec.formula:
            numerator, denominator, factor = spec.formula
            measure.numerator, measure.denominator = measures[numerator], measures[denominator]
            measure.factor = Decimal(factor)
        if not spec.derived_key:
            measure.baseline = baseline(spec, plan)
            measure.baseline_label = baseline_label(spec, plan)
        measure.full_clean()  # what the measure form checks, formulas' period types included
        measure.save()
        measures[spec.code] = measure
    return measures


def _targets(strategy, plan: PlanSpec, measures: dict[str, Measure]) -> None:
    """A target for every period of the plan, for each measure that has targets."""
    rows = []
    for code, measure in measures.items():
        spec = SPECS[code]
        if not spec.targets:
            continue
        first = measure.period_of(strategy.starts_on)
        for period in first.periods_between(measure.period_of(strategy.ends_on)):
            rows.append(
                Target(measure=measure, period_start=period.start, value=target(spec, plan, period))
            )
    Target.objects.bulk_create(rows)


def _actions(plan: PlanSpec, priorities, cast: Cast, today: date) -> None:
    """Each action, owned by its agency's lead, with its progress updates through the
    actions service (versions, statuses, completion dates and audit as the service sets)."""
    rng = seeded("actions", plan.slug)
    events = []
    for spec in CURRENT_ACTIONS if plan is CURRENT else PAST_ACTIONS:
        owner = cast.staff.leads[spec.agency]
        action = Action.objects.create(
            priority=priorities[spec.priority],
            title=spec.title,
            owning_agency=cast.agencies[spec.agency],
            owner=owner,
            due_on=spec.due_on,
        )
        updates = _updates(spec, plan, today, rng)
        for on, text, status in updates:
            action_service.add_progress(action, owner, text, status, action.version, on=on)
        moments = [
            timezone.make_aware(datetime.combine(on, time(9))) + timedelta(hours=rng.uniform(0, 8))
            for on, _, _ in updates
        ]
        events += dated_events(action, moments)
    audit.backdate_for_demo(events)


def _updates(spec: ActionSpec, plan: PlanSpec, today: date, rng) -> list[tuple[date, str, str]]:
    """The action's dated progress updates, oldest first, none after today."""
    status = Action.Status
    started = max(plan.starts_on, spec.due_on - timedelta(days=300)) + timedelta(days=21)
    if spec.status == status.DONE:
        last = (spec.completed_on, spec.note or DONE_NOTE, status.DONE)
    elif spec.note:
        last = (today - timedelta(days=rng.randint(9, 40)), spec.note, spec.status)
    else:
        return []
    updates = [last]
    if spec.status != status.NOT_STARTED and started < last[0]:
        updates.insert(0, (started, STARTED_NOTE, status.ON_TRACK))
    return [update for update in updates if update[0] <= today]
