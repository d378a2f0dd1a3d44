"""Finding a victim the partnership already knows, so the same person is not created twice.

Names are compared by keys stored on Person (kept in step on save): the folded name
(no accents, hyphens, spaces or case: "Smith-Jones" and "smith jones" are one) and its
Soundex code (typos and spellings: "Smyth" and "Smith"). Dates of birth match as typed or
with day and month swapped; postcodes by district ("LS9").
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from django.db.models import Case, Q, Value, When

from saferhub.access import scope
from saferhub.audit.services import record
from saferhub.safeguarding.models import Person, Referral

MAX_MATCHES = 10
# How many of the best candidates are considered, and how many the scope is asked about at
# a time (see _visible_first). Two agreements among a million people leave a few thousand
# candidates at most (a common given name in a large postcode district).
MAX_CANDIDATES = 5000
SCOPE_ROUND = 100


def fold(text: str) -> str:
    """Lower case ASCII letters and digits only: "Zoë O'Brien-Smith" -> "zoeobriensmith"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", plain.casefold())


_SOUNDEX = {
    c: str(d)
    for d, letters in enumerate(("aeiouyhw", "bfpv", "cgjkqsxz", "dt", "l", "mn", "r"))
    for c in letters
}


def soundex(text: str) -> str:
    """American Soundex of the folded text ("" for no letters): Smith, Smyth -> S530."""
    letters = [c for c in fold(text) if c.isalpha()]
    if not letters:
        return ""
    code, last = letters[0].upper(), _SOUNDEX[letters[0]]
    for c in letters[1:]:
        digit = _SOUNDEX[c]
        if digit != "0" and digit != last:
            code += digit
        if c not in "hw":  # h and w do not separate two letters of the same code
            last = digit
    return (code + "000")[:4]


def district(postcode: str) -> str:
    """The outward code's district: "LS9 7TF" and "ls97tf" -> "LS9"."""
    compact = re.sub(r"\s", "", (postcode or "").upper())
    if len(compact) > 3:
        return compact[:-3][:4]
    return compact[:4]


@dataclass(frozen=True)
class Keys:
    given: str
    family: str
    given_sound: str
    family_sound: str
    district: str


def keys(given: str, family: str, postcode: str) -> Keys:
    return Keys(fold(given), fold(family), soundex(given), soundex(family), district(postcode))


@dataclass(frozen=True)
class Match:
    """A person who may be the one being referred, and why we think so."""

    person: Person
    reasons: tuple[str, ...]


def _swapped(dob: date) -> date | None:
    try:
        swapped = dob.replace(month=dob.day, day=dob.month)
    except ValueError:
        return None
    return swapped if swapped != dob else None


def find_similar(user, given: str, family: str, dob: date | None, postcode: str) -> list[Match]:
    """People the user may see who may be the person typed, best first; the search is audited.

    A person is offered when two of four things agree: a family name that sounds the same, a
    given name that sounds the same, the date of birth (as typed, or with day and month
    swapped), the postcode district; or, while only a family name or only a date of birth has
    been typed, that one. A known, different date of birth rules a person out unless both
    names agree. Only people visible to the user (access.scope) are offered.

    Why pairs: in a region of a million people one common family name sounds like tens of
    thousands of them; asking for a second agreement keeps the candidates to a few hundred
    (found by the indexes on Person) and the search within its 50 ms, and loses no one the
    referrer could recognise: a single name in common is not a match worth offering.
    """
    if not getattr(user, "agency_id", None):
        return []  # no agency, no partnership: nobody to offer (access.scope would say so too)
    wanted = keys(given, family, postcode)
    swapped = _swapped(dob) if dob else None
    dates = [d for d in (dob, swapped) if d]
    agreements = {
        "family": Q(family_sound=wanted.family_sound) if wanted.family_sound else None,
        "given": Q(given_sound=wanted.given_sound) if wanted.given_sound else None,
        "dob": Q(date_of_birth__in=dates) if dates else None,
        "district": Q(postcode_district=wanted.district) if wanted.district else None,
    }
    typed = {name: q for name, q in agreements.items() if q is not None}
    if len(typed) >= 2:
        candidates = Q(pk__in=[])
        for first, second in combinations(typed.values(), 2):
            candidates |= first & second
    elif set(typed) in ({"family"}, {"dob"}):
        [candidates] = typed.values()
    else:
        return []
    if dob:
        both_names = typed.get("family", Q(pk__in=[])) & typed.get("given", Q(pk__in=[]))
        candidates &= Q(date_of_birth__isnull=True) | Q(date_of_birth__in=dates) | both_names
    ranked = list(
        Person.objects.filter(candidates, partnership_id=user.agency.partnership_id)
        .annotate(likeness=_likeness(wanted, dob, swapped))
        .order_by("-likeness", "family_name", "given_name", "id")
        .values_list("pk", flat=True)[:MAX_CANDIDATES]
    )
    # Only victims can be offered (a person with no referral is seen by no one, by the scope
    # rule): one indexed question here spares the scope rounds thousands of such records.
    # Asked inside the ranking query instead, it led PostgreSQL to scan every person.
    victims = set(Referral.objects.filter(victim_id__in=ranked).values_list("victim_id", flat=True))
    chosen = _visible_first(user, [pk for pk in ranked if pk in victims])
    found = Person.objects.in_bulk(chosen)
    matches = [Match(found[pk], tuple(_reasons(found[pk], wanted, dob, swapped))) for pk in chosen]
    if matches:
        # What was searched for is personal data: only who was offered (ids) is logged, so
        # "who has viewed this person" includes the searches that showed them.
        record(
            user,
            "person.searched",
            None,
            results=len(matches),
            people=[match.person.pk for match in matches],
        )
    return matches


