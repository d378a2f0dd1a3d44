"""Plausible synthetic safeguarding data, the same for the same seed: the demo's two years of
MARAC casework (`saferhub demo`) and the city and region data sets (`saferhub generate`).

generate() plans everything in memory (synthetic_cases, synthetic_people), then writes it
in bulk (synthetic_tables). It writes rows directly, as an import would, so it records no
audit events: nobody viewed or changed these cases.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Q

from saferhub.partnership.models import Partnership
from saferhub.safeguarding import case_access, people
from saferhub.safeguarding.models import (
    CaseAccess,
    DashAnswer,
    ListedCase,
    Meeting,
    Perpetrator,
    Person,
    Referral,
    Research,
    SafetyAction,
)
from saferhub.safeguarding.repeats import months_before
from saferhub.safeguarding.synthetic_cases import (
    Plan,
    PlannedReferral,
    Planner,
    cast_for,
    moment,
)
from saferhub.safeguarding.synthetic_people import PersonRecord, unreferred_record
from saferhub.safeguarding.synthetic_tables import Progress, Writer

DEMO_SEED = 20211101
DEMO_MONTHS = 24
DEMO_REFERRALS_A_MONTH = 500


@dataclass(frozen=True)
class Scale:
    """How much to generate: referrals over the months to the end date, and at least
    `people` Person rows (topped up with people not referred in the period)."""

    name: str
    months: int
    referrals: int
    people: int = 0


SCALES = {
    "demo": Scale("demo", DEMO_MONTHS, DEMO_MONTHS * DEMO_REFERRALS_A_MONTH),
    "city": Scale("city", 60, 30_000, 25_000),
    "region": Scale("region", 60, 200_000, 1_000_000),
}


def first_day(end: date, months: int) -> date:
    """The first day of the `months` calendar months ending on `end`."""
    return months_before(end, months) + timedelta(days=1)


def generate(
    partnership: Partnership,
    *,
    end: date,
    months: int,
    referrals: int,
    seed: int,
    people_at_least: int = 0,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Fill the partnership with `referrals` referrals over the `months` months to `end`,
    and everything that followed them; returns the rows written by model label.

    The partnership needs a MARAC coordinator (who chairs the meetings) and a police agency
    with users (who refer). Ids are taken after the highest in each table, so nothing else
    may write these tables meanwhile.
    """
    cast = cast_for(partnership)
    start = first_day(end, months)
    rng = random.Random(f"{seed}:cases")  # noqa: S311  (synthetic data, not secrets)
    plan = Planner(cast, rng, start, end).plan(referrals)
    extra = max(0, people_at_least - len(plan.records))
    writer = Writer(_rows(plan, extra), progress)
    ids = _Ids(writer)
    try:
        _write_people(writer, ids, partnership, plan.records)
        if extra:
            rng_people = random.Random(f"{seed}:people")  # noqa: S311
            unreferred = _unreferred(rng_people, len(plan.records), extra, start, end)
            _write_people(writer, ids, partnership, unreferred)
        _write_cases(writer, ids, partnership, plan)
    finally:
        # Even after a failure, ids the database gives later must not clash with ours.
        writer.finish()
    # The rows went in without the services: each agency's part in each case, at once.
    cases = Referral.objects.filter(partnership=partnership)
    case_access.refresh(cases)
    written = dict(writer.written)
    written[CaseAccess._meta.label] = CaseAccess.objects.filter(referral__in=cases).count()
    return written


def load_demo_cases(partnership: Partnership, today: date) -> bool:
    """The demo's two years of casework to `today`, once: a partnership that has referrals
    is left as it is. Returns whether it loaded them now."""
    if Referral.objects.filter(partnership=partnership).exists():
        return False
    with transaction.atomic():
        generate(
            partnership,
            end=today,
            months=DEMO_MONTHS,
            referrals=DEMO_MONTHS * DEMO_REFERRALS_A_MONTH,
            seed=DEMO_SEED,
        )
    return True


