"""Reading an uploaded spreadsheet of figures: CSV or Excel, decided by content.

`read_table(file)` reads the rows of a CSV (UTF-8, with or without a BOM, any line
endings) or an Excel workbook (.xlsx, first sheet); which one is decided by the
file's content, never by its name. A problem with the file itself (too big, empty,
another encoding, wrong columns) raises UploadError naming it; checking each row
against the strategy is upload.validate's work.
"""

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings

COLUMNS = ("measure_code", "period", "agency", "value", "comment")
DEFAULT_MAX_BYTES = 10_485_760
# A 10 MB CSV of short rows can hold a quarter of a million; more than this is
# not a quarterly return and would keep a web worker busy for too long.
MAX_ROWS = 50_000
MAX_COMMENT = 2000
# An .xlsx is a zip: refuse one that would unpack to more than this many times the limit.
MAX_UNPACKED_RATIO = 20
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls)
# Characters that make a spreadsheet read a cell as a formula; exports prefix them
# with an apostrophe, which an upload takes off again.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def max_bytes() -> int:
    return getattr(settings, "SAFERHUB_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an upload. row is the spreadsheet row (header = 1), or
    None for the file as a whole; column is a column name, or None for the row."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        where = f"Row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class UploadError(Exception):
    """The upload cannot be used; `problems` says why, every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.row or 0, _column_order(p.column)))
        super().__init__("; ".join(str(p) for p in self.problems))


@dataclass
class Row:
    number: int  # as the spreadsheet shows it
    measure_code: str
    period: str
    agency: str
    value: str | Decimal  # Decimal when a workbook cell held a number
    comment: str
    extra: list[str] = field(default_factory=list)  # letters of filled cells with no heading


def _column_order(column: str | None) -> tuple[int, str]:
    if column is None:
        return (-1, "")
    return (COLUMNS.index(column), "") if column in COLUMNS else (len(COLUMNS), column)


def megabytes(size: int) -> str:
    value = size / 1_048_576
    return f"{value:.0f} MB" if value >= 10 or value == int(value) else f"{value:.1f} MB"


def _letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _file_problem(message: str) -> UploadError:
    return UploadError([Problem(None, None, message)])


# -- 1. Reading ---------------------------------------------------------------


def read_table(file) -> list[Row]:
    """The data rows of an uploaded CSV or XLSX file (blank rows left out).

    `file` is a Django UploadedFile or any binary file object. Raises UploadError.
    """
    limit = max_bytes()
    too_big = (
        f"The file is too big: it is {{size}} and the largest file you can upload is "
        f"{megabytes(limit)}. Split it into smaller files and upload each one."
    )
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise _file_problem(too_big.format(size=megabytes(size)))
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise _file_problem(too_big.format(size=f"more than {megabytes(limit)}"))
    if not data.strip(b" \t\r\n" + codecs.BOM_UTF8):
        raise _file_problem(
            "The file is empty. Upload a CSV or Excel file with a header row "
            f"({', '.join(COLUMNS)}) and one row per figure."
        )
    if data.startswith(_ZIP_MAGIC):
        table = _xlsx_rows(data, limit)
    elif data.startswith(_OLE_MAGIC):
        raise _file_problem(
            "The file is an Excel 97-2003 workbook (.xls), which saferhub cannot read. "
            "In Excel, choose Save As and 'Excel Workbook (*.xlsx)' or "
            "'CSV UTF-8 (Comma delimited) (*.csv)', then upload it again."
        )
    else:
        table = _csv_rows(data)
    return _rows_from_table(table)


def _csv_rows(data: bytes):
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _file_problem(
            "The file is saved as UTF-16 ('Unicode Text'), not as UTF-8 CSV. In Excel, choose "
            "Save As and 'CSV UTF-8 (Comma delimited) (*.csv)', then upload it again."
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise _file_problem(
            "The file is not saved as UTF-8, the character encoding saferhub reads: line "
            f"{line} has a character that is not UTF-8 (the file may be in Windows-1252 or "
            "Latin-1). In Excel, choose Save As and 'CSV UTF-8 (Comma delimited) (*.csv)', "
            "then upload it again."
        ) from None
    if "\x00" in text:
        raise _file_problem(
            "The file is not a CSV or Excel file: upload a CSV saved as UTF-8, or an .xlsx."
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, [(cell, None) for cell in cells]
    except csv.Error as error:
        raise _file_problem(
            f"Row {number + 1} cannot be read as CSV ({error}). Check its quotation marks."
        ) from None


def _xlsx_rows(data: bytes, limit: int):
    unreadable = (
        "The file is not an Excel workbook saferhub can read. Upload an Excel workbook "
        "(.xlsx) or a CSV saved as UTF-8."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _file_problem(unreadable) from None
    if unpacked > MAX_UNPACKED_RATIO * limit:
        raise _file_problem(
            "The workbook is too big once unpacked: save only the figures to upload as CSV "
            "UTF-8 or a smaller .xlsx, and upload that."
        )
    import openpyxl  # only here: most uploads are CSV

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a zip that is no workbook
        raise _file_problem(unreadable) from None
    try:
        if not workbook.worksheets:
            raise _file_problem(unreadable)
        sheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size; read what is really there.
        sheet.reset_dimensions()
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            yield number, [(cell.value, getattr(cell, "number_format", None)) for cell in cells]
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _unneutralise(str(value).strip())


def _cell_number(value, number_format: str | None) -> str | Decimal:
    """A workbook's numeric cell as a Decimal (a cell formatted as a percentage holds
    0.45 for 45%); anything else as text."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return _cell_text(value)
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if number_format and "%" in number_format:
        number *= 100
    return number