def _visible_first(user, ranked: list[int]) -> list[int]:
    """The first MAX_MATCHES of `ranked` (person ids, best first) that the user may see.

    The scope is asked of a few ranked candidates at a time rather than of every candidate
    at once: asked of thousands, PostgreSQL works out every case an agency can see (a
    quarter of a million rows for the police) to answer; asked of a hundred, it looks each
    one up. The police and the coordinator, who see most people, need one round."""
    chosen: list[int] = []
    for start in range(0, len(ranked), SCOPE_ROUND):
        batch = ranked[start : start + SCOPE_ROUND]
        may_see = set(
            scope.visible(user, Person.objects.filter(pk__in=batch)).values_list("pk", flat=True)
        )
        chosen += [pk for pk in batch if pk in may_see]
        if len(chosen) >= MAX_MATCHES:
            break
    return chosen[:MAX_MATCHES]


def _likeness(wanted: Keys, dob: date | None, swapped: date | None):
    """How much agrees, for ordering in the database: each agreement scores, an exact one more
    (the same family name over one that sounds the same; a date as typed over a swapped one)."""
    points = [
        (Q(folded_family=wanted.family), 3) if wanted.family else None,
        (Q(family_sound=wanted.family_sound), 2) if wanted.family_sound else None,
        (Q(folded_given=wanted.given), 2) if wanted.given else None,
        (Q(given_sound=wanted.given_sound), 1) if wanted.given_sound else None,
        (Q(date_of_birth=dob), 4) if dob else None,
        (Q(date_of_birth=swapped), 3) if swapped else None,
        (Q(postcode_district=wanted.district), 1) if wanted.district else None,
    ]
    total = Value(0)
    for condition, score in filter(None, points):
        total = total + Case(When(condition, then=Value(score)), default=Value(0))
    return total


def _reasons(person: Person, wanted: Keys, dob: date | None, swapped: date | None) -> list[str]:
    """What agrees, in words, for the referrer to judge (find_similar chose the person)."""
    reasons = []
    if wanted.family and person.folded_family == wanted.family:
        reasons.append("Same family name")
    elif wanted.family_sound and person.family_sound == wanted.family_sound:
        reasons.append("Similar family name")
    if wanted.given and person.folded_given == wanted.given:
        reasons.append("Same given name")
    elif wanted.given_sound and person.given_sound == wanted.given_sound:
        reasons.append("Similar given name")
    if dob and person.date_of_birth == dob:
        reasons.append("Same date of birth")
    elif swapped and person.date_of_birth == swapped:
        reasons.append("Date of birth with day and month swapped")
    if wanted.district and person.postcode_district == wanted.district:
        reasons.append("Same postcode district")
    return reasons
