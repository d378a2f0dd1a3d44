"""Importing referral history: a checked file (import_file.py) saved in one transaction,
every row or none; `saferhub import-referrals` and the coordinator's import page
(import_jobs.py) both call `import_referrals`.

What a row becomes, where the issue leaves it open:

* The victim: the partnership's person with the same folded given and family name
  (people.fold) and the same date of birth (an empty one matches only an empty one);
  else a new person, with the details of the latest row naming them.
* The referring agency: the partnership's agency in the row's MARAC sector, the first by
  code. A sector no agency is in is a problem of the file: no agency is made up.
* The referring officer, and the chair of any meeting made: the user importing.
* What a history file does not say: the DASH answers are recorded as the victim's; the
  victim as not having consented, the referral shared under the safeguarding lawful basis
  with a reason saying so (the model requires consent or a basis); the victim as informed
  is left False for the same reason.
* Repeats, eligibility and reassessment as `referrals.refer` works them out, with the
  area's settings; repeats in memory over the file and the partnership's earlier referrals
  of the same people (repeats.same_perpetrator, repeats.months_before), not a query a row.
  Existing referrals are not changed: a later one is not made a repeat of an imported one.
* marac_date: the monthly MARAC of that day (the one there is, or one made, closed, with no
  agency invited, since who attended is not in the file and an invitation would show an
  agency every case listed), the case listed and heard there, and the referral heard that
  day and closed that day: history has no open actions. Without one: referred (waiting to
  be heard) or not eligible.
* A referral_ref the partnership already has is skipped: importing a file again, or a
  longer version of it, adds only the new rows.
"""

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import TypeVar

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from saferhub.audit.services import record
from saferhub.partnership.models import Agency, Partnership
from saferhub.safeguarding import bulk_insert, case_access, dash, people
from saferhub.safeguarding.import_file import ImportRow, check
from saferhub.safeguarding.models import (
    AnswerSource,
    DashAnswer,
    ListedCase,
    Meeting,
    Perpetrator,
    Person,
    Referral,
)
from saferhub.safeguarding.referrals import settings_for
from saferhub.safeguarding.repeats import REPEAT_MONTHS, months_before, same_perpetrator

# Rows saved per round of inserts (progress is reported after each).
BATCH = 5000
# Values per IN (...) list when looking up what the partnership already has.
LOOKUP_CHUNK = 5000
IMPORTED_SHARING_REASON = (
    "Imported from the partnership's referral history, which does not record whether the "
    "victim consented: shared under the MARAC information sharing protocol."
)

Progress = Callable[[int, int], None]  # (rows done, rows in the file)
T = TypeVar("T")


@dataclass(frozen=True)
class Result:
    rows: int
    referrals: int
    people: int
    meetings: int
    already_imported: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def __str__(self) -> str:
        referrals = _count(self.referrals, "referral")
        new_people = _count(self.people, "new person", "new people")
        meetings = _count(self.meetings, "new meeting")
        text = f"Imported {referrals}, {new_people} and {meetings} from {_count(self.rows, 'row')}."
        if self.already_imported:
            text += (
                f" {_count(self.already_imported, 'row was', 'rows were')} imported before "
                "and skipped."
            )
        return text


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number:,} {one if number == 1 else (many or one + 's')}"


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def agencies_by_sector(partnership: Partnership) -> dict[str, Agency]:
    """Each MARAC sector's agency: the partnership's first in it by code."""
    found: dict[str, Agency] = {}
    for agency in Agency.objects.filter(partnership=partnership).order_by("code", "id"):
        found.setdefault(agency.marac_sector, agency)
    return found


def import_referrals(
    user, data: bytes, *, today: date | None = None, progress: Progress | None = None, target=None
) -> Result:
    """Check a CSV of past referrals and save every row, or nothing: ImportProblems lists
    every problem. `target` is what the audit entry is about (the partnership if None)."""
    partnership = user.agency.partnership
    agencies = agencies_by_sector(partnership)
    rows = check(data, today or timezone.localdate(), set(agencies), partnership.name)
    return save(user, rows, agencies, progress=progress, target=target)


@transaction.atomic
def save(
    user,
    rows: list[ImportRow],
    agencies: dict[str, Agency],
    *,
    progress: Progress | None = None,
    target=None,
) -> Result:
    """Save checked rows in one transaction; recorded once, as "referrals.imported"."""
    # One import at a time per partnership, so two never make the same person or referral.
    partnership = Partnership.objects.select_for_update().get(pk=user.agency.partnership_id)
    total = len(rows)
    known = _imported_refs(partnership, [row.ref for row in rows])
    new = sorted(
        (row for row in rows if row.ref not in known), key=lambda row: (row.referred_on, row.line)
    )
    if progress:
        progress(total - len(new), total)
    people_made = meetings_made = 0
    if new:
        victims, existing_people, people_made = _victims(partnership, new)
        plans = _plan(partnership, new, victims, existing_people)
        meetings, meetings_made = _meetings(partnership, user, new)
        _create(partnership, user, new, victims, plans, meetings, agencies, progress, total)
    result = Result(
        rows=total,
        referrals=len(new),
        people=people_made,
        meetings=meetings_made,
        already_imported=total - len(new),
    )
    # Counts only: the file's contents are personal data.
    record(user, "referrals.imported", target or partnership, **result.as_dict())
    return result


