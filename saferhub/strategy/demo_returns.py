"""The demo's partner returns, replayed through the real returns service.

Each return follows a story, the steps of the workflow that happened to it (saved,
submitted, sent back, corrected, approved...), so statuses, versions, revisions and
the audit trail are exactly what the service produces. Each step is then dated to when
it "happened": working hours after its quarter ended, and never after now.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from saferhub.audit import services as audit
from saferhub.audit.models import AuditEvent
from saferhub.partnership.models import User
from saferhub.strategy import returns
from saferhub.strategy.demo_data import (
    CORRECTED,
    CORRECTION_COMMENT,
    CURRENT,
    LATEST,
    PAST_GAPS,
    PREVIOUS,
    RETURNED_NOW,
    SEND_BACK_REASONS,
    PlanSpec,
)
from saferhub.strategy.demo_figures import rounded, seeded
from saferhub.strategy.models import MeasureValue, PartnerReturn, Strategy
from saferhub.strategy.periods import Period

STORIES = {
    "approved": ["save", "submit", "approve"],
    "late": ["save", "submit", "approve"],
    "revised": ["save_wrong", "fix", "submit", "approve"],
    "sent_back": ["save_wrong", "submit", "send_back", "fix", "submit", "approve"],
    "corrected": ["save_wrong", "submit", "approve", "send_back", "fix", "submit", "approve"],
    "submitted": ["save", "submit"],
    "returned": ["save_wrong", "submit", "send_back"],
    "draft": ["save_part"],
    "missing": [],
}
# Days from the quarter's end to the first step, and between later steps.
GAPS = {
    "save": (6, 22),
    "save_wrong": (6, 22),
    "save_part": (8, 20),
    "submit": (0.1, 3),
    "approve": (1, 8),
    "send_back": (1, 5),
    "fix": (1, 6),
}
LATE = (33, 50)  # days from the quarter's end to a late return's first step
SAVES = {"save", "save_wrong", "save_part", "fix"}
REVIEWS = {"approve", "send_back"}


@dataclass(frozen=True)
class Staff:
    leads: dict[str, User]  # who enters and submits each agency's returns, by agency code
    analyst: User  # who approves them or sends them back


def load_returns(strategy: Strategy, plan: PlanSpec, staff: Staff, series, today: date) -> None:
    """Every agency's return for every quarter of the plan that has ended by today."""
    quarters = [q for q in returns.quarters_of(strategy) if q.end < today]
    if not quarters:
        return
    rng = seeded("returns", plan.slug)
    dated_returns, events, values = [], [], []
    now = timezone.now()
    for quarter in quarters:
        for agency, period_types in returns.agencies_owing(strategy).items():
            if not returns.owes_in(period_types, quarter):
                continue
            story = _story(plan, agency.code, quarter, quarters[-1], rng)
            if story == "missing":
                continue
            partner_return = returns.return_for(strategy, agency, quarter)
            moments = _moments(quarter, story, rng, now)
            saves = _replay(partner_return, story, staff, series, rng)
            dated_returns.append(_dated_return(partner_return, story, moments))
            events += dated_events(partner_return, moments)
            values += _dated_values(partner_return, saves, moments)
    PartnerReturn.objects.bulk_update(dated_returns, ["submitted_at", "reviewed_at"])
    audit.backdate_for_demo(events)
    MeasureValue.objects.bulk_update(values, ["entered_at"], batch_size=500)


def dated_events(target, moments: list[datetime]) -> list[AuditEvent]:
    """The target's audit events, one per step in order, dated to their steps."""
    events = list(
        AuditEvent.objects.filter(
            target_type=target._meta.label_lower, target_id=str(target.pk)
        ).order_by("id")
    )
    for event, moment in zip(events, moments, strict=True):
        event.at = moment
    return events


