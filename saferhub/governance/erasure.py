"""Erasing one person on request (UK GDPR Article 17), and checking that no copy survives.

`erase` removes the person and everything about them as a victim (deletion.py, in
dependency order, one transaction), empties the contents of any finished import file
that names them, and records "person.erased" with the person's id, the reason's code and
the ids of what went: never a name. It then looks for copies (`Check`s, shown to the
administrator):

* search: the intake's search (people.find_similar) offers no one with their name and
  date of birth, and no other record of the partnership has both (a duplicate that may
  be the same person: erase it too);
* exports: no referral about them is left, so the referrals list and anything exported
  from it (the MARAC return and reports hold counts only) cannot show them;
* files: no uploaded import file's contents name them;
* other cases' free text: their name in the discussion, research, actions or action
  updates of someone else's case is reported by record id, for a person to review (it is that case's
  record, so it is not changed here);
* named as an alleged perpetrator in another victim's referral: reported, and kept (it
  is that victim's case).

A file still being imported may add them again, so erasure is refused until it finishes.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.db import transaction
from django.db.models import Q

from saferhub.audit.services import record
from saferhub.governance import deletion
from saferhub.safeguarding import people
from saferhub.safeguarding.models import (
    ListedCase,
    Perpetrator,
    Person,
    Referral,
    ReferralImport,
    Research,
    SafetyAction,
    SafetyActionUpdate,
)

# Why a person is erased: a code for the log, since free text might hold a name.
REASONS = [
    ("person_asked", "The person asked for their data to be erased (UK GDPR Article 17)"),
    ("recorded_in_error", "The person was recorded in error, or is the wrong person"),
    ("court_order", "A court or the Information Commissioner ordered it"),
    ("other", "Another reason, recorded by information governance under the reference"),
]


class ErasureRefused(Exception):
    """The person cannot be erased now; the message says why and what to do."""


@dataclass(frozen=True)
class Check:
    what: str
    passed: bool
    detail: str


@dataclass
class Erasure:
    person_id: int
    erased: dict[str, list[int]]
    files_emptied: list[int]
    checks: list[Check] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    def named_counts(self) -> list[tuple[str, int]]:
        """What went, by record type in words: [("Referrals", 2), ...]."""
        return sorted(
            (apps.get_model(label)._meta.verbose_name_plural.capitalize(), len(ids))
            for label, ids in self.erased.items()
        )


@dataclass(frozen=True)
class Keys:
    """What identifies the person, held in memory only while the checks run."""

    partnership_id: int
    given: str
    family: str
    dob: date | None
    postcode: str

    @classmethod
    def of(cls, person: Person) -> "Keys":
        return cls(
            person.partnership_id,
            person.given_name,
            person.family_name,
            person.date_of_birth,
            person.postcode,
        )


# -- Files ----------------------------------------------------------------------------------


def _names_in(content: bytes, keys: Keys) -> bool:
    """Whether an import file names the person: a row with their given and family names
    (as the file's columns hold them), compared folded."""
    given, family = people.fold(keys.given), people.fold(keys.family)
    text = bytes(content).decode("utf-8-sig", errors="replace")
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            cells = {people.fold(cell) for cell in row}
            if given in cells and family in cells:
                return True
        return False
    except csv.Error:
        # Not a CSV we can read: err on the side of "it may".
        folded = people.fold(text)
        return given in folded and family in folded


def imports_naming(keys: Keys) -> list[ReferralImport]:
    """The partnership's import files whose contents (still held) name the person."""
    found = []
    held = ReferralImport.objects.filter(partnership_id=keys.partnership_id).exclude(content=b"")
    for upload in held.order_by("pk").iterator(chunk_size=10):
        if _names_in(upload.content, keys):
            found.append(upload)
    return found


def _unfinished(uploads: list[ReferralImport]) -> list[ReferralImport]:
    waiting = {ReferralImport.Status.QUEUED, ReferralImport.Status.RUNNING}
    return [upload for upload in uploads if upload.status in waiting]


# -- What will go ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    referrals: int
    open_cases: int
    listings: int
    research: int
    actions: int
    files: list[ReferralImport]

    @property
    def files_unfinished(self) -> list[ReferralImport]:
        return _unfinished(self.files)


def preview(person: Person) -> Preview:
    """What erasing the person would remove, counted."""
    referrals = Referral.objects.filter(victim=person)
    return Preview(
        referrals=referrals.count(),
        open_cases=referrals.filter(
            status__in=[Referral.Status.OPEN, Referral.Status.REFERRED]
        ).count(),
        listings=ListedCase.objects.filter(referral__victim=person).count(),
        research=Research.objects.filter(listed_case__referral__victim=person).count(),
        actions=SafetyAction.objects.filter(referral__victim=person).count(),
        files=imports_naming(Keys.of(person)),
    )


# -- Erasing --------------------------------------------------------------------------------


def erase(actor, person: Person, reason: str, reference: str = "") -> Erasure:
    """Erase the person and everything about them as a victim; check no copy survives."""
    if reason not in dict(REASONS):
        raise ValueError(f"Unknown reason {reason!r}")
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        keys = Keys.of(person)
        files = imports_naming(keys)
        unfinished = _unfinished(files)
        if unfinished:
            raise ErasureRefused(
                f"An import of referrals that names this person has not finished "
                f"(import {', '.join(str(u.pk) for u in unfinished)}): it could add them "
                "again. Erase them once it has finished."
            )
        person_id = person.pk
        referral_ids = list(Referral.objects.filter(victim=person).values_list("pk", flat=True))
        erased = deletion.delete_referrals(referral_ids)
        deletion.merge(erased, deletion.delete_people([person_id]))
        emptied = [upload.pk for upload in files]
        if emptied:
            ReferralImport.objects.filter(pk__in=emptied).update(content=b"", problems=[])
        done = Erasure(person_id, erased, emptied)
        done.checks = verify(actor, keys, person_id, referral_ids)
        record(
            actor,
            "person.erased",
            Person(pk=person_id),  # gone: the log keeps its id, never its content
            reason=reason,
            reference=reference,
            erased={label: ids for label, ids in sorted(erased.items())},
            files_emptied=emptied,
            checks={check.what: check.passed for check in done.checks},
        )
    return done


def verify(actor, keys: Keys, person_id: int, referral_ids: list[int]) -> list[Check]:
    """Look for any copy of the erased person; see the module's docstring."""
    return [
        _search(actor, keys, person_id),
        _exports(keys, person_id, referral_ids),
        _files(keys),
        _free_text(keys),
        _named_as_perpetrator(keys),
    ]


def _same_keys(keys: Keys) -> Q:
    same = Q(
        partnership_id=keys.partnership_id,
        folded_given=people.fold(keys.given),
        folded_family=people.fold(keys.family),
    )
    if keys.dob:
        same &= Q(date_of_birth=keys.dob) | Q(date_of_birth__isnull=True)
    return same


def _search(actor, keys: Keys, person_id: int) -> Check:
    offered = people.find_similar(actor, keys.given, keys.family, keys.dob, keys.postcode)
    offered_ids = {match.person.pk for match in offered}
    duplicates = sorted(Person.objects.filter(_same_keys(keys)).values_list("pk", flat=True))
    if person_id in offered_ids:
        return Check("Search", False, "The intake's search still offers the erased person.")
    if duplicates:
        ids = ", ".join(f"P{pk:06d}" for pk in duplicates)
        return Check(
            "Search",
            False,
            f"Another record has the same name and date of birth ({ids}). If it is the "
            "same person, erase it too.",
        )
    return Check(
        "Search",
        True,
        "The intake's search offers no one with their name and date of birth, and no other "
        "record of the partnership has both.",
    )


def _exports(keys: Keys, person_id: int, referral_ids: list[int]) -> Check:
    left = Referral.objects.filter(Q(pk__in=referral_ids) | Q(victim_id=person_id)).count()
    if left:
        return Check("Exports", False, f"{left} referral(s) about them are still listed.")
    return Check(
        "Exports",
        True,
        "No referral about them is left, so the referrals list cannot show them; the MARAC "
        "return and the reports are counts, which no longer include them.",
    )


def _files(keys: Keys) -> Check:
    left = imports_naming(keys)
    if left:
        ids = ", ".join(str(upload.pk) for upload in left)
        return Check("Files", False, f"Import files still name them: {ids}.")
    return Check("Files", True, "No uploaded import file's contents name them.")


_FREE_TEXT = (
    (ListedCase, "meeting__partnership_id", ("discussion",)),
    (Research, "listed_case__meeting__partnership_id", ("summary",)),
    (SafetyAction, "referral__partnership_id", ("description", "update")),
    (SafetyActionUpdate, "action__referral__partnership_id", ("text",)),
    (Referral, "partnership_id", ("judgement_reason", "sharing_reason", "why_not_eligible")),
)


def _free_text(keys: Keys) -> Check:
    found = []
    for model, partnership, fields in _FREE_TEXT:
        mentions = Q(pk__in=[])
        for name in fields:
            mentions |= Q(**{f"{name}__icontains": keys.given}) & Q(
                **{f"{name}__icontains": keys.family}
            )
        ids = model.objects.filter(mentions, **{partnership: keys.partnership_id})
        found += [f"{model._meta.verbose_name} {pk}" for pk in ids.values_list("pk", flat=True)]
    if found:
        return Check(
            "Other cases' free text",
            False,
            f"Their name appears in {len(found)} record(s) of other cases ({', '.join(found)}). "
            "Those belong to other people's cases and were not changed: review them and "
            "remove the name where it is not needed.",
        )
    return Check("Other cases' free text", True, "No other case's free text names them.")


def _named_as_perpetrator(keys: Keys) -> Check:
    named = Perpetrator.objects.filter(
        referral__partnership_id=keys.partnership_id,
        folded_name=people.fold(keys.given) + people.fold(keys.family),
    )
    if keys.dob:
        named = named.filter(Q(date_of_birth=keys.dob) | Q(date_of_birth__isnull=True))
    count = named.count()
    if count:
        return Check(
            "Named as an alleged perpetrator",
            True,
            f"{count} other victim's referral(s) name someone with their name as an alleged "
            "perpetrator. They are kept: they are part of another victim's case.",
        )
    return Check("Named as an alleged perpetrator", True, "No referral names them so.")
