"""The audit log is a hash chain, append-only, and `saferhub audit verify` names a break."""

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

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


def test_a_checkpoint_shows_the_newest_entries_removed_or_the_chain_rewritten(world, capsys):
    """What the chain alone cannot show, a checkpoint kept outside the database can."""
    first, middle, newest = _log(world)
    call_command("audit", "verify")
    printed = capsys.readouterr().out
    checkpoint = f"{newest.pk}:{newest.hash}"
    assert f"Checkpoint (keep it outside the database): {checkpoint}" in printed
    call_command("audit", "verify", "--expect", checkpoint)
    assert "1 earlier checkpoint(s) held" in capsys.readouterr().out

    # The newest entry removed: the rest of the chain is still intact...
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [newest.pk])
    assert chain.verify().intact
    # ...but the checkpoint names what is missing.
    with pytest.raises(CommandError, match=f"entry #{newest.pk} of the checkpoint is missing"):
        call_command("audit", "verify", "--expect", checkpoint)

    # The middle entry changed and every hash from it recomputed: intact again...
    earlier = f"{middle.pk}:{middle.hash}"
    previous = first.hash
    with transaction.atomic(), maintenance(), connection.cursor() as cursor:
        for event in AuditEvent.objects.filter(pk__gte=middle.pk).order_by("id"):
            event.data = {"n": 99}
            event.previous_hash = previous
            previous = chain.hash_of(event)
            cursor.execute(
                "UPDATE audit_auditevent SET data = %s, previous_hash = %s, hash = %s"
                " WHERE id = %s",
                ['{"n": 99}', event.previous_hash, previous, event.pk],
            )
    assert chain.verify().intact
    # ...but not against a checkpoint taken before.
    with pytest.raises(CommandError, match="no longer has the checkpoint's hash"):
        call_command("audit", "verify", "--expect", earlier)
    with pytest.raises(CommandError, match="A checkpoint is ID:HASH"):
        call_command("audit", "verify", "--expect", "12:short")


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


# --- The hash contract, and verifying in ranges and in worker processes ---------------


