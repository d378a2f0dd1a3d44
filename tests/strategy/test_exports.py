"""Measure tables as CSV and Excel: marked, safe to open, and showing only what the user may see."""

import csv
import io
import re
from decimal import Decimal as D

import openpyxl
import pytest

from saferhub.audit.models import AuditEvent
from saferhub.strategy import exports, returns
from saferhub.strategy.models import Measure, PartnerReturn
from saferhub.strategy.periods import Period, PeriodType

MEASURE = "/strategy/2022-25/measures/da-incidents/export."
PRIORITY = "/strategy/2022-25/priorities/1/export."
Q1 = Period.parse("2023/24-Q1", PeriodType.QUARTERLY)
NASTY = ['=HYPERLINK("http://evil")', "+1+2", "-3+4", "@SUM(A1)", "\tTAB", "\rCR"]


def _fill_police_q1(plan, world, incidents=D(420), approved=True):
    """Police figures for 2023/24-Q1, approved unless said otherwise."""
    partner_return = returns.return_for(plan.strategy, world.police, Q1)
    returns.save_figures(
        partner_return,
        world.police_lead,
        {
            f"{plan.incidents.id}:2023-04-01": (incidents, ""),
            f"{plan.repeats.id}:2023-04-01": (D(126), ""),
        },
        partner_return.version,
    )
    if approved:
        returns.submit(partner_return, world.police_lead, partner_return.version)
        returns.approve(partner_return, world.analyst, partner_return.version)
    return partner_return


def _csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # so that Excel reads UTF-8
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def _sheet(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def _value_for(rows: list[list[str]], period_code: str) -> str:
    return next(row for row in rows if row and row[0] == period_code)[2]


def test_a_measure_table_as_csv_is_marked_and_has_every_period(client, plan, world):
    _fill_police_q1(plan, world)
    client.force_login(world.police_officer)
    response = client.get(MEASURE + "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store, private"
    rows = _csv_rows(response)
    assert rows[0] == ["OFFICIAL-SENSITIVE"]
    assert rows[2] == ["Period", "Period label", "Value", "Target", "Status"]
    assert [row[0] for row in rows[3:]][:2] == ["2022/23-Q1", "2022/23-Q2"]
    assert len(rows) == 3 + 12  # every quarter of the three-year strategy
    assert rows[3 + 4] == ["2023/24-Q1", "Apr–Jun 2023", "420.00", "450.00", "On target"]


def test_a_measure_table_as_xlsx_is_marked_bold_frozen_and_numeric(client, plan, world):
    _fill_police_q1(plan, world)
    client.force_login(world.analyst)
    response = client.get(MEASURE + "xlsx")
    assert response["Content-Type"] == exports.FORMATS["xlsx"]
    sheet = _sheet(response)
    assert sheet["A1"].value == "OFFICIAL-SENSITIVE"
    assert sheet["A2"].value.startswith("Da Incidents (da-incidents)")
    assert [cell.value for cell in sheet[3]] == [
        "Period",
        "Period label",
        "Value",
        "Target",
        "Status",
    ]
    assert all(cell.font.bold for cell in sheet[3])
    assert sheet.freeze_panes == "A4"
    assert "OFFICIAL-SENSITIVE" in sheet.oddHeader.center.text
    row = next(r for r in sheet.iter_rows(min_row=4) if r[0].value == "2023/24-Q1")
    assert row[2].data_type == "n" and row[2].value == 420
    assert row[3].data_type == "n" and row[3].value == 450


def test_an_unapproved_figure_is_left_out_for_everyone(client, plan, world):
    partner_return = _fill_police_q1(plan, world, approved=False)
    client.force_login(world.housing_officer)
    assert _value_for(_csv_rows(client.get(MEASURE + "csv")), "2023/24-Q1") == ""
    sheet = _sheet(client.get(MEASURE + "xlsx"))
    assert 420 not in [cell.value for row in sheet.iter_rows() for cell in row]
    priority_rows = _csv_rows(client.get(PRIORITY + "csv"))
    assert "420.00" not in sum(priority_rows, [])
    client.force_login(world.analyst)  # exports carry published figures only, as dashboards
    assert _value_for(_csv_rows(client.get(MEASURE + "csv")), "2023/24-Q1") == ""
    # Once approved, everyone sees it.
    returns.submit(partner_return, world.police_lead, partner_return.version)
    returns.approve(partner_return, world.analyst, partner_return.version)
    client.force_login(world.housing_officer)
    assert _value_for(_csv_rows(client.get(MEASURE + "csv")), "2023/24-Q1") == "420.00"


def test_a_priority_table_lists_each_measure_with_its_latest_figure(client, plan, world):
    _fill_police_q1(plan, world)
    client.force_login(world.police_lead)
    rows = _csv_rows(client.get(PRIORITY + "csv"))
    assert rows[0] == ["OFFICIAL-SENSITIVE"]
    assert rows[1] == ["Priority 1: Domestic violence and abuse, Safer Testford 2022-25"]
    assert rows[2][:5] == ["Code", "Measure", "Unit", "Latest period", "Value"]
    by_code = {row[0]: row for row in rows[3:]}
    assert by_code["da-incidents"][3:7] == ["2023/24-Q1", "420.00", "450.00", "On target"]
    assert by_code["da-repeat-rate"][4] == "30.00"  # the formula, worked out on read
    sheet = _sheet(client.get(PRIORITY + "xlsx"))
    assert sheet["A1"].value == "OFFICIAL-SENSITIVE"
    assert sheet.freeze_panes == "A4"


@pytest.fixture
def nasty_measures(plan, world):
    """Measures whose names would run as formulas, and a negative money figure."""
    for number, name in enumerate(NASTY):
        Measure.objects.create(
            priority=plan.abuse,
            code=f"nasty-{number}",
            name=name,
            definition="x",
            unit=Measure.Unit.MONEY,
            direction=Measure.Direction.UP,
            period_type=PeriodType.QUARTERLY,
            reporting_agency=world.police,
        )
    money = Measure.objects.get(code="nasty-0")
    partner_return = returns.return_for(plan.strategy, world.police, Q1)
    returns.save_figures(
        partner_return,
        world.police_lead,
        {f"{money.id}:2023-04-01": (D("-250.50"), "")},
        partner_return.version,
    )
    # Published as if approved (the other figures the return owes do not matter here).
    PartnerReturn.objects.filter(pk=partner_return.pk).update(status=PartnerReturn.Status.APPROVED)


def test_formula_injection_is_neutralised_in_csv(client, plan, world, nasty_measures):
    client.force_login(world.police_lead)
    rows = _csv_rows(client.get(PRIORITY + "csv"))
    names = {row[0]: row[1] for row in rows[3:]}
    for number, name in enumerate(NASTY):
        assert names[f"nasty-{number}"] == "'" + name
    money = next(row for row in rows if row[0] == "nasty-0")
    assert money[4] == "-250.50"  # a number stays a number


def test_formula_injection_is_neutralised_in_xlsx(client, plan, world, nasty_measures):
    client.force_login(world.police_lead)
    sheet = _sheet(client.get(PRIORITY + "xlsx"))
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=4)}
    for number, name in enumerate(NASTY):
        cell = rows[f"nasty-{number}"][1]
        # (XML turns a carriage return into a line feed: still text, still inert.)
        assert cell.data_type == "s"
        assert cell.value in ("'" + name, "'" + name.replace("\r", "\n"))
    assert not any(
        cell.data_type == "f" for row in sheet.iter_rows() for cell in row
    )  # no formula anywhere
    money = rows["nasty-0"][4]
    assert money.data_type == "n" and money.value == D("-250.50")


