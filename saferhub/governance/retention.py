"""Retention: erasing what the partnership no longer needs, by record type.

The periods are settings (settings.py; defaults in brackets):

* a MARAC case, `SAFERHUB_RETAIN_CLOSED_CASE_YEARS` (6) years after it closed: the
  referral with its DASH answers, perpetrators, listings at meetings, research and
  safety-plan actions with their updates. A case is a chain of repeat referrals
  (safety_plans.py) that closes as one; a referral is kept while any referral of its chain
  is kept.
* a referral recorded as not eligible, `SAFERHUB_RETAIN_NOT_ELIGIBLE_YEARS` (2) years
  after it was made (long enough for the next referral and a year's figures to see it);
* a person, once no referral about them is left;
* an uploaded referral file's contents (ReferralImport.content and its problems, which
  quote lines of it), `SAFERHUB_RETAIN_IMPORT_FILES_DAYS` (30) days after it was
  uploaded, once the import has finished (the import empties it itself; this is the
  backstop). The row (file name, counts, status) stays.

Referrals waiting to be heard and open cases are never erased. Meetings stay (a date and
the agencies invited, no victim). The audit log is never touched: it holds ids only.

`run(as_of)` erases everything expired on `as_of` in one transaction and logs one
"retention.erased" entry per record type with the count and the ids; nothing expired,
nothing logged, so running it again does nothing. `dry_run` does the same work and rolls
it back: its counts are exactly what a run would erase.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from saferhub.audit.services import record
from saferhub.governance import deletion
from saferhub.safeguarding.models import Person, Referral, ReferralImport
from saferhub.safeguarding.repeats import months_before

IMPORT_CONTENTS = "safeguarding.referralimport"


@dataclass(frozen=True)
class Policy:
    closed_case_years: int
    not_eligible_years: int
    import_file_days: int

    @classmethod
    def from_settings(cls) -> "Policy":
        return cls(
            settings.SAFERHUB_RETAIN_CLOSED_CASE_YEARS,
            settings.SAFERHUB_RETAIN_NOT_ELIGIBLE_YEARS,
            settings.SAFERHUB_RETAIN_IMPORT_FILES_DAYS,
        )

    def rules(self) -> dict[str, str]:
        """Why each record type goes, in words, for the log and the command's output."""
        cases = (
            f"closed more than {self.closed_case_years} years before, or not eligible and "
            f"referred more than {self.not_eligible_years} years before"
        )
        return {
            "safeguarding.referral": cases,
            "safeguarding.person": "no referral about them left",
            IMPORT_CONTENTS: f"file contents uploaded more than {self.import_file_days} days "
            "before, the import finished",
        }


@dataclass
class Outcome:
    as_of: date
    dry_run: bool
    erased: dict[str, list[int]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {label: len(ids) for label, ids in sorted(self.erased.items())}

    def __str__(self) -> str:
        verb = "Would erase" if self.dry_run else "Erased"
        if not self.erased:
            return f"Nothing has expired on {self.as_of}."
        lines = [f"{verb}, as of {self.as_of}:"]
        for label, count in self.counts().items():
            what = "import files' contents" if label == IMPORT_CONTENTS else label
            lines.append(f"  {what}: {count}")
        return "\n".join(lines)


def expired_referrals(as_of: date, policy: Policy) -> set[int]:
    """The referrals whose retention has ended on `as_of`, whole repeat chains only."""
    closed_before = months_before(as_of, 12 * policy.closed_case_years)
    not_eligible_before = months_before(as_of, 12 * policy.not_eligible_years)
    expired = set(
        Referral.objects.filter(
            Q(status=Referral.Status.CLOSED, closed_on__lt=closed_before)
            | Q(status=Referral.Status.NOT_ELIGIBLE, referred_on__lt=not_eligible_before)
        ).values_list("pk", flat=True)
    )
    # A chain is kept whole: drop any referral linked (as a repeat, either way) to one
    # that is kept, until nothing changes.
    links = list(Referral.objects.filter(repeat_of__isnull=False).values_list("pk", "repeat_of_id"))
    changed = True
    while changed:
        changed = False
        for later, earlier in links:
            if (later in expired) != (earlier in expired):
                expired.discard(later)
                expired.discard(earlier)
                changed = True
    return expired


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _import_contents(as_of: date, policy: Policy) -> list[int]:
    """Finished imports uploaded before the cutoff whose contents are still held."""
    uploaded_before = _start_of(as_of - timedelta(days=policy.import_file_days))
    return list(
        ReferralImport.objects.filter(
            created_at__lt=uploaded_before,
            status__in=[ReferralImport.Status.SUCCEEDED, ReferralImport.Status.FAILED],
        )
        .exclude(content=b"", problems=[])
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def run(as_of: date | None = None, *, dry_run: bool = False, policy: Policy | None = None):
    """Erase what has expired on `as_of` (today by default); see the module's docstring."""
    as_of = as_of or timezone.localdate()
    policy = policy or Policy.from_settings()
    outcome = Outcome(as_of, dry_run)
    with transaction.atomic():
        erased = deletion.delete_referrals(expired_referrals(as_of, policy))
        # People with nothing left: those whose referrals just went, and any left before.
        # A person is saved with their first referral, in one transaction, so none is
        # caught between the two; and no one can reach a person without a referral
        # (safeguarding/scopes.py), so none is being referred again as this runs.
        orphans = Person.objects.filter(
            ~Exists(Referral.objects.filter(victim_id=OuterRef("pk")))
        ).values_list("pk", flat=True)
        deletion.merge(erased, deletion.delete_people(list(orphans)))
        emptied = _import_contents(as_of, policy)
        if emptied:
            ReferralImport.objects.filter(pk__in=emptied).update(content=b"", problems=[])
            erased[IMPORT_CONTENTS] = emptied
        outcome.erased = {label: sorted(ids) for label, ids in erased.items() if ids}
        if dry_run:
            transaction.set_rollback(True)
            return outcome
        rules = policy.rules()
        for label, ids in sorted(outcome.erased.items(), key=_log_order):
            record(
                None,
                "retention.erased",
                None,
                record_type=label,
                count=len(ids),
                ids=ranges(ids),
                as_of=as_of.isoformat(),
                rule=rules.get(label, "with the expired referrals"),
            )
    return outcome


def _log_order(item: tuple[str, list[int]]) -> tuple[int, str]:
    first = ("safeguarding.referral", "safeguarding.person", IMPORT_CONTENTS)
    label = item[0]
    return (first.index(label) if label in first else len(first), label)


def ranges(ids: list[int]) -> str:
    """Ids as runs, "1-24, 30, 41-43": exact, and short for rows made together (a
    referral's 24 DASH answers are consecutive)."""
    runs: list[list[int]] = []
    for pk in sorted(ids):
        if runs and pk == runs[-1][1] + 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])
    return ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in runs)
