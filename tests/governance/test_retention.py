"""Retention: a dry run changes nothing and counts exactly what a run erases; a run erases
exactly what has expired, logs one entry per record type with counts and ids and no
names; a second run does nothing."""

import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.utils import timezone

from saferhub.audit import chain
from saferhub.audit.models import AuditEvent
from saferhub.governance import retention
from saferhub.safeguarding import research, safety_plans
from saferhub.safeguarding.models import (
    DashAnswer,
    ListedCase,
    Meeting,
    Perpetrator,
    Person,
    Referral,
    ReferralImport,
    Research,
    SafetyAction,
)
from tests.safeguarding.cases import hold_meeting, make_referral, victim

TODAY = date.today()
MODELS = (
    Person,
    Referral,
    DashAnswer,
    Perpetrator,
    Meeting,
    ListedCase,
    Research,
    SafetyAction,
    ReferralImport,
)
NAMES = ("Oldcase", "Recentcase", "Openold", "Chainvictim", "Villainy")


def _years_ago(years: int, days: int = 0) -> date:
    return TODAY.replace(year=TODAY.year - years) - timedelta(days=days)


def _set(referral, **fields) -> None:
    Referral.objects.filter(pk=referral.pk).update(**fields)


def _import(world, *, days_ago: int, status=ReferralImport.Status.SUCCEEDED, content=b"a,b\n"):
    upload = ReferralImport.objects.create(
        partnership=world.partnership,
        started_by=world.coordinator,
        filename="history.csv",
        content=content,
        status=status,
        problems=[{"line": 2, "column": "victim_dob", "message": "Enter a date"}]
        if content
        else [],
    )
    ReferralImport.objects.filter(pk=upload.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return upload


@pytest.fixture
def history(world):
    """What a partnership holds after years of work; see each case's comment."""
    cases = {}
    # Closed seven years ago, heard at a meeting with research and an action: expired, and
    # its victim has nothing else, so she goes too.
    old = victim(world, "Oldcase", "Person", date(1970, 1, 1), "LS1 1AA")
    cases["old_closed"] = make_referral(
        world.police_officer, old, on=_years_ago(8), perpetrator=("Villainy", "One")
    )
    meeting = hold_meeting(
        world.coordinator, [cases["old_closed"]], [world.police], on=_years_ago(8, -7)
    )
    listed = meeting.listed_cases.get()
    research.save(world.police_officer, listed, holds_information=True, summary="x", version=0)
    safety_plans.agree(
        world.coordinator,
        listed,
        agency=world.police,
        officer=None,
        description="Old action",
        due_on=_years_ago(7),
    )
    _set(cases["old_closed"], status=Referral.Status.CLOSED, closed_on=_years_ago(7))
    # Closed five years ago: kept. Her not-eligible referral of three years ago expires;
    # her not-eligible referral of a year ago does not; she stays.
    recent = victim(world, "Recentcase", "Person", date(1975, 1, 1), "LS2 2AA")
    cases["recent_closed"] = make_referral(
        world.police_officer, recent, on=_years_ago(6), perpetrator=("Villainy", "Two")
    )
    _set(cases["recent_closed"], status=Referral.Status.CLOSED, closed_on=_years_ago(5))
    cases["old_not_eligible"] = make_referral(
        world.housing_officer, recent, yes=2, on=_years_ago(3), perpetrator=("Villainy", "Three")
    )
    cases["young_not_eligible"] = make_referral(
        world.housing_officer, recent, yes=2, on=_years_ago(1), perpetrator=("Villainy", "Four")
    )
    # Referred nine years ago and still open: kept, however old.
    open_old = victim(world, "Openold", "Person", date(1980, 1, 1), "LS3 3AA")
    cases["old_open"] = make_referral(
        world.police_officer, open_old, on=_years_ago(9), perpetrator=("Villainy", "Five")
    )
    _set(cases["old_open"], status=Referral.Status.OPEN)
    # A chain: closed seven years ago, but repeated by a referral still open: both kept.
    chained = victim(world, "Chainvictim", "Person", date(1985, 1, 1), "LS4 4AA")
    cases["chain_old"] = make_referral(
        world.police_officer, chained, on=_years_ago(8), perpetrator=("Villainy", "Six")
    )
    cases["chain_repeat"] = make_referral(
        world.police_officer, chained, on=_years_ago(7, 30), perpetrator=("Villainy", "Seven")
    )
    _set(cases["chain_old"], status=Referral.Status.CLOSED, closed_on=_years_ago(7))
    _set(
        cases["chain_repeat"],
        status=Referral.Status.OPEN,
        is_repeat=True,
        repeat_of=cases["chain_old"],
    )
    # Import files: one finished 40 days ago (emptied), one 10 days ago (kept), one still
    # running (kept), one already emptied (nothing to do).
    cases["import_old"] = _import(world, days_ago=40)
    cases["import_recent"] = _import(world, days_ago=10)
    cases["import_running"] = _import(world, days_ago=40, status=ReferralImport.Status.RUNNING)
    cases["import_emptied"] = _import(world, days_ago=40, content=b"")
    cases["old_person"], cases["meeting"] = old, meeting
    return cases


def _fingerprint():
    return {
        model.__name__: [
            {k: bytes(v) if isinstance(v, memoryview) else v for k, v in model_to_dict(r).items()}
            for r in model.objects.order_by("pk")
        ]
        for model in MODELS
    }


def _expected(history) -> dict[str, list[int]]:
    gone = [history["old_closed"], history["old_not_eligible"]]
    ids = [referral.pk for referral in gone]
    return {
        "safeguarding.referral": sorted(ids),
        "safeguarding.dashanswer": sorted(
            DashAnswer.objects.filter(referral__in=ids).values_list("pk", flat=True)
        ),
        "safeguarding.perpetrator": sorted(
            Perpetrator.objects.filter(referral__in=ids).values_list("pk", flat=True)
        ),
        "safeguarding.listedcase": sorted(
            ListedCase.objects.filter(referral__in=ids).values_list("pk", flat=True)
        ),
        "safeguarding.research": sorted(
            Research.objects.filter(listed_case__referral__in=ids).values_list("pk", flat=True)
        ),
        "safeguarding.safetyaction": sorted(
            SafetyAction.objects.filter(referral__in=ids).values_list("pk", flat=True)
        ),
        "safeguarding.person": [history["old_person"].pk],
        "safeguarding.referralimport": [history["import_old"].pk],
    }


def test_a_dry_run_changes_nothing_and_counts_what_a_run_erases(world, history):
    before = _fingerprint()
    logged = AuditEvent.objects.count()
    outcome = retention.run(TODAY, dry_run=True)
    assert _fingerprint() == before
    assert AuditEvent.objects.count() == logged
    assert outcome.erased == _expected(history)
    assert str(outcome).startswith(f"Would erase, as of {TODAY}")


def test_a_run_erases_exactly_what_has_expired_and_logs_ids_not_names(world, history):
    expected = _expected(history)
    outcome = retention.run(TODAY)
    assert outcome.erased == expected
    for label, ids in expected.items():
        if label == "safeguarding.referralimport":
            continue
        model = {m._meta.label_lower: m for m in MODELS}[label]
        assert not model.objects.filter(pk__in=ids).exists(), label
    kept = ("recent_closed", "young_not_eligible", "old_open", "chain_old", "chain_repeat")
    assert set(Referral.objects.values_list("pk", flat=True)) == {history[k].pk for k in kept}
    assert Person.objects.count() == 3
    assert Meeting.objects.filter(pk=history["meeting"].pk).exists()  # meetings stay
    emptied = ReferralImport.objects.get(pk=history["import_old"].pk)
    assert bytes(emptied.content) == b"" and emptied.problems == []
    assert emptied.filename == "history.csv" and emptied.status == "succeeded"
    for kept_import in ("import_recent", "import_running"):
        assert bytes(ReferralImport.objects.get(pk=history[kept_import].pk).content) == b"a,b\n"

    entries = list(AuditEvent.objects.filter(verb="retention.erased").order_by("id"))
    assert [entry.data["record_type"] for entry in entries][:3] == [
        "safeguarding.referral",
        "safeguarding.person",
        "safeguarding.referralimport",
    ]
    assert {entry.data["record_type"]: entry.data["count"] for entry in entries} == {
        label: len(ids) for label, ids in expected.items()
    }
    by_type = {entry.data["record_type"]: entry for entry in entries}
    referral_ids = expected["safeguarding.referral"]
    assert by_type["safeguarding.referral"].data["ids"] == ", ".join(map(str, referral_ids))
    assert by_type["safeguarding.dashanswer"].data["ids"].count("-") == 2  # two runs of 24
    assert all(
        entry.actor is None and entry.data["as_of"] == TODAY.isoformat() for entry in entries
    )
    logged = json.dumps([entry.data for entry in AuditEvent.objects.all()])
    for name in NAMES:
        assert name not in logged
    assert chain.verify().intact


def test_a_second_run_does_nothing(world, history):
    retention.run(TODAY)
    after_first = _fingerprint()
    logged = AuditEvent.objects.count()
    outcome = retention.run(TODAY)
    assert outcome.erased == {}
    assert str(outcome) == f"Nothing has expired on {TODAY}."
    assert _fingerprint() == after_first
    assert AuditEvent.objects.count() == logged


def test_the_periods_are_settings(world, history, settings):
    settings.SAFERHUB_RETAIN_CLOSED_CASE_YEARS = 8
    settings.SAFERHUB_RETAIN_NOT_ELIGIBLE_YEARS = 4
    settings.SAFERHUB_RETAIN_IMPORT_FILES_DAYS = 60
    assert retention.run(TODAY, dry_run=True).erased == {}
    # Run as of a later day, the same periods have ended.
    later = retention.run(TODAY + timedelta(days=2 * 366), dry_run=True).erased
    assert history["old_closed"].pk in later["safeguarding.referral"]


def test_the_command(world, history, capsys):
    call_command("retention", "run", "--dry-run", "--date", TODAY.isoformat())
    out = capsys.readouterr().out
    assert "Would erase" in out and "safeguarding.referral: 2" in out
    assert Referral.objects.filter(pk=history["old_closed"].pk).exists()
    call_command("retention", "run")
    assert "Erased" in capsys.readouterr().out
    assert not Referral.objects.filter(pk=history["old_closed"].pk).exists()
    call_command("retention", "run")
    assert "Nothing has expired" in capsys.readouterr().out


def test_the_command_refuses_a_bad_date(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("retention", "run", "--date", "31/12/2024")


def test_a_zero_period_is_refused_at_start_up(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import saferhub.settings

    monkeypatch.setenv("SAFERHUB_RETAIN_CLOSED_CASE_YEARS", "0")
    with pytest.raises(ImproperlyConfigured, match="SAFERHUB_RETAIN_CLOSED_CASE_YEARS"):
        importlib.reload(saferhub.settings)
    monkeypatch.delenv("SAFERHUB_RETAIN_CLOSED_CASE_YEARS")
    importlib.reload(saferhub.settings)
