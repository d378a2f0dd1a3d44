"""The read replica (saferhub/db_routers.py): the dashboards and reports read it; writes,
everything else and the audit log stay on the primary.

The replica here is the test database itself under a second alias (Django's TEST MIRROR,
as settings make it when DATABASE_REPLICA_URL is set): the queries show which alias ran
them, which is what the router decides.
"""

import json
import os
import subprocess
import sys
from datetime import date
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connections
from django.test.utils import CaptureQueriesContext

from saferhub import db_routers
from saferhub.audit.models import AuditEvent
from saferhub.db_routers import PRIMARY, REPLICA, ReplicaRouter
from saferhub.partnership.models import User
from saferhub.reports import generation
from saferhub.reports.models import GeneratedReport, Highlight
from saferhub.safeguarding.models import Referral
from saferhub.strategy.models import Measure, MeasureValue, PartnerReturn, Target
from tests.strategy.figures import police_quarter
from tests.strategy.plan import build_plan

ROUTER = ["saferhub.db_routers.ReplicaRouter"]
DASHBOARD = "/strategy/2022-25/measures/da-incidents/"


@pytest.fixture(scope="module")
def replica(django_db_setup, django_db_blocker):
    """A "replica" database alias mirroring the test database, for this module's tests."""
    databases = django_settings.DATABASES
    assert databases is connections.settings  # one dict: the alias reaches both
    databases[REPLICA] = {
        **connections[PRIMARY].settings_dict,
        "TEST": {**connections[PRIMARY].settings_dict["TEST"], "MIRROR": PRIMARY},
    }
    yield REPLICA
    with django_db_blocker.unblock():
        connections[REPLICA].close()
    del connections[REPLICA]
    del databases[REPLICA]


@pytest.fixture
def router(replica, settings):
    settings.DATABASE_ROUTERS = ROUTER
    yield ReplicaRouter()
    db_routers.on_finished(sender=None)  # leave no replica reads behind for other tests


# The router's signal receivers, called directly: the real signals' other receivers want a
# database or a real task. test_a_dashboard_and_the_report_worker_read_the_replica sends
# the real ones.
def start_request(method: str, path: str) -> None:
    db_routers.on_request_started(None, environ={"REQUEST_METHOD": method, "PATH_INFO": path})


def finish() -> None:
    db_routers.on_finished(sender=None)


def start_task(path: str) -> None:
    db_routers.on_task_started(None, SimpleNamespace(task=SimpleNamespace(module_path=path)))


def test_settings_add_the_replica_from_database_replica_url(tmp_path):
    def load(**env):
        clean = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
        clean.update(SAFERHUB_VAR_DIR=str(tmp_path), **env)
        return subprocess.run(
            [
                sys.executable,
                "-c",
                "import json, saferhub.settings as s; print(json.dumps("
                "[sorted(s.DATABASES), s.DATABASES.get('replica', {}).get('HOST'),"
                " s.DATABASES.get('replica', {}).get('TEST'), s.DATABASE_ROUTERS]))",
            ],
            env=clean,
            capture_output=True,
            text=True,
            check=False,
        )

    primary = "postgres://saferhub@db.internal/saferhub"
    with_replica = load(
        DATABASE_URL=primary, DATABASE_REPLICA_URL="postgres://saferhub@replica.internal/saferhub"
    )
    assert with_replica.returncode == 0, with_replica.stderr
    assert json.loads(with_replica.stdout) == [
        ["default", "replica"],
        "replica.internal",
        {"MIRROR": "default"},
        ROUTER,
    ]
    without = load(DATABASE_URL=primary)
    assert json.loads(without.stdout) == [["default"], None, None, []]
    on_sqlite = load(DATABASE_REPLICA_URL="postgres://saferhub@replica.internal/saferhub")
    assert "DATABASE_REPLICA_URL needs PostgreSQL" in on_sqlite.stderr


def test_dashboard_pages_read_the_figures_from_the_replica(router):
    start_request("GET", DASHBOARD)
    for model in (MeasureValue, Measure, Target, PartnerReturn, Highlight):
        assert router.db_for_read(model) == REPLICA, model
    # Who the user is, their session and roles, cases, reports being made, the audit log:
    for model in (User, Session, Referral, GeneratedReport, AuditEvent):
        assert router.db_for_read(model) == PRIMARY, model
    for model in (MeasureValue, AuditEvent, User):
        assert router.db_for_write(model) == PRIMARY, model


