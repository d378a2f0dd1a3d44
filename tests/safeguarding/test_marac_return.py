"""The SafeLives quarterly MARAC return: its figures, the command, the page and downloads."""

import io
import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from saferhub.audit.models import AuditEvent
from saferhub.partnership.models import Agency
from saferhub.safeguarding import marac_return
from saferhub.safeguarding.models import AreaSettings, Referral
from tests.safeguarding.cases import make_referral, victim
from tests.safeguarding.heard import case, hear

START, END = date(2023, 1, 1), date(2023, 3, 31)
KEYS = [
    "from",
    "to",
    "cases_discussed",
    "repeat_cases",
    "repeat_rate",
    "children_in_households",
    "referrals_by_agency",
    "partner_agency_referrals",
    "victims",
    "perpetrators_aged_17_or_under",
    "cases_per_10k_adult_females",
]
VICTIM_KEYS = ["racially_minoritised", "lgbt", "disabled", "male", "aged_16_17"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def quarter(world):
    """Five cases heard in the first quarter of 2023, and others that must not count."""
    d = date
    case(  # on the range's first day; exactly 16 on the referral date
        world,
        d(2023, 1, 1),
        referred_on=d(2022, 12, 20),
        dob=d(2006, 12, 20),
        repeat=True,
        children=2,
        ethnicity="asian_indian",
    )
    case(  # on its last day; 18th birthday the day before the referral
        world,
        d(2023, 3, 31),
        agency=world.housing,
        referred_on=d(2023, 3, 10),
        dob=d(2005, 3, 9),
        ethnicity="not_known",
        lgbt="yes",
        gender="male",
        children=1,
    )
    case(  # date of birth not known; one perpetrator of 17 (18 tomorrow), one adult
        world,
        d(2023, 2, 15),
        agency=world.idva_service,
        referred_on=d(2023, 2, 1),
        dob=None,
        disabled="yes",
        ethnicity="white_other",
        repeat=True,
        perpetrator_dobs=(d(2005, 2, 2), d(1980, 1, 1)),
    )
    case(  # 17, turning 18 the day after the referral; the perpetrator turned 18 on it
        world,
        d(2023, 2, 20),
        referred_on=d(2023, 2, 20),
        dob=d(2005, 2, 21),
        perpetrator_dobs=(d(2005, 2, 20), None),
    )
    case(  # 15 (16 the day after); two perpetrators under 18: one case
        world,
        d(2023, 3, 1),
        agency=world.council,
        referred_on=d(2023, 2, 25),
        dob=d(2007, 2, 26),
        lgbt="not_known",
        disabled="not_known",
        children=3,
        perpetrator_dobs=(d(2007, 1, 1), d(2008, 1, 1)),
    )
    # Not counted: heard the day before and the day after the range; not eligible (even
    # with a date heard); waiting to be heard; another partnership's.
    case(world, d(2022, 12, 31), children=5)
    case(world, d(2023, 4, 1), children=5)
    case(world, d(2023, 2, 1), status=Referral.Status.NOT_ELIGIBLE, children=5)
    case(world, None, status=Referral.Status.REFERRED, referred_on=d(2023, 2, 1), children=5)
    case(
        world,
        d(2023, 2, 1),
        agency=world.stranger.agency,
        partnership=world.stranger.agency.partnership,
        children=5,
    )


def _build(world, start=START, end=END):
    return marac_return.build(world.partnership, start, end)


def test_the_json_has_exactly_safelives_keys_in_order(world, quarter):
    found = _build(world).as_json()
    assert list(found) == KEYS
    assert list(found["victims"]) == VICTIM_KEYS
    assert found["from"] == "2023-01-01" and found["to"] == "2023-03-31"


def test_every_agency_code_is_present_zeros_included(world, quarter):
    by_agency = _build(world).as_json()["referrals_by_agency"]
    assert list(by_agency) == list(Agency.MaracSector.values)
    assert by_agency == {
        "police": 2,
        "idva": 1,
        "childrens_social_care": 0,
        "adult_social_care": 0,
        "health": 0,
        "mental_health": 0,
        "substance_misuse": 0,
        "housing": 1,
        "probation": 0,
        "education": 0,
        "voluntary_sector": 0,
        "other": 1,
    }


def test_each_count_on_a_hand_built_quarter(world, quarter, django_assert_num_queries):
    with django_assert_num_queries(3):  # the cases, their perpetrators, the population
        found = _build(world)
    assert found.as_json() == {
        "from": "2023-01-01",
        "to": "2023-03-31",
        "cases_discussed": 5,
        "repeat_cases": 2,
        "repeat_rate": 40.0,
        "children_in_households": 6,
        "referrals_by_agency": found.as_json()["referrals_by_agency"],  # tested above
        "partner_agency_referrals": 3,
        "victims": {
            # asian_indian and white_other; not white_british, not not_known
            "racially_minoritised": 2,
            "lgbt": 1,
            "disabled": 1,
            "male": 1,
            # exactly 16, and 17 the day before turning 18; not 18 the day after the
            # birthday, not 15, not an unknown date of birth
            "aged_16_17": 2,
        },
        "perpetrators_aged_17_or_under": 2,
        "cases_per_10k_adult_females": None,
    }


def test_the_range_is_inclusive_at_both_ends(world, quarter):
    assert _build(world, date(2023, 1, 1), date(2023, 1, 1)).cases_discussed == 1
    assert _build(world, date(2023, 3, 31), date(2023, 3, 31)).cases_discussed == 1
    assert _build(world, date(2022, 12, 31), date(2023, 4, 1)).cases_discussed == 7


def test_cases_per_10k_adult_females_once_the_population_is_set(world, quarter):
    AreaSettings.objects.create(partnership=world.partnership, adult_female_population=20000)
    found = _build(world)
    assert found.cases_per_10k_adult_females == Decimal("2.5")
    assert found.as_json()["cases_per_10k_adult_females"] == 2.5


def test_no_cases_gives_zeros_and_no_rate(world):
    found = _build(world).as_json()
    assert found["cases_discussed"] == 0 and found["children_in_households"] == 0
    assert found["repeat_rate"] is None  # nothing to divide by: null, not 0.0
    assert set(found["referrals_by_agency"].values()) == {0}


def test_the_repeat_rate_has_one_decimal(world):
    case(world, date(2023, 2, 1), repeat=True)
    case(world, date(2023, 2, 2))
    case(world, date(2023, 2, 3))
    assert _build(world).as_json()["repeat_rate"] == 33.3
    assert json.loads(marac_return.to_json(_build(world)))["repeat_rate"] == 33.3


@pytest.mark.parametrize(
    "dob, referred_on, aged_16_17, under_18",
    [
        (date(2008, 2, 29), date(2024, 2, 28), 0, 1),  # 15: the 16th birthday is 29 February
        (date(2008, 2, 29), date(2024, 2, 29), 1, 1),
        (date(2004, 2, 29), date(2022, 2, 28), 1, 1),  # 17: 18 on 1 March in a common year
        (date(2004, 2, 29), date(2022, 3, 1), 0, 0),
    ],
)
def test_a_29_february_birthday(world, dob, referred_on, aged_16_17, under_18):
    case(world, date(2024, 3, 15), referred_on=referred_on, dob=dob, perpetrator_dobs=(dob,))
    found = marac_return.build(world.partnership, date(2024, 1, 1), date(2024, 12, 31))
    assert found.victims.aged_16_17 == aged_16_17
    assert found.perpetrators_aged_17_or_under == under_18


def test_referrals_given_limit_what_is_counted(world, quarter):
    only_police = Referral.objects.filter(marac_sector="police")
    assert marac_return.build(world.partnership, START, END, only_police).cases_discussed == 2


def test_last_complete_calendar_quarter():
    assert marac_return.last_complete_quarter(date(2023, 4, 1)) == (START, END)
    assert marac_return.last_complete_quarter(date(2023, 6, 30)) == (START, END)
    assert marac_return.last_complete_quarter(date(2024, 2, 10)) == (
        date(2023, 10, 1),
        date(2023, 12, 31),
    )


# End to end, through the real services.


def test_a_case_referred_and_heard_through_the_services_is_counted(world):
    referral = make_referral(world.police_officer, victim(world), on=date(2023, 2, 1))
    not_eligible = make_referral(
        world.housing_officer, victim(world, given="Ann", family="Other"), yes=2
    )
    hear(world.coordinator, [referral], date(2023, 2, 14))
    referral.refresh_from_db()
    assert referral.heard_on == date(2023, 2, 14)
    found = _build(world).as_json()
    assert found["cases_discussed"] == 1
    assert found["referrals_by_agency"]["police"] == 1
    assert found["partner_agency_referrals"] == 0
    assert found["children_in_households"] == 1
    assert not_eligible.status == Referral.Status.NOT_ELIGIBLE


# The command.


def _command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("marac-return", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


ARGS = ("--from", "2023-01-01", "--to", "2023-03-31", "--partnership", "Safer Testford")


def test_the_command_prints_the_json_with_exactly_the_keys(world, quarter):
    out, err = _command(*ARGS, "--format", "json")
    found = json.loads(out)
    assert list(found) == KEYS and found["cases_discussed"] == 5
    assert "OFFICIAL-SENSITIVE" in err  # the marking, outside the JSON
    event = AuditEvent.objects.get(verb="marac_return.exported")
    assert event.actor is None
    assert event.data == {"format": "json", "from": "2023-01-01", "to": "2023-03-31"}
    assert event.target_id == str(world.partnership.pk)


def test_the_command_writes_csv_html_and_xlsx_marked(world, quarter, tmp_path):
    out, _ = _command(*ARGS, "--format", "csv")
    lines = out.lstrip("\ufeff").splitlines()
    assert lines[0] == "OFFICIAL-SENSITIVE"
    assert "Cases discussed,cases_discussed,5" in lines
    assert "Cases by referring agency: Police,referrals_by_agency.police,2" in lines
    assert "Zelda" not in out and "Quorn" not in out  # counts only

    html, _ = _command(*ARGS, "--format", "html")
    assert html.count("OFFICIAL-SENSITIVE") >= 2 and "<caption" in html
    assert '<th scope="row"' in html and "Zelda" not in html

    target = tmp_path / "return.xlsx"
    out, _ = _command(*ARGS, "--format", "xlsx", "--output", str(target))
    assert f"Wrote {target}" in out
    sheet = load_workbook(target).active
    assert sheet["A1"].value == "OFFICIAL-SENSITIVE"
    assert sheet.oddHeader.center.text == "OFFICIAL-SENSITIVE"
    values = {row[1].value: row[2] for row in sheet.iter_rows(min_row=4)}
    assert values["cases_discussed"].value == 5 and values["repeat_rate"].value == 40
    assert values["cases_discussed"].number_format == "#,##0"
    assert values["repeat_rate"].number_format == "#,##0.0"
    assert values["cases_per_10k_adult_females"].value is None


def test_with_one_partnership_the_command_needs_no_partnership(world):
    elsewhere = world.stranger.agency
    world.stranger.delete()
    elsewhere.delete()
    elsewhere.partnership.delete()
    case(world, date(2023, 2, 1))
    out, _ = _command("--from", "2023-01-01", "--to", "2023-03-31")
    assert json.loads(out)["cases_discussed"] == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (("--from", "2023-13-01", "--to", "2023-03-31"), "--from '2023-13-01' is not a date"),
        (("--from", "2023-01-01", "--to", "31/03/2023"), "--to '31/03/2023' is not a date"),
        (("--from", "2023-04-01", "--to", "2023-03-31"), "--from 2023-04-01 is after --to"),
        (("--format", "xlsx"), "--format xlsx writes a file: give --output"),
        ((), "There is more than one partnership: give --partnership"),
        (("--partnership", "Safer Nowhere"), "--partnership 'Safer Nowhere': no such"),
    ],
)
def test_the_command_refuses_bad_input_naming_the_option(world, args, message):
    with pytest.raises(CommandError) as refused:
        _command(*args)
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)
    assert not AuditEvent.objects.filter(verb="marac_return.exported").exists()


