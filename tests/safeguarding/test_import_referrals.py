"""Importing referral history: the file checked (every bad input named by line and column,
nothing saved), people matched, repeats and meetings worked out, a second import creating
nothing; the command; the coordinator's page, its task and progress; who may use it."""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command, load_command_class
from django.db import connections

from saferhub.access.roles import Role
from saferhub.audit.models import AuditEvent
from saferhub.partnership.models import Agency, Partnership, User
from saferhub.partnership.services import assign_roles
from saferhub.safeguarding import import_jobs, importing
from saferhub.safeguarding.import_file import COLUMNS, ImportProblems
from saferhub.safeguarding.models import (
    DashAnswer,
    ListedCase,
    Meeting,
    Person,
    Referral,
    ReferralImport,
)
from tests.safeguarding.cases import make_referral, victim

TODAY = date(2025, 6, 30)


def row(**overrides) -> dict[str, str]:
    """A valid row: 15 DASH answers yes (visible high risk), heard at a MARAC."""
    values = {
        "referral_ref": "LDS-1",
        "referral_date": "2024-03-15",
        "referring_agency": "police",
        "victim_given_name": "Zoë",
        "victim_family_name": "Smith-Jones",
        "victim_dob": "1990-04-03",
        "victim_postcode": "LS9 7TF",
        "victim_gender": "female",
        "victim_ethnicity": "white_british",
        "victim_lgbt": "no",
        "victim_disabled": "not_known",
        "perpetrator_given_name": "Mark",
        "perpetrator_family_name": "Smith-Jones",
        "perpetrator_dob": "",
        "perpetrator_gender": "male",
        "children_in_household": "2",
        "police_incidents_12m": "1",
        "professional_judgement": "no",
        "professional_judgement_reason": "",
        "marac_date": "2024-03-28",
    }
    for number in range(1, 25):
        values[f"dash_{number:02d}"] = "yes" if number <= 15 else "no"
    values.update(overrides)
    return values


def csv_bytes(rows: list[dict], *, header=COLUMNS, bom=False, crlf=False) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(name, "") for name in header])
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def refs(*numbers: int, **overrides) -> list[dict]:
    return [row(referral_ref=f"LDS-{n}", **overrides) for n in numbers]


def run_import(world, data: bytes, user=None):
    return importing.import_referrals(user or world.coordinator, data, today=TODAY)


def problems_of(world, data: bytes) -> list[tuple]:
    with pytest.raises(ImportProblems) as caught:
        run_import(world, data)
    return [(p.line, p.column, p.message) for p in caught.value.problems]


def assert_nothing_saved() -> None:
    assert not Referral.objects.exists()
    assert not Person.objects.exists()
    assert not Meeting.objects.exists()
    assert not DashAnswer.objects.exists()
    assert not AuditEvent.objects.filter(verb="referrals.imported").exists()


# -- A good file -----------------------------------------------------------------------


def test_a_file_is_imported(world):
    rows = [
        row(),
        row(
            referral_ref="LDS-2",
            referral_date="2024-04-02",
            referring_agency="housing",
            victim_given_name="Amira",
            victim_family_name="Khan",
            victim_dob="",
            marac_date="",
            professional_judgement="yes",
            professional_judgement_reason="Escalating coercive control",
            **{f"dash_{n:02d}": "no" for n in range(1, 25)},
        ),
        row(
            referral_ref="LDS-3",
            referral_date="2024-04-03",
            victim_given_name="Ruby",
            marac_date="",
            **{f"dash_{n:02d}": "no" for n in range(1, 25)},
        ),
    ]
    result = run_import(world, csv_bytes(rows))

    assert (result.rows, result.referrals, result.people, result.meetings) == (3, 3, 3, 1)
    assert str(result) == "Imported 3 referrals, 3 new people and 1 new meeting from 3 rows."
    heard = Referral.objects.get(import_ref="LDS-1")
    assert heard.status == Referral.Status.CLOSED
    assert heard.heard_on == heard.closed_on == date(2024, 3, 28)
    assert heard.dash_score == 15 and heard.visible_high_risk and not heard.is_repeat
    assert heard.referring_agency == world.police and heard.marac_sector == "police"
    assert heard.referring_officer == world.coordinator
    assert heard.reassessment_due == date(2024, 5, 10)  # 8 weeks, the area's default
    assert heard.dash_answers.count() == 24
    assert heard.lawful_basis == "safeguarding" and not heard.victim_consented
    perpetrator = heard.perpetrators.get()
    assert perpetrator.folded_name == "marksmithjones" and perpetrator.gender == "male"
    zoe = heard.victim
    # The matching keys Person.save would have set.
    assert (zoe.folded_given, zoe.folded_family, zoe.postcode_district) == (
        "zoe",
        "smithjones",
        "LS9",
    )
    judged = Referral.objects.get(import_ref="LDS-2")
    assert judged.status == Referral.Status.REFERRED and judged.heard_on is None
    assert judged.professional_judgement and judged.judgement_reason
    assert judged.referring_agency == world.housing and judged.victim.date_of_birth is None
    not_eligible = Referral.objects.get(import_ref="LDS-3")
    assert not_eligible.status == Referral.Status.NOT_ELIGIBLE
    assert "below this area's 14" in not_eligible.why_not_eligible