def _imported_refs(partnership: Partnership, refs: list[str]) -> set[str]:
    """The refs the partnership has imported before."""
    # Stated, so that PostgreSQL uses the partial unique index on (partnership, import_ref).
    imported = Referral.objects.filter(partnership=partnership).exclude(import_ref="")
    if not imported.exists():  # the first import: nothing to look up
        return set()
    known: set[str] = set()
    for chunk in _chunks(refs, LOOKUP_CHUNK):
        known.update(imported.filter(import_ref__in=chunk).values_list("import_ref", flat=True))
    return known


# -- People ------------------------------------------------------------------

PersonKey = tuple[str, str, date | None]


def _victims(partnership: Partnership, rows: list[ImportRow]) -> tuple[list[int], set[int], int]:
    """Each row's person id; the ids of those who were already known; how many were made."""
    keys: list[PersonKey] = [
        (people.fold(row.victim_given), people.fold(row.victim_family), row.victim_dob)
        for row in rows
    ]
    wanted = set(keys)
    found: dict[PersonKey, int] = {}
    families = sorted({key[1] for key in wanted})
    for chunk in _chunks(families, LOOKUP_CHUNK):
        for pk, given, family, born in (
            Person.objects.filter(partnership=partnership, folded_family__in=chunk)
            .order_by("id")
            .values_list("id", "folded_given", "folded_family", "date_of_birth")
        ):
            if (given, family, born) in wanted:
                found.setdefault((given, family, born), pk)  # the oldest, if there are two
    existing = set(found.values())
    latest: dict[PersonKey, ImportRow] = {}
    for row, key in zip(rows, keys, strict=True):
        if key not in found:
            latest[key] = row  # rows are in date order: the last names them as they are now
    ids = bulk_insert.reserve_ids(Person, len(latest))
    found.update(zip(latest, ids, strict=True))
    bulk_insert.insert_dicts(
        Person,
        (_person(pk, partnership, row) for pk, row in zip(ids, latest.values(), strict=True)),
    )
    return [found[key] for key in keys], existing, len(ids)


def _person(pk: int, partnership: Partnership, row: ImportRow) -> dict:
    # Person.save keeps the matching keys; an insert does not call it: set them here.
    keys = people.keys(row.victim_given, row.victim_family, row.victim_postcode)
    return {
        "id": pk,
        "partnership_id": partnership.pk,
        "given_name": row.victim_given,
        "family_name": row.victim_family,
        "date_of_birth": row.victim_dob,
        "postcode": row.victim_postcode,
        "gender": row.victim_gender,
        "ethnicity": row.victim_ethnicity,
        "lgbt": row.victim_lgbt,
        "disabled": row.victim_disabled,
        "folded_given": keys.given,
        "folded_family": keys.family,
        "given_sound": keys.given_sound,
        "family_sound": keys.family_sound,
        "postcode_district": keys.district,
    }


# -- Repeats and eligibility ---------------------------------------------------


@dataclass(slots=True)
class _Plan:
    """What a row's referral will be."""

    assessment: dash.Assessment
    status: str
    repeat_of_id: int | None = None  # an existing referral it repeats
    repeat_of_row: int | None = None  # or the index of an earlier row of the file


@dataclass(slots=True)
class _Earlier:
    """A MARAC referral a later one may repeat: an existing one, or an earlier row."""

    order: tuple  # (date, 0, id) for existing, (date, 1, line) for rows: later is greater
    referred_on: date
    perpetrators: list[Perpetrator]
    referral_id: int | None = None
    row: int | None = None


