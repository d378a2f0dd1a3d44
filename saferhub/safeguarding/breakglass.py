"""Break-glass: opening a case outside one's scope in an emergency, with a reason.

The user names the case by its reference (R000123) and says why. The access lasts HOURS
hours; it is recorded in the audit log (the reason stays in the access row, since free text
may name people and the log holds ids only), the partnership's MARAC coordinators and the
referring agency's leads are e-mailed, and administrators see every access on a report.
Missing and not allowed look the same here too: an unknown reference and another
partnership's case get the same answer.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from saferhub.access.roles import Role
from saferhub.audit.services import record
from saferhub.partnership.models import User
from saferhub.safeguarding import case_access
from saferhub.safeguarding.models import BreakGlassAccess, Referral

HOURS = 8
MIN_REASON = 20


class BreakGlassError(Exception):
    """The case cannot be opened so: the message says why, naming the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def referral_by_reference(user, reference: str) -> Referral:
    text = reference.strip().upper().removeprefix("R")
    found = None
    if text.isdigit():
        found = Referral.objects.filter(
            pk=int(text), partnership_id=user.agency.partnership_id
        ).first()
    if found is None:
        raise BreakGlassError("reference", "There is no case with this reference")
    return found


@transaction.atomic
def open_case(user, reference: str, reason: str) -> BreakGlassAccess:
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise BreakGlassError(
            "reason", f"Explain why in at least {MIN_REASON} characters: it is reviewed"
        )
    referral = referral_by_reference(user, reference)
    now = timezone.now()
    access = BreakGlassAccess.objects.create(
        referral=referral,
        user=user,
        reason=reason,
        opened_at=now,
        expires_at=now + timedelta(hours=HOURS),
    )
    case_access.refresh_case(referral.pk)
    record(user, "referral.break_glass", referral, access=access.pk, hours=HOURS)
    transaction.on_commit(lambda: _tell(access))
    return access


def _tell(access: BreakGlassAccess) -> None:
    """E-mail the coordinators and the referring agency's leads: who, which case, when."""
    referral = access.referral
    recipients = (
        User.objects.filter(is_active=True, agency__partnership_id=referral.partnership_id)
        .filter(
            role_assignments__role__in=[Role.MARAC_COORDINATOR, Role.AGENCY_LEAD],
        )
        .exclude(email="")
        .distinct()
    )
    addresses = [
        user.email
        for user in recipients.prefetch_related("role_assignments")
        if user.has_role(Role.MARAC_COORDINATOR) or user.agency_id == referral.referring_agency_id
    ]
    if not addresses:
        return
    who = f"{access.user.get_full_name()} ({access.user.agency.name})"
    base = settings.SAFERHUB_BASE_URL.rstrip("/")
    send_mail(
        f"saferhub: break-glass access to case {referral.reference}",
        f"{who} opened MARAC case {referral.reference} outside their agency's access at "
        f"{access.opened_at:%H:%M on %-d %B %Y} (UTC), for {HOURS} hours, giving a reason.\n\n"
        "The MARAC coordinator reviews every break-glass access on the break-glass report: "
        f"{base}/safeguarding/break-glass/report/\n",
        settings.DEFAULT_FROM_EMAIL,
        addresses,
    )
    record(
        None, "referral.break_glass_notified", referral, access=access.pk, recipients=len(addresses)
    )


def active_for(user):
    return BreakGlassAccess.objects.filter(user=user, expires_at__gt=timezone.now())
