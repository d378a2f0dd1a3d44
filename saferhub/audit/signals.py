from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from saferhub.audit.services import record


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs) -> None:
    record(user, "user.signed_in", user)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(user, "user.signed_out", user)
