"""The case list as a spreadsheet: the referrals the user may see (access.scope), marked
OFFICIAL-SENSITIVE, formula injection neutralised (strategy.exports writes the file).

The victim's restricted address is left out unless the user's role may see it and they
asked for it; every export is recorded with the cases it disclosed (DPA 2018 s62).
"""

from datetime import date

from django.db.models import Count, Q

from saferhub.access import scope
from saferhub.access.permissions import Action, can
from saferhub.audit.services import record
from saferhub.safeguarding.models import Referral, SafetyAction
from saferhub.strategy import exports

HEADERS = [
    "Reference",
    "Referred",
    "Victim",
    "Date of birth",
    "Referring agency",
    "DASH score",
    "Repeat",
    "Status",
    "First heard",
    "IDVA",
    "Open actions",
]
LIMIT = 50_000


def referrals_for(user, status: str = ""):
    found = scope.visible(user, Referral.objects.all())
    if status in Referral.Status.values:
        found = found.filter(status=status)
    return found


def case_table(user, status: str = "", include_address: bool = False) -> exports.Table:
    with_address = include_address and can(user, Action.SEE_RESTRICTED_ADDRESS)
    referrals = (
        referrals_for(user, status)
        .select_related("victim", "referring_agency", "idva")
        .annotate(
            open_actions=Count(
                "safety_actions", filter=Q(safety_actions__status=SafetyAction.Status.OPEN)
            )
        )
        .order_by("-referred_on", "-id")[:LIMIT]
    )
    rows = []
    for referral in referrals:
        victim = referral.victim
        row = [
            referral.reference,
            referral.referred_on.isoformat(),
            f"{victim.given_name} {victim.family_name}",
            victim.date_of_birth.isoformat() if victim.date_of_birth else "",
            referral.referring_agency.name,
            str(referral.dash_score),
            "Yes" if referral.is_repeat else "No",
            referral.get_status_display(),
            referral.heard_on.isoformat() if referral.heard_on else "",
            referral.idva.get_full_name() if referral.idva else "",
            str(referral.open_actions),
        ]
        if with_address:
            row.append(victim.current_address)
        rows.append(row)
    return exports.Table(
        title=f"MARAC cases, exported {date.today():%-d %B %Y}",
        filename_stem=f"marac-cases-{date.today().isoformat()}",
        headers=HEADERS + (["Current address (restricted)"] if with_address else []),
        rows=rows,
    )


def export(user, fmt: str, status: str = "", include_address: bool = False) -> tuple[bytes, str]:
    """The file and its name; recorded as a disclosure with the cases it holds."""
    table = case_table(user, status, include_address)
    content = exports.render(table, fmt)
    record(
        user,
        "referrals.exported",
        None,
        format=fmt,
        status=status,
        address_included=len(table.headers) > len(HEADERS),
        referrals=[int(row[0].lstrip("R")) for row in table.rows],
    )
    return content, f"{table.filename_stem}-{exports.MARKING}.{fmt}"