def test_one_audit_entry_with_counts_and_no_personal_data(world):
    run_import(world, csv_bytes(refs(1, 2)))
    entry = AuditEvent.objects.get(verb="referrals.imported")
    assert entry.data == {
        "rows": 2,
        "referrals": 2,
        "people": 1,
        "meetings": 1,
        "already_imported": 0,
    }
    assert AuditEvent.objects.filter(verb__startswith="referral").count() == 1


def test_a_byte_order_mark_and_windows_line_endings_are_accepted(world):
    data = csv_bytes(refs(1, 2), bom=True, crlf=True)
    assert data.startswith(b"\xef\xbb\xbfreferral_ref,") and b"\r\n" in data
    assert run_import(world, data).referrals == 2


def test_old_mac_line_endings_are_accepted(world):
    data = csv_bytes(refs(1, 2)).replace(b"\n", b"\r")
    assert run_import(world, data).referrals == 2


def test_columns_in_another_order_and_blank_lines_are_accepted(world):
    data = csv_bytes(refs(1), header=tuple(reversed(COLUMNS))) + b"\n\n"
    assert run_import(world, data).referrals == 1


# -- Bad input: the line and column named, nothing saved ---------------------------------

BAD_CELLS = [
    ("referral_date", "2999-01-01", "2999-01-01 is in the future"),
    ("referral_date", "2023-02-30", "2023-02-30 is not a real date"),
    ("referral_date", "15/03/2024", "not a date written as YYYY-MM-DD"),
    ("referral_date", "", "is empty"),
    ("victim_dob", "1990-13-01", "1990-13-01 is not a real date"),
    ("victim_dob", "2024-05-01", "is after the referral date"),
    ("perpetrator_dob", "2999-12-31", "is in the future"),
    ("marac_date", "2024-03-01", "the meeting date 2024-03-01 is before the referral date"),
    ("marac_date", "2999-01-01", "is in the future"),
    ("referring_agency", "fire_service", "'fire_service' is not a code saferhub knows"),
    ("victim_gender", "woman", "'woman' is not a code saferhub knows"),
    ("perpetrator_gender", "", "is empty"),
    ("victim_ethnicity", "white", "'white' is not a code saferhub knows"),
    ("victim_lgbt", "maybe", "'maybe' is not a code saferhub knows"),
    ("dash_07", "", "is empty: enter one of no, not_known, yes"),
    ("dash_24", "y", "'y' is not a code saferhub knows"),
    ("children_in_household", "-1", "-1 is below 0"),
    ("children_in_household", "two", "'two' is not a whole number"),
    ("police_incidents_12m", "-3", "-3 is below 0"),
    ("police_incidents_12m", "100", "100 is more than 99"),
    ("professional_judgement", "not_known", "'not_known' is not a code saferhub knows"),
    ("referral_ref", "", "is empty"),
    ("victim_family_name", " ", "is empty"),
    ("perpetrator_given_name", "x" * 101, "is 101 characters long: at most 100"),
]