def _unneutralise(text: str) -> str:
    """Take off the apostrophe an export puts before text that looks like a formula."""
    if text.startswith("'") and text[1:].lstrip(" ")[:1] in FORMULA_TRIGGERS and len(text) > 1:
        return text[1:]
    return text


def _heading(text) -> str:
    return re.sub(r"[\s\-]+", "_", _cell_text(text).lower())


def _rows_from_table(table) -> list[Row]:
    header: dict[int, str] | None = None
    header_row = 0
    rows: list[Row] = []
    for number, cells in table:
        if not any(_cell_text(value) for value, _ in cells):
            continue
        if header is None:
            header_row = number
            header = _read_header(number, [value for value, _ in cells])
            continue
        if len(rows) >= MAX_ROWS:
            raise _file_problem(
                f"The file has more than {MAX_ROWS:,} rows of figures: split it into smaller "
                "files and upload each one."
            )
        found: dict[str, object] = {}
        extra = []
        for index, (value, number_format) in enumerate(cells):
            name = header.get(index)
            if name is None:
                if _cell_text(value):
                    extra.append(_letter(index))
            elif name == "value":
                found[name] = _cell_number(value, number_format)
            else:
                found[name] = _cell_text(value)
        rows.append(
            Row(
                number=number,
                measure_code=found.get("measure_code", ""),
                period=found.get("period", ""),
                agency=found.get("agency", ""),
                value=found.get("value", ""),
                comment=found.get("comment", ""),
                extra=extra,
            )
        )
    if header is None:
        raise _file_problem("The file is empty. Upload a file with a header row and figures.")
    if not rows:
        raise _file_problem(
            f"The file has a header row (row {header_row}) but no figures: add one row per "
            "figure below it."
        )
    return rows


def _read_header(number: int, values: list) -> dict[int, str]:
    expected = ", ".join(COLUMNS)
    names = [_heading(value) for value in values]
    problems = []
    if len([name for name in names if name]) == 1 and any(
        sep in _cell_text(values[0]) for sep in (";", "\t")
    ):
        raise UploadError(
            [
                Problem(
                    number,
                    None,
                    "the columns are not separated by commas. Save the file as "
                    "'CSV UTF-8 (Comma delimited) (*.csv)', or upload the .xlsx itself.",
                )
            ]
        )
    header: dict[int, str] = {}
    for index, name in enumerate(names):
        if not name:
            continue
        if name not in COLUMNS:
            problems.append(
                Problem(
                    number,
                    None,
                    f"the column '{_cell_text(values[index])}' (column {_letter(index)}) is not "
                    f"one saferhub reads: the columns must be {expected}",
                )
            )
        elif name in header.values():
            problems.append(Problem(number, None, f"the column {name} appears twice: give it once"))
        else:
            header[index] = name
    for name in COLUMNS:
        if name not in header.values():
            problems.append(
                Problem(
                    number,
                    None,
                    f"the column {name} is missing: the first row must name the columns {expected}",
                )
            )
    if problems:
        raise UploadError(problems)
    return header
