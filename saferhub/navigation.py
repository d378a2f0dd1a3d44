"""The service navigation, and `may`: the actions the user's roles allow, for templates
to show a link or button only to those who can use it (views still check)."""

from django.urls import reverse

from saferhub.access.permissions import Action, actions_for

# label, URL name, the action needed to see it (None: every signed-in user),
# and the URL-name prefixes that count as "inside" the section.
SECTIONS = [
    ("Home", "home", None, ("home",)),
    (
        "Strategy",
        "strategies",
        Action.VIEW_STRATEGY,
        (
            "strategies",
            "overview",
            "priority",
            "measure",
            "returns",
            "return",
            "return-agency",
            "returns-upload",
            "approvals",
            "actions",
            "action",
            "action-create",
            "accountability",
            "measure-create",
            "measure-edit",
            "measure-targets",
            "highlights",
            "highlight-create",
            "highlight-edit",
            "annual-reports",
            "annual-report",
            "reports",
            "generated-report",
        ),
    ),
    (
        "Safeguarding",
        "referrals",
        Action.VIEW_CASES,
        (
            "referrals",
            "referral",
            "referral-create",
            "referral-export",
            "referral-confirmation",
            "meetings",
            "meeting",
            "meeting-create",
            "listed-case",
            "safety-actions",
            "safety-action",
            "marac-return",
            "referral-imports",
            "referral-import",
            "break-glass",
            "break-glass-report",
        ),
    ),
    # The CSP analyst produces the SafeLives return but sees no case: the same section,
    # landing on the return (the first entry of a label that the user may see wins).
    ("Safeguarding", "marac-return", Action.PRODUCE_MARAC_RETURN, ("marac-return",)),
    ("Partnership", "directory", Action.VIEW_PARTNERSHIP, ("directory", "agency")),
    ("Your account", "account", None, ("account",)),
    ("Audit log", "audit-log", Action.VIEW_AUDIT_LOG, ("audit-log", "audit-person")),
    (
        "Subject access",
        "subject-access",
        Action.SUBJECT_ACCESS,
        ("subject-access", "subject-access-person", "subject-access-perpetrator", "erase-person"),
    ),
    ("Administration", "admin:index", Action.ADMINISTER, ()),
]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": [], "may": frozenset()}
    allowed = actions_for(user)
    current = request.resolver_match.url_name if request.resolver_match else None
    shown: dict[str, dict] = {}
    for label, name, needs, section in SECTIONS:
        if label not in shown and (needs is None or needs in allowed):
            shown[label] = {"label": label, "url": reverse(name), "active": current in section}
    return {"navigation": list(shown.values()), "may": frozenset(a.value for a in allowed)}
