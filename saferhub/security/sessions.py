"""How long a session lasts (ASVS 7.3): it ends SAFERHUB_SESSION_IDLE_MINUTES after its last
request, SESSION_COOKIE_AGE after signing in however active it has been (the cookie's own
expiry moves on each time the session is saved, so the sign-in time is kept in the session),
and at once when its user is disabled."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

SIGNED_IN_AT = "saferhub_signed_in_at"
LAST_SEEN = "saferhub_last_seen"
# Saving the time of every request would write the session on every page: a minute's
# precision is enough for a 30-minute limit.
TOUCH_EVERY_SECONDS = 60

IDLE, TOO_LONG, DISABLED = "idle", "too_long", "disabled"


def explanation(reason: str) -> str | None:
    """What the sign-in page says about a session that ended for `reason`."""
    if reason == IDLE:
        minutes = settings.SAFERHUB_SESSION_IDLE_MINUTES
        return f"You were signed out after {minutes} minutes without activity. Sign in again."
    if reason == TOO_LONG:
        hours = settings.SESSION_COOKIE_AGE / 3600
        return (
            f"You were signed out because you signed in more than {hours:g} hours ago. "
            "Sign in again."
        )
    return None  # a disabled user is told nothing more than any visitor


@receiver(user_logged_in)
def _started(sender, request, user, **kwargs) -> None:
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now


def ended(user, session, now: float) -> str | None:
    """Why the signed-in session must end (IDLE, TOO_LONG, DISABLED), or None."""
    if not user.is_active:
        return DISABLED
    signed_in_at, last_seen = session.get(SIGNED_IN_AT), session.get(LAST_SEEN)
    # A session without the times began before these limits: it ends too.
    if signed_in_at is None or last_seen is None:
        return TOO_LONG
    if now - signed_in_at >= settings.SESSION_COOKIE_AGE:
        return TOO_LONG
    if now - last_seen >= settings.SAFERHUB_SESSION_IDLE_MINUTES * 60:
        return IDLE
    return None


def touch(session, now: float) -> None:
    """Record that the session is in use."""
    if now - session.get(LAST_SEEN, 0) >= TOUCH_EVERY_SECONDS:
        session[LAST_SEEN] = now


def end_sessions_of(user) -> int:
    """Delete every session of `user` from the session store; the number deleted.

    Sessions are kept in the database (Django's default engine) and say whose they are
    only inside their encoded data, so each unexpired one is decoded: a disabled account
    is rare, and a partnership has at most a few thousand sessions open.
    """
    ended_keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(session_key__in=ended_keys).delete()
    return len(ended_keys)


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def _note_disabling(sender, instance, **kwargs) -> None:
    instance._being_disabled = (
        instance.pk is not None
        and not instance.is_active
        and sender.objects.filter(pk=instance.pk, is_active=True).exists()
    )


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _end_sessions_of_the_disabled(sender, instance, **kwargs) -> None:
    # Each request checks is_active too (middleware.SessionLimitsMiddleware, and Django's
    # ModelBackend.get_user); deleting the sessions leaves nothing behind to check.
    if getattr(instance, "_being_disabled", False):
        instance._being_disabled = False
        end_sessions_of(instance)