@pytest.mark.parametrize(
    "method, path",
    [
        ("POST", DASHBOARD),  # not that it takes one: no POST reads the replica
        ("GET", "/strategy/2022-25/returns/"),  # a return's figures, about to be changed
        ("GET", "/safeguarding/referrals/"),
        ("GET", "/no/such/page/"),
    ],
)
def test_other_requests_read_the_primary(router, method, path):
    start_request(method, path)
    assert router.db_for_read(MeasureValue) == PRIMARY


def test_a_request_that_writes_reads_its_writes_from_the_primary(router):
    start_request("GET", DASHBOARD)
    router.db_for_write(AuditEvent)  # a page viewed: bookkeeping, the figures are unchanged
    router.db_for_write(Session)
    assert router.db_for_read(MeasureValue) == REPLICA
    router.db_for_write(MeasureValue)
    assert router.db_for_read(MeasureValue) == PRIMARY
    finish()
    start_request("GET", DASHBOARD)  # the next request starts afresh
    assert router.db_for_read(MeasureValue) == REPLICA
    finish()
    assert router.db_for_read(MeasureValue) == PRIMARY  # between requests: the primary


def test_the_report_task_reads_the_replica_other_tasks_do_not(router):
    start_task("saferhub.reports.tasks.generate_report")
    assert router.db_for_read(MeasureValue) == REPLICA
    assert router.db_for_read(GeneratedReport) == PRIMARY
    finish()
    assert router.db_for_read(MeasureValue) == PRIMARY
    start_task("saferhub.imports.tasks.anything_else")
    assert router.db_for_read(MeasureValue) == PRIMARY


def test_the_replica_is_never_migrated_and_its_rows_relate_to_the_primarys(router, db):
    assert router.allow_migrate(REPLICA, "strategy") is False
    assert router.allow_migrate(PRIMARY, "strategy") is None
    read, written = Measure(), MeasureValue()
    read._state.db, written._state.db = REPLICA, PRIMARY
    assert router.allow_relation(read, written) is True


def test_without_a_replica_everything_reads_the_primary(monkeypatch):
    monkeypatch.delitem(django_settings.DATABASES, REPLICA, raising=False)
    start_request("GET", DASHBOARD)
    try:
        assert not db_routers.reading_from_replica()
        assert ReplicaRouter().db_for_read(MeasureValue) == PRIMARY
    finally:
        finish()


def _tables(queries) -> str:
    return " ".join(query["sql"] for query in queries)


@pytest.mark.django_db(transaction=True, databases=[PRIMARY, REPLICA])
def test_a_dashboard_and_the_report_worker_read_the_replica(router, client, world):
    plan = build_plan(world)
    police_quarter(plan, world, "2023/24-Q1", 420, 126)
    client.force_login(world.analyst)

    with (
        CaptureQueriesContext(connections[PRIMARY]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        page = client.get(DASHBOARD + "?as_of=2023-07-15")
    assert page.status_code == 200
    assert "420" in page.content.decode()
    assert '"strategy_measurevalue"' in _tables(replica)
    assert '"strategy_' not in _tables(primary)  # the session and the user only
    assert '"django_session"' in _tables(primary)

    with CaptureQueriesContext(connections[REPLICA]) as replica:
        assert client.get("/strategy/2022-25/returns/").status_code == 200
    assert not replica.captured_queries

    # The worker builds the report from the replica, and keeps it on the primary.
    generated = generation.request(world.analyst, plan.strategy, date(2024, 3, 31), "html")
    with (
        CaptureQueriesContext(connections[PRIMARY]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    generated.refresh_from_db()
    assert generated.status == GeneratedReport.Status.DONE, generated.error
    assert '"strategy_measurevalue"' in _tables(replica)
    assert '"reports_generatedreport"' not in _tables(replica)
    assert '"audit_auditevent"' not in _tables(replica)
    assert '"reports_generatedreport"' in _tables(primary)
