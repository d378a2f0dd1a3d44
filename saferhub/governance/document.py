"""A subject access copy as a PDF: the content dictionary (subject_access.py) laid out by
governance/document.html and WeasyPrint, on A4 pages marked OFFICIAL-SENSITIVE at the top
and bottom of every one, with "Page N of M". Tagged (PDF/UA-1) like the annual report, so
a screen reader can read it to the person it is about."""

import logging
import re
from datetime import date, datetime

from django.template.loader import render_to_string

LABELS = {
    "reference": "Reference",
    "given_name": "Given name",
    "family_name": "Family name",
    "date_of_birth": "Date of birth",
    "postcode": "Postcode",
    "gender": "Gender",
    "ethnicity": "Ethnicity",
    "lgbt": "LGBT+",
    "disabled": "Disabled",
    "current_address": "Current address",
    "first_recorded": "First recorded",
    "referred_on": "Referred on",
    "referring_agency": "Referring agency",
    "referring_agency_sector": "Referring agency's sector",
    "status": "Status",
    "reasons_for_referral": "Reasons for referral",
    "repeat_referral": "A repeat referral",
    "dash_score": "DASH score (yes answers of 24)",
    "dash_answers_given_by": "DASH answers given by",
    "police_incidents_in_12_months": "Police incidents in the 12 months before",
    "children_in_household": "Children in the household",
    "informed_of_referral": "You were told of the referral",
    "consented_to_sharing": "You consented to sharing",
    "lawful_basis_for_sharing": "Lawful basis for sharing without consent",
    "reason_for_sharing_without_consent": "Reason for sharing without consent",
    "professional_judgement": "Professional judgement",
    "why_not_eligible": "Why not eligible",
    "reassessment_due": "Reassessment due",
    "first_heard_on": "First heard at a meeting on",
    "closed_on": "Closed on",
    "idva_assigned": "An IDVA was assigned",
    "alleged_perpetrators": "Alleged perpetrators",
    "why_listed": "Why listed",
    "heard": "Heard",
    "discussion": "Discussion",
}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Shown as rows of their own sections, not in the referral's summary list.
_NESTED = {"dash_answers", "meetings", "safety_plan", "research"}


def text(value) -> str:
    """A value of the content as a person reads it."""
    if value is None or value == "" or value == []:
        return "Not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(text(item) for item in value)
    if isinstance(value, str) and _ISO_DAY.match(value):
        return f"{date.fromisoformat(value):%-d %B %Y}"
    if isinstance(value, str) and "T" in value[:11] and _ISO_DAY.match(value[:10]):
        return f"{datetime.fromisoformat(value):%-d %B %Y, %H:%M} UTC"
    return str(value)


def rows(mapping: dict, skip: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    return [
        (LABELS.get(key, key.replace("_", " ").capitalize()), text(value))
        for key, value in mapping.items()
        if key not in _NESTED and key not in skip
    ]


def _context(content: dict) -> dict:
    context = {
        "content": content,
        "person_rows": rows(content["person"]),
        "victim": content.get("request", "").startswith("The person"),
        "produced_on": text(content["produced_on"]),
    }
    if context["victim"]:
        context["referrals"] = [
            {
                "reference": referral["reference"],
                "referred_on": text(referral["referred_on"]),
                "rows": rows(referral),
                "dash_answers": referral["dash_answers"],
                "meetings": [
                    {
                        "title": f"{meeting['meeting']}, {text(meeting['held_on'])}",
                        "rows": rows(meeting, frozenset({"meeting", "held_on"})),
                        "research": [
                            {**item, "recorded_on": text(item["recorded_on"])}
                            for item in meeting["research"]
                        ],
                    }
                    for meeting in referral["meetings"]
                ],
                "safety_plan": [
                    {key: text(value) for key, value in action.items() if key != "updates"}
                    for action in referral["safety_plan"]
                ],
                # Every update of every action, oldest first within each action.
                "plan_updates": [
                    {
                        "action": text(action["action"]),
                        **{key: text(value) for key, value in update.items()},
                    }
                    for action in referral["safety_plan"]
                    for update in action.get("updates", [])
                ],
            }
            for referral in content["referrals"]
        ]
        context["audit"] = [{**entry, "at": text(entry["at"])} for entry in content["audit"]]
    else:
        context["named"] = [
            {key: text(value) for key, value in row.items()} for row in content["referrals"]
        ]
    return context


def render_html(content: dict) -> str:
    return render_to_string("governance/document.html", _context(content))


def render_pdf(content: dict) -> bytes:
    """The copy as PDF bytes (A4, tagged PDF/UA-1)."""
    for name in ("weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from weasyprint import HTML  # imported here: the web pages never need it
    from weasyprint.text.fonts import FontConfiguration

    return HTML(string=render_html(content), base_url=None).write_pdf(
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
        font_config=FontConfiguration(),
        custom_metadata=False,
    )
