"""Bulk upload of submitted figures from a CSV or Excel file, checked as a whole.

Three steps, each usable on its own:

1. `read_table(file)` reads the rows of a CSV (UTF-8, with or without a BOM) or an
   Excel workbook (.xlsx, first sheet). Which one is decided by the file's content,
   never by its name. A problem with the file itself (too big, empty, another
   encoding, wrong columns) raises UploadError.
2. `validate(strategy, user, rows)` checks every row and lists every problem with
   the row number the user sees in their spreadsheet (the header is row 1) and the
   column. Nothing is read per row: measures, agencies, returns and current figures
   are fetched in bulk.
3. `apply(strategy, user, upload)` saves every figure in one transaction: all or
   nothing. It keeps the rules of `returns.save_figures` (a changed figure adds a
   revision, an unchanged one adds nothing, the return's version goes up once with
   an optimistic check, one audit record per return) in bulk queries, so that
   10,000 rows save in well under 5 seconds.

Decisions, shown to users on the upload page:

* Numbers: plain decimals ("1234", "-3.5"), optionally with commas grouping
  thousands ("1,234,567.5"); no other separators, no exponents. "%" may follow a
  percentage and "£" may lead a money figure. Values are stored to 2 decimal places
  (more are rounded half up). Counts must be whole numbers. No figure may be below 0
  except money (a variance or a saving can be negative); percentages run 0 to 100.
* Who: an agency lead (Action.SUBMIT_RETURNS) uploads their own agency's figures
  only. A CSP analyst (Action.APPROVE_RETURNS) may upload any agency's figures, for
  instance to load history; the figures are entered in the agency's return as
  upload entries by the analyst, and the return still goes through submission and
  approval.
* Locked returns: a row whose return is submitted or approved is an error, unless
  it repeats the current figure and comment exactly (then it is counted as
  unchanged), so that an agency can upload the same growing spreadsheet each quarter.
* A row with no value and no comment is skipped (and counted as skipped), so that a
  downloaded template can be uploaded with some figures still to come.
"""

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from saferhub.access import scope
from saferhub.access.permissions import Action, can
from saferhub.audit.services import record
from saferhub.partnership.models import Agency
from saferhub.strategy import returns
from saferhub.strategy.models import Measure, MeasureValue, PartnerReturn, Strategy
from saferhub.strategy.numbers import parse_number, plain
from saferhub.strategy.periods import Period, PeriodType
from saferhub.strategy.spreadsheet import (
    COLUMNS,
    MAX_COMMENT,
    Problem,
    Row,
    UploadError,
    _column_order,
    _file_problem,
    read_table,
)

_LIMIT = Decimal(10) ** 12  # MeasureValue.value: 14 digits, 2 after the point
_CENT = Decimal("0.01")
_MONTH_CODE = re.compile(r"\d{4}-\d{2}")
_MONTH_FORMATS = ("%b-%y", "%b %y", "%b-%Y", "%b %Y", "%B %Y", "%B-%Y", "%B-%y", "%B %y")

ReturnKey = tuple[int, date]  # (agency id, first day of the quarter)


@dataclass
class ValidatedUpload:
    """The figures of a valid upload, grouped by the return each belongs to."""

    rows: int = 0  # data rows read (skipped ones included)
    skipped: int = 0  # rows with no value and no comment
    # return -> {OwedFigure.key: (value, comment)}
    by_return: dict[ReturnKey, dict[str, tuple[Decimal, str]]] = field(default_factory=dict)
    # the version of each return when checked; a return not created yet is at version 1
    versions: dict[ReturnKey, int] = field(default_factory=dict)
    agencies: dict[int, Agency] = field(default_factory=dict)
    locked_unchanged: int = 0  # rows for a locked return that repeat its figure exactly


def _period_text(text: str, period_type: str) -> str:
    """Months as spreadsheets rewrite them ("2023-04-01", "01/04/2023", "Apr-23")
    turned back into the code "2023-04". Other types are left to Period.parse."""
    if period_type != PeriodType.MONTHLY or _MONTH_CODE.fullmatch(text):
        return text
    if match := re.fullmatch(r"(\d{4})-(\d{2})-01", text):
        return f"{match[1]}-{match[2]}"
    if match := re.fullmatch(r"0?1/(\d{1,2})/(\d{4})", text):
        return f"{match[2]}-{int(match[1]):02d}"
    for pattern in _MONTH_FORMATS:
        try:
            return f"{datetime.strptime(text, pattern):%Y-%m}"
        except ValueError:
            continue
    return text


