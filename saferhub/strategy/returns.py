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
        raise StaleReturn(
            "Someone else changed this return while you were working on it. "
            "Your changes have not been saved: the page now shows the latest figures."
        )
    partner_return.refresh_from_db()


@transaction.atomic
def save_figures(
    partner_return: PartnerReturn,
    user,
    figures: dict[str, tuple[Decimal, str]],
    expected_version: int,
    entry: str = MeasureValue.Entry.FORM,
) -> int:
    """Store each figure (by OwedFigure.key) as a new revision where it differs from the
    current one. Returns how many changed; an unchanged figure adds nothing."""
    if partner_return.status not in EDITABLE:
        raise ReturnError(
            f"This return is {partner_return.get_status_display().lower()}: it cannot be changed."
        )
    current = current_values(partner_return)
    changed = 0
    for key, (value, comment) in figures.items():
        measure_id, start = key.split(":")
        existing = current.get(key)
        if existing and existing.value == value and existing.comment == comment:
            continue
        revision = 1
        if existing:
            existing.is_current = False
            existing.save(update_fields=["is_current"])
            revision = existing.revision + 1
        MeasureValue.objects.create(
            measure_id=int(measure_id),
            period_start=date.fromisoformat(start),
            value=value,
            comment=comment,
            revision=revision,
            partner_return=partner_return,
            entry=entry,
            entered_by=user,
        )
        changed += 1
    if changed:
        _bump_version(partner_return, expected_version)
        record(user, "return.figures_saved", partner_return, changed=changed, entry=entry)
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
    """(agency, quarter) for every return past its due date and not yet submitted.

    Three queries whatever the number of agencies and quarters.
    """
    quarters = [
        q for q in quarters_of(strategy) if due_date(q) < today and q.start >= strategy.starts_on
    ]
    if not quarters:
        return []
    done = set(
        PartnerReturn.objects.filter(
            strategy=strategy, status__in=[Status.SUBMITTED, Status.APPROVED]
        ).values_list("agency_id", "quarter_start")
    )
    return [
        (agency, quarter)
        for agency, period_types in agencies_owing(strategy).items()
        for quarter in quarters
        if owes_in(period_types, quarter) and (agency.id, quarter.start) not in done
    ]
