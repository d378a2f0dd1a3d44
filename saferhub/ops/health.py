"""The checks behind /readyz. Each answers True (fine) or False; none reveals data.

"The task worker is reachable" means, honestly, what the database can tell us:
django-tasks-db keeps its queue in a table and its workers leave no heartbeat, so
the check is that the queue table can be read and that no task has been waiting
to run for longer than SAFERHUB_READY_MAX_QUEUE_AGE seconds (default 300). A
queue with nothing in it passes even if no worker runs: nothing is waiting.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger("saferhub.ops")


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("readiness: the database did not answer", exc_info=True)
        return False


def task_queue_moving() -> bool:
    from django_tasks_db.models import DBTaskResult, get_date_max

    cutoff = timezone.now() - timedelta(seconds=settings.SAFERHUB_READY_MAX_QUEUE_AGE)
    try:
        # Runnable since before the cutoff: queued then with no delay, or delayed
        # until a time before it.
        stuck = (
            DBTaskResult.objects.ready()
            .filter(Q(run_after=get_date_max(), enqueued_at__lt=cutoff) | Q(run_after__lt=cutoff))
            .exists()
        )
    except DatabaseError:
        logger.warning("readiness: the task queue could not be read", exc_info=True)
        return False
    if stuck:
        logger.warning("readiness: a task has waited longer than the allowed queue age")
    return not stuck


CHECKS = {"database": database_answers, "tasks": task_queue_moving}


def run_checks() -> dict[str, str]:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        if name != "database" and results.get("database") == "unavailable":
            results[name] = "not checked"
            continue
        results[name] = "ok" if check() else "unavailable"
    return results
