"""Whom a governance request is about: the people, and the alleged perpetrators, of the
administrator's partnership.

Subject access and erasure must find every record the partnership holds, not only those
the administrator's agency works on (access.scope's rule for Person), so these look
across the whole partnership. Only Action.SUBJECT_ACCESS and Action.ERASE (CSP
administrators) lead here, and the views ask for them first; another partnership's
records are never reached.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Min, Q, QuerySet
from django.http import Http404

from saferhub.safeguarding.models import Perpetrator, Person
from saferhub.safeguarding.people import fold, soundex

MAX_PEOPLE = 50


def partnership_id(user) -> int:
    """The user's partnership; 404 for a user with none (they can reach nothing)."""
    agency = getattr(user, "agency", None)
    if agency is None:
        raise Http404
    return agency.partnership_id


def person_or_404(user, pk) -> Person:
    """One person of the user's partnership; missing and elsewhere answer the same: 404."""
    try:
        return Person.objects.get(pk=int(pk), partnership_id=partnership_id(user))
    except (TypeError, ValueError, Person.DoesNotExist):
        raise Http404 from None


def find_people(user, given: str, family: str, dob: date | None) -> QuerySet:
    """People of the partnership who may be the one asking, with their referrals counted.

    Broader than the intake's match (people.find_similar): the same or a similar-sounding
    family name with a similar given name, or the same date of birth with a similar given
    or family name (people change their family name). The administrator chooses.
    """
    given_q = Q()
    if fold(given):
        given_q = Q(folded_given=fold(given)) | Q(given_sound=soundex(given))
    family_q = None
    if fold(family):
        family_q = Q(folded_family=fold(family)) | Q(family_sound=soundex(family))
    clauses = Q(pk__in=[])
    if family_q is not None:
        clauses |= family_q & given_q
    if dob is not None:
        either = Q(pk__in=[])
        if fold(given):
            either |= given_q
        if family_q is not None:
            either |= family_q
        clauses |= Q(date_of_birth=dob) & either
    return (
        Person.objects.filter(clauses, partnership_id=partnership_id(user))
        .annotate(
            referral_count=Count("referrals"),
            first_referred=Min("referrals__referred_on"),
            last_referred=Max("referrals__referred_on"),
        )
        .order_by("family_name", "given_name", "date_of_birth", "id")[:MAX_PEOPLE]
    )


@dataclass(frozen=True)
class Named:
    """The perpetrator rows naming someone: those whose date of birth matches, and those
    recorded without one (the administrator decides whether they are the same person).
    Rows with a different date of birth are someone else and are never offered."""

    matched: list[Perpetrator]
    no_date_of_birth: list[Perpetrator]

    def chosen(self, ids: set[int]) -> list[Perpetrator]:
        return [row for row in self.matched + self.no_date_of_birth if row.pk in ids]


def perpetrator_rows(user, given: str, family: str, dob: date) -> Named:
    """The partnership's referrals naming this person as an alleged perpetrator: the same
    folded name exactly (a perpetrator's request must not reach someone else's records)."""
    rows = list(
        Perpetrator.objects.filter(
            referral__partnership_id=partnership_id(user), folded_name=fold(given) + fold(family)
        )
        .filter(Q(date_of_birth=dob) | Q(date_of_birth__isnull=True))
        .select_related("referral")
        .order_by("referral__referred_on", "id")
    )
    return Named(
        matched=[row for row in rows if row.date_of_birth == dob],
        no_date_of_birth=[row for row in rows if row.date_of_birth is None],
    )
