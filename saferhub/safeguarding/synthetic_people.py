"""Synthetic people for the demo and for scale tests: victims and alleged perpetrators with
plausible names, dates of birth, Leeds-like postcodes and addresses, and the duplicate
records a real partnership accumulates (the same woman entered again with a typo, a new
surname, no date of birth, or a new postcode).

Every choice is drawn from the generator passed in, so the same seed gives the same people.
Names come from the lists in synthetic_names/: common given and family names of a city like
Leeds' communities, put together at random (never a list of real individuals).
"""

import bisect
import functools
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from saferhub.safeguarding.models import Ethnicity, Gender, YesNoNotKnown

NAMES = Path(__file__).with_name("synthetic_names")

E = Ethnicity
# Leeds' population by ethnic group (2021 census, rounded), with "not known" for records
# where it was not asked or not answered, as in real MARAC data.
ETHNICITY_WEIGHTS: dict[str, float] = {
    E.WHITE_BRITISH: 69.0,
    E.WHITE_IRISH: 0.7,
    E.WHITE_GYPSY_IRISH_TRAVELLER: 0.3,
    E.WHITE_ROMA: 0.4,
    E.WHITE_OTHER: 4.6,
    E.MIXED_WHITE_ASIAN: 0.8,
    E.MIXED_WHITE_BLACK_AFRICAN: 0.6,
    E.MIXED_WHITE_BLACK_CARIBBEAN: 1.2,
    E.MIXED_OTHER: 0.8,
    E.ASIAN_BANGLADESHI: 0.7,
    E.ASIAN_CHINESE: 0.9,
    E.ASIAN_INDIAN: 2.3,
    E.ASIAN_PAKISTANI: 3.8,
    E.ASIAN_OTHER: 1.6,
    E.BLACK_AFRICAN: 3.9,
    E.BLACK_CARIBBEAN: 0.9,
    E.BLACK_OTHER: 0.8,
    E.OTHER_ARAB: 0.6,
    E.OTHER_ANY: 1.2,
    E.NOT_KNOWN: 4.9,
}

# Where a person's given and family names come from, by ethnic group: (group, weight) pairs.
_B, _I, _SA, _EE = "british", "irish", "south_asian", "eastern_european"
_AF, _CA, _CN, _AR, _OT = "african", "caribbean", "chinese", "arab", "other"
NAME_ORIGINS: dict[str, tuple[tuple[tuple[str, float], ...], tuple[tuple[str, float], ...]]] = {
    E.WHITE_BRITISH: (((_B, 0.97), (_I, 0.03)), ((_B, 0.93), (_I, 0.07))),
    E.WHITE_IRISH: (((_I, 0.6), (_B, 0.4)), ((_I, 0.9), (_B, 0.1))),
    E.WHITE_GYPSY_IRISH_TRAVELLER: (((_I, 0.5), (_B, 0.5)), ((_I, 0.7), (_B, 0.3))),
    E.WHITE_ROMA: (((_EE, 1.0),), ((_EE, 1.0),)),
    E.WHITE_OTHER: (((_EE, 0.75), (_OT, 0.25)), ((_EE, 0.75), (_OT, 0.25))),
    E.MIXED_WHITE_ASIAN: (((_B, 0.6), (_SA, 0.4)), ((_B, 0.5), (_SA, 0.5))),
    E.MIXED_WHITE_BLACK_AFRICAN: (((_B, 0.6), (_AF, 0.4)), ((_B, 0.5), (_AF, 0.5))),
    E.MIXED_WHITE_BLACK_CARIBBEAN: (((_B, 0.5), (_CA, 0.5)), ((_B, 0.4), (_CA, 0.6))),
    E.MIXED_OTHER: (((_B, 0.5), (_OT, 0.3), (_AR, 0.2)), ((_B, 0.5), (_OT, 0.3), (_CN, 0.2))),
    E.ASIAN_BANGLADESHI: (((_SA, 1.0),), ((_SA, 1.0),)),
    E.ASIAN_CHINESE: (((_CN, 0.6), (_B, 0.4)), ((_CN, 1.0),)),
    E.ASIAN_INDIAN: (((_SA, 0.9), (_B, 0.1)), ((_SA, 1.0),)),
    E.ASIAN_PAKISTANI: (((_SA, 1.0),), ((_SA, 1.0),)),
    E.ASIAN_OTHER: (((_OT, 0.8), (_SA, 0.2)), ((_OT, 0.8), (_SA, 0.2))),
    E.BLACK_AFRICAN: (((_AF, 0.85), (_B, 0.15)), ((_AF, 1.0),)),
    E.BLACK_CARIBBEAN: (((_CA, 0.8), (_B, 0.2)), ((_CA, 1.0),)),
    E.BLACK_OTHER: (((_AF, 0.4), (_CA, 0.4), (_B, 0.2)), ((_AF, 0.5), (_CA, 0.5))),
    E.OTHER_ARAB: (((_AR, 1.0),), ((_AR, 1.0),)),
    E.OTHER_ANY: (((_OT, 0.8), (_AR, 0.2)), ((_OT, 1.0),)),
    E.NOT_KNOWN: (
        ((_B, 0.7), (_SA, 0.1), (_EE, 0.1), (_AF, 0.1)),
        ((_B, 0.75), (_SA, 0.1), (_EE, 0.1), (_AF, 0.05)),
    ),
}

