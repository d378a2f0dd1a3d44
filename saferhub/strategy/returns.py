"""Partner returns: what an agency owes each quarter, entering, submitting and approving it.

Every change to a figure adds a revision; an approved return is locked until an
analyst reopens it for correction, with a reason. All steps are audited.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from saferhub.access.permissions import Action, can
from saferhub.audit.services import record
from saferhub.partnership.models import Agency
from saferhub.strategy.models import Measure, MeasureValue, PartnerReturn, Strategy
from saferhub.strategy.periods import Period, PeriodType

Status = PartnerReturn.Status
EDITABLE = {Status.DRAFT, Status.RETURNED}


class ReturnError(Exception):
    """A step the return's state does not allow; the message is for the user."""


class StaleReturn(ReturnError):
    """Someone else saved the return since this user opened it."""


@dataclass(frozen=True)
class OwedFigure:
    measure: Measure
    period: Period

    @property
    def key(self) -> str:
        return f"{self.measure.id}:{self.period.start.isoformat()}"


def due_date(quarter: Period) -> date:
    return quarter.end + timedelta(days=settings.SAFERHUB_RETURN_DUE_DAYS)


def quarters_of(strategy: Strategy) -> list[Period]:
    first = Period.containing(strategy.starts_on, PeriodType.QUARTERLY)
    last = Period.containing(strategy.ends_on, PeriodType.QUARTERLY)
    return first.periods_between(last)


def owed_figures(strategy: Strategy, agency: Agency, quarter: Period) -> list[OwedFigure]:
    """The submitted measures the agency reports, for each of their periods in the quarter.

    Monthly measures are owed for each month, quarterly ones for the quarter, and
    yearly ones in the return for the last quarter of the financial year.
    """
    owed = []
    measures = (
        Measure.objects.filter(
            strategy=strategy, reporting_agency=agency, source=Measure.Source.SUBMITTED
        )
        .select_related("priority")
        .order_by("priority__number", "code")
    )
    for measure in measures:
        if measure.period_type == PeriodType.MONTHLY:
            periods = [Period(quarter.start, PeriodType.MONTHLY).shifted(i) for i in range(3)]
        elif measure.period_type == PeriodType.QUARTERLY:
            periods = [quarter]
        else:
            year = Period.containing(quarter.start, PeriodType.YEARLY)
            periods = [year] if year.end == quarter.end else []
        owed.extend(OwedFigure(measure, period) for period in periods)
    return owed


def agencies_owing(strategy: Strategy) -> dict[Agency, set[str]]:
    """Each agency that reports submitted measures, with the period types it reports."""
    reported: dict[int, set[str]] = {}
    for agency_id, period_type in Measure.objects.filter(
        strategy=strategy, source=Measure.Source.SUBMITTED
    ).values_list("reporting_agency_id", "period_type"):
        reported.setdefault(agency_id, set()).add(period_type)
    agencies = Agency.objects.filter(id__in=reported).order_by("name")
    return {agency: reported[agency.id] for agency in agencies}


def owes_in(period_types: set[str], quarter: Period) -> bool:
    """Whether an agency reporting these period types owes a return for the quarter."""
    year_end = Period.containing(quarter.start, PeriodType.YEARLY).end == quarter.end
    return bool(period_types - {PeriodType.YEARLY}) or year_end


def return_for(strategy: Strategy, agency: Agency, quarter: Period) -> PartnerReturn:
    partner_return, _ = PartnerReturn.objects.get_or_create(
        strategy=strategy, agency=agency, quarter_start=quarter.start
    )
    return partner_return


def may_edit(user, partner_return: PartnerReturn) -> bool:
    return can(user, Action.SUBMIT_RETURNS) and user.agency_id == partner_return.agency_id


def current_values(partner_return: PartnerReturn) -> dict[str, MeasureValue]:
    """The return's current figures by OwedFigure.key (all of them: for its own editors)."""
    return {
        f"{value.measure_id}:{value.period_start.isoformat()}": value
        for value in MeasureValue.objects.filter(partner_return=partner_return, is_current=True)
    }


