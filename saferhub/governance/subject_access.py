"""Subject access (UK GDPR Article 15): everything the partnership holds about one person,
as a ZIP of a PDF (to read) and JSON (to reuse), built from one content dictionary so the
two cannot differ.

Two kinds of request, decided here:

* **The person, as a victim** (a Person): their record (their own current address
  included: it is theirs), every referral about them (dates, referring agency and
  sector, status, reasons, the DASH answers, the reasons recorded for sharing, eligibility
  and judgement), every meeting that listed them with its discussion and each agency's
  research, their safety plan's actions with every update to them (by agency), and the
  audit log's entries about their records (what was done, when, by which agency).
  Withheld as other people's data (DPA 2018 Sch. 2 para. 16): the alleged perpetrators (a
  count only; their names are also taken out of every piece of free text, see
  redaction.py), staff names (the agency is given instead), children (a count only, as
  held).
* **Someone named as an alleged perpetrator** (Perpetrator rows, one per referral): the
  minimum. That they are named in N referrals, each with its date and the referring
  agency's sector, and their own name, date of birth and gender as recorded there.
  Nothing else: not the victim, not the referral's reference, agency, DASH answers,
  reasons, meetings, research or actions, which are withheld under the DPA 2018's
  exemptions for the prevention and detection of crime (Sch. 2 para. 2), other people's
  data (Sch. 2 para. 16) and serious harm (Sch. 3 Part 3).

Producing either is recorded as "subject_access.produced" (the person's id, counts and the
file's SHA-256, never its content).
"""

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db.models import Prefetch, Q
from django.utils import timezone

from saferhub.audit.models import AuditEvent
from saferhub.audit.queries import lists_naming
from saferhub.audit.services import record
from saferhub.governance import document
from saferhub.governance.redaction import Redactor
from saferhub.partnership.models import Agency, Partnership
from saferhub.safeguarding.models import (
    ListedCase,
    Perpetrator,
    Person,
    Referral,
    Research,
    SafetyAction,
    SafetyActionUpdate,
)

MARKING = "OFFICIAL-SENSITIVE"
STAFF_WITHHELD = "Staff names are withheld; the agency is given."

VICTIM_WITHHELD = (
    "The names and details of the alleged perpetrators are withheld: they are other "
    "people's personal data (Data Protection Act 2018, Schedule 2, paragraph 16). Their "
    "names are also replaced by [withheld] wherever they appear in the free text below.",
    "Children are given as a count only, as the partnership holds them.",
    "The names of the staff who referred, researched, chaired or own an action are "
    "withheld; the agency responsible is given instead.",
    "Free text is given as it was written, apart from the names above. It may name other "
    "people the system cannot recognise: read it before releasing this copy.",
)
PERPETRATOR_WITHHELD = (
    "This copy says only that you are named as an alleged perpetrator in the referrals "
    "listed, with the date of each and the sector of the agency that made it, and your "
    "own name, date of birth and gender as recorded there.",
    "Everything else recorded with these referrals is withheld: it is information about "
    "other people, and disclosing it would be likely to prejudice the prevention or "
    "detection of crime and to cause serious harm (Data Protection Act 2018, Schedule 2, "
    "paragraphs 2 and 16, and Schedule 3, Part 3).",
)

# The audit log's verbs in words, for the person's copy (others are shown as logged).
VERBS = {
    "referral.created": "Referral made",
    "referral.viewed": "Case viewed",
    "referral.closed": "Case closed",
    "referral.reopened": "Case reopened by a repeat referral",
    "referral.idva_assigned": "IDVA assigned",
    "referral.break_glass": "Case opened in an emergency (break-glass access)",
    "meeting.discussion_recorded": "Meeting discussion recorded",
    "research.saved": "Agency research recorded",
    "safety_action.agreed": "Safety-plan action agreed",
    "safety_action.updated": "Safety-plan action updated",
    "safety_action.viewed": "Safety-plan action viewed",
    "person.viewed": "Person record viewed",
    "person.searched": "Found in a search for a person",
    "person.viewers_viewed": "An administrator viewed the list of who has seen your records",
    "referral.searched": "Your case was among the results of a search of the case list",
    "referrals.exported": "Your case was in a list of cases exported",
    "subject_access.produced": "Subject access copy produced",
    "meeting.cases_listed": "Listed for a meeting",
    "meeting.confirmed": "Case list confirmed: your case shared with the agencies invited",
    "meeting.closed": "Meeting closed",
}
TARGET_NAMES = {
    "safeguarding.person": "Person",
    "safeguarding.referral": "Referral",
    "safeguarding.listedcase": "Meeting listing",
    "safeguarding.research": "Research",
    "safeguarding.safetyaction": "Safety-plan action",
    "safeguarding.meeting": "Meeting",
}