# Postcode districts and how many of the partnership's people live in each (roughly by
# population: the inner east and south of Leeds more than the city centre or Wetherby).
DISTRICTS: dict[str, float] = {
    **{f"LS{n}": 1.0 for n in range(1, 30)},
    "LS1": 0.2,
    "LS2": 0.3,
    "LS3": 0.4,
    "LS4": 0.7,
    "LS5": 0.6,
    "LS6": 1.6,
    "LS7": 1.4,
    "LS8": 2.0,
    "LS9": 2.2,
    "LS10": 2.0,
    "LS11": 2.0,
    "LS12": 2.0,
    "LS13": 1.6,
    "LS14": 2.0,
    "LS15": 1.5,
    "LS16": 1.0,
    "LS17": 0.9,
    "LS18": 0.5,
    "LS19": 0.6,
    "LS20": 0.4,
    "LS21": 0.5,
    "LS22": 0.5,
    "LS23": 0.2,
    "LS24": 0.2,
    "LS25": 0.9,
    "LS26": 0.9,
    "LS27": 1.2,
    "LS28": 1.1,
    "LS29": 0.2,
    "WF3": 0.9,
    "WF10": 0.4,
    "WF1": 0.2,
    "WF2": 0.2,
    "BD3": 0.3,
    "BD4": 0.3,
    "BD10": 0.2,
    "BD11": 0.2,
}
TOWNS = {
    "LS21": "Otley",
    "LS22": "Wetherby",
    "LS23": "Wetherby",
    "LS24": "Tadcaster",
    "LS27": "Morley",
    "LS28": "Pudsey",
    "LS29": "Ilkley",
    "WF1": "Wakefield",
    "WF2": "Wakefield",
    "WF3": "Wakefield",
    "WF10": "Castleford",
    "BD3": "Bradford",
    "BD4": "Bradford",
    "BD10": "Bradford",
    "BD11": "Bradford",
}
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters Royal Mail uses in inward codes
_STREET_KINDS = (
    ("Road", 6),
    ("Street", 6),
    ("Avenue", 4),
    ("Grove", 4),
    ("Terrace", 3),
    ("Mount", 3),
    ("View", 3),
    ("Place", 2),
    ("Crescent", 2),
    ("Close", 2),
    ("Lane", 3),
    ("Drive", 2),
    ("Gardens", 1),
    ("Walk", 1),
    ("Court", 1),
    ("Way", 1),
)


@functools.cache
def names(group: str, kind: str) -> tuple[str, ...]:
    """The names of a list in synthetic_names/ (kind: female, male or family), in file order."""
    lines = (NAMES / f"{group}_{kind}.txt").read_text(encoding="utf-8").splitlines()
    seen: dict[str, None] = {}
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            seen.setdefault(line, None)
    return tuple(seen)


@functools.cache
def street_stems() -> tuple[str, ...]:
    text = (NAMES / "street_stems.txt").read_text(encoding="utf-8")
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


