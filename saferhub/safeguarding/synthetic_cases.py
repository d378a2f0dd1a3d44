"""Synthetic MARAC casework, planned in memory before anything is written: referrals with
their DASH answers and perpetrators, repeats, the daily meetings and the monthly MARAC that
hear them, research, safety-plan actions and what became of them.

The plan follows the rules the services apply, so the data could have been made through
them: a repeat is what repeats.earlier_referral would find at intake (same Person row, same
perpetrator, an eligible referral at most 12 calendar months before); a referral meeting no
criterion is not eligible and never listed; a case (a chain of repeats) is closed only when
every action along it is complete and nothing in it waits to be heard, on the day the last
action was completed (safety_plans). Everything is drawn from one seeded generator, and
nothing reads today's date: `end` is the last day of the data.
"""

import bisect
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from saferhub.access.roles import Role
from saferhub.partnership.models import Agency, Partnership, User
from saferhub.safeguarding import dash, people, synthetic_texts
from saferhub.safeguarding.models import AnswerSource, ListedCase, Meeting, Referral
from saferhub.safeguarding.referrals import settings_for
from saferhub.safeguarding.repeats import REPEAT_MONTHS, months_before
from saferhub.safeguarding.synthetic_people import (
    PersonRecord,
    Victim,
    Weighted,
    as_recorded,
    duplicate_record,
    first_record,
    move_house,
    new_perpetrator,
    new_victim,
    pick,
)

S = Agency.MaracSector
# Who refers (SafeLives: about two in three referrals come from the police).
REFERRING_SECTORS = {
    S.POLICE: 65.0,
    S.IDVA: 6.0,
    S.CHILDRENS_SOCIAL_CARE: 6.0,
    S.HEALTH: 6.0,
    S.HOUSING: 4.0,
    S.VOLUNTARY_SECTOR: 3.0,
    S.MENTAL_HEALTH: 2.0,
    S.ADULT_SOCIAL_CARE: 2.0,
    S.SUBSTANCE_MISUSE: 2.0,
    S.PROBATION: 2.0,
    S.EDUCATION: 0.5,
    S.OTHER: 1.5,
}
# How likely each sector is to own an action of a safety plan (children's services and
# schools only where there are children).
ACTION_SECTORS = {
    S.IDVA: 0.9,
    S.POLICE: 0.85,
    S.HOUSING: 0.35,
    S.HEALTH: 0.35,
    S.MENTAL_HEALTH: 0.12,
    S.SUBSTANCE_MISUSE: 0.12,
    S.PROBATION: 0.1,
    S.ADULT_SOCIAL_CARE: 0.06,
    S.VOLUNTARY_SECTOR: 0.12,
    S.OTHER: 0.08,
}
CHILDREN_SECTORS = {S.CHILDRENS_SOCIAL_CARE: 0.75, S.EDUCATION: 0.15}
RESEARCH_SECTORS = (
    S.CHILDRENS_SOCIAL_CARE,
    S.HEALTH,
    S.HOUSING,
    S.PROBATION,
    S.MENTAL_HEALTH,
    S.SUBSTANCE_MISUSE,
)
# How often the DASH questions are answered yes in a high-risk case, relative to one another.
QUESTION_WEIGHTS = (
    0.55, 0.85, 0.85, 0.6, 0.6, 0.7, 0.35, 0.65, 0.15, 0.7, 0.72, 0.85,
    0.4, 0.55, 0.5, 0.35, 0.25, 0.4, 0.15, 0.45, 0.6, 0.35, 0.35, 0.65,
)  # fmt: skip
HIGH_SCORES = Weighted(
    {14: 18, 15: 17, 16: 15, 17: 13, 18: 11, 19: 9, 20: 7, 21: 5, 22: 3, 23: 1.5, 24: 0.5}
)
LOW_SCORES = Weighted({3: 1, 4: 1, 5: 2, 6: 3, 7: 4, 8: 5, 9: 7, 10: 9, 11: 10, 12: 11, 13: 12})
CHILDREN = Weighted({0: 35, 1: 25, 2: 22, 3: 11, 4: 5, 5: 2})
INCIDENTS = Weighted({0: 30, 1: 25, 2: 18, 3: 10, 4: 7, 5: 4, 6: 3, 8: 2, 10: 1})
HEARING_DELAY = Weighted({1: 50, 2: 30, 3: 15, 4: 5})  # in weekdays after the referral
ACTIONS_PER_CASE = Weighted({2: 30, 3: 35, 4: 25, 5: 10})
SOURCES = Weighted(
    {AnswerSource.VICTIM: 80, AnswerSource.REFERRER: 15, AnswerSource.OTHER_AGENCY: 5}
)
LAWFUL_BASES = Weighted(
    {
        Referral.LawfulBasis.VITAL_INTERESTS: 30,
        Referral.LawfulBasis.PREVENTION_OF_CRIME: 35,
        Referral.LawfulBasis.SAFEGUARDING: 35,
    }
)

