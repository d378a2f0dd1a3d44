"""The audit log is a hash chain, append-only, and `saferhub audit verify` names a break."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from saferhub.audit import chain
from saferhub.audit import services as audit
from saferhub.audit.append_only import maintenance
from saferhub.audit.models import AuditEvent


def _log(world, count=3) -> list[AuditEvent]:
    return [
        audit.record(world.police_officer, "test.made", world.police, n=n) for n in range(count)
    ]


def test_each_entry_is_chained_to_the_one_before(world):
    before = AuditEvent.objects.order_by("id").last()
    first, second, third = _log(world)
    assert first.previous_hash == (before.hash if before else chain.GENESIS)
    assert second.previous_hash == first.hash and third.previous_hash == second.hash
    assert third.hash == chain.hash_of(AuditEvent.objects.get(pk=third.pk))
    assert len(third.hash) == 64


def test_verify_passes_on_an_intact_log(world, capsys):
    _log(world)
    verdict = chain.verify()
    assert verdict.intact and verdict.checked == AuditEvent.objects.count()
    call_command("audit", "verify")
    assert "Audit log intact" in capsys.readouterr().out


def _tamper(sql: str, params) -> None:
    with transaction.atomic(), maintenance(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_altered_entry_is_named(world):
    _, forged, _ = _log(world)
    _tamper("UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"n": 99}', forged.pk])
    verdict = chain.verify()
    assert not verdict.intact and verdict.broken_id == forged.pk
    assert "does not match its contents" in verdict.reason
    with pytest.raises(CommandError, match=f"broken at entry #{forged.pk} .*test.made"):
        call_command("audit", "verify")


def test_a_removed_entry_is_named_by_the_one_after_it(world):
    _, removed, after = _log(world)
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [removed.pk])
    verdict = chain.verify()
    assert verdict.broken_id == after.pk and "does not follow" in verdict.reason


def test_an_inserted_entry_with_a_made_up_hash_is_named(world):
    last = _log(world)[-1]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (at, agency_code, verb, target_type, target_id, data,"
            " previous_hash, hash) VALUES (%s, '', 'forged.entry', '', '', '{}', %s, %s)",
            [last.at, last.hash, "f" * 64],
        )
    verdict = chain.verify()
    assert not verdict.intact and verdict.broken_verb == "forged.entry"


def test_the_orm_refuses_to_change_or_remove_entries(world):
    event = _log(world, 1)[0]
    event.verb = "test.changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(verb="test.changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(ValueError, match="record"):
        AuditEvent.objects.create(verb="test.unchained")


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET verb = 'test.changed' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_or_remove_entries(world, sql):
    event = _log(world, 1)[0]
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).verb == "test.made"


def test_postgresql_refuses_truncate_and_revoked_the_privileges(world):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE audit_auditevent")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants"
            " WHERE table_name = 'audit_auditevent' AND grantee = current_user"
        )
        privileges = {row[0] for row in cursor.fetchall()}
    assert privileges and not privileges & {"UPDATE", "DELETE", "TRUNCATE"}


def test_two_entries_can_never_follow_the_same_one(world):
    first = _log(world, 1)[0]
    twin = AuditEvent(verb="test.twin", previous_hash=first.previous_hash, at=first.at)
    twin.hash = chain.hash_of(twin)
    with pytest.raises(DatabaseError), transaction.atomic():
        twin.save()


def test_appending_takes_the_chain_lock(world):
    _log(world, 1)
    with transaction.atomic():
        audit.lock_the_chain()
        assert audit.last_hash() == AuditEvent.objects.order_by("id").last().hash


def test_concurrent_writers_keep_one_chain(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's test database is one in-memory connection")
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def write(n):
        try:
            for i in range(25):
                audit.record(None, "test.concurrent", writer=n, i=i)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(write, range(4)))
    assert AuditEvent.objects.filter(verb="test.concurrent").count() == 100
    assert chain.verify().intact


def test_the_demo_may_backdate_its_invented_history_and_the_chain_still_holds(world, settings):
    first, second = _log(world, 2)
    first.at = first.at.replace(year=2020)
    audit.backdate_for_demo([first])
    assert AuditEvent.objects.get(pk=first.pk).at.year == 2020
    assert chain.verify().intact
    settings.PRODUCTION = True
    with pytest.raises(Exception, match="production"):
        audit.backdate_for_demo([second])