def test_neutralise_leaves_ordinary_text_alone():
    assert exports.neutralise("Anti-social behaviour") == "Anti-social behaviour"
    assert exports.neutralise("") == ""
    assert exports.neutralise("  =1+1") == "'  =1+1"


def test_file_names_carry_codes_and_the_date_only(client, plan, world):
    client.force_login(world.police_lead)
    for url, pattern in (
        (MEASURE + "csv", r"measure-da-incidents-\d{4}-\d{2}-\d{2}\.csv"),
        (MEASURE + "xlsx", r"measure-da-incidents-\d{4}-\d{2}-\d{2}\.xlsx"),
        (PRIORITY + "csv", r"priority-1-2022-25-\d{4}-\d{2}-\d{2}\.csv"),
    ):
        disposition = client.get(url)["Content-Disposition"]
        assert re.fullmatch(f'attachment; filename="{pattern}"', disposition), disposition
        assert world.police_lead.username not in disposition
        assert world.police_lead.last_name.lower() not in disposition.lower()


def test_each_export_is_audited(client, plan, world):
    client.force_login(world.housing_officer)
    client.get(MEASURE + "csv")
    client.get(MEASURE + "xlsx")
    client.get(PRIORITY + "xlsx")
    events = list(
        AuditEvent.objects.filter(verb__endswith=".exported")
        .order_by("id")
        .values_list("verb", "target_id", "data", "actor")
    )
    assert events == [
        ("measure.exported", str(plan.incidents.id), {"format": "csv"}, world.housing_officer.id),
        ("measure.exported", str(plan.incidents.id), {"format": "xlsx"}, world.housing_officer.id),
        (
            "priority.exported",
            str(plan.abuse.id),
            {"format": "xlsx", "measures": 3},
            world.housing_officer.id,
        ),
    ]


def test_an_unknown_format_measure_or_strategy_is_not_found(client, plan, world):
    client.force_login(world.analyst)
    assert client.get(MEASURE + "pdf").status_code == 404
    assert client.get(MEASURE + "CSV").status_code == 404
    assert client.get("/strategy/2022-25/measures/nope/export.csv").status_code == 404
    assert client.get("/strategy/2022-25/priorities/9/export.csv").status_code == 404
    assert not AuditEvent.objects.filter(verb__endswith=".exported").exists()


def test_a_stranger_gets_not_found(client, plan, world):
    client.force_login(world.stranger)
    assert client.get(MEASURE + "csv").status_code == 404
    assert client.get(PRIORITY + "xlsx").status_code == 404