@pytest.mark.parametrize("column, value, message", BAD_CELLS)
def test_a_bad_cell_is_named_by_line_and_column(world, column, value, message):
    data = csv_bytes([row(referral_ref="LDS-1"), row(**{"referral_ref": "LDS-2", column: value})])
    found = problems_of(world, data)
    assert [(line, where) for line, where, _ in found] == [(3, column)], found
    assert message in found[0][2]
    assert_nothing_saved()


def test_professional_judgement_without_a_reason(world):
    data = csv_bytes(refs(1, professional_judgement="yes"))
    assert problems_of(world, data) == [
        (
            2,
            "professional_judgement_reason",
            "is empty: professional_judgement is yes, so give the practitioner's reason",
        )
    ]
    assert_nothing_saved()


def test_a_duplicate_referral_ref(world):
    data = csv_bytes(
        [row(referral_ref="LDS-1"), row(referral_ref="LDS-2"), row(referral_ref="LDS-1")]
    )
    assert problems_of(world, data) == [
        (
            4,
            "referral_ref",
            "'LDS-1' is also on line 2: each referral_ref must be unique in the file",
        )
    ]
    assert_nothing_saved()


def test_every_problem_of_every_row_is_reported_at_once(world):
    data = csv_bytes(
        [
            row(referral_ref="LDS-1", referral_date="2024-02-30", dash_03=""),
            row(referral_ref="LDS-2"),
            row(referral_ref="LDS-3", children_in_household="-1", victim_gender="f"),
        ]
    )
    found = [(line, column) for line, column, _ in problems_of(world, data)]
    assert found == [
        (2, "referral_date"),
        (2, "dash_03"),
        (4, "victim_gender"),
        (4, "children_in_household"),
    ]
    assert_nothing_saved()


def test_a_file_in_latin_1_is_refused_naming_the_line(world):
    text = csv_bytes(refs(1, 2, 3)).decode("utf-8")
    data = text.encode("latin-1")  # "Zoë": the ë is one byte, not UTF-8, on every data row
    [(line, column, message)] = problems_of(world, data)
    assert (line, column) == (2, "victim_given_name")
    assert "not UTF-8" in message and "Latin-1" in message and "CSV UTF-8" in message
    assert_nothing_saved()


def test_latin_1_after_a_byte_order_mark_names_the_right_line(world):
    data = csv_bytes([row(referral_ref="LDS-1", victim_given_name="Ava"), row()], bom=True)
    [(line, column, _)] = problems_of(world, data.replace("Zoë".encode(), b"Zo\xeb"))
    assert (line, column) == (3, "victim_given_name")


def test_a_truncated_file_with_a_last_row_cut_short(world):
    data = csv_bytes(refs(1, 2, 3))
    cut = data[: data.rindex(b",Mark,")]  # the last row stops at the victim's details
    [(line, column, message)] = problems_of(world, cut)
    assert (line, column) == (4, None)
    assert "the last line has 11 of the 44 columns" in message and "truncated" in message
    assert_nothing_saved()


def test_a_truncated_file_with_an_open_quotation_mark(world):
    data = csv_bytes(refs(1, 2)) + b'LDS-3,2024-03-15,police,"Zo'
    [(line, column, message)] = problems_of(world, data)
    assert (line, column) == (4, None)
    assert "quotation mark opened on this line is never closed" in message
    assert_nothing_saved()


def test_a_quoted_value_over_several_lines_keeps_line_numbers_right(world):
    data = csv_bytes(
        [
            row(
                referral_ref="LDS-1",
                professional_judgement="yes",
                professional_judgement_reason="Two\nlines",
            ),
            row(referral_ref="LDS-2", victim_gender="?"),
        ]
    )
    assert [(line, column) for line, column, _ in problems_of(world, data)] == [
        (4, "victim_gender")
    ]


def test_a_row_with_too_many_values_is_named(world):
    data = csv_bytes(refs(1, 2)).replace(b"LDS-1,", b"LDS-1,extra,", 1)
    [(line, column, message)] = problems_of(world, data)
    assert (line, column) == (2, None) and "45 values but the header names 44" in message


