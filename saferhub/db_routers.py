"""Reads for the dashboards and reports from a PostgreSQL read replica, when there is one.

With DATABASE_REPLICA_URL set, settings add a "replica" database and this router. The
replica is only read, and only where a few seconds' lag cannot mislead anyone:

- in a GET or HEAD request for one of REPLICA_PAGES (the strategy dashboards, their
  exports and the annual report page), and in the tasks named in REPLICA_TASKS (the
  report generated in the background);
- for the strategy's and the reports' models only (the figures, targets and measures
  those pages are made of), never a generated report's own row, which the worker reads
  moments after the web page made it;
- until that request or task writes anything (other than the bookkeeping below): from
  then on it reads its own writes from the primary.

Everything else reads and writes the primary ("default"): every POST, every write and
every read made for a write (select_for_update, get_or_create), sessions, users and their
roles (so a role taken away counts at once), safeguarding cases, the task queue, and the
audit log, whose chain must be read where it is written. Access decisions still hold on
the replica: a scope rule is part of the query it filters, so it runs on the same
database as the records it guards.
"""

from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.urls import Resolver404, resolve
from django_tasks.signals import task_finished, task_started

REPLICA = "replica"
PRIMARY = "default"

# URL names of the pages whose reads may come from the replica (GET and HEAD only).
REPLICA_PAGES = frozenset(
    {
        "strategies",
        "overview",
        "priority",
        "measure",
        "measure-export",
        "priority-export",
        "annual-reports",
        "annual-report",
    }
)
# Tasks (module paths) whose reads may come from the replica.
REPLICA_TASKS = frozenset({"saferhub.reports.tasks.generate_report"})
# The apps whose models those pages and tasks read from the replica...
REPLICA_APPS = frozenset({"strategy", "reports"})
# ...except these, read back at once after they are written.
PRIMARY_ONLY = frozenset({"reports.generatedreport"})
# Writes that do not end a request's reads from the replica: they change nothing those
# pages and tasks read (an audit entry for a page viewed, the session, a report's progress).
BOOKKEEPING = frozenset(
    {
        "audit.auditevent",
        "sessions.session",
        "reports.generatedreport",
        "django_tasks_db.dbtaskresult",
    }
)

# May the request or task in hand read from the replica? Set when it starts; one
# request or task at a time per thread (gunicorn's sync workers, the db_worker).
_reads_from_replica: ContextVar[bool] = ContextVar("reads_from_replica", default=False)


def has_replica() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        label = model._meta.label_lower
        if (
            _reads_from_replica.get()
            and model._meta.app_label in REPLICA_APPS
            and label not in PRIMARY_ONLY
            and has_replica()
        ):
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints) -> str:
        if model._meta.label_lower not in BOOKKEEPING:
            # Read your writes: the rest of this request or task reads the primary.
            _reads_from_replica.set(False)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # One database's rows and its copy's: a figure read from the replica may be
        # linked to a row saved on the primary.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool | None:
        # PostgreSQL copies the primary's schema to the replica; never migrate it.
        return False if db == REPLICA else None


def reading_from_replica() -> bool:
    """Whether reads of the replica's models in hand go to the replica (for tests and logs)."""
    return _reads_from_replica.get() and has_replica()


def on_request_started(sender, environ=None, **kwargs) -> None:
    _reads_from_replica.set(environ is not None and _replica_page(environ))


def _replica_page(environ: dict) -> bool:
    if environ.get("REQUEST_METHOD") not in {"GET", "HEAD"}:
        return False
    try:
        match = resolve(environ.get("PATH_INFO", ""))
    except Resolver404:
        return False
    return match.url_name in REPLICA_PAGES


def on_task_started(sender, task_result, **kwargs) -> None:
    _reads_from_replica.set(task_result.task.module_path in REPLICA_TASKS)


def on_finished(sender, **kwargs) -> None:
    _reads_from_replica.set(False)


# Connected when Django first loads the router (the first query of a process): a
# process's first request may read the primary only, which is always safe.
request_started.connect(on_request_started, dispatch_uid="saferhub.db_routers.request")
request_finished.connect(on_finished, dispatch_uid="saferhub.db_routers.request_finished")
task_started.connect(on_task_started, dispatch_uid="saferhub.db_routers.task")
task_finished.connect(on_finished, dispatch_uid="saferhub.db_routers.task_finished")