def test_a_bad_date_exits_non_zero_with_one_line():
    result = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "saferhub.cli", "marac-return", "--from", "2023-02-30"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "CommandError: --from '2023-02-30' is not a date: write it as YYYY-MM-DD."
    ]


# The page and its downloads.

PAGE = "/safeguarding/return/"
QUERY = "?from=2023-01-01&to=2023-03-31"


@pytest.mark.parametrize(
    "name, status",
    [
        ("coordinator", 200),
        ("analyst", 200),
        ("police_officer", 403),
        ("police_lead", 403),
        ("housing_officer", 403),
        ("idva", 403),
        ("board_member", 403),
        ("admin", 403),
        ("outsider", 403),
        ("stranger", 403),
    ],
)
def test_only_the_coordinator_and_the_analyst_produce_the_return(client, world, name, status):
    client.force_login(world.users_by_role()[name])
    assert client.get(PAGE + QUERY).status_code == status
    assert client.get(f"/safeguarding/return/export.csv{QUERY}").status_code == status


def test_the_page_shows_the_figures_in_accessible_tables(client, world, quarter):
    client.force_login(world.analyst)  # sees no case, counts them all
    response = client.get(PAGE + QUERY)
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["found"].cases_discussed == 5
    for caption in ("Cases", "Cases by referring agency", "Victims"):
        assert f'govuk-table__caption--m">{caption}</caption>' in page
    assert '<th scope="row" class="govuk-table__header">Cases discussed</th>' in page
    assert '<th scope="col"' in page
    assert "Zelda" not in page
    assert "adult female population" in page  # why the rate per 10,000 is missing
    for fmt in ("csv", "xlsx", "json"):
        assert f'href="/safeguarding/return/export.{fmt}?from=2023-01-01&amp;to=2023-03-31"' in (
            page
        )
    assert AuditEvent.objects.filter(verb="marac_return.viewed", actor=world.analyst).exists()