def describe(partnership: Partnership, loaded: bool) -> str:
    """One line for `saferhub demo` and `saferhub generate` to print."""
    status = Referral.objects.filter(partnership=partnership).aggregate(
        total=Count("id"),
        repeats=Count("id", filter=Q(is_repeat=True)),
        waiting=Count("id", filter=Q(status=Referral.Status.REFERRED)),
        open=Count("id", filter=Q(status=Referral.Status.OPEN)),
    )
    persons = Person.objects.filter(partnership=partnership).count()
    meetings = Meeting.objects.filter(partnership=partnership).count()
    actions = SafetyAction.objects.filter(referral__partnership=partnership).count()
    line = (
        f"Safeguarding: {status['total']:,} referrals ({status['repeats']:,} repeats, "
        f"{status['open']:,} open cases, {status['waiting']:,} waiting to be heard), "
        f"{persons:,} people, {meetings:,} meetings, {actions:,} safety-plan actions."
    )
    return line if loaded else f"{line} (Already loaded: left as it was.)"


class _Ids:
    """The first id of each model's new rows."""

    def __init__(self, writer: Writer) -> None:
        self.writer = writer
        self._first: dict[type, int] = {}

    def __getitem__(self, model) -> int:
        if model not in self._first:
            self._first[model] = self.writer.first_id(model)
        return self._first[model]


def _rows(plan: Plan, extra_people: int) -> int:
    referrals = len(plan.referrals)
    return (
        len(plan.records)
        + extra_people
        + referrals * 25
        + sum(len(r.perpetrators) for r in plan.referrals)
        + len(plan.meetings)
        + sum(len(m.invited) for m in plan.meetings)
        + len(plan.listings)
        + sum(len(listing.research) for listing in plan.listings)
        + sum(len(r.actions) for r in plan.referrals)
    )


def _unreferred(rng: random.Random, first: int, count: int, start: date, end: date):
    days = (end - start).days
    for number in range(first, first + count):
        yield unreferred_record(rng, number, start + timedelta(days=rng.randint(0, days)))


PERSON_FIELDS = (
    "id",
    "partnership",
    "given_name",
    "family_name",
    "date_of_birth",
    "postcode",
    "gender",
    "ethnicity",
    "lgbt",
    "disabled",
    "current_address",
    "folded_given",
    "folded_family",
    "given_sound",
    "family_sound",
    "postcode_district",
    "created_at",
)


def _write_people(writer: Writer, ids: _Ids, partnership, records) -> None:
    first = ids[Person]

    def rows():
        for record in records:
            keys = people.keys(record.given_name, record.family_name, record.postcode)
            yield (
                first + record.number,
                partnership.pk,
                record.given_name,
                record.family_name,
                record.date_of_birth,
                record.postcode,
                record.gender,
                record.ethnicity,
                record.lgbt,
                record.disabled,
                record.current_address,
                keys.given,
                keys.family,
                keys.given_sound,
                keys.family_sound,
                keys.district,
                moment(record.created_on, 60 + record.number % 480),
            )

    writer.write(Person, PERSON_FIELDS, rows())


def _write_cases(writer: Writer, ids: _Ids, partnership, plan: Plan) -> None:
    first_person = ids[Person]
    first_referral = ids[Referral]

    def referral_id(referral: PlannedReferral | None) -> int | None:
        return None if referral is None else first_referral + referral.number

    def person_id(record: PersonRecord) -> int:
        return first_person + record.number

    writer.write(
        Referral,
        (
            "id",
            "partnership",
            "victim",
            "referred_on",
            "referring_agency",
            "marac_sector",
            "referring_officer",
            "idva",
            "children_in_household",
            "victim_informed",
            "victim_consented",
            "lawful_basis",
            "sharing_reason",
            "police_incidents",
            "dash_source",
            "professional_judgement",
            "judgement_reason",
            "dash_score",
            "visible_high_risk",
            "potential_escalation",
            "is_repeat",
            "repeat_of",
            "status",
            "why_not_eligible",
            "reassessment_due",
            "heard_on",
            "closed_on",
            "version",
            "created_at",
        ),
        (
            (
                referral_id(r),
                partnership.pk,
                person_id(r.person),
                r.referred_on,
                r.agency.id,
                r.agency.sector,
                r.officer_id,
                r.idva_id,
                r.children,
                r.informed,
                r.consented,
                r.lawful_basis,
                r.sharing_reason,
                r.incidents,
                r.source,
                r.judgement,
                r.judgement_reason,
                r.score,
                r.visible_high_risk,
                r.potential_escalation,
                r.repeat_of is not None,
                referral_id(r.repeat_of),
                r.status,
                r.why_not,
                r.referred_on + timedelta(weeks=plan.cast.reassessment_weeks),
                r.heard_on,
                r.closed_on,
                2 if r.status == Referral.Status.CLOSED else 1,
                moment(r.referred_on, r.minute),
            )
            for r in plan.referrals
        ),
    )
    answers = {"y": "yes", "n": "no", "k": "not_known"}
    first_answer = ids[DashAnswer]
    writer.write(
        DashAnswer,
        ("id", "referral", "number", "answer"),
        (
            (first_answer + r.number * 24 + n, referral_id(r), n + 1, answers[a])
            for r in plan.referrals
            for n, a in enumerate(r.answers)
        ),
    )
    first_perpetrator = ids[Perpetrator]
    writer.write(
        Perpetrator,
        ("id", "referral", "given_name", "family_name", "date_of_birth", "gender", "folded_name"),
        (
            (first_perpetrator + n, referral_id(r), given, family, dob, gender, folded)
            for n, (r, (given, family, dob, gender, folded)) in enumerate(
                (r, p) for r in plan.referrals for p in r.perpetrators
            )
        ),
    )
    _write_meetings(writer, ids, partnership, plan, referral_id)