def test_missing_and_unknown_columns_are_named(world):
    header = tuple(name for name in COLUMNS if name not in ("marac_date", "dash_12"))
    data = csv_bytes(refs(1), header=(*header, "notes"))
    messages = [message for _, _, message in problems_of(world, data)]
    assert "columns saferhub does not read: 'notes'" in messages
    assert "columns missing: dash_12, marac_date" in messages
    assert_nothing_saved()


def test_a_column_given_twice_is_named(world):
    data = csv_bytes(refs(1), header=(*COLUMNS, "victim_dob"))
    assert "columns named twice: victim_dob" in [m for _, _, m in problems_of(world, data)]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "The file is empty"),
        (b"\xef\xbb\xbf\r\n", "The file is empty"),
        (b",,,\r\n,,\r\n", "The file is empty"),
        (",".join(COLUMNS).encode() + b"\r\n", "a header row but no referrals"),
        (b"PK\x03\x04 a workbook", "Excel workbook, not a CSV file"),
        (b"\xff\xfer\x00e\x00f\x00", "UTF-16"),
        (b"referral_ref;referral_date\n", "not separated by commas"),
    ],
)
def test_a_file_that_is_not_a_history_csv(world, data, message):
    [(_, _, found)] = problems_of(world, data)
    assert message in found
    assert_nothing_saved()


def test_a_sector_with_no_agency_is_one_problem_naming_its_first_line(world):
    data = csv_bytes(refs(1, 2, 3, 4, referring_agency="health"))
    assert problems_of(world, data) == [
        (
            2,
            "referring_agency",
            "no agency of Safer Testford has the MARAC sector health (nor for 3 more lines): "
            "give an agency that sector in the directory, then import the file again",
        )
    ]
    assert not Agency.objects.filter(marac_sector="health").exists()  # none made up


def test_the_first_agency_of_a_sector_by_code_refers(world):
    Agency.objects.create(
        partnership=world.partnership,
        code="aaa-police",
        name="Another force",
        kind=Agency.Kind.POLICE,
        marac_sector="police",
    )
    run_import(world, csv_bytes(refs(1)))
    assert Referral.objects.get().referring_agency.code == "aaa-police"


# -- People ------------------------------------------------------------------------------


def test_the_same_person_across_rows_is_one_person(world):
    rows = [
        row(referral_ref="LDS-1"),
        row(referral_ref="LDS-2", victim_given_name=" ZOE ", victim_family_name="smith jones"),
        row(referral_ref="LDS-3", victim_dob="1990-03-04"),  # another date of birth
        row(referral_ref="LDS-4", victim_dob=""),
        row(referral_ref="LDS-5", victim_dob="", victim_given_name="zoe"),
    ]
    result = run_import(world, csv_bytes(rows))
    assert result.people == 3
    by_ref = dict(Referral.objects.values_list("import_ref", "victim_id"))
    assert by_ref["LDS-1"] == by_ref["LDS-2"]
    assert by_ref["LDS-4"] == by_ref["LDS-5"]  # an empty date of birth matches an empty one
    assert len({by_ref["LDS-1"], by_ref["LDS-3"], by_ref["LDS-4"]}) == 3


def test_a_new_person_takes_the_details_of_their_latest_row(world):
    run_import(
        world,
        csv_bytes(
            [
                row(
                    referral_ref="LDS-1",
                    referral_date="2024-05-01",
                    victim_postcode="ls6 1aa",
                    marac_date="",
                ),
                row(referral_ref="LDS-2", referral_date="2024-01-10", victim_postcode="LS9 7TF"),
            ]
        ),
    )
    person = Person.objects.get()
    assert person.postcode == "LS6 1AA" and person.postcode_district == "LS6"


def test_an_existing_person_is_matched_by_the_same_rule(world):
    known = victim(world)
    known.save()
    elsewhere = Partnership.objects.exclude(pk=world.partnership.pk).get()
    Person.objects.create(
        partnership=elsewhere,
        given_name="Zoë",
        family_name="Smith-Jones",
        date_of_birth=date(1990, 4, 3),
        gender="female",
        ethnicity="not_known",
        lgbt="not_known",
        disabled="not_known",
    )
    result = run_import(world, csv_bytes(refs(1, 2, victim_given_name="zoe")))
    assert result.people == 0
    assert set(Referral.objects.values_list("victim_id", flat=True)) == {known.pk}