def _value(row: Row, measure: Measure | None, problems: list[Problem]) -> Decimal | None:
    raw = row.value
    if isinstance(raw, Decimal):
        number, shown = raw, plain(raw)
    else:
        shown = raw
        text = raw.strip()
        unit = measure.unit if measure else None
        if text.endswith("%") and unit in (Measure.Unit.PERCENTAGE, None):
            text = text[:-1]
        if text.lstrip("+-").startswith("£") and unit in (Measure.Unit.MONEY, None):
            text = text.replace("£", "", 1)
        number = parse_number(text)
        if number is None:
            problems.append(
                Problem(row.number, "value", f"'{shown}' is not a number: write it like 1234.5")
            )
            return None
    if not number.is_finite() or abs(number) >= _LIMIT:
        problems.append(Problem(row.number, "value", f"'{shown}' is too large"))
        return None
    number = number.quantize(_CENT, rounding=ROUND_HALF_UP)
    if measure is None:
        return number
    if problem := measure.figure_problem(number):
        problems.append(Problem(row.number, "value", f"'{shown}' {problem}"))
        return None
    return number


def uploadable_agencies(user, strategy: Strategy) -> list[Agency] | None:
    """The agencies whose figures the user may upload: None means every agency."""
    if can(user, Action.APPROVE_RETURNS):
        return None
    if can(user, Action.SUBMIT_RETURNS) and user.agency_id:
        return [user.agency]
    raise PermissionDenied