class Weighted:
    """Choices with weights, drawn with one random number each (rng.choices recomputes the
    running totals every call: too slow for a million people)."""

    def __init__(self, weighted: dict | tuple) -> None:
        items = list(weighted.items()) if isinstance(weighted, dict) else list(weighted)
        self.choices = [choice for choice, _ in items]
        self.totals, running = [], 0.0
        for _, weight in items:
            running += weight
            self.totals.append(running)

    def __call__(self, rng: random.Random):
        return self.choices[bisect.bisect(self.totals, rng.random() * self.totals[-1])]


@functools.cache
def _weighted(choices: tuple) -> Weighted:
    return Weighted(choices)


def pick(rng: random.Random, weighted: "tuple | Weighted"):
    """One choice of ((choice, weight), ...), or of a Weighted."""
    if isinstance(weighted, Weighted):
        return weighted(rng)
    return _weighted(weighted)(rng)


_DISTRICT = Weighted(DISTRICTS)
_ETHNICITY = Weighted(ETHNICITY_WEIGHTS)


def postcode(rng: random.Random) -> str:
    """A postcode in a Leeds-like format: "LS9 7TF" (an outward code of the area, an
    invented inward code)."""
    letters = rng.choice(_INWARD_LETTERS) + rng.choice(_INWARD_LETTERS)
    return f"{pick(rng, _DISTRICT)} {rng.randint(1, 9)}{letters}"


def address(rng: random.Random, code: str) -> str:
    """A synthetic street address ending in the postcode."""
    street = f"{rng.choice(street_stems())} {pick(rng, _STREET_KINDS)}"
    number = rng.randint(1, 180)
    town = TOWNS.get(code.split()[0], "Leeds")
    if rng.random() < 0.3:
        return f"Flat {rng.randint(1, 24)}, {number} {street}, {town} {code}"
    return f"{number} {street}, {town} {code}"


def _feminine(family: str, gender: str) -> str:
    """Polish and Czech surnames take the feminine form for a woman."""
    if gender != Gender.FEMALE:
        return family
    for masculine, feminine in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka"), ("ý", "á")):
        if family.endswith(masculine):
            return family[: -len(masculine)] + feminine
    return family


def given_name(rng: random.Random, group: str, gender: str) -> str:
    kind = "male" if gender == Gender.MALE else "female"
    if gender in (Gender.NON_BINARY, Gender.NOT_KNOWN) and rng.random() < 0.5:
        kind = "male"
    return rng.choice(names(group, kind))


def family_name(rng: random.Random, group: str, gender: str) -> str:
    return _feminine(rng.choice(names(group, "family")), gender)