def _bump_version(partner_return: PartnerReturn, expected_version: int, **changes) -> None:
    """Save the return only if nobody else has since: optimistic locking."""
    updated = PartnerReturn.objects.filter(pk=partner_return.pk, version=expected_version).update(
        version=F("version") + 1, **changes
    )
    if not updated:
        raise _stale(partner_return)
    partner_return.refresh_from_db()


def _stale(partner_return: PartnerReturn) -> StaleReturn:
    return StaleReturn(
        f"Someone else changed {partner_return.agency.name}'s return for "
        f"{partner_return.quarter.label} while you were working on it, so nothing has been saved."
    )


Figures = dict[str, tuple[Decimal, str]]  # OwedFigure.key -> (value, comment)


def _refuse_unfinished_periods(keys: list[str]) -> None:
    """A figure is for a period that has ended: nothing can be reported for the future."""
    today = date.today()
    types = dict(
        Measure.objects.filter(id__in={int(key.split(":")[0]) for key in keys}).values_list(
            "id", "period_type"
        )
    )
    for key in keys:
        measure_id, start = key.split(":")
        period = Period(date.fromisoformat(start), types[int(measure_id)])
        if period.end >= today:
            raise ReturnError(
                f"{period.label} has not ended yet: its figures can be given from "
                f"{period.end + timedelta(days=1):%-d %B %Y}."
            )


_BATCH = 2000


def save_figures(
    partner_return: PartnerReturn,
    user,
    figures: Figures,
    expected_version: int,
    entry: str = MeasureValue.Entry.FORM,
) -> int:
    """Store each figure as a new revision where it differs from the current one.
    Returns how many changed; an unchanged figure adds nothing."""
    if partner_return.status not in EDITABLE:
        raise ReturnError(
            f"This return is {partner_return.get_status_display().lower()}: it cannot be changed."
        )
    changed = save_many(user, [(partner_return, figures, expected_version)], entry)
    partner_return.refresh_from_db()
    return changed[partner_return.id]


@transaction.atomic
def save_many(
    user, batches: list[tuple[PartnerReturn, Figures, int]], entry: str
) -> dict[int, int]:
    """Save figures into several returns at once, all or nothing; changed count by return id.

    Each return is locked and must still be at the version its figures were read at
    (else StaleReturn). A changed figure becomes a new current revision and the old one
    stays, no longer current; a return that is not editable may not change (ReturnError);
    each changed return goes up one version and gets one audit record. A fixed number of
    queries whatever the number of figures.
    """
    _refuse_unfinished_periods([key for _, figures, _ in batches for key in figures])
    ids = [partner_return.id for partner_return, _, _ in batches]
    locked = {
        r.id: r
        for r in PartnerReturn.objects.select_for_update()
        .select_related("agency")
        .filter(id__in=ids)
        .order_by("id")
    }
    for partner_return, _, expected_version in batches:
        if locked[partner_return.id].version != expected_version:
            raise _stale(locked[partner_return.id])
    # A measure's figure for a period always lives in the same return, so the
    # current figures are found by return.
    current = {
        (v.partner_return_id, f"{v.measure_id}:{v.period_start.isoformat()}"): v
        for v in MeasureValue.objects.filter(partner_return_id__in=ids, is_current=True).only(
            "id", "partner_return_id", "measure_id", "period_start", "value", "comment", "revision"
        )
    }
    superseded: list[int] = []
    new_values: list[MeasureValue] = []
    changed: dict[int, int] = {}
    for partner_return, figures, _ in batches:
        the_return = locked[partner_return.id]
        changed[the_return.id] = 0
        for key, (value, comment) in figures.items():
            existing = current.get((the_return.id, key))
            if existing and existing.value == value and existing.comment == comment:
                continue
            if the_return.status not in EDITABLE:
                raise ReturnError(
                    f"{the_return.agency.name}'s return for {the_return.quarter.label} is "
                    f"{the_return.get_status_display().lower()}: it cannot be changed."
                )
            measure_id, start = key.split(":")
            if existing:
                superseded.append(existing.id)
            new_values.append(
                MeasureValue(
                    measure_id=int(measure_id),
                    period_start=date.fromisoformat(start),
                    value=value,
                    comment=comment,
                    revision=existing.revision + 1 if existing else 1,
                    partner_return=the_return,
                    entry=entry,
                    entered_by=user,
                )
            )
            changed[the_return.id] += 1
    # The old figure stops being current before the new one is written: one current
    # figure per measure and period is a database constraint.
    for first in range(0, len(superseded), _BATCH):
        MeasureValue.objects.filter(id__in=superseded[first : first + _BATCH]).update(
            is_current=False
        )
    MeasureValue.objects.bulk_create(new_values, batch_size=_BATCH)
    bumped = [return_id for return_id, count in changed.items() if count]
    for first in range(0, len(bumped), _BATCH):
        PartnerReturn.objects.filter(id__in=bumped[first : first + _BATCH]).update(
            version=F("version") + 1
        )
    for return_id in bumped:
        record(
            user, "return.figures_saved", locked[return_id], changed=changed[return_id], entry=entry
        )
    return changed


