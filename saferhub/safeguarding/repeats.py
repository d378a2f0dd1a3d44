"""Repeat referrals (SafeLives): the same victim and perpetrator referred again within
12 calendar months of an earlier MARAC referral. After 12 months it is a new referral."""

import calendar
from collections.abc import Iterable
from datetime import date

from saferhub.safeguarding.models import Perpetrator, Person, Referral
from saferhub.safeguarding.people import fold

REPEAT_MONTHS = 12


def months_before(day: date, months: int) -> date:
    """The same date `months` calendar months earlier; the month's last day if it is shorter
    (29 February 2024 less 12 months is 28 February 2023)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _folded(perpetrator: Perpetrator) -> str:
    return fold(perpetrator.given_name) + fold(perpetrator.family_name)


def same_perpetrator(a: Perpetrator, b: Perpetrator) -> bool:
    """The same folded name and no conflicting date of birth."""
    if _folded(a) != _folded(b):
        return False
    return not (a.date_of_birth and b.date_of_birth and a.date_of_birth != b.date_of_birth)


def earlier_referral(
    victim: Person,
    perpetrators: Iterable[Perpetrator],
    referred_on: date,
    exclude: Referral | None = None,
) -> Referral | None:
    """The latest earlier referral to MARAC of this victim with one of these perpetrators,
    made on or after the day 12 months before `referred_on`; None if there is none.

    Only referrals that met a MARAC criterion count: one recorded as not eligible was
    never a MARAC referral.
    """
    if victim.pk is None:
        return None
    earlier = (
        Referral.objects.exclude(status=Referral.Status.NOT_ELIGIBLE)
        .filter(
            victim=victim,
            referred_on__gte=months_before(referred_on, REPEAT_MONTHS),
            referred_on__lte=referred_on,
        )
        .prefetch_related("perpetrators")
        .order_by("-referred_on", "-id")
    )
    if exclude is not None:
        earlier = earlier.exclude(pk=exclude.pk)
    perpetrators = list(perpetrators)
    for referral in earlier:
        if any(
            same_perpetrator(theirs, ours)
            for theirs in referral.perpetrators.all()
            for ours in perpetrators
        ):
            return referral
    return None