@dataclass(frozen=True)
class Produced:
    filename: str
    content: bytes  # the ZIP
    sha256: str


def person_reference(pk: int) -> str:
    return f"P{pk:06d}"


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


# -- The person, as a victim --------------------------------------------------------------


def victim_content(person: Person, produced_at: datetime) -> dict:
    """Everything held about `person` as a victim, third parties withheld (see above)."""
    referrals = list(
        Referral.objects.filter(victim=person)
        .select_related("referring_agency")
        .prefetch_related(
            "dash_answers",
            "perpetrators",
            Prefetch(
                "listings",
                queryset=ListedCase.objects.select_related("meeting")
                .prefetch_related(
                    Prefetch("research", queryset=Research.objects.select_related("agency"))
                )
                .order_by("meeting__held_on", "id"),
            ),
            Prefetch(
                "safety_actions",
                queryset=SafetyAction.objects.select_related("agency", "agreed_at__meeting")
                .prefetch_related(
                    Prefetch(
                        "updates",
                        queryset=SafetyActionUpdate.objects.select_related("by_agency").order_by(
                            "version", "id"
                        ),
                    )
                )
                .order_by("due_on", "id"),
            ),
        )
        .order_by("referred_on", "id")
    )
    redact = Redactor(
        name
        for referral in referrals
        for perpetrator in referral.perpetrators.all()
        for name in (perpetrator.given_name, perpetrator.family_name)
    )
    content = {
        "marking": MARKING,
        "title": f"Subject access: what {person.partnership.name} holds about you",
        "request": "The person, about themselves as a victim of domestic abuse",
        "partnership": person.partnership.name,
        "produced_on": produced_at.date().isoformat(),
        "withheld": list(VICTIM_WITHHELD),
        "person": {
            "reference": person_reference(person.pk),
            "given_name": person.given_name,
            "family_name": person.family_name,
            "date_of_birth": _day(person.date_of_birth),
            "postcode": person.postcode,
            "gender": person.get_gender_display(),
            "ethnicity": person.get_ethnicity_display(),
            "lgbt": person.get_lgbt_display(),
            "disabled": person.get_disabled_display(),
            "current_address": person.current_address,
            "first_recorded": person.created_at.date().isoformat(),
        },
        "referrals": [_referral(referral, redact) for referral in referrals],
        "audit": _audit(person, referrals),
    }
    content["names_withheld_in_free_text"] = redact.replaced
    return content