# -- Repeats -------------------------------------------------------------------------------


def _repeat_of(ref: str) -> str | None:
    referral = Referral.objects.select_related("repeat_of").get(import_ref=ref)
    return referral.repeat_of.import_ref if referral.is_repeat else None


@pytest.mark.parametrize("batch", [2, 5000])
def test_repeats_are_found_across_the_file(world, monkeypatch, batch):
    monkeypatch.setattr(importing, "BATCH", batch)  # a repeat and its earlier in one batch or two
    low = {f"dash_{n:02d}": "no" for n in range(1, 25)}
    rows = [
        # In any order in the file: repeats follow the referral dates.
        row(referral_ref="LDS-3", referral_date="2024-03-15", marac_date=""),  # 12 months on
        row(referral_ref="LDS-1", referral_date="2023-03-15", marac_date="2023-03-28"),
        row(referral_ref="LDS-4", referral_date="2025-03-16", marac_date=""),  # 12 months + 1 day
        row(referral_ref="LDS-2", referral_date="2023-09-01", perpetrator_given_name="Dave"),
        row(referral_ref="LDS-5", referral_date="2025-03-16", marac_date="", **low),
    ]
    run_import(world, csv_bytes(rows))
    assert _repeat_of("LDS-1") is None
    assert _repeat_of("LDS-2") is None  # another perpetrator
    assert _repeat_of("LDS-3") == "LDS-1"  # at most 12 calendar months, inclusive
    assert _repeat_of("LDS-4") is None
    # The same day counts; a repeat is a MARAC criterion even with a low score.
    assert _repeat_of("LDS-5") == "LDS-4"
    assert Referral.objects.get(import_ref="LDS-5").status == Referral.Status.REFERRED
    assert ListedCase.objects.get(referral__import_ref="LDS-2").why == ListedCase.Why.NEW


def test_a_referral_that_was_not_eligible_is_not_repeated(world):
    low = {f"dash_{n:02d}": "no" for n in range(1, 25)}
    rows = [
        row(referral_ref="LDS-1", referral_date="2024-01-10", marac_date="", **low),
        row(referral_ref="LDS-2", referral_date="2024-02-10"),
    ]
    run_import(world, csv_bytes(rows))
    assert _repeat_of("LDS-2") is None


def test_a_repeat_of_an_existing_referral(world):
    known = victim(world)
    earlier = make_referral(world.police_officer, known, on=date(2024, 1, 5))
    run_import(world, csv_bytes(refs(1, referral_date="2024-06-01", marac_date="2024-06-27")))
    imported = Referral.objects.get(import_ref="LDS-1")
    assert imported.victim_id == known.pk
    assert imported.is_repeat and imported.repeat_of_id == earlier.pk
    assert ListedCase.objects.get(referral=imported).why == ListedCase.Why.REPEAT


# -- Meetings ------------------------------------------------------------------------------


def test_one_closed_monthly_meeting_a_date_with_its_cases_heard_in_order(world):
    rows = [
        row(referral_ref="LDS-1", referral_date="2024-03-10", victim_given_name="Ava"),
        row(referral_ref="LDS-2", referral_date="2024-03-01", victim_given_name="Mia"),
        row(referral_ref="LDS-3", marac_date="2024-04-25", victim_given_name="Isla"),
    ]
    assert run_import(world, csv_bytes(rows)).meetings == 2
    meeting = Meeting.objects.get(held_on=date(2024, 3, 28))
    assert meeting.kind == Meeting.Kind.MONTHLY and meeting.status == Meeting.Status.CLOSED
    assert meeting.chair == world.coordinator and not meeting.invited_agencies.exists()
    listed = list(meeting.listed_cases.order_by("position"))
    assert [item.referral.import_ref for item in listed] == ["LDS-2", "LDS-1"]
    assert [item.position for item in listed] == [1, 2] and all(item.heard for item in listed)