def test_the_page_defaults_to_the_last_complete_quarter(client, world):
    client.force_login(world.coordinator)
    response = client.get(PAGE)
    found = response.context["found"]
    assert (found.start, found.end) == marac_return.last_complete_quarter(timezone.localdate())


@pytest.mark.parametrize(
    "query, message",
    [
        ("?from=2023-02-30&to=2023-03-31", "Enter the first day of the return as a real date"),
        ("?from=2023-01-01&to=", "Enter the last day of the return"),
        ("?from=2023-04-01&to=2023-03-31", "The last day must be the same as or after"),
    ],
)
def test_bad_dates_are_named_in_the_error_summary(client, world, query, message):
    client.force_login(world.coordinator)
    page = client.get(PAGE + query).content.decode()
    assert "There is a problem" in page and message in page
    assert "<title>Error: " in page and "Download" not in page


def test_the_csv_download_is_marked_and_recorded(client, world, quarter):
    client.force_login(world.coordinator)
    response = client.get(f"/safeguarding/return/export.csv{QUERY}")
    assert response["X-Protective-Marking"] == "OFFICIAL-SENSITIVE"
    assert response["Cache-Control"] == "no-store, private"
    assert response["Content-Disposition"] == (
        'attachment; filename="marac-return-2023-01-01-to-2023-03-31-OFFICIAL-SENSITIVE.csv"'
    )
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "OFFICIAL-SENSITIVE"
    assert "Zelda" not in text and "Pyke" not in text
    event = AuditEvent.objects.get(verb="marac_return.exported")
    assert event.actor == world.coordinator
    assert event.data == {"format": "csv", "from": "2023-01-01", "to": "2023-03-31"}