def _original_entry_hash(
    previous_hash, at, actor_id, agency_code, verb, target_type, target_id, data
):
    """The hash as first defined (and stored): entries already in logs must still verify."""
    payload = json.dumps(
        {
            "actor_id": actor_id,
            "agency_code": agency_code,
            "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
            "data": data,
            "previous_hash": previous_hash,
            "target_id": target_id,
            "target_type": target_type,
            "verb": verb,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


AWKWARD = 'tab\there, new\nline, back\\slash, "quoted", café, 😀, \x01'


@pytest.mark.parametrize(
    "entry",
    [
        (chain.GENESIS, None, "", "user.signed_in", "", "", {}),
        ("a" * 64, 12, "police", "referral.viewed", "safeguarding.referral", "7", {"x": 1}),
        ("b" * 64, 3, AWKWARD, AWKWARD, AWKWARD, AWKWARD, {AWKWARD: [AWKWARD, 1.5, None]}),
        ("c" * 64, 4, "é", "v", "t", "1", {"b": {"z": 1, "a": [True, False]}, "a": -0.1}),
    ],
)
def test_the_hash_is_the_one_first_defined(entry):
    previous, actor, agency, verb, target_type, target_id, data = entry
    for at in (
        datetime(2025, 4, 1, 9, 30, tzinfo=UTC),
        datetime(2025, 7, 1, 13, 30, 0, 7, tzinfo=timezone(timedelta(hours=1))),
    ):
        args = (previous, at, actor, agency, verb, target_type, target_id, data)
        assert chain.entry_hash(*args) == _original_entry_hash(*args)


def _chain_of(count: int) -> list[AuditEvent]:
    return [audit.record(None, "test.made", None, n=n) for n in range(count)]


def _alter(event: AuditEvent) -> None:
    _tamper("UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"n": -1}', event.pk])


def _remove(event: AuditEvent) -> None:
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])


def _in_ranges():
    """Three id ranges checked one after the other, each from the entry before it."""
    return chain.verify(ranges=3)


def _in_workers():
    """Three worker processes, one range each (PostgreSQL, committed entries)."""
    verdict = chain.verify(workers=3)
    assert verdict.workers == 3
    return verdict


def _breaks():
    """(what to do to 30 entries in three ranges of ten, the entry named, entries intact)"""
    return [
        # In the middle of the last range.
        (lambda e: _alter(e[25]), 25, 25, "does not match its contents"),
        # Two breaks: the lower is named, though a later worker found the other.
        (lambda e: (_alter(e[25]), _alter(e[15])), 15, 15, "does not match its contents"),
        # The last entry of the first range is gone: the next range's first entry
        # no longer follows the entry before it.
        (lambda e: _remove(e[9]), 10, 9, "does not follow"),
        # The last entry of a range altered: named by its own range, not the next.
        (lambda e: _alter(e[19]), 19, 19, "does not match its contents"),
        # The first entry of the log is gone.
        (lambda e: _remove(e[0]), 1, 0, "does not start at the beginning"),
        # The very last entry.
        (lambda e: _alter(e[29]), 29, 29, "does not match its contents"),
    ]


@pytest.mark.parametrize(("tamper", "named", "intact", "reason"), _breaks())
def test_ranges_name_the_first_broken_entry(db, tamper, named, intact, reason):
    events = _chain_of(30)
    assert _in_ranges().intact and _in_ranges().checked == 30
    tamper(events)
    verdict = _in_ranges()
    assert verdict.broken_id == events[named].pk and reason in verdict.reason
    assert verdict.checked == intact and verdict.broken_verb == "test.made"
    assert chain.verify(ranges=1).broken_id == events[named].pk


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: worker processes")


@pytest.mark.parametrize(("tamper", "named", "intact", "reason"), _breaks())
def test_workers_name_the_first_broken_entry(transactional_db, tamper, named, intact, reason):
    _postgresql_only()
    events = _chain_of(30)
    verdict = _in_workers()
    assert verdict.intact and verdict.checked == 30
    tamper(events)
    verdict = _in_workers()
    assert verdict.broken_id == events[named].pk and reason in verdict.reason
    assert verdict.checked == intact
    with pytest.raises(CommandError, match=f"broken at entry #{events[named].pk} "):
        call_command("audit", "verify", "--workers", "3")


def test_awkward_text_survives_the_way_the_log_is_read(db):
    # Tabs, newlines and backslashes are escaped by COPY on PostgreSQL; quotes and
    # non-ASCII change JSON's text.
    audit.record(None, AWKWARD.replace("\x01", ""), None, **{AWKWARD: AWKWARD, "n": 1.25})
    audit.record(None, "test.made", None, nested={"list": [AWKWARD, {"k": None}]})
    assert _in_ranges().intact and chain.verify().intact


def test_awkward_text_survives_the_workers(transactional_db):
    _postgresql_only()
    events = [audit.record(None, "test.made", None, text=AWKWARD, n=n) for n in range(6)]
    assert _in_workers().intact
    _alter(events[4])
    assert _in_workers().broken_id == events[4].pk


def test_an_empty_log_is_intact(db):
    if AuditEvent.objects.exists():
        pytest.skip("the log already has entries")
    verdict = chain.verify()
    assert verdict.intact and verdict.checked == 0


def test_inside_a_transaction_one_process_checks_what_it_can_see(db):
    _chain_of(3)
    # A worker's connection could not see this test's uncommitted entries.
    verdict = chain.verify(workers=3)
    assert verdict.workers == 1 and verdict.intact and verdict.checked == 3


def test_the_nightly_run_keeps_its_checkpoints_in_a_file_and_checks_them(world, tmp_path):
    *_, newest = _log(world)
    kept = tmp_path / "checkpoints"
    call_command("audit", "verify", "--checkpoints", str(kept))
    call_command("audit", "verify", "--checkpoints", str(kept))
    assert kept.read_text().splitlines() == [f"{newest.pk}:{newest.hash}"] * 2
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [newest.pk])
    with pytest.raises(CommandError, match=f"entry #{newest.pk} of the checkpoint is missing"):
        call_command("audit", "verify", "--checkpoints", str(kept))
    assert len(kept.read_text().splitlines()) == 2  # nothing added after a failure
