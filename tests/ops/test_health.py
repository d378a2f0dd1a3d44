"""/healthz and /readyz: public, no personal data, never cached."""

import json
from datetime import timedelta

from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max


def _queued_task(enqueued_minutes_ago: int, run_after=None) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="saferhub.reports.tasks.generate",
        queue_name="default",
        backend_name="default",
        run_after=run_after or get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - timedelta(minutes=enqueued_minutes_ago)
    )
    return task


def test_healthz_answers_without_sign_in_or_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_healthz_refuses_a_post(client, db):
    assert client.post("/healthz").status_code == 405


def test_readyz_is_ok_when_the_database_answers_and_the_queue_moves(client, db):
    _queued_task(enqueued_minutes_ago=1)  # waiting, but not for long
    response = client.get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_names_the_database_when_it_does_not_answer(db, client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", unreachable)
        response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "checks": {"database": "unavailable", "tasks": "not checked"},
    }
    assert response["Cache-Control"] == "no-store"


def test_readyz_names_the_task_queue_when_a_task_is_stuck(client, db, settings):
    settings.SAFERHUB_READY_MAX_QUEUE_AGE = 5 * 60
    _queued_task(enqueued_minutes_ago=6)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "checks": {"database": "ok", "tasks": "unavailable"},
    }


def test_a_task_scheduled_for_later_is_not_stuck(client, db):
    _queued_task(enqueued_minutes_ago=60, run_after=timezone.now() + timedelta(hours=1))
    assert client.get("/readyz").status_code == 200


def test_a_finished_or_running_task_is_not_stuck(client, db):
    task = _queued_task(enqueued_minutes_ago=60)
    DBTaskResult.objects.filter(pk=task.pk).update(status="RUNNING")
    assert client.get("/readyz").status_code == 200