HIGH_RISK_SHARE = 0.78  # of referrals scoring 14 or more
FOLLOW_UP = 0.45  # of referrals, a victim referred before (most become repeats)
DUPLICATE = 0.12  # of follow-ups, a new Person record for the same victim
SAME_PERPETRATOR = 0.85  # of follow-ups
MONTHLY_FIRST_THURSDAY = 3  # Monday is 0
IDVA_CASES_A_YEAR = 100  # SafeLives' capacity benchmark for a full-time IDVA


@dataclass(frozen=True, slots=True)
class AgencyInfo:
    id: int
    code: str
    kind: str
    sector: str
    workers: tuple[int, ...]  # users who refer, research and own actions for the agency


@dataclass(frozen=True)
class Cast:
    """The partnership's agencies and the people who work its cases."""

    partnership_id: int
    thresholds: dash.Thresholds
    reassessment_weeks: int
    agencies: tuple[AgencyInfo, ...]
    coordinator_id: int
    idva_ids: tuple[int, ...]  # users with the IDVA role, in a fixed order

    def __post_init__(self) -> None:
        staffed: dict[tuple[str, bool], list[AgencyInfo]] = {}
        for agency in self.agencies:
            staffed.setdefault((agency.sector, False), []).append(agency)
            if agency.workers:
                staffed.setdefault((agency.sector, True), []).append(agency)
        object.__setattr__(self, "_by_sector", staffed)

    def by_sector(self, sector: str, staffed: bool = True) -> list[AgencyInfo]:
        """The sector's agencies (only those with users to do the work, if `staffed`)."""
        return self._by_sector.get((sector, staffed), [])


def cast_for(partnership: Partnership) -> Cast:
    """Who works the partnership's cases, from its agencies, users and roles."""
    area = settings_for(partnership)
    users = (
        User.objects.filter(agency__partnership=partnership, is_active=True)
        .prefetch_related("role_assignments")
        .order_by("username")
    )
    by_agency: dict[int, list] = {}
    coordinators, idvas = [], set()
    for user in users:
        roles = user.role_codes
        if Role.MARAC_COORDINATOR in roles:
            coordinators.append(user.pk)
        if Role.IDVA in roles:
            idvas.add(user.pk)
        by_agency.setdefault(user.agency_id, []).append((_rank(roles), user.pk))
    if not coordinators:
        raise ValueError(f"{partnership} has no MARAC coordinator to chair its meetings.")
    agencies = []
    for agency in partnership.agencies.filter(is_active=True).order_by("code"):
        ranked = sorted(by_agency.get(agency.pk, []))
        best = tuple(pk for rank, pk in ranked if rank == ranked[0][0] and rank < 9)
        agencies.append(AgencyInfo(agency.pk, agency.code, agency.kind, agency.marac_sector, best))
    if not any(a.workers for a in agencies if a.sector == S.POLICE):
        raise ValueError(f"{partnership} has no police agency with users to refer.")
    return Cast(
        partnership.pk,
        area.thresholds(),
        area.reassessment_weeks,
        tuple(agencies),
        coordinators[0],
        tuple(sorted(idvas)),
    )


