"""Bulk upload of figures: read, checked as a whole, saved all or nothing."""

import io
from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from saferhub.audit.models import AuditEvent
from saferhub.strategy import returns, spreadsheet, upload
from saferhub.strategy.models import Measure, MeasureValue, PartnerReturn
from saferhub.strategy.periods import Period, PeriodType

HEADER = "measure_code,period,agency,value,comment"
URL = "/strategy/2022-25/returns/upload/"
Q1 = Period.parse("2023/24-Q1", PeriodType.QUARTERLY)


def _csv(*lines: str, header: str = HEADER) -> bytes:
    return "\r\n".join([header, *lines]).encode() + b"\r\n"


def _file(data: bytes, name: str = "figures.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _xlsx(rows: list[list], formats: dict[str, str] | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _load(plan, user, data: bytes, name: str = "figures.csv") -> upload.Counts:
    return upload.load(plan.strategy, user, _file(data, name))


def _problems(plan, user, data: bytes, name: str = "figures.csv") -> list[tuple]:
    """Every problem as (row, column, message); asserts that nothing was saved."""
    before = MeasureValue.objects.count()
    with pytest.raises(spreadsheet.UploadError) as raised:
        _load(plan, user, data, name)
    assert MeasureValue.objects.count() == before
    return [(p.row, p.column, p.message) for p in raised.value.problems]


def _only(plan, user, data: bytes) -> tuple:
    problems = _problems(plan, user, data)
    assert len(problems) == 1, problems
    return problems[0]


@pytest.fixture
def percent(plan, world) -> Measure:
    """A submitted percentage measure, reported by the police each quarter."""
    return Measure.objects.create(
        priority=plan.abuse,
        code="da-arrest-rate",
        name="Arrest rate",
        definition="Arrests per incident.",
        unit=Measure.Unit.PERCENTAGE,
        direction=Measure.Direction.UP,
        period_type=PeriodType.QUARTERLY,
        reporting_agency=world.police,
    )


def _current(measure, start: date) -> MeasureValue:
    return MeasureValue.objects.get(measure=measure, period_start=start, is_current=True)


# -- Good files ---------------------------------------------------------------


def test_a_good_csv_saves_every_figure_into_the_right_return(plan, world):
    counts = _load(
        plan,
        world.police_lead,
        _csv(
            'da-incidents,2023/24-Q1,police,"1,234",Otley included',
            "da-repeats,2023/24-Q1,police,126,",
            "da-repeats,2023/24-Q2,police,130.00,",
        ),
    )
    assert (counts.rows, counts.changed, counts.unchanged) == (3, 3, 0)
    assert counts.message == "3 figures saved, 0 unchanged"
    value = _current(plan.incidents, date(2023, 4, 1))
    assert (value.value, value.comment, value.entry, value.entered_by) == (
        D(1234),
        "Otley included",
        MeasureValue.Entry.UPLOAD,
        world.police_lead,
    )
    assert value.partner_return.quarter == Q1
    assert value.partner_return.agency == world.police
    assert _current(plan.repeats, date(2023, 7, 1)).partner_return.quarter_start == date(2023, 7, 1)
    # One audit record per return changed, as save_figures makes, and one for the upload.
    saved = AuditEvent.objects.filter(verb="return.figures_saved")
    assert sorted(e.data["changed"] for e in saved) == [1, 2]
    assert {e.data["entry"] for e in saved} == {"upload"}
    assert AuditEvent.objects.get(verb="returns.uploaded").data == {
        "rows": 3,
        "changed": 3,
        "unchanged": 0,
        "skipped": 0,
    }


def test_a_good_xlsx_saves_numbers_percentages_and_dates(plan, world, percent):
    data = _xlsx(
        [
            ["measure_code", "period", "agency", "value", "comment"],
            ["da-incidents", "2023/24-Q1", "police", 420, None],
            ["da-arrest-rate", "2023/24-Q1", "police", 0.455, "typed as 45.5%"],
            ["da-repeats", "2023/24-Q1", "police", 126.0, ""],
        ],
        formats={"D3": "0.0%"},
    )
    counts = _load(plan, world.police_lead, data, name="figures.xlsx")
    assert counts.changed == 3
    assert _current(plan.incidents, date(2023, 4, 1)).value == D(420)
    assert _current(percent, date(2023, 4, 1)).value == D("45.50")
    assert _current(plan.repeats, date(2023, 4, 1)).value == D(126)


def test_a_monthly_figure_as_a_spreadsheet_rewrites_it(plan, world):
    """Excel turns 2023-04 into a date; the month is still understood."""
    data = _xlsx(
        [
            ["Measure Code", "Period", "Agency", "Value", "Comment"],
            ["asb-reports", date(2023, 4, 1), "housing", 10, None],
        ]
    )
    _load(plan, world.analyst, data, name="figures.xlsx")
    _load(
        plan,
        world.analyst,
        _csv("asb-reports,Jun-23,housing,12,", "asb-reports,01/07/2023,housing,13,"),
    )
    assert list(
        MeasureValue.objects.filter(measure=plan.reports).values_list("period_start", "value")
    ) == [(date(2023, 4, 1), D(10)), (date(2023, 6, 1), D(12)), (date(2023, 7, 1), D(13))]


def test_yearly_figures_go_into_the_return_of_the_quarter_the_year_ends(plan, world):
    _load(
        plan,
        world.analyst,
        _csv("households,2023/24,housing,900,", "asb-reports,2023-05,housing,5,"),
    )
    assert _current(plan.households, date(2023, 4, 1)).partner_return.quarter_start == date(
        2024, 1, 1
    )
    assert _current(plan.reports, date(2023, 5, 1)).partner_return.quarter_start == date(2023, 4, 1)


def test_uploading_the_same_file_again_changes_nothing(plan, world):
    data = _csv("da-incidents,2023/24-Q1,police,420,ok", "da-repeats,2023/24-Q1,police,126,")
    _load(plan, world.police_lead, data)
    partner_return = PartnerReturn.objects.get()
    audits = AuditEvent.objects.filter(verb="return.figures_saved").count()
    counts = _load(plan, world.police_lead, data)
    assert (counts.changed, counts.unchanged) == (0, 2)
    assert counts.message == "0 figures saved, 2 unchanged"
    assert MeasureValue.objects.count() == 2
    assert PartnerReturn.objects.get().version == partner_return.version
    assert AuditEvent.objects.filter(verb="return.figures_saved").count() == audits


def test_a_changed_figure_is_a_new_revision_like_the_return_form_makes(plan, world):
    partner_return = returns.return_for(plan.strategy, world.police, Q1)
    key = f"{plan.incidents.id}:2023-04-01"
    returns.save_figures(partner_return, world.police_lead, {key: (D(420), "")}, 1)
    assert partner_return.version == 2
    counts = _load(
        plan,
        world.police_lead,
        _csv("da-incidents,2023/24-Q1,police,431,Otley added", "da-repeats,2023/24-Q1,police,126,"),
    )
    assert (counts.changed, counts.unchanged) == (2, 0)
    history = list(
        MeasureValue.objects.filter(measure=plan.incidents).values_list(
            "revision", "value", "is_current", "entry"
        )
    )
    assert history == [(1, D(420), False, "form"), (2, D(431), True, "upload")]
    partner_return.refresh_from_db()
    assert partner_return.version == 3  # one version for the whole upload
    assert (
        AuditEvent.objects.filter(
            verb="return.figures_saved", target_id=str(partner_return.id)
        ).count()
        == 2
    )


def test_headers_in_any_order_and_case_a_bom_and_crlf_are_fine(plan, world):
    data = b"\xef\xbb\xbf" + _csv(
        "420,police,2023/24-Q1,da-incidents,", header=" Value ,AGENCY,Period,measure code,Comment"
    )
    assert data.count(b"\r\n") == 2
    assert _load(plan, world.police_lead, data).changed == 1


def test_the_content_decides_csv_or_xlsx_not_the_name(plan, world):
    workbook = _xlsx([HEADER.split(","), ["da-incidents", "2023/24-Q1", "police", 420, ""]])
    assert _load(plan, world.police_lead, workbook, name="figures.csv").changed == 1
    text = _csv("da-repeats,2023/24-Q1,police,126,")
    assert _load(plan, world.police_lead, text, name="figures.xlsx").changed == 1


def test_a_row_with_no_value_and_no_comment_is_skipped(plan, world):
    counts = _load(
        plan,
        world.police_lead,
        _csv("da-incidents,2023/24-Q1,police,420,", "da-repeats,2023/24-Q1,police,,", ",,,,"),
    )
    assert (counts.rows, counts.changed, counts.skipped) == (2, 1, 1)
    assert counts.message == "1 figure saved, 0 unchanged, 1 row with no value skipped"


def test_an_exported_apostrophe_before_a_formula_is_taken_off(plan, world):
    _load(plan, world.police_lead, _csv("da-incidents,2023/24-Q1,police,420,'=not a formula"))
    assert _current(plan.incidents, date(2023, 4, 1)).comment == "=not a formula"


# -- Bad values ---------------------------------------------------------------


def test_a_value_that_is_not_a_number(plan, world):
    assert _only(plan, world.police_lead, _csv("da-incidents,2023/24-Q1,police,abc,")) == (
        2,
        "value",
        "'abc' is not a number: write it like 1234.5",
    )
    for text in ("1e3", "1.234,5", "12 000", "NaN", "1,23"):
        row, column, _ = _only(
            plan, world.police_lead, _csv(f'da-incidents,2023/24-Q1,police,"{text}",')
        )
        assert (row, column) == (2, "value"), text


def test_a_percentage_over_100(plan, world, percent):
    assert _only(plan, world.police_lead, _csv("da-arrest-rate,2023/24-Q1,police,100.5,")) == (
        2,
        "value",
        "'100.5' is over 100: da-arrest-rate is a percentage (0 to 100)",
    )


def test_negative_and_fractional_counts(plan, world):
    assert _only(plan, world.police_lead, _csv("da-incidents,2023/24-Q1,police,-4,")) == (
        2,
        "value",
        "'-4' is below 0: da-incidents is a count figure, which cannot be negative",
    )
    assert _only(plan, world.police_lead, _csv("da-incidents,2023/24-Q1,police,4.5,")) == (
        2,
        "value",
        "'4.5' is not a whole number: da-incidents is a count",
    )


def test_more_decimal_places_are_rounded_to_the_two_kept(plan, world, percent):
    _load(plan, world.police_lead, _csv("da-arrest-rate,2023/24-Q1,police,33.335%,"))
    assert _current(percent, date(2023, 4, 1)).value == D("33.34")


# -- Bad periods, measures and agencies ---------------------------------------


def test_a_period_in_the_wrong_form(plan, world):
    assert _only(plan, world.police_lead, _csv("da-incidents,2023-Q1,police,420,")) == (
        2,
        "period",
        "'2023-Q1' is not a quarterly period: write it like 2023/24-Q1",
    )


def test_a_period_outside_the_strategy(plan, world):
    for code in ("2021/22-Q4", "2025/26-Q1"):
        assert _only(plan, world.police_lead, _csv(f"da-incidents,{code},police,420,")) == (
            2,
            "period",
            f"{code} is outside the strategy, which runs from 1 April 2022 to 31 March 2025",
        )


def test_an_unknown_measure_or_agency_code(plan, world):
    assert _only(plan, world.police_lead, _csv("da-incident,2023/24-Q1,police,420,")) == (
        2,
        "measure_code",
        "'da-incident' is not a measure of Safer Testford 2022-25: did you mean da-incidents?",
    )
    assert _only(plan, world.police_lead, _csv("da-incidents,2023/24-Q1,wyp,420,")) == (
        2,
        "agency",
        "'wyp' is not an agency code of this partnership: yours is police",
    )


def test_formula_and_derived_measures_cannot_be_uploaded(plan, world):
    problems = _problems(
        plan,
        world.analyst,
        _csv("da-repeat-rate,2023/24-Q1,council,30,", "overdue-actions,2023/24-Q1,council,2,"),
    )
    assert [(row, column) for row, column, _ in problems] == [
        (2, "measure_code"),
        (3, "measure_code"),
    ]
    assert "worked out by a formula" in problems[0][2]
    assert "counted by saferhub from its own records" in problems[1][2]


def test_a_figure_from_an_agency_that_does_not_report_the_measure(plan, world):
    assert _only(plan, world.analyst, _csv("da-incidents,2023/24-Q1,council,420,")) == (
        2,
        "agency",
        "da-incidents is reported by police, not by council",
    )


def test_a_duplicate_row_names_both_rows(plan, world):
    assert _only(
        plan,
        world.police_lead,
        _csv(
            "da-incidents,2023/24-Q1,police,420,",
            "da-repeats,2023/24-Q1,police,126,",
            "da-incidents,2023/24-Q1,police,421,",
        ),
    ) == (
        4,
        None,
        "the same measure and period (da-incidents, 2023/24-Q1) as row 2: give each figure once",
    )


def test_every_problem_is_listed_and_one_bad_row_saves_nothing(plan, world):
    problems = _problems(
        plan,
        world.police_lead,
        _csv(
            "da-incidents,2023/24-Q1,police,420,",
            "da-repeats,2023/24-Q1,police,lots,",
            "da-repeats,2023/24-Q2,police,12,",
            "nope,2023/24-Q3,housing,1,",
        ),
    )
    assert [(row, column) for row, column, _ in problems] == [
        (3, "value"),
        (5, "measure_code"),
        (5, "agency"),
    ]
    assert not PartnerReturn.objects.exists()


# -- Bad files ----------------------------------------------------------------


def test_an_empty_file_and_a_header_only_file(plan, world):
    for data in (b"", b"\xef\xbb\xbf\r\n"):
        ((row, column, message),) = _problems(plan, world.police_lead, data)
        assert row is None and message.startswith("The file is empty")
    ((row, column, message),) = _problems(plan, world.police_lead, _csv())
    assert message == (
        "The file has a header row (row 1) but no figures: add one row per figure below it."
    )


def test_a_file_with_the_wrong_columns(plan, world):
    problems = _problems(
        plan,
        world.police_lead,
        _csv(
            "da-incidents,2023/24-Q1,police,red,",
            header="measure_code,period,agency,colour,comment",
        ),
    )
    assert [(row, column) for row, column, _ in problems] == [(1, None), (1, None)]
    assert "the column 'colour' (column D) is not one saferhub reads" in problems[0][2]
    assert problems[1][2].startswith("the column value is missing")


def test_a_value_in_a_column_without_a_heading(plan, world):
    assert _only(plan, world.police_lead, _csv("da-incidents,2023/24-Q1,police,420,,oops")) == (
        2,
        "F",
        "has a value but the column has no heading",
    )


def test_semicolons_instead_of_commas(plan, world):
    ((row, _, message),) = _problems(
        plan,
        world.police_lead,
        b"measure_code;period;agency;value;comment\r\nda-incidents;2023/24-Q1;police;420;\r\n",
    )
    assert row == 1 and "not separated by commas" in message


def test_a_50_mb_file_is_refused_before_it_is_read(plan, world):
    class Huge:
        size = 50 * 1024 * 1024

        def read(self, *args):
            raise AssertionError("a file over the limit must not be read")

    with pytest.raises(spreadsheet.UploadError) as raised:
        spreadsheet.read_table(Huge())
    assert str(raised.value) == (
        "The file is too big: it is 50 MB and the largest file you can upload is 10 MB. "
        "Split it into smaller files and upload each one."
    )


def test_the_size_limit_is_a_setting_and_holds_without_a_size(plan, world, settings):
    settings.SAFERHUB_UPLOAD_MAX_BYTES = 100
    data = _csv(*["da-incidents,2023/24-Q1,police,420,"] * 10)
    with pytest.raises(spreadsheet.UploadError, match="more than 100 B|largest file"):
        spreadsheet.read_table(io.BytesIO(data))


def test_a_file_in_another_encoding_is_refused_clearly(plan, world):
    latin1 = _csv("da-incidents,2023/24-Q1,police,420,Café in Otley").decode().encode("latin-1")
    ((row, column, message),) = _problems(plan, world.police_lead, latin1)
    assert row is None
    assert message.startswith("The file is not saved as UTF-8")
    assert "line 2" in message and "CSV UTF-8 (Comma delimited)" in message
    utf16 = _csv("da-incidents,2023/24-Q1,police,420,").decode().encode("utf-16")
    ((_, _, message),) = _problems(plan, world.police_lead, utf16)
    assert "UTF-16" in message


def test_an_old_excel_file_or_another_zip_is_refused_clearly(plan, world):
    ((_, _, message),) = _problems(
        plan, world.police_lead, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    )
    assert "Excel 97-2003" in message
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    ((_, _, message),) = _problems(plan, world.police_lead, buffer.getvalue(), name="figures.xlsx")
    assert message.startswith("The file is not an Excel workbook saferhub can read")


# -- Who may upload what ------------------------------------------------------


def test_an_agency_lead_cannot_upload_another_agencys_figures(plan, world):
    assert _only(
        plan,
        world.police_lead,
        _csv("da-incidents,2023/24-Q1,police,420,", "asb-reports,2023-04,housing,5,"),
    ) == (3, "agency", "you can upload figures for Testford Police (police) only, not for housing")


def test_a_csp_analyst_may_upload_any_agencys_figures(plan, world):
    counts = _load(
        plan,
        world.analyst,
        _csv("da-incidents,2022/23-Q1,police,500,", "asb-reports,2022-04,housing,5,"),
    )
    assert counts.changed == 2
    assert set(MeasureValue.objects.values_list("partner_return__agency__code", flat=True)) == {
        "police",
        "housing",
    }
    assert set(MeasureValue.objects.values_list("entered_by", flat=True)) == {world.analyst.id}


def test_users_who_neither_submit_nor_approve_returns_may_not_upload(plan, world):
    for user in (world.police_officer, world.board_member, world.admin):
        with pytest.raises(PermissionDenied):
            _load(plan, user, _csv("da-incidents,2023/24-Q1,police,420,"))


def test_a_row_for_an_approved_return_is_an_error_unless_it_changes_nothing(plan, world):
    data = _csv("da-incidents,2023/24-Q1,police,420,", "da-repeats,2023/24-Q1,police,126,")
    _load(plan, world.police_lead, data)
    partner_return = PartnerReturn.objects.get()
    returns.submit(partner_return, world.police_lead, partner_return.version)
    returns.approve(partner_return, world.analyst, partner_return.version)
    # The same spreadsheet again, with next quarter's figures added: fine.
    counts = _load(plan, world.police_lead, data + b"da-incidents,2023/24-Q2,police,400,\r\n")
    assert (counts.changed, counts.unchanged) == (1, 2)
    assert _only(plan, world.police_lead, _csv("da-incidents,2023/24-Q1,police,421,")) == (
        2,
        None,
        "the police return for 2023/24-Q1 is approved: ask the CSP analyst to reopen it",
    )
    ((_, _, message),) = _problems(plan, world.analyst, _csv("da-incidents,2023/24-Q1,police,421,"))
    assert message.endswith("is approved: reopen it first")


def test_a_return_changed_while_the_file_was_checked_saves_nothing(plan, world):
    rows = spreadsheet.read_table(_file(_csv("da-incidents,2023/24-Q1,police,420,")))
    checked, problems = upload.validate(plan.strategy, world.police_lead, rows)
    assert not problems
    partner_return = returns.return_for(plan.strategy, world.police, Q1)
    key = f"{plan.repeats.id}:2023-04-01"
    returns.save_figures(partner_return, world.police_lead, {key: (D(126), "")}, 1)
    with pytest.raises(returns.StaleReturn):
        upload.apply(plan.strategy, world.police_lead, checked)
    assert MeasureValue.objects.count() == 1


def test_a_period_that_has_not_ended_is_refused(plan, world, monkeypatch):
    import datetime as real_datetime

    class Today(real_datetime.date):
        @classmethod
        def today(cls):
            return real_datetime.date(2023, 8, 1)

    monkeypatch.setattr("saferhub.strategy.upload.date", Today)
    row, column, message = _only(
        plan, world.police_lead, _csv("da-incidents,2023/24-Q2,police,420,")
    )
    assert (row, column) == (2, "period")
    assert message == "2023/24-Q2 has not ended yet: its figure can be given from 1 October 2023"