def _story(plan: PlanSpec, agency: str, quarter: Period, latest: Period, rng) -> str:
    if plan is CURRENT and quarter == latest:
        return LATEST.get(agency, "approved")
    if plan is CURRENT and quarter == latest.shifted(-1) and agency in PREVIOUS:
        return PREVIOUS[agency]
    if (agency, quarter.code) in PAST_GAPS:
        return "missing"
    if (agency, quarter.code) in CORRECTED:
        return "corrected"
    draw = rng.random()
    for story, below in (("sent_back", 0.05), ("late", 0.13), ("revised", 0.2)):
        if draw < below:
            return story
    return "approved"


def _replay(partner_return, story: str, staff: Staff, series, rng) -> list[tuple[int, int]]:
    """Run the story's steps through the returns service; (step, figures) of each save."""
    lead, analyst = staff.leads[partner_return.agency.code], staff.analyst
    owed = returns.owed_figures(
        partner_return.strategy, partner_return.agency, partner_return.quarter
    )
    right = {f.key: (series[f.measure.code][f.period.start], "") for f in owed}
    wrong_key = rng.choice(list(right))
    unit = next(f.measure.unit for f in owed if f.key == wrong_key)
    correct = right[wrong_key][0]
    wrong = rounded(unit, float(correct) * (1.05 if story == "revised" else 0.88))
    if wrong == correct:  # too small to be 5% or 12% out: one out instead
        wrong += 1 if wrong < 1 else -1
    figures = {
        "save": right,
        "save_wrong": {**right, wrong_key: (wrong, "")},
        "save_part": dict(list(right.items())[: max(1, len(right) // 2)]),
        "fix": {wrong_key: (correct, "" if story == "revised" else CORRECTION_COMMENT)},
    }
    reason = RETURNED_NOW if story == "returned" else rng.choice(SEND_BACK_REASONS)
    saves = []
    for index, step in enumerate(STORIES[story]):
        version = partner_return.version
        if step in SAVES:
            entry = MeasureValue.Entry.FORM
            if step == "fix" and story == "corrected":
                entry = MeasureValue.Entry.CORRECTION
            changed = returns.save_figures(partner_return, lead, figures[step], version, entry)
            saves.append((index, changed))
        elif step == "submit":
            returns.submit(partner_return, lead, version)
        elif step == "approve":
            returns.approve(partner_return, analyst, version)
        else:
            returns.send_back(partner_return, analyst, reason, version)
    return saves


def _moments(quarter: Period, story: str, rng, now: datetime) -> list[datetime]:
    """When each step happened: working hours, after the quarter ended, before now."""
    offsets, total = [], 0.0
    for index, step in enumerate(STORIES[story]):
        low, high = LATE if index == 0 and story == "late" else GAPS[step]
        total += rng.uniform(low, high)
        offsets.append(total)
    start = timezone.make_aware(datetime.combine(quarter.end + timedelta(days=1), time()))
    room = (now - start).total_seconds() / 86400 - 1
    if offsets and offsets[-1] > room:  # a quarter only just ended: squeeze the story in
        offsets = [offset * max(room, 0) / offsets[-1] for offset in offsets]
    # The fraction of each day offset is a time between 08:30 and 17:30.
    return [start + timedelta(days=int(o), hours=8.5 + 9 * (o % 1)) for o in offsets]


def _dated_return(partner_return, story: str, moments) -> PartnerReturn:
    steps = STORIES[story]
    for attribute, names in (("submitted_at", {"submit"}), ("reviewed_at", REVIEWS)):
        done = [moments[i] for i, step in enumerate(steps) if step in names]
        setattr(partner_return, attribute, done[-1] if done else None)
    return partner_return


def _dated_values(partner_return, saves, moments) -> list[MeasureValue]:
    values = list(MeasureValue.objects.filter(partner_return=partner_return).order_by("id"))
    position = 0
    for step, count in saves:
        for value in values[position : position + count]:
            value.entered_at = moments[step]
        position += count
    return values