def _write_meetings(writer: Writer, ids: _Ids, partnership, plan: Plan, referral_id) -> None:
    first_meeting = ids[Meeting]
    chair = plan.cast.coordinator_id
    writer.write(
        Meeting,
        ("id", "partnership", "kind", "held_on", "status", "chair", "version", "created_at"),
        (
            (
                first_meeting + m.number,
                partnership.pk,
                m.kind,
                m.held_on,
                Meeting.Status.CLOSED,
                chair,
                5,  # created, listed, confirmed, opened, closed
                moment(m.held_on - timedelta(days=1 if m.kind == Meeting.Kind.DAILY else 14), 0),
            )
            for m in plan.meetings
        ),
    )
    through = Meeting.invited_agencies.through
    first_invitation = ids[through]
    writer.write(
        through,
        ("id", "meeting", "agency"),
        (
            (first_invitation + n, first_meeting + meeting_number, agency)
            for n, (meeting_number, agency) in enumerate(
                (m.number, agency) for m in plan.meetings for agency in sorted(m.invited)
            )
        ),
    )
    first_listing = ids[ListedCase]
    writer.write(
        ListedCase,
        ("id", "meeting", "referral", "position", "why", "discussion", "heard", "version"),
        (
            (
                first_listing + listing.number,
                first_meeting + listing.meeting.number,
                referral_id(listing.referral),
                listing.position,
                listing.why,
                listing.discussion,
                listing.heard,
                2,  # listed, then its discussion recorded
            )
            for listing in plan.listings
        ),
    )
    first_research = ids[Research]
    writer.write(
        Research,
        (
            "id",
            "listed_case",
            "agency",
            "holds_information",
            "summary",
            "author",
            "updated_at",
            "version",
        ),
        (
            (
                first_research + n,
                first_listing + listing.number,
                agency.id,
                holds,
                summary,
                author,
                moment(listing.meeting.held_on - timedelta(days=1), 360),
                1,
            )
            for n, (listing, (agency, author, holds, summary)) in enumerate(
                (listing, item) for listing in plan.listings for item in listing.research
            )
        ),
    )
    first_action = ids[SafetyAction]
    writer.write(
        SafetyAction,
        (
            "id",
            "referral",
            "agreed_at",
            "agency",
            "officer",
            "description",
            "due_on",
            "status",
            "update",
            "completed_on",
            "version",
            "updated_at",
        ),
        (
            (
                first_action + n,
                referral_id(a.referral),
                first_listing + a.listing.number,
                a.agency.id,
                a.officer_id,
                a.description,
                a.due_on,
                SafetyAction.Status.COMPLETE if a.completed_on else SafetyAction.Status.OPEN,
                a.update,
                a.completed_on,
                2 if a.update else 1,
                moment(a.completed_on or a.listing.meeting.held_on, 240),
            )
            for n, a in enumerate(plan.actions)
        ),
    )