def date_of_birth(rng: random.Random, age: int, on: date) -> date:
    """A date of birth that makes someone `age` on the day `on`."""
    latest = _years_before(on, age)
    return latest - timedelta(days=rng.randint(0, 364))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_on(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


@dataclass(slots=True)
class PersonRecord:
    """One Person row: what a referrer entered about a victim. `number` orders the rows."""

    number: int
    given_name: str
    family_name: str
    date_of_birth: date | None
    postcode: str
    gender: str
    ethnicity: str
    lgbt: str
    disabled: str
    current_address: str
    created_on: date
    variant: str = ""  # how a duplicate differs from the first record, e.g. "typo"


@dataclass(slots=True)
class Perpetrator:
    """An alleged perpetrator as they really are; each referral records them (as_recorded)."""

    given_name: str
    family_name: str
    date_of_birth: date
    gender: str
    dob_known: bool  # whether referrers usually know the date of birth


@dataclass(slots=True)
class Victim:
    """A victim as they really are, the Person records made for them, and their abusers."""

    given_name: str
    family_name: str
    date_of_birth: date
    gender: str
    ethnicity: str
    lgbt: str
    disabled: str
    postcode: str
    address: str
    records: list[PersonRecord] = field(default_factory=list)
    perpetrators: list[Perpetrator] = field(default_factory=list)
    last_referred_on: date | None = None
    name_groups: tuple[str, str] = (_B, _B)


def _victim_age(rng: random.Random) -> int:
    # Most victims referred to MARAC are 20 to 45; about 1% are 16 or 17.
    band = pick(rng, ((16, 1.3), (18, 9), (25, 30), (35, 30), (45, 17), (55, 9), (65, 3.7)))
    width = {16: 2, 18: 7, 25: 10, 35: 10, 45: 10, 55: 10, 65: 20}[band]
    return band + rng.randrange(width)


def new_victim(rng: random.Random, on: date) -> Victim:
    """A victim never seen before, referred on `on`."""
    gender = pick(
        rng,
        (
            (Gender.FEMALE, 95.0),
            (Gender.MALE, 4.4),
            (Gender.NON_BINARY, 0.4),
            (Gender.NOT_KNOWN, 0.2),
        ),
    )
    ethnicity = pick(rng, _ETHNICITY)
    given_groups, family_groups = NAME_ORIGINS[ethnicity]
    groups = (pick(rng, given_groups), pick(rng, family_groups))
    code = postcode(rng)
    return Victim(
        given_name=given_name(rng, groups[0], gender),
        family_name=family_name(rng, groups[1], gender),
        date_of_birth=date_of_birth(rng, _victim_age(rng), on),
        gender=gender,
        ethnicity=ethnicity,
        lgbt=pick(
            rng, ((YesNoNotKnown.NO, 80), (YesNoNotKnown.YES, 2.5), (YesNoNotKnown.NOT_KNOWN, 17.5))
        ),
        disabled=pick(
            rng, ((YesNoNotKnown.NO, 72), (YesNoNotKnown.YES, 12), (YesNoNotKnown.NOT_KNOWN, 16))
        ),
        postcode=code,
        address=address(rng, code),
        name_groups=groups,
    )


def first_record(rng: random.Random, victim: Victim, number: int, on: date) -> PersonRecord:
    """The Person row made the first time the victim is referred."""
    record = PersonRecord(
        number=number,
        given_name=victim.given_name,
        family_name=victim.family_name,
        # A referrer sometimes does not know the date of birth.
        date_of_birth=None if rng.random() < 0.03 else victim.date_of_birth,
        postcode=victim.postcode,
        gender=victim.gender,
        ethnicity=victim.ethnicity,
        lgbt=victim.lgbt,
        disabled=victim.disabled,
        current_address=victim.address,
        created_on=on,
    )
    victim.records.append(record)
    return record


def move_house(rng: random.Random, victim: Victim) -> None:
    victim.postcode = postcode(rng)
    victim.address = address(rng, victim.postcode)


DUPLICATE_VARIANTS = (
    ("typo_given", 22),
    ("typo_family", 18),
    ("changed_family", 15),
    ("no_dob", 12),
    ("new_postcode", 15),
    ("swapped_dob", 6),
    ("spelling", 12),
)


def duplicate_record(rng: random.Random, victim: Victim, number: int, on: date) -> PersonRecord:
    """A second Person row for a victim already known: what intake matching should have
    caught. It differs from the first record in one way (its `variant`)."""
    first = victim.records[0]
    variant = pick(rng, DUPLICATE_VARIANTS)
    given, family = first.given_name, first.family_name
    dob = victim.date_of_birth
    code, where = victim.postcode, victim.address
    if variant == "typo_given":
        given = typo(rng, given)
    elif variant == "typo_family":
        family = typo(rng, family)
    elif variant == "changed_family":
        # Married, separated or back to her own name; sometimes both, hyphenated.
        other = family_name(rng, victim.name_groups[1], victim.gender)
        family = f"{family}-{other}" if rng.random() < 0.3 else other
    elif variant == "no_dob":
        dob = None
    elif variant == "new_postcode":
        move_house(rng, victim)
        code, where = victim.postcode, victim.address
    elif variant == "swapped_dob" and dob.day <= 12 and dob.day != dob.month:
        dob = dob.replace(day=dob.month, month=dob.day)
    else:
        variant = "spelling"
        given, family = respell(rng, given), respell(rng, family)
    record = PersonRecord(
        number=number,
        given_name=given,
        family_name=family,
        date_of_birth=dob,
        postcode=code,
        gender=first.gender,
        # Entered again by someone else: the equality fields are not always asked.
        ethnicity=first.ethnicity if rng.random() < 0.8 else Ethnicity.NOT_KNOWN,
        lgbt=first.lgbt if rng.random() < 0.8 else YesNoNotKnown.NOT_KNOWN,
        disabled=first.disabled if rng.random() < 0.8 else YesNoNotKnown.NOT_KNOWN,
        current_address=where,
        created_on=on,
        variant=variant,
    )
    victim.records.append(record)
    return record


_VOWELS = "aeiou"


def typo(rng: random.Random, name: str) -> str:
    """The name with one slip of the keyboard; the first letter is kept (people rarely get
    it wrong, and matching leans on it)."""
    if len(name) < 4:
        return name + name[-1]
    i = rng.randrange(1, len(name) - 1)
    kind = rng.randrange(4)
    if kind == 0 and name[i].isalpha() and name[i + 1].isalpha():
        changed = name[:i] + name[i + 1] + name[i] + name[i + 2 :]  # swapped letters
    elif kind == 1:
        changed = name[:i] + name[i + 1 :]  # a letter missed
    elif kind == 2:
        changed = name[:i] + name[i] + name[i:]  # a letter doubled
    else:
        vowel = next((j for j in range(1, len(name)) if name[j] in _VOWELS), None)
        if vowel is None:
            changed = name[:i] + name[i + 1 :]
        else:
            other = rng.choice([v for v in _VOWELS if v != name[vowel]])
            changed = name[:vowel] + other + name[vowel + 1 :]
    return changed if changed != name else name + "e"


def respell(rng: random.Random, name: str) -> str:
    """The same name written another way: case, accents, hyphens and apostrophes."""
    choice = rng.randrange(3)
    if choice == 0 and ("-" in name or "'" in name or " " in name):
        return name.replace("-", " ").replace("'", "")
    if choice == 1:
        plain = "".join(
            c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
        )
        if plain != name:
            return plain
    return name.upper() if rng.random() < 0.5 else name.lower()


def _perpetrator_age(rng: random.Random, victim_age: int) -> int:
    if rng.random() < 0.012:
        return rng.choice((16, 17))  # a teenage partner, or a son abusing a parent
    return max(18, min(85, victim_age + round(rng.gauss(2.5, 5))))


def new_perpetrator(rng: random.Random, victim: Victim, on: date) -> Perpetrator:
    """An alleged perpetrator of the victim: mostly men; a partner or ex-partner of about
    her age, sometimes with her family name."""
    if victim.gender == Gender.MALE:
        gender = pick(rng, ((Gender.FEMALE, 70), (Gender.MALE, 30)))
    else:
        gender = pick(rng, ((Gender.MALE, 93), (Gender.FEMALE, 6.5), (Gender.NOT_KNOWN, 0.5)))
    groups = victim.name_groups if rng.random() < 0.8 else (_B, _B)
    family = victim.family_name if rng.random() < 0.3 else family_name(rng, groups[1], gender)
    age = _perpetrator_age(rng, age_on(victim.date_of_birth, on))
    perpetrator = Perpetrator(
        given_name=given_name(rng, groups[0], gender),
        family_name=family,
        date_of_birth=date_of_birth(rng, age, on),
        gender=gender,
        dob_known=rng.random() < 0.85,
    )
    victim.perpetrators.append(perpetrator)
    return perpetrator


def as_recorded(rng: random.Random, perpetrator: Perpetrator) -> tuple[str, str, date | None]:
    """(given name, family name, date of birth) as one referral records the perpetrator:
    the date of birth not always known, and now and then a typo in the name."""
    given, family = perpetrator.given_name, perpetrator.family_name
    if rng.random() < 0.02:
        family = typo(rng, family)
    known = perpetrator.dob_known and rng.random() < 0.92
    return given, family, perpetrator.date_of_birth if known else None


def unreferred_record(rng: random.Random, number: int, on: date) -> PersonRecord:
    """A person on record without a referral in the period (for the region's million)."""
    victim = new_victim(rng, on)
    record = first_record(rng, victim, number, on)
    return record