def missing_figures(partner_return: PartnerReturn) -> list[OwedFigure]:
    current = current_values(partner_return)
    owed = owed_figures(partner_return.strategy, partner_return.agency, partner_return.quarter)
    return [figure for figure in owed if figure.key not in current]


@transaction.atomic
def submit(partner_return: PartnerReturn, user, expected_version: int) -> None:
    if partner_return.status not in EDITABLE:
        raise ReturnError("Only a draft or returned return can be submitted.")
    missing = missing_figures(partner_return)
    if missing:
        names = "; ".join(f"{f.measure.name} ({f.period.label})" for f in missing)
        raise ReturnError(f"Enter every figure before submitting. Missing: {names}.")
    _bump_version(
        partner_return,
        expected_version,
        status=Status.SUBMITTED,
        submitted_by=user,
        submitted_at=timezone.now(),
        return_reason="",
    )
    record(user, "return.submitted", partner_return)


@transaction.atomic
def approve(partner_return: PartnerReturn, user, expected_version: int) -> None:
    if partner_return.status != Status.SUBMITTED:
        raise ReturnError("Only a submitted return can be approved.")
    _bump_version(
        partner_return,
        expected_version,
        status=Status.APPROVED,
        reviewed_by=user,
        reviewed_at=timezone.now(),
    )
    record(user, "return.approved", partner_return)


@transaction.atomic
def send_back(partner_return: PartnerReturn, user, reason: str, expected_version: int) -> None:
    """Return a submitted return for changes, or reopen an approved one for a correction."""
    if partner_return.status not in {Status.SUBMITTED, Status.APPROVED}:
        raise ReturnError("Only a submitted or approved return can be sent back.")
    if not reason.strip():
        raise ReturnError("Give the reason the agency needs to act on.")
    was = partner_return.status
    _bump_version(
        partner_return,
        expected_version,
        status=Status.RETURNED,
        reviewed_by=user,
        reviewed_at=timezone.now(),
        return_reason=reason.strip(),
    )
    record(user, "return.sent_back", partner_return, previous_status=was)


def overdue_returns(strategy: Strategy, today: date) -> list[tuple[Agency, Period]]:
    """(agency, quarter) for every return past its due date and not in: never submitted,
    or sent back after coming in late.

    Three queries whatever the number of agencies and quarters.
    """
    quarters = [
        q for q in quarters_of(strategy) if due_date(q) < today and q.start >= strategy.starts_on
    ]
    if not quarters:
        return []
    # A return sent back or reopened after it came in on time is waiting on a change,
    # shown as "sent back", not as overdue; one that came in late and went back is still late.
    done = set()
    for agency_id, start, status, submitted_at in PartnerReturn.objects.filter(
        strategy=strategy
    ).values_list("agency_id", "quarter_start", "status", "submitted_at"):
        on_time = submitted_at and submitted_at.date() <= due_date(
            Period(start, PeriodType.QUARTERLY)
        )
        if status in (Status.SUBMITTED, Status.APPROVED) or on_time:
            done.add((agency_id, start))
    return [
        (agency, quarter)
        for agency, period_types in agencies_owing(strategy).items()
        for quarter in quarters
        if owes_in(period_types, quarter) and (agency.id, quarter.start) not in done
    ]