def validate(strategy: Strategy, user, rows: list[Row]) -> tuple[ValidatedUpload, list[Problem]]:
    """Check every row; the figures grouped by return, and every problem found.

    Four queries whatever the number of rows: measures, agencies, returns and the
    current figures.
    """
    allowed = uploadable_agencies(user, strategy)
    own = allowed[0] if allowed else None
    measures = {
        m.code: m
        for m in Measure.objects.filter(strategy=strategy).select_related("reporting_agency")
    }
    measures_folded = {code.casefold(): m for code, m in measures.items()}
    agencies = {a.code: a for a in Agency.objects.filter(partnership_id=strategy.partnership_id)}
    agencies_folded = {code.casefold(): a for code, a in agencies.items()}
    first_day = strategy.starts_on
    last_day = strategy.ends_on

    result = ValidatedUpload(rows=len(rows))
    problems: list[Problem] = []
    seen: dict[tuple[int, date], int] = {}
    hints: dict[str, str] = {}  # unknown measure code -> "did you mean" (worked out once)
    checked: list[tuple[Row, Measure, Agency, Period, Decimal, str, ReturnKey]] = []

    for row in rows:
        before = len(problems)
        for letter in row.extra:
            problems.append(
                Problem(row.number, letter, "has a value but the column has no heading")
            )
        # Measure
        measure = None
        code = row.measure_code.strip()
        if not code:
            problems.append(Problem(row.number, "measure_code", "enter the measure's code"))
        else:
            measure = measures.get(code) or measures_folded.get(code.casefold())
            if measure is None:
                if code not in hints:
                    close = difflib.get_close_matches(code, list(measures), n=1)
                    hints[code] = f": did you mean {close[0]}?" if close else ""
                hint = hints[code]
                problems.append(
                    Problem(
                        row.number,
                        "measure_code",
                        f"'{code}' is not a measure of {strategy.title}{hint}",
                    )
                )
            elif measure.source == Measure.Source.FORMULA:
                problems.append(
                    Problem(
                        row.number,
                        "measure_code",
                        f"{measure.code} is worked out by a formula from other measures: "
                        "upload the figures it is worked out from instead",
                    )
                )
                measure = None
            elif measure.source == Measure.Source.DERIVED:
                problems.append(
                    Problem(
                        row.number,
                        "measure_code",
                        f"{measure.code} is counted by saferhub from its own records: "
                        "it cannot be uploaded",
                    )
                )
                measure = None
        # Agency
        agency = None
        agency_code = row.agency.strip()
        if not agency_code:
            problems.append(Problem(row.number, "agency", "enter the agency's code"))
        else:
            agency = agencies.get(agency_code) or agencies_folded.get(agency_code.casefold())
            if agency is None:
                problems.append(
                    Problem(
                        row.number,
                        "agency",
                        f"'{agency_code}' is not an agency code of this partnership"
                        + (f": yours is {own.code}" if own else ""),
                    )
                )
            elif own is not None and agency.id != own.id:
                problems.append(
                    Problem(
                        row.number,
                        "agency",
                        f"you can upload figures for {own.name} ({own.code}) only, "
                        f"not for {agency.code}",
                    )
                )
                agency = None
            elif measure is not None and measure.reporting_agency_id != agency.id:
                problems.append(
                    Problem(
                        row.number,
                        "agency",
                        f"{measure.code} is reported by {measure.reporting_agency.code}, "
                        f"not by {agency.code}",
                    )
                )
                agency = None
        # Period
        period = None
        period_text = row.period.strip()
        if not period_text:
            problems.append(Problem(row.number, "period", "enter the period, like 2023/24-Q1"))
        elif measure is not None:
            try:
                period = measure.period(_period_text(period_text, measure.period_type))
            except ValueError as error:
                problems.append(Problem(row.number, "period", str(error)))
            else:
                if period.start < measure.period_of(first_day).start or period.end > last_day:
                    problems.append(
                        Problem(
                            row.number,
                            "period",
                            f"{period.code} is outside the strategy, which runs from "
                            f"{first_day:%-d %B %Y} to {last_day:%-d %B %Y}",
                        )
                    )
                    period = None
                elif period.end >= date.today():
                    problems.append(
                        Problem(
                            row.number,
                            "period",
                            f"{period.code} has not ended yet: its figure can be given from "
                            f"{period.end + timedelta(days=1):%-d %B %Y}",
                        )
                    )
                    period = None
        # Value and comment
        comment = row.comment.strip()
        blank = row.value == "" or (isinstance(row.value, str) and not row.value.strip())
        value = None
        if blank:
            if comment:
                problems.append(
                    Problem(
                        row.number,
                        "value",
                        "enter the figure the comment is about, or delete the comment",
                    )
                )
        else:
            value = _value(row, measure, problems)
        if len(comment) > MAX_COMMENT:
            problems.append(
                Problem(
                    row.number,
                    "comment",
                    f"the comment is {len(comment):,} characters: keep it to {MAX_COMMENT:,}",
                )
            )
        # Duplicates
        if measure is not None and period is not None:
            key = (measure.id, period.start)
            if key in seen:
                problems.append(
                    Problem(
                        row.number,
                        None,
                        f"the same measure and period ({measure.code}, {period.code}) as row "
                        f"{seen[key]}: give each figure once",
                    )
                )
                continue
            seen[key] = row.number
        if len(problems) > before or None in (measure, agency, period):
            continue
        if blank:
            result.skipped += 1
            continue
        quarter = Period.containing(period.end, PeriodType.QUARTERLY)
        checked.append((row, measure, agency, period, value, comment, (agency.id, quarter.start)))

    if not checked:
        return result, problems

    # The returns' versions are read before their figures: a save in between then
    # fails the optimistic check in apply() instead of going unnoticed.
    return_keys = {item[6] for item in checked}
    found = {
        (r.agency_id, r.quarter_start): r
        for r in PartnerReturn.objects.filter(
            strategy=strategy,
            agency_id__in={key[0] for key in return_keys},
            quarter_start__in={key[1] for key in return_keys},
        )
    }
    current = _current_figures(
        [item[1].id for item in checked], [item[3].start for item in checked]
    )
    for row, measure, agency, period, value, comment, key in checked:
        partner_return = found.get(key)
        status = partner_return.status if partner_return else PartnerReturn.Status.DRAFT
        if status not in returns.EDITABLE:
            existing = current.get((measure.id, period.start))
            if existing and existing[1] == value and existing[2] == comment:
                result.locked_unchanged += 1
                continue
            whom = "reopen it first" if allowed is None else "ask the CSP analyst to reopen it"
            problems.append(
                Problem(
                    row.number,
                    None,
                    f"the {agency.code} return for {key_quarter(key).code} is "
                    f"{PartnerReturn.Status(status).label.lower()}: {whom}",
                )
            )
            continue
        result.by_return.setdefault(key, {})[f"{measure.id}:{period.start.isoformat()}"] = (
            value,
            comment,
        )
        result.versions[key] = partner_return.version if partner_return else 1
        result.agencies[agency.id] = agency
    problems.sort(key=lambda p: (p.row or 0, _column_order(p.column)))
    return result, problems


