"""Deleting a victim's cases and everything hanging off them, in the order the foreign keys
need (several are PROTECT, which PostgreSQL enforces): a case's safety-plan actions first
(they protect their referral and the listing that agreed them; their updates go with
them), then its listings at
meetings (their research goes with them), then the referrals (their DASH answers,
perpetrators and break-glass records go with them), then people.

Each step runs Django's deletion Collector, so whatever cascades is found and its ids
returned for the audit log. A ProtectedError means a new model holds on to a case: add it
to the order here; never force it. Callers run this inside one transaction.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import router
from django.db.models import QuerySet
from django.db.models.deletion import Collector

from saferhub.safeguarding.models import ListedCase, Person, Referral, SafetyAction

Deleted = dict[str, list[int]]  # model label ("safeguarding.referral") -> ids
# Rows derived from the others (which agencies may see a case: safeguarding/case_access.py)
# go with their case but are no record of anyone's: not counted as erased.
DERIVED = {"safeguarding.caseaccess"}
CHUNK = 500


def delete(queryset: QuerySet) -> Deleted:
    """Delete the rows and their cascade; every row deleted, by model label."""
    using = router.db_for_write(queryset.model)
    collector = Collector(using=using, origin=queryset)
    collector.collect(queryset)
    found: Deleted = defaultdict(list)
    for model, instances in collector.data.items():
        found[model._meta.label_lower] += [instance.pk for instance in instances]
    for fast in collector.fast_deletes:
        found[fast.model._meta.label_lower] += list(fast.values_list("pk", flat=True))
    collector.delete()
    return {label: sorted(ids) for label, ids in found.items() if ids and label not in DERIVED}


def merge(into: Deleted, more: Deleted) -> Deleted:
    for label, ids in more.items():
        into.setdefault(label, []).extend(ids)
    return into


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def delete_referrals(referral_ids: Iterable[int]) -> Deleted:
    """Delete these referrals and everything about them, in dependency order."""
    deleted: Deleted = {}
    for chunk in _chunks(sorted(set(referral_ids))):
        merge(deleted, delete(SafetyAction.objects.filter(referral_id__in=chunk)))
        merge(deleted, delete(ListedCase.objects.filter(referral_id__in=chunk)))
        merge(deleted, delete(Referral.objects.filter(pk__in=chunk)))
    return deleted


def delete_people(person_ids: Iterable[int]) -> Deleted:
    """Delete people (their referrals must be gone already: Referral.victim is PROTECT)."""
    deleted: Deleted = {}
    for chunk in _chunks(sorted(set(person_ids))):
        merge(deleted, delete(Person.objects.filter(pk__in=chunk)))
    return deleted
