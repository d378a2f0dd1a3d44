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

from django.db.models import Q

from saferhub.access import scope
from saferhub.audit.services import record
from saferhub.safeguarding.models import Person

MAX_MATCHES = 10


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

    Matches: the same or similar-sounding family name; the same date of birth (or with day
    and month swapped) and a similar given name; the same postcode district and a similar
    name. Only people visible to the user (access.scope) are offered.
    """
    wanted = keys(given, family, postcode)
    swapped = _swapped(dob) if dob else None
    similar_given = Q(given_sound=wanted.given_sound) | Q(folded_given=wanted.given)
    clauses = Q(pk__in=[])
    if wanted.family:
        clauses |= Q(folded_family=wanted.family) | Q(family_sound=wanted.family_sound)
    if dob and wanted.given:
        dates = [dob, swapped] if swapped else [dob]
        clauses |= Q(date_of_birth__in=dates) & similar_given
    if wanted.district and (wanted.given or wanted.family):
        similar_name = Q(pk__in=[])
        if wanted.given:
            similar_name |= similar_given
        if wanted.family:
            similar_name |= Q(family_sound=wanted.family_sound)
        clauses |= Q(postcode_district=wanted.district) & similar_name
    if not (wanted.family or dob or wanted.district):
        return []
    candidates = scope.visible(user, Person.objects.filter(clauses)).order_by("id")[:200]
    matches = []
    for person in candidates:
        reasons = _reasons(person, wanted, dob, swapped)
        if reasons:
            matches.append(Match(person, tuple(reasons)))
    matches.sort(key=lambda match: (-len(match.reasons), match.person.family_name))
    matches = matches[:MAX_MATCHES]
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


def _reasons(person: Person, wanted: Keys, dob: date | None, swapped: date | None) -> list[str]:
    reasons = []
    similar_given = wanted.given and (
        person.folded_given == wanted.given or person.given_sound == wanted.given_sound
    )
    if wanted.family and person.folded_family == wanted.family:
        reasons.append("Same family name")
    elif wanted.family and person.family_sound == wanted.family_sound:
        reasons.append("Similar family name")
    if wanted.given and person.folded_given == wanted.given:
        reasons.append("Same given name")
    elif similar_given:
        reasons.append("Similar given name")
    if dob and person.date_of_birth == dob:
        reasons.append("Same date of birth")
    elif swapped and person.date_of_birth == swapped:
        reasons.append("Date of birth with day and month swapped")
    if wanted.district and person.postcode_district == wanted.district:
        reasons.append("Same postcode district")
    # A given name or a district alone is not a match worth offering.
    strong = {
        "Same family name",
        "Similar family name",
        "Same date of birth",
        "Date of birth with day and month swapped",
    }
    if not strong & set(reasons) and not ("Same postcode district" in reasons and len(reasons) > 1):
        return []
    # A known, different date of birth: a name in common is enough only if both names are.
    different_dob = dob and person.date_of_birth and person.date_of_birth not in (dob, swapped)
    if different_dob and not ("Same family name" in reasons and similar_given):
        return []
    return reasons
