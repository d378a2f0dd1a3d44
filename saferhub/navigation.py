"""The service navigation: each entry shows only to users whose roles allow it."""

from django.urls import reverse

from saferhub.access.permissions import Action, actions_for

# label, URL name, the action needed to see it (None: every signed-in user),
# and the URL-name prefixes that count as "inside" the section.
SECTIONS = [
    ("Home", "home", None, ("home",)),
    ("Partnership", "directory", Action.VIEW_PARTNERSHIP, ("directory", "agency")),
    ("Your account", "account", None, ("account",)),
    ("Administration", "admin:index", Action.ADMINISTER, ()),
]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    allowed = actions_for(user)
    current = request.resolver_match.url_name if request.resolver_match else None
    return {
        "navigation": [
            {"label": label, "url": reverse(name), "active": current in section}
            for label, name, needs, section in SECTIONS
            if needs is None or needs in allowed
        ]
    }