def _referral(referral: Referral, redact: Redactor) -> dict:
    perpetrators = len(referral.perpetrators.all())
    return {
        "reference": referral.reference,
        "referred_on": _day(referral.referred_on),
        "referring_agency": referral.referring_agency.name,
        "referring_agency_sector": referral.get_marac_sector_display(),
        "status": referral.get_status_display(),
        "reasons_for_referral": referral.reasons(),
        "repeat_referral": referral.is_repeat,
        "dash_score": referral.dash_score,
        "dash_answers_given_by": referral.get_dash_source_display(),
        "police_incidents_in_12_months": referral.police_incidents,
        "children_in_household": referral.children_in_household,
        "informed_of_referral": referral.victim_informed,
        "consented_to_sharing": referral.victim_consented,
        "lawful_basis_for_sharing": referral.get_lawful_basis_display(),
        "reason_for_sharing_without_consent": redact(referral.sharing_reason),
        "professional_judgement": redact(referral.judgement_reason),
        "why_not_eligible": redact(referral.why_not_eligible),
        "reassessment_due": _day(referral.reassessment_due),
        "first_heard_on": _day(referral.heard_on),
        "closed_on": _day(referral.closed_on),
        "idva_assigned": referral.idva_id is not None,
        "alleged_perpetrators": f"{perpetrators} named: withheld (another person's data)",
        "dash_answers": [
            {"number": a.number, "question": a.question, "answer": a.get_answer_display()}
            for a in referral.dash_answers.all()
        ],
        "meetings": [
            {
                "meeting": listed.meeting.get_kind_display(),
                "held_on": _day(listed.meeting.held_on),
                "why_listed": listed.get_why_display(),
                "heard": listed.heard,
                "discussion": redact(listed.discussion),
                "research": [
                    {
                        "agency": research.agency.name,
                        "holds_information": research.holds_information,
                        "summary": redact(research.summary),
                        "recorded_on": _day(timezone.localdate(research.updated_at)),
                    }
                    for research in listed.research.all()
                ],
            }
            for listed in referral.listings.all()
        ],
        "safety_plan": [
            {
                "agency": action.agency.name,
                "action": redact(action.description),
                "agreed_on": _day(action.agreed_at.meeting.held_on),
                "due_on": _day(action.due_on),
                "status": action.get_status_display(),
                "latest_update": redact(action.update),
                "completed_on": _day(action.completed_on),
                # Every update, oldest first: the agency, never the member of staff.
                "updates": [
                    {
                        "at": update.at.astimezone(UTC).isoformat(timespec="seconds"),
                        "agency": update.by_agency.name,
                        "status": update.get_status_display(),
                        "update": redact(update.text),
                    }
                    for update in action.updates.all()
                ],
            }
            for action in referral.safety_actions.all()
        ],
    }


def _audit(person: Person, referrals: list[Referral]) -> list[dict]:
    """The log's entries about the person's records: what, when, which agency (s62).

    Entries whose target is the person or one of their records; entries naming one of
    their referrals in their data; and a meeting's entries that list their case among
    others (listing, confirming: the disclosure to the agencies invited, closing).
    """
    referral_ids = [referral.pk for referral in referrals]
    targets: dict[str, list[int]] = {
        "safeguarding.person": [person.pk],
        "safeguarding.referral": referral_ids,
        "safeguarding.listedcase": [],
        "safeguarding.research": [],
        "safeguarding.safetyaction": [],
    }
    meeting_ids = set()
    for referral in referrals:
        for listed in referral.listings.all():
            meeting_ids.add(listed.meeting_id)
            targets["safeguarding.listedcase"].append(listed.pk)
            targets["safeguarding.research"] += [r.pk for r in listed.research.all()]
        targets["safeguarding.safetyaction"] += [a.pk for a in referral.safety_actions.all()]
    about = Q(data__person=person.pk) | lists_naming(person.pk, referral_ids)
    if referral_ids:
        about |= Q(data__referral__in=referral_ids)
    for label, ids in targets.items():
        if ids:
            about |= Q(target_type=label, target_id__in=[str(pk) for pk in ids])
    meetings = Q(target_type="safeguarding.meeting", target_id__in=[str(m) for m in meeting_ids])
    agencies = dict(
        Agency.objects.filter(partnership_id=person.partnership_id).values_list("code", "name")
    )
    entries = []
    events = AuditEvent.objects.filter(about | meetings).order_by("at", "id")
    for event in events.iterator():
        if event.target_type == "safeguarding.meeting":
            # A meeting's entry is about them only if it names one of their referrals.
            named = {*event.data.get("referrals", []), *event.data.get("heard", [])}
            if not named & set(referral_ids):
                continue
        what = VERBS.get(event.verb, event.verb)
        if event.verb == "referral.viewed" and event.data.get("address_shown"):
            what += " (your current address was shown)"
        if event.verb == "meeting.confirmed" and event.data.get("invited"):
            what += ": " + ", ".join(agencies.get(c, c) for c in event.data["invited"])
        entries.append(
            {
                "at": event.at.astimezone(UTC).isoformat(timespec="seconds"),
                "what": what,
                "by": agencies.get(event.agency_code, event.agency_code)
                if event.actor_id
                else "saferhub itself (automatic)",
                "record": f"{TARGET_NAMES.get(event.target_type, event.target_type)} "
                f"{event.target_id}"
                if event.target_type
                else "A list of records",
            }
        )
    return entries


