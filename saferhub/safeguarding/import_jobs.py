"""Importing referral history from the coordinator's page: the uploaded file kept in a
ReferralImport, imported by the task worker (tasks.py) through importing.import_referrals,
its progress kept on the row for the status page to poll; the file emptied once done."""

import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.utils import timezone

from saferhub.access.permissions import Action, can
from saferhub.audit.services import record
from saferhub.safeguarding import import_file, importing
from saferhub.safeguarding.import_file import ImportProblems, Problem
from saferhub.safeguarding.models import ReferralImport

log = logging.getLogger(__name__)

# 100,000 rows of history are about 30 MB.
# Problems kept on the row; more are counted in one last entry.
STORED_PROBLEMS = 1000

Status = ReferralImport.Status


def max_bytes() -> int:
    return settings.SAFERHUB_IMPORT_MAX_BYTES


def request(user, filename: str, data: bytes) -> ReferralImport:
    """Queue an uploaded file for the worker. Its encoding and header are checked now
    (ImportProblems), so that a wrong file is refused on the page; its rows by the worker."""
    import_file.check_upload(data)
    from saferhub.safeguarding.tasks import import_referral_history

    job = ReferralImport.objects.create(
        partnership=user.agency.partnership,
        started_by=user,
        filename=filename[:200],
        content=data,
    )
    record(user, "referrals.import_queued", job, size=len(data))
    # Enqueued once the row is committed, so the worker always finds it.
    transaction.on_commit(lambda: import_referral_history.enqueue(job.id))
    return job


def run(import_id: int) -> None:
    """The task's work: import the file all or nothing, keeping progress on the row."""
    job = (
        ReferralImport.objects.select_related("started_by__agency__partnership")
        .defer("content")
        .get(pk=import_id)
    )
    if job.status in (Status.SUCCEEDED, Status.FAILED):
        return  # a retried task must not import twice
    user = job.started_by
    partnership_id = user.agency.partnership_id if user.agency_id else None
    if not (can(user, Action.IMPORT_REFERRALS) and partnership_id == job.partnership_id):
        _finish(job, Status.FAILED, [Problem(None, None, _no_longer_allowed(user))])
        return
    ReferralImport.objects.filter(pk=job.pk).update(status=Status.RUNNING)
    data = bytes(ReferralImport.objects.values_list("content", flat=True).get(pk=job.pk))
    progress = _ProgressWriter(job.pk)
    try:
        result = importing.import_referrals(user, data, progress=progress, target=job)
    except ImportProblems as error:
        _finish(job, Status.FAILED, error.problems)
        return
    except Exception:
        log.exception("referral import %s failed", import_id)
        message = (
            "Something went wrong while importing the file, and nothing was saved. It has "
            "been logged for the administrators; try again later."
        )
        _finish(job, Status.FAILED, [Problem(None, None, message)])
        raise
    finally:
        progress.close()
    ReferralImport.objects.filter(pk=job.pk).update(
        status=Status.SUCCEEDED,
        created=result.as_dict(),
        rows_done=result.rows,
        rows_total=result.rows,
        content=b"",
        finished_at=timezone.now(),
    )


def _no_longer_allowed(user) -> str:
    return (
        f"{user.get_full_name() or user.username} may no longer import referrals for this "
        "partnership, so nothing was imported."
    )


def _finish(job: ReferralImport, status: str, problems: list[Problem]) -> None:
    stored = [problem.as_dict() for problem in problems[:STORED_PROBLEMS]]
    if len(problems) > STORED_PROBLEMS:
        more = len(problems) - STORED_PROBLEMS
        stored.append(
            Problem(
                None, None, f"and {more:,} more problems, not listed: fix these first"
            ).as_dict()
        )
    ReferralImport.objects.filter(pk=job.pk).update(
        status=status, problems=stored, content=b"", finished_at=timezone.now()
    )


class _ProgressWriter:
    """Writes an import's progress where the status page can read it while the import's
    own transaction is still open: through a second connection, on PostgreSQL. SQLite has
    one writer at a time, so there the page sees the figures when the import ends.

    The import's transaction never touches the ReferralImport row, so the two never wait
    for each other."""

    def __init__(self, import_id: int):
        self.import_id = import_id
        alias = router.db_for_write(ReferralImport) or DEFAULT_DB_ALIAS
        self.connection = None
        if connections[alias].vendor == "postgresql":
            self.connection = connections.create_connection(alias)
        meta = ReferralImport._meta
        quote = connections[alias].ops.quote_name
        table, pk = quote(meta.db_table), quote(meta.pk.column)
        done, total = (quote(meta.get_field(name).column) for name in ("rows_done", "rows_total"))
        # Names from the model, quoted; the values are parameters.
        self.sql = f"UPDATE {table} SET {done} = %s, {total} = %s WHERE {pk} = %s"  # noqa: S608

    def __call__(self, done: int, total: int) -> None:
        if self.connection is None:
            return
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, [done, total, self.import_id])

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