def _rank(roles: frozenset[str]) -> int:
    """Case workers first, then agency leads, then the coordinator; never board members,
    analysts or administrators alone."""
    if roles & {Role.POLICE_DA, Role.IDVA, Role.AGENCY_REP}:
        return 0
    if Role.AGENCY_LEAD in roles:
        return 1
    if Role.MARAC_COORDINATOR in roles:
        return 2
    return 9


@dataclass(slots=True, eq=False)
class PlannedReferral:
    number: int
    victim: Victim
    person: PersonRecord
    referred_on: date
    agency: AgencyInfo
    officer_id: int
    # (given name, family name, date of birth, gender, folded name) as recorded
    perpetrators: list[tuple]
    answers: str  # 24 letters: y(es), n(o), k (not known)
    children: int
    informed: bool
    consented: bool
    lawful_basis: str
    sharing_reason: str
    incidents: int
    source: str
    judgement: bool
    judgement_reason: str
    score: int = 0
    visible_high_risk: bool = False
    potential_escalation: bool = False
    repeat_of: "PlannedReferral | None" = None
    eligible: bool = False
    why_not: str = ""
    idva_id: int | None = None
    status: str = Referral.Status.REFERRED
    heard_on: date | None = None
    closed_on: date | None = None
    actions: list["PlannedAction"] = field(default_factory=list)
    minute: int = 0  # of the working day it was made


@dataclass(slots=True, eq=False)
class PlannedMeeting:
    kind: str
    held_on: date
    listings: list["PlannedListing"] = field(default_factory=list)
    invited: set[int] = field(default_factory=set)
    number: int = 0


@dataclass(slots=True, eq=False)
class PlannedListing:
    meeting: PlannedMeeting
    referral: PlannedReferral
    why: str
    heard: bool
    discussion: str
    research: list[tuple[AgencyInfo, int, bool, str]] = field(default_factory=list)
    position: int = 0
    number: int = 0


@dataclass(slots=True, eq=False)
class PlannedAction:
    referral: PlannedReferral
    listing: PlannedListing
    agency: AgencyInfo
    officer_id: int | None
    description: str
    due_on: date
    completed_on: date | None
    update: str


@dataclass
class Plan:
    referrals: list[PlannedReferral]
    records: list[PersonRecord]
    meetings: list[PlannedMeeting]
    listings: list[PlannedListing]
    cast: Cast

    @property
    def actions(self):
        return (action for referral in self.referrals for action in referral.actions)