# -- Someone named as an alleged perpetrator ----------------------------------------------


def perpetrator_content(
    partnership: Partnership,
    identity: tuple[str, str, date],
    rows: list[Perpetrator],
    produced_at: datetime,
) -> dict:
    """The minimum for an alleged perpetrator: see the module's docstring. `rows` are the
    Perpetrator rows the administrator matched to the requester."""
    given, family, dob = identity
    rows = sorted(rows, key=lambda row: (row.referral.referred_on, row.pk))
    sectors = dict(Agency.MaracSector.choices)
    return {
        "marking": MARKING,
        "title": f"Subject access: what {partnership.name} holds about you",
        "request": "A person named as an alleged perpetrator of domestic abuse",
        "partnership": partnership.name,
        "produced_on": produced_at.date().isoformat(),
        "withheld": list(PERPETRATOR_WITHHELD),
        "person": {"given_name": given, "family_name": family, "date_of_birth": _day(dob)},
        "named_in_referrals": len(rows),
        "referrals": [
            {
                "referred_on": _day(row.referral.referred_on),
                "referring_agency_sector": sectors.get(row.referral.marac_sector, "Other"),
                "name_as_recorded": f"{row.given_name} {row.family_name}",
                "date_of_birth_as_recorded": _day(row.date_of_birth),
                "gender_as_recorded": row.get_gender_display(),
            }
            for row in rows
        ],
    }


# -- The ZIP --------------------------------------------------------------------------------


def package(content: dict, stem: str, produced_at: datetime) -> Produced:
    """The ZIP: the PDF, the JSON and a note of the marking. Names hold no personal data."""
    pdf = document.render_pdf(content)
    data = json.dumps(content, ensure_ascii=False, indent=2).encode()
    note = (
        f"{MARKING}\n\n{content['title']}, produced on {content['produced_on']}.\n"
        f"{stem}.pdf is the copy to read; {stem}.json holds the same, for a computer.\n"
        "Keep it safe: it is personal data about you.\n"
    ).encode()
    stamp = timezone.localtime(produced_at).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in ((f"{stem}.pdf", pdf), (f"{stem}.json", data), ("README.txt", note)):
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), body, zipfile.ZIP_DEFLATED)
    zipped = buffer.getvalue()
    return Produced(f"{stem}.zip", zipped, hashlib.sha256(zipped).hexdigest())


def produce_for_person(actor, person: Person) -> Produced:
    """The victim's copy, recorded as "subject_access.produced" against the person."""
    now = timezone.now()
    content = victim_content(person, now)
    stem = f"subject-access-{person_reference(person.pk)}-{now.date().isoformat()}"
    made = package(content, f"{stem}-{MARKING}", now)
    record(
        actor,
        "subject_access.produced",
        person,
        request="victim",
        referrals=len(content["referrals"]),
        audit_entries=len(content["audit"]),
        names_withheld=content["names_withheld_in_free_text"],
        recipient="the data subject",
        sha256=made.sha256,
    )
    return made


def produce_for_perpetrator(
    actor, partnership: Partnership, identity: tuple[str, str, date], rows: list[Perpetrator]
) -> Produced:
    """An alleged perpetrator's copy, recorded with the perpetrator rows' ids (no names)."""
    now = timezone.now()
    content = perpetrator_content(partnership, identity, rows, now)
    stem = f"subject-access-alleged-perpetrator-{now.date().isoformat()}-{MARKING}"
    made = package(content, stem, now)
    record(
        actor,
        "subject_access.produced",
        None,
        request="alleged_perpetrator",
        perpetrators=sorted(row.pk for row in rows),
        referrals=len(rows),
        recipient="the data subject",
        sha256=made.sha256,
    )
    return made