def test_an_existing_monthly_meeting_of_the_date_is_used(world):
    meeting = Meeting.objects.create(
        partnership=world.partnership,
        kind=Meeting.Kind.MONTHLY,
        held_on=date(2024, 3, 28),
        status=Meeting.Status.CLOSED,
        chair=world.coordinator,
    )
    assert run_import(world, csv_bytes(refs(1))).meetings == 0
    assert ListedCase.objects.get().meeting == meeting


# -- Importing again -------------------------------------------------------------------------


def test_importing_the_same_file_again_creates_nothing(world):
    data = csv_bytes(refs(1, 2, 3))
    run_import(world, data)
    counts = [model.objects.count() for model in (Referral, Person, Meeting, ListedCase)]
    again = run_import(world, data)
    assert (again.referrals, again.people, again.meetings, again.already_imported) == (0, 0, 0, 3)
    assert "3 rows were imported before and skipped" in str(again)
    assert [model.objects.count() for model in (Referral, Person, Meeting, ListedCase)] == counts


def test_a_longer_file_adds_only_its_new_rows(world):
    run_import(world, csv_bytes(refs(1, 2)))
    result = run_import(world, csv_bytes(refs(1, 2, 3, referral_date="2024-03-20")))
    assert (result.referrals, result.already_imported) == (1, 2)
    assert _repeat_of("LDS-3") == "LDS-2"  # repeats found against what is already there


# -- The command --------------------------------------------------------------------------