class Planner:
    def __init__(self, cast: Cast, rng: random.Random, start: date, end: date) -> None:
        self.cast, self.rng, self.start, self.end = cast, rng, start, end
        self.referrals: list[PlannedReferral] = []
        self.records: list[PersonRecord] = []
        self._dates: list[date] = []
        self._eligible_by_person: dict[int, list[PlannedReferral]] = {}
        self._referring = Weighted(
            {sector: w for sector, w in REFERRING_SECTORS.items() if cast.by_sector(sector)}
        )
        # The meetings' calendar: a daily meeting every weekday until the last weekday
        # before `end`; the monthly MARAC on each month's first Thursday.
        last = end - timedelta(days=1)
        while last.weekday() >= 5:
            last -= timedelta(days=1)
        self.last_meeting = last
        days = (end - start).days + 1
        self.weekdays = [
            d for d in (start + timedelta(n) for n in range(days + 7)) if d.weekday() < 5
        ]
        self.monthlies = [
            d for d in self.weekdays if d.weekday() == MONTHLY_FIRST_THURSDAY and d.day <= 7
        ]
        self.meetings: dict[tuple[str, date], PlannedMeeting] = {}
        self._idva_share = 0.0
        self._idvas = frozenset(cast.idva_ids)

    # Referrals -----------------------------------------------------------------------

    def plan(self, count: int) -> Plan:
        dates = self._referral_dates(count)
        per_year = count / max(1.0, ((self.end - self.start).days + 1) / 365.25)
        self._idva_share = min(0.9, len(self.cast.idva_ids) * IDVA_CASES_A_YEAR / per_year)
        for number, day in enumerate(dates):
            self.referrals.append(self._refer(number, day))
            self._dates.append(day)
        for referral in self.referrals:
            if referral.eligible:
                self._hear(referral)
        self._review_overdue()
        self._close_cases()
        meetings = sorted(self.meetings.values(), key=lambda m: (m.held_on, m.kind))
        listings = []
        for number, meeting in enumerate(meetings):
            meeting.number = number
            meeting.listings.sort(key=_list_order)
            for position, listing in enumerate(meeting.listings, start=1):
                listing.position = position
                listing.number = len(listings)
                listings.append(listing)
            self._invite(meeting)
        return Plan(self.referrals, self.records, meetings, listings, self.cast)

    def _referral_dates(self, count: int) -> list[date]:
        """When referrals are made: fewer at weekends, when mostly the police refer."""
        days = [self.start + timedelta(n) for n in range((self.end - self.start).days + 1)]
        weights = [{5: 0.75, 6: 0.7}.get(d.weekday(), 1.1) for d in days]
        return sorted(self.rng.choices(days, weights, k=count))

    def _refer(self, number: int, day: date) -> PlannedReferral:
        rng = self.rng
        victim = self._earlier_victim(day) if rng.random() < FOLLOW_UP else None
        if victim is None:
            victim = new_victim(rng, day)
            person = first_record(rng, victim, len(self.records), day)
            self.records.append(person)
            abuser = new_perpetrator(rng, victim, day)
        else:
            if rng.random() < 0.15:
                move_house(rng, victim)
            if rng.random() < DUPLICATE:
                person = duplicate_record(rng, victim, len(self.records), day)
                self.records.append(person)
            else:
                person = victim.records[0] if rng.random() < 0.85 else victim.records[-1]
                # A referrer who gives an address updates the one on record (referrals.refer).
                person.current_address = victim.address
            abuser = victim.perpetrators[0] if rng.random() < SAME_PERPETRATOR else None
            if abuser is None:
                abuser = new_perpetrator(rng, victim, day)
            # The newest abuser is the one a later referral most likely names.
            victim.perpetrators.remove(abuser)
            victim.perpetrators.insert(0, abuser)
        victim.last_referred_on = day
        named = [abuser]
        if rng.random() < 0.04:  # a second perpetrator: a relative, say
            named.append(new_perpetrator(rng, victim, day))
        perpetrators = []
        for perpetrator in named:
            given, family, dob = as_recorded(rng, perpetrator)
            folded = people.fold(given) + people.fold(family)
            perpetrators.append((given, family, dob, perpetrator.gender, folded))
        agency = self._referring_agency()
        officer = rng.choice(agency.workers)
        referral = PlannedReferral(
            number=number,
            victim=victim,
            person=person,
            referred_on=day,
            agency=agency,
            officer_id=officer,
            perpetrators=perpetrators,
            answers="",
            children=pick(rng, CHILDREN),
            informed=rng.random() < 0.9,
            consented=False,
            lawful_basis="",
            sharing_reason="",
            incidents=0,
            source=pick(rng, SOURCES),
            judgement=False,
            judgement_reason="",
            minute=rng.randrange(10 * 60),
        )
        referral.consented = referral.informed and rng.random() < 0.82
        if not referral.consented:
            referral.lawful_basis = pick(rng, LAWFUL_BASES)
            referral.sharing_reason = rng.choice(synthetic_texts.SHARING_REASONS)
        self._checklist(referral, victim)
        self._assess(referral)
        if officer in self._idvas:
            referral.idva_id = officer  # an IDVA who refers keeps the case (referrals.refer)
        elif referral.eligible:
            if referral.repeat_of and referral.repeat_of.idva_id:
                referral.idva_id = referral.repeat_of.idva_id
            elif self.cast.idva_ids and rng.random() < self._idva_share:
                referral.idva_id = rng.choice(self.cast.idva_ids)
        return referral

    def _earlier_victim(self, day: date) -> Victim | None:
        """A victim referred before `day`: mostly within the last year, a few longer ago."""
        rng = self.rng
        if rng.random() < 0.8:
            back = min(364, 7 + int(rng.expovariate(1 / 110)))
        else:
            back = rng.randint(365, 720)
        known = (day - self.start).days
        if back > known:
            # The data starts at `start`, but the partnership existed before: early on, look
            # back only as far as there is data, so the repeat rate is steady from the start.
            if known < 7:
                return None
            back = rng.randint(7, known)
        target = day - timedelta(days=back)
        index = bisect.bisect_right(self._dates, target) - 1
        if index < 0:
            return None
        same_day = bisect.bisect_left(self._dates, target)
        if same_day <= index:  # any of that day's referrals, not always its last
            index = rng.randint(same_day, index)
        victim = self.referrals[index].victim
        if victim.last_referred_on is not None and victim.last_referred_on >= day:
            return None  # never twice on one day: intake would have found the first
        return victim

    def _referring_agency(self) -> AgencyInfo:
        return self.rng.choice(self.cast.by_sector(pick(self.rng, self._referring)))

    def _checklist(self, referral: PlannedReferral, victim: Victim) -> None:
        """The DASH answers, police incidents and professional judgement: most referrals
        score 14 or more; of the rest, some are eligible by escalation or judgement."""
        rng = self.rng
        high = rng.random() < HIGH_RISK_SHARE
        score = pick(rng, HIGH_SCORES if high else LOW_SCORES)
        weights = list(QUESTION_WEIGHTS)
        if victim.gender == "male":
            weights[8] = 0.0  # question 9: pregnant or recently had a baby
        # Weighted sampling without replacement (Efraimidis and Spirakis): the `score`
        # questions with the highest keys are answered yes.
        keys = sorted(
            ((rng.random() ** (1 / w) if w else -1.0, n) for n, w in enumerate(weights)),
            reverse=True,
        )
        yes = {n for _, n in keys[:score]}
        answers = []
        for n in range(24):
            if n in yes:
                answers.append("y")
            else:
                answers.append(
                    "k" if rng.random() < (0.2 if n in (16, 17, 18, 23) else 0.07) else "n"
                )
        referral.answers = "".join(answers)
        if high:
            referral.incidents = pick(rng, INCIDENTS)
            referral.judgement = rng.random() < 0.08
        else:
            referral.incidents = rng.randint(3, 9) if rng.random() < 0.5 else rng.randint(0, 2)
            referral.judgement = rng.random() < 0.5
        if referral.judgement:
            referral.judgement_reason = rng.choice(synthetic_texts.JUDGEMENT_REASONS)

    def _assess(self, referral: PlannedReferral) -> None:
        """The repeat, score and criteria, as referrals.refer works them out at intake."""
        referral.repeat_of = self._earlier_referral(referral)
        code = {"y": dash.YES, "n": dash.NO, "k": dash.NOT_KNOWN}
        assessment = dash.assess(
            {n: code[a] for n, a in enumerate(referral.answers, start=1)},
            police_incidents=referral.incidents,
            professional_judgement=referral.judgement,
            is_repeat=referral.repeat_of is not None,
            thresholds=self.cast.thresholds,
        )
        referral.score = assessment.score
        referral.visible_high_risk = dash.VISIBLE_HIGH_RISK in assessment.reasons
        referral.potential_escalation = dash.POTENTIAL_ESCALATION in assessment.reasons
        referral.eligible = assessment.eligible
        referral.why_not = assessment.why_not
        if not assessment.eligible:
            referral.status = Referral.Status.NOT_ELIGIBLE
        if assessment.eligible:
            self._eligible_by_person.setdefault(referral.person.number, []).append(referral)

    def _earlier_referral(self, referral: PlannedReferral) -> PlannedReferral | None:
        """repeats.earlier_referral, on the plan: the latest eligible referral of the same
        Person row naming the same perpetrator, at most 12 calendar months before."""
        since = months_before(referral.referred_on, REPEAT_MONTHS)
        for earlier in reversed(self._eligible_by_person.get(referral.person.number, [])):
            if earlier.referred_on < since:
                return None
            if any(_same(a, b) for a in earlier.perpetrators for b in referral.perpetrators):
                return earlier
        return None

    # Meetings ------------------------------------------------------------------------

    def _meeting(self, kind: str, day: date) -> PlannedMeeting:
        key = (kind, day)
        if key not in self.meetings:
            self.meetings[key] = PlannedMeeting(kind, day)
        return self.meetings[key]

    def _weekday_after(self, day: date, count: int = 1) -> date:
        return self.weekdays[bisect.bisect_right(self.weekdays, day) + count - 1]

    def _hear(self, referral: PlannedReferral) -> None:
        """Listed at the next daily meeting or two, sometimes at the monthly MARAC; heard
        there, or (now and then) not reached and heard at the next meeting."""
        rng = self.rng
        day = referral.referred_on
        kind, on = Meeting.Kind.DAILY, self._weekday_after(day, pick(rng, HEARING_DELAY))
        monthly = self.monthlies[bisect.bisect_right(self.monthlies, day) :][:1]
        if monthly and (monthly[0] - day).days <= 7 and rng.random() < 0.4:
            kind, on = Meeting.Kind.MONTHLY, monthly[0]
        if on > self.last_meeting:
            return  # still to be heard: the coordinator has it to list
        why = ListedCase.Why.REPEAT if referral.repeat_of else ListedCase.Why.NEW
        first = PlannedListing(self._meeting(kind, on), referral, why, True, "")
        first.meeting.listings.append(first)
        self._research(first)
        if rng.random() < 0.01:
            first.heard, first.discussion = False, synthetic_texts.NOT_HEARD
            kind, on = Meeting.Kind.DAILY, self._weekday_after(on)
            if on > self.last_meeting:
                return
            heard = PlannedListing(self._meeting(kind, on), referral, why, True, "")
            heard.meeting.listings.append(heard)
        else:
            heard = first
        heard.discussion = synthetic_texts.discussion(rng)
        referral.heard_on = on
        self._agree_actions(heard)

    def _research(self, listing: PlannedListing) -> None:
        rng, cast = self.rng, self.cast
        referral = listing.referral
        chosen = cast.by_sector(S.POLICE)[:1]
        if rng.random() < 0.9:
            chosen += cast.by_sector(S.IDVA)[:1]
        others = [s for s in RESEARCH_SECTORS if s != S.CHILDRENS_SOCIAL_CARE or referral.children]
        for sector in rng.sample(others, rng.randint(0, 2)):
            chosen += cast.by_sector(sector)[:1]
        for agency in chosen:
            holds = rng.random() < {S.POLICE: 0.85, S.IDVA: 0.6}.get(agency.sector, 0.5)
            summary = synthetic_texts.research(rng, agency.sector) if holds else ""
            listing.research.append((agency, rng.choice(agency.workers), holds, summary))

    def _agree_actions(self, listing: PlannedListing) -> None:
        rng, cast = self.rng, self.cast
        referral = listing.referral
        weights = dict(ACTION_SECTORS)
        if referral.children:
            weights.update(CHILDREN_SECTORS)
        candidates = [(s, w) for s, w in weights.items() if cast.by_sector(s, staffed=False)]
        keys = sorted(((rng.random() ** (1 / w), s) for s, w in candidates), reverse=True)
        heard_on = listing.meeting.held_on
        for _, sector in keys[: pick(rng, ACTIONS_PER_CASE)]:
            agencies = cast.by_sector(sector) or cast.by_sector(sector, staffed=False)
            agency = rng.choice(agencies)
            description = synthetic_texts.action(rng, sector)
            if sector == S.OTHER and agency.kind != Agency.Kind.FIRE:
                description = synthetic_texts.ACTIONS["other"][1]
            due = heard_on + timedelta(days=rng.randint(14, 56))
            completed, update = self._outcome(heard_on, due)
            referral.actions.append(
                PlannedAction(
                    referral,
                    listing,
                    agency,
                    rng.choice(agency.workers) if agency.workers else None,
                    description,
                    due,
                    completed,
                    update,
                )
            )

    def _outcome(self, agreed: date, due: date) -> tuple[date | None, str]:
        """When the owner completes the action: mostly on time, some late, a few much later
        and a very few never; not yet, if that is after `end`."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.88:
            done = agreed + timedelta(days=rng.randint(2, (due - agreed).days))
        elif roll < 0.98:
            done = due + timedelta(days=1 + int(rng.expovariate(1 / 6)))
        elif roll < 0.999:
            done = due + timedelta(days=rng.randint(22, 60))
        else:
            done = None
        if done is not None and done <= self.end:
            return done, rng.choice(synthetic_texts.UPDATE_DONE)
        update = rng.choice(synthetic_texts.UPDATE_OPEN) if rng.random() < 0.4 else ""
        return None, update

    def _review_overdue(self) -> None:
        """Overdue actions bring their case back to the next daily meeting (once: the
        meeting agrees new dates with the owners)."""
        for referral in self.referrals:
            overdue = [
                self._weekday_after(action.due_on)
                for action in referral.actions
                if action.due_on < self.last_meeting
                and (
                    action.completed_on is None
                    or action.completed_on >= self._weekday_after(action.due_on)
                )
            ]
            if not overdue or min(overdue) > self.last_meeting:
                continue
            meeting = self._meeting(Meeting.Kind.DAILY, min(overdue))
            text = self.rng.choice(synthetic_texts.REVIEW_DISCUSSIONS)
            meeting.listings.append(
                PlannedListing(meeting, referral, ListedCase.Why.OVERDUE_ACTIONS, True, text)
            )

    def _close_cases(self) -> None:
        """A case is the chain of repeats: closed when every action along it is complete
        and nothing in it waits to be heard, on the day its last action was completed."""
        parent = {r.number: r.number for r in self.referrals if r.eligible}

        def root(n: int) -> int:
            while parent[n] != n:
                parent[n] = parent[parent[n]]
                n = parent[n]
            return n

        for referral in self.referrals:
            if referral.repeat_of is not None:
                parent[root(referral.number)] = root(referral.repeat_of.number)
        chains: dict[int, list[PlannedReferral]] = {}
        for referral in self.referrals:
            if referral.eligible:
                chains.setdefault(root(referral.number), []).append(referral)
        for chain in chains.values():
            actions = [action for member in chain for action in member.actions]
            waiting = any(member.heard_on is None for member in chain)
            closed = not waiting and all(a.completed_on is not None for a in actions)
            closed_on = max(a.completed_on for a in actions) if closed else None
            for member in chain:
                if member.heard_on is None:
                    member.status = Referral.Status.REFERRED
                elif closed:
                    member.status, member.closed_on = Referral.Status.CLOSED, closed_on
                else:
                    member.status = Referral.Status.OPEN

    def _invite(self, meeting: PlannedMeeting) -> None:
        """The police and the IDVA service always; the agencies that referred the cases,
        research them or own their actions; every staffed agency to the monthly MARAC."""
        invited = meeting.invited
        for agency in self.cast.agencies:
            if agency.sector in (S.POLICE, S.IDVA) or (
                meeting.kind == Meeting.Kind.MONTHLY and agency.workers
            ):
                invited.add(agency.id)
        for listing in meeting.listings:
            invited.add(listing.referral.agency.id)
            invited.update(agency.id for agency, _, _, _ in listing.research)
            for action in listing.referral.actions:
                if action.listing is listing or listing.why == ListedCase.Why.OVERDUE_ACTIONS:
                    invited.add(action.agency.id)


def _same(a: tuple, b: tuple) -> bool:
    """repeats.same_perpetrator on recorded tuples: the same folded name, no conflicting
    date of birth."""
    return a[4] == b[4] and not (a[2] and b[2] and a[2] != b[2])


def _list_order(listing: PlannedListing):
    review = listing.why == ListedCase.Why.OVERDUE_ACTIONS
    return (review, listing.referral.referred_on, listing.referral.number)


def moment(day: date, minutes_after_eight: int) -> datetime:
    """An aware datetime on `day`, in the project's time zone."""
    start = datetime.combine(day, time(8), tzinfo=_ZONE)
    return start + timedelta(minutes=minutes_after_eight)


_ZONE = ZoneInfo(settings.TIME_ZONE)
