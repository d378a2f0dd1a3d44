"""Making a referral: the victim found or added, the checklist scored, the MARAC criteria
and repeats worked out from the area's settings, all saved in one transaction."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F

from saferhub.access.roles import Role
from saferhub.audit.services import record
from saferhub.partnership.models import Partnership
from saferhub.safeguarding import case_access, dash, people, repeats, safety_plans
from saferhub.safeguarding.models import AreaSettings, DashAnswer, Perpetrator, Person, Referral


def settings_for(partnership: Partnership) -> AreaSettings:
    """The partnership's MARAC settings, made with the defaults the first time."""
    found, _ = AreaSettings.objects.get_or_create(partnership=partnership)
    return found


@dataclass
class NewReferral:
    """What the referrer entered, checked by the form."""

    victim: Person  # an existing person (chosen from the matches) or a new, unsaved one
    perpetrators: list[Perpetrator]  # unsaved
    answers: dict[int, str]  # question number (1-24) -> dash.YES / NO / NOT_KNOWN
    dash_source: str
    children_in_household: int
    victim_informed: bool
    victim_consented: bool
    police_incidents: int
    professional_judgement: bool
    judgement_reason: str = ""
    lawful_basis: str = ""
    sharing_reason: str = ""
    current_address: str = ""
    referred_on: date = field(default_factory=date.today)
    # For an existing victim: what the referrer now knows of them (gender, ethnicity, LGBT+,
    # disabled, date of birth), to bring the person's record up to date.
    victim_known: dict[str, object] = field(default_factory=dict)


@transaction.atomic
def refer(user, entered: NewReferral) -> Referral:
    """Save a referral, scored and assessed; recorded as "referral.created"."""
    agency = user.agency
    area = settings_for(agency.partnership)
    victim = entered.victim
    # Combination (s62): a referral joined to a person the partnership already knew.
    linked_to_existing = victim.pk is not None
    updated: list[str] = []
    if victim.pk is None:
        victim.partnership = agency.partnership
        victim.current_address = entered.current_address
        victim.save()
    else:
        updated = _bring_up_to_date(victim, entered)
    earlier = repeats.earlier_referral(victim, entered.perpetrators, entered.referred_on)
    assessment = dash.assess(
        entered.answers,
        police_incidents=entered.police_incidents,
        professional_judgement=entered.professional_judgement,
        is_repeat=earlier is not None,
        thresholds=area.thresholds(),
    )
    referral = Referral.objects.create(
        partnership=agency.partnership,
        victim=victim,
        referred_on=entered.referred_on,
        referring_agency=agency,
        marac_sector=agency.marac_sector,
        referring_officer=user,
        idva=user if user.has_role(Role.IDVA) else None,
        children_in_household=entered.children_in_household,
        victim_informed=entered.victim_informed,
        victim_consented=entered.victim_consented,
        lawful_basis="" if entered.victim_consented else entered.lawful_basis,
        sharing_reason="" if entered.victim_consented else entered.sharing_reason,
        police_incidents=entered.police_incidents,
        dash_source=entered.dash_source,
        professional_judgement=entered.professional_judgement,
        judgement_reason=entered.judgement_reason if entered.professional_judgement else "",
        dash_score=assessment.score,
        visible_high_risk=dash.VISIBLE_HIGH_RISK in assessment.reasons,
        potential_escalation=dash.POTENTIAL_ESCALATION in assessment.reasons,
        is_repeat=earlier is not None,
        repeat_of=earlier,
        status=Referral.Status.REFERRED if assessment.eligible else Referral.Status.NOT_ELIGIBLE,
        why_not_eligible=assessment.why_not,
        reassessment_due=entered.referred_on + timedelta(weeks=area.reassessment_weeks),
    )
    case_access.refresh_case(referral.pk)
    DashAnswer.objects.bulk_create(
        DashAnswer(referral=referral, number=number, answer=answer)
        for number, answer in sorted(entered.answers.items())
    )
    for perpetrator in entered.perpetrators:
        perpetrator.referral = referral
        perpetrator.save()
    record(
        user,
        "referral.created",
        referral,
        status=referral.status,
        score=referral.dash_score,
        person=victim.pk,
        linked_to_existing=linked_to_existing,
        person_fields_updated=updated,  # names only: the log holds no personal details
    )
    if referral.is_repeat:
        safety_plans.reopen_for_repeat(user, referral)
    return referral


def _bring_up_to_date(victim: Person, entered: NewReferral) -> list[str]:
    """The existing victim's record given what the referrer knows now: an answer other than
    "not known" replaces the one held, a date of birth fills one missing (a different one is
    kept: the referrer chose this person knowing it), and the newest address the partnership
    has been told of is the one to protect. Returns the fields changed."""
    updated = []
    for name, value in entered.victim_known.items():
        held = getattr(victim, name)
        if value in ("", None, "not_known") or held == value:
            continue
        if name == "date_of_birth" and held is not None:
            continue
        setattr(victim, name, value)
        updated.append(name)
    if entered.current_address and entered.current_address != victim.current_address:
        victim.current_address = entered.current_address
        updated.append("current_address")
    if updated:
        victim.save(update_fields=updated)
    return updated


class StaleReferral(Exception):
    """Someone else changed the case since this user opened it."""


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _idva_now(referral: Referral, chosen) -> str:
    """What changed, for the coordinator whose choice of IDVA was refused: who the case's
    IDVA is now, and who they chose (staff names only; the message is shown, never logged)."""
    current = Referral.objects.select_related("idva").get(pk=referral.pk).idva
    if current is None:
        now = f"it has no IDVA. You chose {_name(chosen)}"
    elif current.pk == chosen.pk:
        now = f"its IDVA is now {_name(current)}, whom you chose too"
    else:
        now = f"its IDVA is now {_name(current)}. You chose {_name(chosen)}"
    return f"Someone else changed this case while you had it open: {now}. Nothing has been saved."


@transaction.atomic
def assign_idva(user, referral: Referral, idva, expected_version: int) -> None:
    """The coordinator assigns the case's IDVA, who then sees it and its whole safety plan."""
    if not idva.has_role(Role.IDVA) or idva.agency.partnership_id != referral.partnership_id:
        raise ValueError("Choose an IDVA of the partnership")
    updated = Referral.objects.filter(pk=referral.pk, version=expected_version).update(
        idva=idva, version=F("version") + 1
    )
    if not updated:
        raise StaleReferral(_idva_now(referral, idva))
    referral.idva, referral.version = idva, expected_version + 1
    case_access.refresh_case(referral.pk)
    record(user, "referral.idva_assigned", referral, idva=idva.pk)


def matching(referrals, query: str):
    """Referrals whose reference (R000123, or 123) or victim's family name matches: the
    family name compared as people.keys folds it (no case, accents or hyphens)."""
    digits = query.upper().removeprefix("R").lstrip("0")
    if digits.isdigit():
        return referrals.filter(pk=int(digits))
    folded = people.fold(query)
    if not folded:
        return referrals.none()
    return referrals.filter(victim__folded_family=folded)
