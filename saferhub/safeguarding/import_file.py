"""Reading a CSV of past referrals and checking every row (issue 4, "Importing history").

`check(data, today, sectors)` reads the file's bytes (UTF-8, with or without a byte-order
mark, any line endings) and checks every row, returning the rows ready to save; or raises
ImportProblems listing every problem, each with the line of the file it is on (the header
is line 1) and its column. Saving is importing.py's work.

strategy.spreadsheet.read_table reads the strategy's five columns, CSV or .xlsx, up to
50,000 rows, and counts spreadsheet rows. A history file is CSV only, holds 100,000 rows
or more, and its problems name lines of the file (a quoted value may run over several),
so it is read here, strictly, with the same wording for the same faults.
"""

import codecs
import csv
import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from saferhub.partnership.models import Agency
from saferhub.safeguarding import dash
from saferhub.safeguarding.models import Ethnicity, Gender, YesNoNotKnown

DASH_COLUMNS = tuple(f"dash_{number:02d}" for number in range(1, 25))
COLUMNS: tuple[str, ...] = (
    "referral_ref",
    "referral_date",
    "referring_agency",
    "victim_given_name",
    "victim_family_name",
    "victim_dob",
    "victim_postcode",
    "victim_gender",
    "victim_ethnicity",
    "victim_lgbt",
    "victim_disabled",
    "perpetrator_given_name",
    "perpetrator_family_name",
    "perpetrator_dob",
    "perpetrator_gender",
    "children_in_household",
    *DASH_COLUMNS,
    "police_incidents_12m",
    "professional_judgement",
    "professional_judgement_reason",
    "marac_date",
)
# The referral form's limits, so that an import holds nothing the form would refuse.
MAX_COUNT = 99
MAX_NAME = 100
MAX_POSTCODE = 10
MAX_REF = 50
# csv's field size limit (131,072 characters, left at Python's default) stops a quotation
# mark left open from swallowing the rest of the file: _records reports it as such.

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")
_SAVE_AS_CSV = (
    "In Excel, choose Save As and 'CSV UTF-8 (Comma delimited) (*.csv)', then import it again."
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: its line (the header is line 1; None for the file as
    a whole), its column (None for the whole line) and what to do about it."""

    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


class ImportProblems(Exception):
    """The file cannot be imported; `problems` lists every reason, in the file's order."""

    def __init__(self, problems: list[Problem]):
        order = {name: index for index, name in enumerate(COLUMNS)}
        self.problems = sorted(problems, key=lambda p: (p.line or 0, order.get(p.column or "", -1)))
        first = f", the first: {self.problems[0]}" if self.problems else ""
        super().__init__(f"{len(self.problems)} problem(s){first}")


@dataclass(slots=True)
class ImportRow:
    """One checked row: the referral as it will be saved."""

    line: int
    ref: str
    referred_on: date
    sector: str
    victim_given: str
    victim_family: str
    victim_dob: date | None
    victim_postcode: str
    victim_gender: str
    victim_ethnicity: str
    victim_lgbt: str
    victim_disabled: str
    perpetrator_given: str
    perpetrator_family: str
    perpetrator_dob: date | None
    perpetrator_gender: str
    children: int
    answers: tuple[str, ...]  # the 24 DASH answers, question 1 first
    police_incidents: int
    professional_judgement: bool
    judgement_reason: str
    marac_date: date | None


def _file_problem(message: str, line: int | None = None) -> ImportProblems:
    return ImportProblems([Problem(line, None, message)])


# -- 1. The file --------------------------------------------------------------


def decode(data: bytes) -> str:
    """The file's text; ImportProblems if it is not a UTF-8 CSV (naming the line)."""
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        raise _file_problem(f"The file is an Excel workbook, not a CSV file. {_SAVE_AS_CSV}")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _file_problem(
            f"The file is saved as UTF-16 ('Unicode Text'), not as UTF-8. {_SAVE_AS_CSV}"
        )
    # utf-8-sig takes off a byte-order mark without copying the file.
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        offset = error.start + bom
        raise ImportProblems(
            [
                Problem(
                    data.count(b"\n", 0, offset) + 1,
                    _column_at(data, offset),
                    "this line has a character that is not UTF-8: the file is not saved as "
                    "UTF-8, the character encoding saferhub reads (it may be in Windows-1252 "
                    f"or Latin-1). {_SAVE_AS_CSV}",
                )
            ]
        ) from None
    if "\x00" in text:
        raise _file_problem("The file is not a CSV file: import a CSV saved as UTF-8.")
    if not text.strip():
        raise _file_problem(
            f"The file is empty. Import a CSV file with a header row naming the {len(COLUMNS)} "
            "columns and one row per referral."
        )
    return text


def _column_at(data: bytes, offset: int) -> str | None:
    """The heading of the column holding the byte at `offset`, if the header can say."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    if line_start == 0:
        return None
    header = data[: data.find(b"\n")].decode("utf-8-sig", errors="replace")
    before = data[line_start:offset].decode("utf-8", errors="replace")
    index = len(next(csv.reader([before]), [""])) - 1
    names = [_heading(name) for name in next(csv.reader([header]), [])]
    return names[index] if 0 <= index < len(names) else None


def _heading(text: str) -> str:
    return text.strip().lower()


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line the record starts on, its cells), blank lines left out; a record that cannot
    be read (an open quotation mark, usually a file cut short) raises ImportProblems."""
    # Lines as io.StringIO(text, newline="") gives them, without its copy of the whole text
    # at 4 bytes a character.
    lines = (match.group() for match in _LINE.finditer(text))
    reader = csv.reader(lines, strict=True)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            reason = str(error)
            if "end of data" in reason or "field larger" in reason:
                raise _file_problem(
                    "a quotation mark opened on this line is never closed: the file seems to "
                    "be cut short (truncated), or a quotation mark is missing. Check the line, "
                    "or export the file again.",
                    start,
                ) from None
            raise _file_problem(
                f"the line cannot be read as CSV ({reason}): check its quotation marks.", start
            ) from None
        if any(cell.strip() for cell in cells):
            yield start, cells


def read_header(text: str) -> tuple[dict[str, int], Iterator[tuple[int, list[str]]]]:
    """The position of each column, and the records after the header."""
    records = _records(text)
    first = next(records, None)
    if first is None:
        raise _file_problem(
            f"The file is empty. Import a CSV file with a header row naming the {len(COLUMNS)} "
            "columns and one row per referral."
        )
    line, cells = first
    names = [_heading(cell) for cell in cells]
    while names and not names[-1]:  # empty cells after the last heading, as Excel may write
        names.pop()
    problems = []
    if len(names) == 1 and any(separator in cells[0] for separator in (";", "\t")):
        raise _file_problem(
            "the columns are not separated by commas. Save the file as "
            "'CSV UTF-8 (Comma delimited) (*.csv)'.",
            line,
        )
    unknown = [
        cell.strip() for name, cell in zip(names, cells, strict=False) if name not in COLUMNS
    ]
    if any(unknown):
        shown = ", ".join(f"'{name}'" for name in unknown if name)
        problems.append(Problem(line, None, f"columns saferhub does not read: {shown}"))
    if "" in names:
        problems.append(Problem(line, None, "a column has no heading: name every column"))
    twice = sorted({name for name in names if name in COLUMNS and names.count(name) > 1})
    if twice:
        problems.append(Problem(line, None, f"columns named twice: {', '.join(twice)}"))
    missing = [name for name in COLUMNS if name not in names]
    if missing:
        problems.append(Problem(line, None, f"columns missing: {', '.join(missing)}"))
    if problems:
        problems.append(
            Problem(
                line,
                None,
                f"the header row must name exactly these columns, in any order: "
                f"{', '.join(COLUMNS)}",
            )
        )
        raise ImportProblems(problems)
    return {name: names.index(name) for name in COLUMNS}, records


def check_upload(data: bytes) -> None:
    """What can be told at once about an uploaded file: its encoding and its header. The
    rows are checked by the import itself, in the background."""
    text = decode(data)
    _, records = read_header(text)
    try:
        next(records)
    except StopIteration:
        raise _file_problem(
            "The file has a header row but no referrals: add one row per referral below it."
        ) from None


# -- 2. The rows --------------------------------------------------------------


def _choices(values: Iterable[str]) -> dict[str, str]:
    """Each code to itself as one shared string: a row keeps the shared one, not its own
    copy (30 codes a row, 100,000 rows)."""
    return {str(value): str(value) for value in values}


SECTORS = _choices(Agency.MaracSector.values)
GENDERS = _choices(Gender.values)
ETHNICITIES = _choices(Ethnicity.values)
YES_NO_NOT_KNOWN = _choices(YesNoNotKnown.values)
ANSWERS = _choices(value for value, _ in dash.ANSWERS)
YES_NO = _choices(("yes", "no"))


class _RowChecker:
    """Checks one row after another, collecting problems; dates are parsed once each."""

    def __init__(self, today: date, sectors: set[str] | None):
        self.today = today
        self.sectors = sectors  # the sectors some agency of the partnership is in
        self.problems: list[Problem] = []
        self.dates: dict[str, date | str] = {}
        self.refs: dict[str, int] = {}
        self.no_agency: dict[str, list[int]] = {}  # sector -> lines

    def problem(self, line: int, column: str, message: str) -> None:
        self.problems.append(Problem(line, column, message))

    def text(self, line: int, column: str, value: str, limit: int, what: str) -> str:
        value = value.strip()
        if not value:
            self.problem(line, column, f"is empty: enter {what}")
        elif len(value) > limit:
            self.problem(line, column, f"is {len(value)} characters long: at most {limit}")
        return value

    def day(self, line: int, column: str, value: str, *, required: bool) -> date | None:
        value = value.strip()
        if not value:
            if required:
                self.problem(line, column, "is empty: enter the date as YYYY-MM-DD")
            return None
        parsed = self.dates.get(value)
        if parsed is None:
            parsed = self._parse_date(value)
            self.dates[value] = parsed
        if isinstance(parsed, str):
            self.problem(line, column, parsed)
            return None
        return parsed

    def _parse_date(self, value: str) -> date | str:
        if not _DATE.fullmatch(value):
            return f"'{value}' is not a date written as YYYY-MM-DD, like 2024-03-31"
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return f"{value} is not a real date"
        if day > self.today:
            return f"{value} is in the future"
        return day

    def code(self, line: int, column: str, value: str, allowed: dict[str, str]) -> str:
        known = allowed.get(value) or allowed.get(value.strip().lower())
        if known:
            return known
        code = value.strip().lower()
        if not code:
            self.problem(line, column, f"is empty: enter one of {_listed(allowed)}")
        else:
            close = difflib.get_close_matches(code, sorted(allowed), n=1)
            hint = f": did you mean {close[0]}?" if close else f": use one of {_listed(allowed)}"
            self.problem(line, column, f"'{value.strip()}' is not a code saferhub knows{hint}")
        return code

    def count(self, line: int, column: str, value: str) -> int:
        value = value.strip()
        if not value:
            self.problem(line, column, "is empty: enter a whole number, 0 or more")
            return 0
        try:
            number = int(value)
        except ValueError:
            self.problem(line, column, f"'{value}' is not a whole number")
            return 0
        if number < 0:
            self.problem(line, column, f"{number} is below 0: a count is 0 or more")
        elif number > MAX_COUNT:
            self.problem(line, column, f"{number} is more than {MAX_COUNT}")
        return number

    def row(self, line: int, cells: list[str], at: dict[str, int]) -> ImportRow | None:
        before = len(self.problems)

        def cell(name: str) -> str:
            return cells[at[name]]

        ref = self.text(
            line, "referral_ref", cell("referral_ref"), MAX_REF, "the referral's reference"
        )
        if ref:
            if ref in self.refs:
                self.problem(
                    line,
                    "referral_ref",
                    f"'{ref}' is also on line {self.refs[ref]}: each referral_ref must be "
                    "unique in the file",
                )
            else:
                self.refs[ref] = line
        referred_on = self.day(line, "referral_date", cell("referral_date"), required=True)
        sector = self.code(line, "referring_agency", cell("referring_agency"), SECTORS)
        if sector in SECTORS and self.sectors is not None and sector not in self.sectors:
            self.no_agency.setdefault(sector, []).append(line)
        victim_dob = self.day(line, "victim_dob", cell("victim_dob"), required=False)
        perpetrator_dob = self.day(line, "perpetrator_dob", cell("perpetrator_dob"), required=False)
        marac_date = self.day(line, "marac_date", cell("marac_date"), required=False)
        if referred_on:
            for column, born in (("victim_dob", victim_dob), ("perpetrator_dob", perpetrator_dob)):
                if born and born > referred_on:
                    self.problem(
                        line,
                        column,
                        f"the date of birth {born} is after the referral date {referred_on}",
                    )
            if marac_date and marac_date < referred_on:
                self.problem(
                    line,
                    "marac_date",
                    f"the meeting date {marac_date} is before the referral date {referred_on}",
                )
        answers = tuple(self.code(line, name, cell(name), ANSWERS) for name in DASH_COLUMNS)
        judgement = self.code(
            line, "professional_judgement", cell("professional_judgement"), YES_NO
        )
        reason = cell("professional_judgement_reason").strip()
        if judgement == "yes" and not reason:
            self.problem(
                line,
                "professional_judgement_reason",
                "is empty: professional_judgement is yes, so give the practitioner's reason",
            )
        found = ImportRow(
            line=line,
            ref=ref,
            referred_on=referred_on,
            sector=sector,
            victim_given=self.text(
                line, "victim_given_name", cell("victim_given_name"), MAX_NAME, "the given name"
            ),
            victim_family=self.text(
                line, "victim_family_name", cell("victim_family_name"), MAX_NAME, "the family name"
            ),
            victim_dob=victim_dob,
            victim_postcode=self._postcode(line, cell("victim_postcode")),
            victim_gender=self.code(line, "victim_gender", cell("victim_gender"), GENDERS),
            victim_ethnicity=self.code(
                line, "victim_ethnicity", cell("victim_ethnicity"), ETHNICITIES
            ),
            victim_lgbt=self.code(line, "victim_lgbt", cell("victim_lgbt"), YES_NO_NOT_KNOWN),
            victim_disabled=self.code(
                line, "victim_disabled", cell("victim_disabled"), YES_NO_NOT_KNOWN
            ),
            perpetrator_given=self.text(
                line,
                "perpetrator_given_name",
                cell("perpetrator_given_name"),
                MAX_NAME,
                "the perpetrator's given name",
            ),
            perpetrator_family=self.text(
                line,
                "perpetrator_family_name",
                cell("perpetrator_family_name"),
                MAX_NAME,
                "the perpetrator's family name",
            ),
            perpetrator_dob=perpetrator_dob,
            perpetrator_gender=self.code(
                line, "perpetrator_gender", cell("perpetrator_gender"), GENDERS
            ),
            children=self.count(line, "children_in_household", cell("children_in_household")),
            answers=answers,
            police_incidents=self.count(line, "police_incidents_12m", cell("police_incidents_12m")),
            professional_judgement=judgement == "yes",
            judgement_reason=reason if judgement == "yes" else "",
            marac_date=marac_date,
        )
        return found if len(self.problems) == before else None

    def _postcode(self, line: int, value: str) -> str:
        value = " ".join(value.upper().split())
        if len(value) > MAX_POSTCODE:
            self.problem(
                line,
                "victim_postcode",
                f"'{value}' is too long for a postcode ({MAX_POSTCODE} at most)",
            )
        return value

    def agency_problems(self, partnership_name: str) -> None:
        """One problem per sector with no agency, on the first line that names it."""
        for sector, lines in self.no_agency.items():
            others = len(lines) - 1
            self.problem(
                lines[0],
                "referring_agency",
                f"no agency of {partnership_name} has the MARAC sector {sector}"
                + (f" (nor for {others:,} more line{'s' if others != 1 else ''})" if others else "")
                + ": give an agency that sector in the directory, then import the file again",
            )


def _listed(allowed: dict[str, str]) -> str:
    return ", ".join(sorted(allowed))


def check(
    data: bytes,
    today: date,
    sectors: set[str] | None = None,
    partnership_name: str = "the partnership",
) -> list[ImportRow]:
    """Every row of the file, checked; ImportProblems lists every problem found.

    `sectors` are the MARAC sectors the partnership has an agency for: a row naming another
    is a problem (None: not checked)."""
    text = decode(data)
    at, records = read_header(text)
    width = len(COLUMNS)
    checker = _RowChecker(today, sectors)
    rows: list[ImportRow] = []
    last: tuple[int, int] | None = None  # (line, cells) of a short record
    try:
        for line, cells in records:
            if last is not None:
                checker.problem(last[0], None, _wrong_width(last[1], width))
                last = None
            if len(cells) != width:
                if len(cells) > width and not any(cell.strip() for cell in cells[width:]):
                    cells = cells[:width]  # empty cells after the last column: harmless
                elif len(cells) < width:
                    last = (line, len(cells))  # cut short, if it is the last
                    continue
                else:
                    checker.problem(line, None, _wrong_width(len(cells), width))
                    continue
            found = checker.row(line, cells, at)
            if found is not None:
                rows.append(found)
    except ImportProblems as error:
        checker.problems.extend(error.problems)
    if last is not None:
        checker.problem(
            last[0],
            None,
            f"the last line has {last[1]} of the {width} columns: the file seems to be cut "
            "short (truncated). Export the file again.",
        )
    checker.agency_problems(partnership_name)
    if checker.problems:
        raise ImportProblems(checker.problems)
    if not rows:
        raise _file_problem(
            "The file has a header row but no referrals: add one row per referral below it."
        )
    return rows


def _wrong_width(found: int, width: int) -> str:
    return f"the line has {found} values but the header names {width} columns"
