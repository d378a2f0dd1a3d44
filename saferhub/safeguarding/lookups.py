"""Fetch one safeguarding record through access.scope: 404 when missing or not the user's."""

from saferhub.access import scope
from saferhub.safeguarding.models import Referral


def referral_for(user, pk: int) -> Referral:
    return scope.get_visible_or_404(
        user,
        Referral.objects.select_related(
            "victim", "referring_agency", "referring_officer", "idva", "repeat_of"
        ),
        pk=pk,
    )