def test_the_xlsx_and_json_downloads_are_marked(client, world, quarter):
    client.force_login(world.analyst)
    response = client.get(f"/safeguarding/return/export.xlsx{QUERY}")
    assert response["X-Protective-Marking"] == "OFFICIAL-SENSITIVE"
    assert "OFFICIAL-SENSITIVE.xlsx" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content)).active["A1"].value == "OFFICIAL-SENSITIVE"

    response = client.get(f"/safeguarding/return/export.json{QUERY}")
    assert response["Content-Type"] == "application/json"
    assert response["X-Protective-Marking"] == "OFFICIAL-SENSITIVE"
    assert "OFFICIAL-SENSITIVE.json" in response["Content-Disposition"]
    found = json.loads(response.content)
    assert list(found) == KEYS and found["cases_discussed"] == 5
    formats = AuditEvent.objects.filter(verb="marac_return.exported").values_list(
        "data__format", flat=True
    )
    assert sorted(formats) == ["json", "xlsx"]


def test_a_download_with_bad_dates_goes_back_to_the_page(client, world):
    client.force_login(world.coordinator)
    response = client.get("/safeguarding/return/export.csv?from=2023-04-01&to=2023-03-31")
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?from=2023-04-01&to=2023-03-31"
    assert client.get("/safeguarding/return/export.pdf" + QUERY).status_code == 404
    assert not AuditEvent.objects.filter(verb="marac_return.exported").exists()