@pytest.fixture
def console(monkeypatch):
    """run_from_argv closes every connection when done: not the test's own."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


def _command(tmp_path, data: bytes, *args: str) -> tuple[int, str, str]:
    """Run the command as the console does: its exit code, output and errors."""
    path = tmp_path / "history.csv"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    command = load_command_class("saferhub.safeguarding", "import-referrals")
    command.stdout._out, command.stderr._out = out, err
    try:
        command.run_from_argv(["saferhub", "import-referrals", str(path), *args])
    except SystemExit as exit:
        return exit.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_the_command_imports_and_says_what_it_created(world, console, tmp_path):
    code, out, _ = _command(tmp_path, csv_bytes(refs(1, 2)), "--as", "cora_coordinator")
    assert code == 0
    assert out.strip() == "Imported 2 referrals, 1 new person and 1 new meeting from 2 rows."
    code, out, _ = _command(
        tmp_path,
        csv_bytes(refs(1, 2)),
        "--as",
        "cora_coordinator",
        "--partnership",
        "Safer Testford",
    )
    assert code == 0 and "2 rows were imported before and skipped" in out


def test_the_command_prints_every_problem_and_saves_nothing(world, console, tmp_path):
    data = csv_bytes([row(referral_ref="LDS-1", referral_date="2024-02-30"), row(dash_01="")])
    code, out, err = _command(tmp_path, data, "--as", "cora_coordinator")
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "line 2, column referral_date: 2024-02-30 is not a real date",
        "line 3, column referral_ref: 'LDS-1' is also on line 2: each referral_ref must be "
        "unique in the file",
        "line 3, column dash_01: is empty: enter one of no, not_known, yes",
        "CommandError: history.csv: 3 problems. Nothing was imported.",
    ]
    assert_nothing_saved()


def test_the_command_caps_a_long_list_of_problems(world, console, tmp_path):
    data = csv_bytes(refs(*range(1, 251), victim_gender="f"))
    code, _, err = _command(tmp_path, data, "--as", "cora_coordinator")
    lines = err.splitlines()
    assert code == 1 and len(lines) == 202
    assert lines[200] == "... and 50 more problems, not shown: fix the first 200 first."
    assert lines[201].endswith("250 problems. Nothing was imported.")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--as", "nobody"], "there is no active user of that name"),
        (["--as", "owen_officer"], "only a MARAC coordinator may import referrals"),
        (["--as", "cora_coordinator", "--partnership", "Safer Elsewhere"], "is a coordinator of"),
    ],
)
def test_the_command_refuses_anyone_but_a_coordinator(world, console, tmp_path, args, message):
    code, _, err = _command(tmp_path, csv_bytes(refs(1)), *args)
    assert code == 1 and message in err
    assert_nothing_saved()


def test_the_command_needs_a_file(world):
    with pytest.raises(Exception, match="there is no such file"):
        call_command("import-referrals", "/no/such/file.csv", "--as", "cora_coordinator")


# -- The page, the task and its progress ---------------------------------------------------


def _upload(client, data: bytes, name: str = "history.csv"):
    return client.post("/safeguarding/imports/", {"file": _file(data, name)})


def _file(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_the_coordinator_uploads_and_the_worker_imports(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _upload(client, csv_bytes(refs(1, 2, 3)))
    job = ReferralImport.objects.get()
    assert response["Location"] == f"/safeguarding/imports/{job.id}/"
    assert job.status == "queued" and job.filename == "history.csv" and len(callbacks) == 1
    assert bytes(job.content).startswith(b"referral_ref,")

    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page and "Waiting for the import worker" in page

    import_jobs.run(job.id)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.finished_at is not None
    assert (job.rows_done, job.rows_total) == (3, 3)
    assert job.created == {
        "rows": 3,
        "referrals": 3,
        "people": 1,
        "meetings": 1,
        "already_imported": 0,
    }
    assert bytes(job.content) == b""  # the file is not kept once imported
    fragment = client.get(f"/safeguarding/imports/{job.id}/progress/").content.decode()
    assert "Referral history imported" in fragment and "hx-trigger" not in fragment
    assert Referral.objects.count() == 3
    entry = AuditEvent.objects.get(verb="referrals.imported")
    assert (entry.target_type, entry.target_id) == ("safeguarding.referralimport", str(job.id))

    listing = client.get("/safeguarding/imports/").content.decode()
    assert "history.csv" in listing and "Imported" in listing


def test_problems_found_by_the_worker_are_shown_by_line_and_column(client, world):
    client.force_login(world.coordinator)
    _upload(client, csv_bytes([row(), row(referral_ref="LDS-2", children_in_household="-1")]))
    job = ReferralImport.objects.get()
    import_jobs.run(job.id)
    job.refresh_from_db()
    assert job.status == "failed" and bytes(job.content) == b""
    assert job.problems == [
        {
            "line": 3,
            "column": "children_in_household",
            "message": "-1 is below 0: a count is 0 or more",
        }
    ]
    page = client.get(f"/safeguarding/imports/{job.id}/").content.decode()
    assert "nothing has been saved" in page and "hx-trigger" not in page
    assert '<td class="govuk-table__cell">children_in_household</td>' in page
    assert_nothing_saved()


def test_progress_is_shown_while_saving(client, world):
    client.force_login(world.coordinator)
    job = ReferralImport.objects.create(
        partnership=world.partnership,
        started_by=world.coordinator,
        filename="history.csv",
        content=b"",
        status="running",
        rows_done=2500,
        rows_total=10000,
    )
    fragment = client.get(f"/safeguarding/imports/{job.id}/progress/").content.decode()
    assert "Saving: 2500 of 10000 rows (25%)" in fragment
    assert 'value="2500"' in fragment and 'hx-trigger="every 1s"' in fragment


def test_progress_is_reported_as_batches_are_saved(world, monkeypatch):
    monkeypatch.setattr(importing, "BATCH", 2)
    seen = []
    importing.import_referrals(
        world.coordinator,
        csv_bytes(refs(1, 2, 3, 4, 5)),
        today=TODAY,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5)]


def test_progress_is_seen_from_outside_while_the_import_is_uncommitted(
    transactional_db, world, monkeypatch
):
    """On PostgreSQL the status page sees rows_done grow before the import commits."""
    if connections["default"].vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: progress shows when the import ends")
    monkeypatch.setattr(importing, "BATCH", 2)
    job = import_jobs.request(world.coordinator, "history.csv", csv_bytes(refs(1, 2, 3, 4, 5)))
    outside = connections.create_connection("default")
    seen = []
    write = import_jobs._ProgressWriter.__call__

    def write_and_look(self, done, total):
        write(self, done, total)
        with outside.cursor() as cursor:
            cursor.execute(
                "SELECT rows_done, rows_total FROM safeguarding_referralimport WHERE id = %s",
                [job.id],
            )
            seen.append(cursor.fetchone())
            cursor.execute("SELECT count(*) FROM safeguarding_referral")
            seen.append(cursor.fetchone()[0])  # nothing committed yet

    monkeypatch.setattr(import_jobs._ProgressWriter, "__call__", write_and_look)
    try:
        import_jobs.run(job.id)
    finally:
        outside.close()
    assert seen == [(0, 5), 0, (2, 5), 0, (4, 5), 0, (5, 5), 0]
    assert Referral.objects.count() == 5


def test_a_file_that_is_not_utf_8_is_refused_at_once(client, world):
    client.force_login(world.coordinator)
    response = _upload(client, csv_bytes(refs(1)).decode().encode("latin-1"))
    page = response.content.decode()
    assert response.status_code == 200 and "nothing has been saved" in page
    assert "Line 2, column victim_given_name:" in page and "not UTF-8" in page
    assert not ReferralImport.objects.exists()


def test_a_file_too_big_is_refused(client, world, settings):
    settings.SAFERHUB_IMPORT_MAX_BYTES = 1000
    client.force_login(world.coordinator)
    response = _upload(client, csv_bytes(refs(1, 2, 3)))
    assert "The file is too big" in response.content.decode()
    assert not ReferralImport.objects.exists()


def test_no_file_chosen(client, world):
    client.force_login(world.coordinator)
    response = client.post("/safeguarding/imports/", {})
    assert "Select a CSV file of referrals to import" in response.content.decode()


def test_the_real_worker_runs_the_task(transactional_db, world):
    job = import_jobs.request(world.coordinator, "history.csv", csv_bytes(refs(1, 2)))
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    job.refresh_from_db()
    assert job.status == "succeeded", job.problems
    assert job.created["referrals"] == 2


def test_a_failure_is_shown_not_hidden(world, monkeypatch):
    job = import_jobs.request(world.coordinator, "history.csv", csv_bytes(refs(1)))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "save", broken)
    with pytest.raises(RuntimeError):
        import_jobs.run(job.id)
    job.refresh_from_db()
    assert job.status == "failed" and bytes(job.content) == b""
    [problem] = job.problems
    assert "Something went wrong" in problem["message"] and "disk full" not in problem["message"]


def test_a_coordinator_no_longer_allowed_imports_nothing(world):
    job = import_jobs.request(world.coordinator, "history.csv", csv_bytes(refs(1)))
    assign_roles(world.coordinator, [Role.AGENCY_REP])
    import_jobs.run(job.id)
    job.refresh_from_db()
    assert job.status == "failed" and "may no longer import referrals" in job.problems[0]["message"]
    assert not Referral.objects.exists()


# -- Who may ----------------------------------------------------------------------------------


def test_only_the_coordinator_may_import(client, world):
    job = import_jobs.request(world.coordinator, "history.csv", csv_bytes(refs(1)))
    client.force_login(world.coordinator)
    for url in ("/safeguarding/imports/", f"/safeguarding/imports/{job.id}/"):
        assert client.get(url).status_code == 200
    for name in ("admin", "analyst", "police_lead", "police_officer", "idva", "board_member"):
        client.force_login(getattr(world, name))
        for url in (
            "/safeguarding/imports/",
            f"/safeguarding/imports/{job.id}/",
            f"/safeguarding/imports/{job.id}/progress/",
        ):
            assert client.get(url).status_code == 403, (name, url)
        assert _upload(client, csv_bytes(refs(2))).status_code == 403
    assert ReferralImport.objects.count() == 1


def test_another_partnerships_coordinator_cannot_see_an_import(client, world):
    job = import_jobs.request(world.coordinator, "history.csv", csv_bytes(refs(1)))
    elsewhere = User.objects.create_user(
        username="ed_elsewhere", agency=world.stranger.agency, password="x"
    )
    assign_roles(elsewhere, [Role.MARAC_COORDINATOR])
    client.force_login(elsewhere)
    assert client.get(f"/safeguarding/imports/{job.id}/").status_code == 404
    assert client.get(f"/safeguarding/imports/{job.id}/progress/").status_code == 404
    assert "history.csv" not in client.get("/safeguarding/imports/").content.decode()