def key_quarter(key: ReturnKey) -> Period:
    return Period(key[1], PeriodType.QUARTERLY)


def _current_figures(
    measure_ids: list[int], starts: list[date]
) -> dict[tuple[int, date], tuple[int, Decimal, str, int]]:
    """(measure, period start) -> (id, value, comment, revision) of the current figure."""
    if not starts:
        return {}
    return {
        (measure_id, start): (pk, value, comment, revision)
        for pk, measure_id, start, value, comment, revision in MeasureValue.objects.filter(
            measure_id__in=set(measure_ids),
            period_start__gte=min(starts),
            period_start__lte=max(starts),
            is_current=True,
        ).values_list("id", "measure_id", "period_start", "value", "comment", "revision")
    }


# -- 3. Saving ----------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    rows: int
    changed: int
    unchanged: int
    skipped: int = 0

    @property
    def message(self) -> str:
        text = f"{self.changed:,} figure{'' if self.changed == 1 else 's'} saved, "
        text += f"{self.unchanged:,} unchanged"
        if self.skipped:
            rows = "row" if self.skipped == 1 else "rows"
            text += f", {self.skipped:,} {rows} with no value skipped"
        return text


@transaction.atomic
def apply(strategy: Strategy, user, upload: ValidatedUpload) -> Counts:
    """Save a validated upload in one transaction, every figure or none, through
    returns.save_many (revisions, optimistic locking and audit in one place)."""
    keys = list(upload.by_return)
    # A return nobody has opened yet is made now, as returns.return_for would; one made
    # by someone else meanwhile is kept, and save_many's version check then decides.
    PartnerReturn.objects.bulk_create(
        [
            PartnerReturn(strategy=strategy, agency_id=agency_id, quarter_start=start)
            for agency_id, start in keys
        ],
        ignore_conflicts=True,
    )
    found = {
        (r.agency_id, r.quarter_start): r
        for r in PartnerReturn.objects.filter(
            strategy=strategy,
            agency_id__in={key[0] for key in keys},
            quarter_start__in={key[1] for key in keys},
        )
    }
    changed = returns.save_many(
        user,
        [(found[key], figures, upload.versions[key]) for key, figures in upload.by_return.items()],
        MeasureValue.Entry.UPLOAD,
    )
    total = sum(len(figures) for figures in upload.by_return.values())
    saved = sum(changed.values())
    counts = Counts(
        rows=upload.rows,
        changed=saved,
        unchanged=total - saved + upload.locked_unchanged,
        skipped=upload.skipped,
    )
    record(
        user,
        "returns.uploaded",
        strategy,
        rows=counts.rows,
        changed=counts.changed,
        unchanged=counts.unchanged,
        skipped=counts.skipped,
    )
    return counts


def load(strategy: Strategy, user, file) -> Counts:
    """Read, check and save an uploaded file; UploadError lists every problem."""
    rows = read_table(file)
    upload, problems = validate(strategy, user, rows)
    if problems:
        raise UploadError(problems)
    try:
        return apply(strategy, user, upload)
    except returns.ReturnError as error:
        raise _file_problem(str(error)) from None


def template_rows(user, strategy: Strategy, today: date) -> list[list[str]]:
    """A CSV template of the figures the user may upload for the strategy's quarters
    that have started, with the figures already entered filled in (the user's own
    agency's, which they may see)."""
    allowed = uploadable_agencies(user, strategy)
    agencies = list(returns.agencies_owing(strategy))
    if allowed is not None:
        agencies = [a for a in agencies if a.id == allowed[0].id]
    current = {
        (measure_id, start): (value, comment)
        for measure_id, start, value, comment in scope.visible(
            user,
            MeasureValue.objects.filter(
                measure__strategy=strategy,
                is_current=True,
                partner_return__agency__in=agencies,
            ),
        ).values_list("measure_id", "period_start", "value", "comment")
    }
    lines = [list(COLUMNS)]
    for quarter in returns.quarters_of(strategy):
        if quarter.end >= today or quarter.start < strategy.starts_on:
            continue
        for agency in agencies:
            for owed in returns.owed_figures(strategy, agency, quarter):
                if owed.period.end > strategy.ends_on:
                    continue
                value, comment = current.get((owed.measure.id, owed.period.start), ("", ""))
                lines.append(
                    [owed.measure.code, owed.period.code, agency.code, str(value), comment]
                )
    return lines