def _plan(
    partnership: Partnership, rows: list[ImportRow], victims: list[int], existing: set[int]
) -> list[_Plan]:
    """Score and assess each row (rows in date order), finding repeats as
    repeats.earlier_referral does: the latest earlier MARAC referral of the same victim with
    the same perpetrator at most REPEAT_MONTHS before, on the same day included."""
    thresholds = settings_for(partnership).thresholds()
    since = months_before(rows[0].referred_on, REPEAT_MONTHS)
    history = _existing_history(existing, since, rows[-1].referred_on)
    # Only a person referred before, or more than once here, can have a repeat: the others'
    # perpetrators are never compared, and need no instance kept for it.
    referred = Counter(victims)
    plans = []
    for index, (row, victim) in enumerate(zip(rows, victims, strict=True)):
        comparable = victim in existing or referred[victim] > 1
        perpetrator = _perpetrator_of(row) if comparable else None
        window = months_before(row.referred_on, REPEAT_MONTHS)
        earlier = None
        for candidate in history.get(victim, ()) if comparable else ():
            if (
                window <= candidate.referred_on <= row.referred_on
                and (earlier is None or candidate.order > earlier.order)
                and any(same_perpetrator(theirs, perpetrator) for theirs in candidate.perpetrators)
            ):
                earlier = candidate
        assessment = dash.assess(
            dict(enumerate(row.answers, start=1)),
            police_incidents=row.police_incidents,
            professional_judgement=row.professional_judgement,
            is_repeat=earlier is not None,
            thresholds=thresholds,
        )
        if row.marac_date:
            status = Referral.Status.CLOSED
        elif assessment.eligible:
            status = Referral.Status.REFERRED
        else:
            status = Referral.Status.NOT_ELIGIBLE
        plans.append(
            _Plan(
                assessment,
                status,
                repeat_of_id=earlier.referral_id if earlier else None,
                repeat_of_row=earlier.row if earlier else None,
            )
        )
        # Only a MARAC referral can be repeated: one not eligible never was one.
        if comparable and status != Referral.Status.NOT_ELIGIBLE:
            history.setdefault(victim, []).append(
                _Earlier((row.referred_on, 1, row.line), row.referred_on, [perpetrator], row=index)
            )
    return plans


def _perpetrator_of(row: ImportRow) -> Perpetrator:
    """The row's perpetrator, unsaved, for repeats.same_perpetrator."""
    return Perpetrator(
        given_name=row.perpetrator_given,
        family_name=row.perpetrator_family,
        date_of_birth=row.perpetrator_dob,
    )


def _existing_history(person_ids: set[int], since: date, until: date) -> dict[int, list[_Earlier]]:
    """The known people's MARAC referrals from `since` to `until`, with their perpetrators."""
    history: dict[int, list[_Earlier]] = {}
    by_id: dict[int, _Earlier] = {}
    for chunk in _chunks(sorted(person_ids), LOOKUP_CHUNK):
        for pk, victim_id, referred_on in (
            Referral.objects.filter(
                victim_id__in=chunk, referred_on__gte=since, referred_on__lte=until
            )
            .exclude(status=Referral.Status.NOT_ELIGIBLE)
            .values_list("id", "victim_id", "referred_on")
        ):
            earlier = _Earlier((referred_on, 0, pk), referred_on, [], referral_id=pk)
            by_id[pk] = earlier
            history.setdefault(victim_id, []).append(earlier)
    for chunk in _chunks(sorted(by_id), LOOKUP_CHUNK):
        for perpetrator in Perpetrator.objects.filter(referral_id__in=chunk).only(
            "referral_id", "given_name", "family_name", "date_of_birth"
        ):
            by_id[perpetrator.referral_id].perpetrators.append(perpetrator)
    return history


# -- Meetings ----------------------------------------------------------------


def _meetings(
    partnership: Partnership, user, rows: list[ImportRow]
) -> tuple[dict[date, list[int]], int]:
    """Each marac_date's monthly MARAC as [meeting id, next free list position]; how many
    meetings were made."""
    dates = sorted({row.marac_date for row in rows if row.marac_date})
    found: dict[date, list[int]] = {}
    for chunk in _chunks(dates, LOOKUP_CHUNK):
        for pk, held_on in Meeting.objects.filter(
            partnership=partnership, kind=Meeting.Kind.MONTHLY, held_on__in=chunk
        ).values_list("id", "held_on"):
            found[held_on] = [pk, 1]
    if found:
        last = {
            item["meeting_id"]: item["last"]
            for item in ListedCase.objects.filter(meeting_id__in=[v[0] for v in found.values()])
            .values("meeting_id")
            .annotate(last=Max("position"))
        }
        for entry in found.values():
            entry[1] = last.get(entry[0], 0) + 1
    made = [
        Meeting(
            partnership=partnership,
            kind=Meeting.Kind.MONTHLY,
            held_on=held_on,
            status=Meeting.Status.CLOSED,
            chair=user,
        )
        for held_on in dates
        if held_on not in found
    ]
    Meeting.objects.bulk_create(made, batch_size=1000)
    for meeting in made:
        found[meeting.held_on] = [meeting.pk, 1]
    return found, len(made)


# -- Referrals -----------------------------------------------------------------


