"""A backup restores whole: the procedure in docs/deploy.md ("Backups"), run for real.

pg_dump the test database, restore the dump into a new database, then check what the
document says to check: every table holds as many rows as the original, the schema is
this release's, the audit log's chain is unbroken, and the log is still append-only.
"""

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from saferhub.audit.services import record
from tests.production.postgres import database_url, program, requires_postgresql
from tests.production.server import environment
from tests.safeguarding.cases import make_referral, victim
from tests.strategy.plan import build_plan

pytestmark = requires_postgresql

SAFERHUB = str(Path(sys.executable).parent / "saferhub")
# Every table and its number of rows, as one query (the same query docs/deploy.md gives).
COUNT_EVERY_TABLE = """
    select string_agg(format('select %L, count(*) from %I', tablename, tablename),
                      ' union all ' order by tablename)
    from pg_tables where schemaname = 'public'
"""


def row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as database:
        (query,) = database.execute(COUNT_EVERY_TABLE).fetchone()
        return dict(database.execute(query).fetchall())


def run(*command: str, env: dict | None = None) -> str:
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}"
    return done.stdout


@contextmanager
def new_database(name: str):
    """An empty database beside the test database, dropped afterwards whatever happens."""
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quoted}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


def test_a_dump_restores_whole_with_its_audit_chain_intact(transactional_db, world, tmp_path):
    build_plan(world)
    referral = make_referral(world.police_officer, victim(world), yes=16)
    record(world.coordinator, "referral.viewed", referral)
    record(world.admin, "user.signed_in")
    dump = tmp_path / "saferhub.dump"

    run(program("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", database_url())

    name = f"{connection.settings_dict['NAME']}_restored"
    restored = database_url(name)
    with new_database(name):
        run(
            program("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            f"--dbname={restored}",
            str(dump),
        )

        original = row_counts(database_url())
        assert row_counts(restored) == original
        for table in ("partnership_user", "safeguarding_referral", "strategy_measure"):
            assert original[table] > 0, table
        entries = original["audit_auditevent"]
        assert entries >= 3

        env = environment(tmp_path, database=name)
        run(SAFERHUB, "migrate", "--check", env=env)
        verdict = run(SAFERHUB, "audit", "verify", env=env)
        assert verdict.startswith(f"Audit log intact: {entries:,} entries checked"), verdict

        # The triggers came back with the tables: the restored log is append-only too.
        with (
            psycopg.connect(restored) as database,
            pytest.raises(psycopg.errors.RaiseException, match="append-only"),
        ):
            database.execute("DELETE FROM audit_auditevent")