def _create(
    partnership: Partnership,
    user,
    rows: list[ImportRow],
    victims: list[int],
    plans: list[_Plan],
    meetings: dict[date, list[int]],
    agencies: dict[str, Agency],
    progress: Progress | None,
    total: int,
) -> None:
    """Referrals, their answers, perpetrators and listings, BATCH rows at a time. Their ids
    are reserved first, so a repeat names its earlier referral whichever batch it is in."""
    context = _Context(
        partnership.pk,
        user.pk,
        {sector: agency.pk for sector, agency in agencies.items()},
        timedelta(weeks=settings_for(partnership).reassessment_weeks),
    )
    ids = bulk_insert.reserve_ids(Referral, len(rows))
    done = total - len(rows)
    for start in range(0, len(rows), BATCH):
        batch = range(start, min(start + BATCH, len(rows)))
        bulk_insert.insert_dicts(
            Referral,
            (_referral(i, rows[i], plans[i], victims[i], ids, context) for i in batch),
        )
        bulk_insert.insert(
            DashAnswer,
            ("referral_id", "number", "answer"),
            (
                (ids[i], number, answer)
                for i in batch
                for number, answer in enumerate(rows[i].answers, start=1)
            ),
        )
        bulk_insert.insert(
            Perpetrator,
            ("referral_id", "given_name", "family_name", "date_of_birth", "gender", "folded_name"),
            (_perpetrator(ids[i], rows[i]) for i in batch),
        )
        bulk_insert.insert(
            ListedCase,
            ("meeting_id", "referral_id", "position", "why", "heard"),
            _listings(rows, plans, ids, meetings, batch),
        )
        done += len(batch)
        if progress:
            progress(done, total)
    # Written without the services: the referring agencies' part in the new cases (any
    # other case in the id range is rewritten from its sources too, which changes nothing).
    if ids:
        case_access.refresh(Referral.objects.filter(pk__range=(min(ids), max(ids))))


@dataclass(frozen=True)
class _Context:
    """What every referral of an import shares."""

    partnership_id: int
    officer_id: int
    agency_ids: dict[str, int]  # MARAC sector -> agency id
    reassess_after: timedelta


def _referral(
    index: int, row: ImportRow, plan: _Plan, victim_id: int, ids: list[int], context: _Context
) -> dict:
    assessment = plan.assessment
    repeat_of = plan.repeat_of_id if plan.repeat_of_row is None else ids[plan.repeat_of_row]
    return {
        "id": ids[index],
        "partnership_id": context.partnership_id,
        "victim_id": victim_id,
        "referred_on": row.referred_on,
        "referring_agency_id": context.agency_ids[row.sector],
        "marac_sector": row.sector,
        "referring_officer_id": context.officer_id,
        "children_in_household": row.children,
        "victim_informed": False,
        "victim_consented": False,
        "lawful_basis": Referral.LawfulBasis.SAFEGUARDING.value,
        "sharing_reason": IMPORTED_SHARING_REASON,
        "police_incidents": row.police_incidents,
        "dash_source": AnswerSource.VICTIM.value,
        "professional_judgement": row.professional_judgement,
        "judgement_reason": row.judgement_reason,
        "dash_score": assessment.score,
        "visible_high_risk": dash.VISIBLE_HIGH_RISK in assessment.reasons,
        "potential_escalation": dash.POTENTIAL_ESCALATION in assessment.reasons,
        "is_repeat": repeat_of is not None,
        "repeat_of_id": repeat_of,
        "status": plan.status,
        # A case heard at a meeting was a MARAC case, whatever the file's answers say.
        "why_not_eligible": "" if row.marac_date else assessment.why_not,
        "reassessment_due": row.referred_on + context.reassess_after,
        "heard_on": row.marac_date,
        "closed_on": row.marac_date,
        "import_ref": row.ref,
    }


def _perpetrator(referral_id: int, row: ImportRow) -> tuple:
    # Perpetrator.save keeps the folded name; an insert does not call it: set it here.
    folded = people.fold(row.perpetrator_given) + people.fold(row.perpetrator_family)
    return (
        referral_id,
        row.perpetrator_given,
        row.perpetrator_family,
        row.perpetrator_dob,
        row.perpetrator_gender,
        folded,
    )


def _listings(
    rows: list[ImportRow],
    plans: list[_Plan],
    ids: list[int],
    meetings: dict[date, list[int]],
    batch: range,
) -> Iterator[tuple]:
    """Each heard row on its meeting's list, after the cases already there, in date order."""
    for i in batch:
        held_on = rows[i].marac_date
        if held_on is None:
            continue
        meeting = meetings[held_on]
        repeat = dash.REPEAT in plans[i].assessment.reasons
        why = ListedCase.Why.REPEAT if repeat else ListedCase.Why.NEW
        yield (meeting[0], ids[i], meeting[1], why.value, True)
        meeting[1] += 1
