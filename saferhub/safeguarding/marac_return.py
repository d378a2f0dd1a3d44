"""SafeLives' quarterly MARAC return: counts of the cases heard in a date range.

A case counts when a meeting heard it in the range: `Referral.heard_on` (set by
meetings.close to the date of the first meeting that heard it) between the first and
last day, both included. A referral that met no MARAC criterion never counts. Ages are
at the referral date. Counts only: no name, address or reference leaves this module.

`build` works it out in three queries whatever the number of cases: one conditional
aggregate over the cases and their victims, one for the cases with a young perpetrator
(kept apart, like the area's adult female population: joined into the first, either
stops PostgreSQL from scanning and aggregating in parallel, and the return takes twice
as long). The formats (JSON with exactly SafeLives' keys; CSV and XLSX through
strategy.exports, marked OFFICIAL-SENSITIVE and safe from formula injection; a
standalone HTML page) are made here too, and `export` records each one produced.
"""

import io
import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import NotSupportedError
from django.db.models import BooleanField, Count, F, Func, IntegerField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string

from saferhub.audit.services import record
from saferhub.partnership.models import Agency, Partnership
from saferhub.safeguarding.models import (
    AreaSettings,
    Ethnicity,
    Gender,
    Perpetrator,
    Referral,
    YesNoNotKnown,
)
from saferhub.strategy import exports

MARKING = exports.MARKING
FORMATS = {
    "json": "application/json",
    "csv": exports.FORMATS["csv"],
    "xlsx": exports.FORMATS["xlsx"],
    "html": "text/html; charset=utf-8",
}
SECTORS = Agency.MaracSector
# Racially minoritised: any ethnic group but these (the definition).
NOT_MINORITISED = (Ethnicity.WHITE_BRITISH, Ethnicity.NOT_KNOWN)
ONE_DECIMAL = Decimal("0.1")
RATES = ("repeat_rate", "cases_per_10k_adult_females")  # one decimal; the rest are counts


@dataclass(frozen=True)
class Victims:
    racially_minoritised: int
    lgbt: int
    disabled: int
    male: int
    aged_16_17: int


@dataclass(frozen=True)
class MaracReturn:
    partnership: str  # the partnership's name, for titles; not in the JSON
    start: date
    end: date
    cases_discussed: int
    repeat_cases: int
    repeat_rate: Decimal | None  # percent, one decimal; None with no cases
    children_in_households: int
    referrals_by_agency: dict[str, int]  # every SafeLives sector code, zeros included
    partner_agency_referrals: int  # cases not referred by the police
    victims: Victims
    perpetrators_aged_17_or_under: int  # cases with at least one, as SafeLives counts
    cases_per_10k_adult_females: Decimal | None  # None until the population is set

    def as_json(self) -> dict:
        """Exactly SafeLives' keys, in their order."""
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "cases_discussed": self.cases_discussed,
            "repeat_cases": self.repeat_cases,
            "repeat_rate": _number(self.repeat_rate),
            "children_in_households": self.children_in_households,
            "referrals_by_agency": dict(self.referrals_by_agency),
            "partner_agency_referrals": self.partner_agency_referrals,
            "victims": {
                "racially_minoritised": self.victims.racially_minoritised,
                "lgbt": self.victims.lgbt,
                "disabled": self.victims.disabled,
                "male": self.victims.male,
                "aged_16_17": self.victims.aged_16_17,
            },
            "perpetrators_aged_17_or_under": self.perpetrators_aged_17_or_under,
            "cases_per_10k_adult_females": _number(self.cases_per_10k_adult_females),
        }

    @property
    def title(self) -> str:
        return (
            f"SafeLives MARAC return, {self.partnership}: "
            f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"
        )

    @property
    def filename_stem(self) -> str:
        """Dates and the marking only: no personal data in a file name."""
        return f"marac-return-{self.start.isoformat()}-to-{self.end.isoformat()}-{MARKING}"


@dataclass(frozen=True)
class Row:
    key: str  # the JSON key, dotted when nested: "victims.male"
    label: str
    value: int | Decimal | None

    @property
    def text(self) -> str:
        """As a page shows it: 1,234; 33.3; "Not available" for a rate with nothing to
        divide by or a population not set."""
        if self.value is None:
            return "Not available"
        return f"{self.value:,}"


@dataclass(frozen=True)
class Group:
    caption: str
    heading: str  # the rows' column heading
    rows: list[Row]
    value_heading: str = "Cases"


def _number(value: Decimal | None) -> float | None:
    # One decimal place already: the float prints as written (33.3).
    return None if value is None else float(value)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def per_10k(cases: int, population: int | None) -> Decimal | None:
    """Cases per 10,000 of the population, one decimal; None when it is not set (or 0)."""
    if not population:
        return None
    return (Decimal(cases) * 10000 / population).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


class YoungerThan(Func):
    """True when someone born on `dob` was under `years` old on the day `on` (False when
    `dob` is not known). A 29 February birthday falls on 1 March in other years, as in
    English law (Family Law Reform Act 1969 s9). Date arithmetic the database does fast:
    PostgreSQL takes the years from `on` (which lands on 28 February when it must);
    SQLite adds them to `dob` (which lands on 1 March)."""

    output_field = BooleanField()

    def __init__(self, dob, on, years: int) -> None:
        super().__init__(dob, on)
        self.years = int(years)

    def _parts(self, compiler, connection):
        dob, on = self.get_source_expressions()
        return compiler.compile(dob), compiler.compile(on)

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError("saferhub runs on PostgreSQL or SQLite.")

    def as_postgresql(self, compiler, connection, **extra):
        (dob, dob_params), (on, on_params) = self._parts(compiler, connection)
        sql = f"({dob} > CAST({on} - make_interval(years => %s) AS date))"
        return sql, (*dob_params, *on_params, self.years)

    def as_sqlite(self, compiler, connection, **extra):
        (dob, dob_params), (on, on_params) = self._parts(compiler, connection)
        return f"(date({dob}, %s) > {on})", (*dob_params, f"+{self.years} years", *on_params)


def cases_heard(referrals: QuerySet, partnership_id: int, start: date, end: date) -> QuerySet:
    """The partnership's cases heard at a meeting between start and end, inclusive."""
    return (
        referrals.filter(partnership_id=partnership_id, heard_on__range=(start, end))
        .exclude(status=Referral.Status.NOT_ELIGIBLE)
        .order_by()
    )


def population_of(partnership_id: int) -> int | None:
    return (
        AreaSettings.objects.filter(partnership_id=partnership_id)
        .values_list("adult_female_population", flat=True)
        .first()
    )


def build(
    partnership: Partnership, start: date, end: date, referrals: QuerySet | None = None
) -> MaracReturn:
    """The return for the cases heard from `start` to `end`, among `referrals` (the web
    page passes what the user may count, access.scope.countable; by default, all)."""
    if start > end:
        raise ValueError("The first day of the return is after its last day.")
    cases = cases_heard(
        Referral.objects.all() if referrals is None else referrals, partnership.pk, start, end
    )
    by_sector = {
        f"sector_{code}": Count("pk", filter=Q(marac_sector=code)) for code in SECTORS.values
    }
    dob, referred_on = F("victim__date_of_birth"), F("referred_on")
    figures = cases.aggregate(
        cases=Count("pk"),
        repeats=Count("pk", filter=Q(is_repeat=True)),
        children=Coalesce(Sum("children_in_household"), 0, output_field=IntegerField()),
        partner=Count("pk", filter=~Q(marac_sector=SECTORS.POLICE)),
        minoritised=Count("pk", filter=~Q(victim__ethnicity__in=NOT_MINORITISED)),
        lgbt=Count("pk", filter=Q(victim__lgbt=YesNoNotKnown.YES)),
        disabled=Count("pk", filter=Q(victim__disabled=YesNoNotKnown.YES)),
        male=Count("pk", filter=Q(victim__gender=Gender.MALE)),
        aged_16_17=Count(
            "pk",
            filter=Q(YoungerThan(dob, referred_on, 18)) & ~Q(YoungerThan(dob, referred_on, 16)),
        ),
        **by_sector,
    )
    total = figures["cases"]
    # Cases with a perpetrator under 18: an IN that PostgreSQL hashes once, rather than an
    # EXISTS per case (slower, and its estimated cost sets off PostgreSQL's JIT compiler).
    young_perpetrators = 0
    if total:
        young_perpetrators = cases.filter(
            pk__in=Perpetrator.objects.filter(
                YoungerThan(F("date_of_birth"), F("referral__referred_on"), 18),
                referral__partnership_id=partnership.pk,
                referral__heard_on__range=(start, end),
            ).values("referral_id")
        ).count()
    return MaracReturn(
        partnership=partnership.name,
        start=start,
        end=end,
        cases_discussed=total,
        repeat_cases=figures["repeats"],
        repeat_rate=_percent(figures["repeats"], total),
        children_in_households=figures["children"],
        referrals_by_agency={code: figures[f"sector_{code}"] for code in SECTORS.values},
        partner_agency_referrals=figures["partner"],
        victims=Victims(
            racially_minoritised=figures["minoritised"],
            lgbt=figures["lgbt"],
            disabled=figures["disabled"],
            male=figures["male"],
            aged_16_17=figures["aged_16_17"],
        ),
        perpetrators_aged_17_or_under=young_perpetrators,
        cases_per_10k_adult_females=per_10k(total, population_of(partnership.pk)),
    )


def last_complete_quarter(today: date) -> tuple[date, date]:
    """The calendar quarter before the one `today` is in (SafeLives' quarters)."""
    this_quarter = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    end = this_quarter - timedelta(days=1)
    return date(end.year, end.month - 2, 1), end


def groups(found: MaracReturn) -> list[Group]:
    """The return as labelled rows, for the page, CSV and XLSX."""
    victims = found.victims
    return [
        Group(
            "Cases",
            "Figure",
            value_heading="Value",
            rows=[
                Row("cases_discussed", "Cases discussed", found.cases_discussed),
                Row("repeat_cases", "Repeat cases", found.repeat_cases),
                Row("repeat_rate", "Repeat rate (%)", found.repeat_rate),
                Row(
                    "children_in_households",
                    "Children in the households",
                    found.children_in_households,
                ),
                Row(
                    "partner_agency_referrals",
                    "Referred by partner agencies other than the police",
                    found.partner_agency_referrals,
                ),
                Row(
                    "perpetrators_aged_17_or_under",
                    "Cases with a perpetrator aged 17 or under",
                    found.perpetrators_aged_17_or_under,
                ),
                Row(
                    "cases_per_10k_adult_females",
                    "Cases per 10,000 adult females (16 and over)",
                    found.cases_per_10k_adult_females,
                ),
            ],
        ),
        Group(
            "Cases by referring agency",
            "Referring agency",
            [
                Row(f"referrals_by_agency.{code}", label, found.referrals_by_agency[code])
                for code, label in SECTORS.choices
            ],
        ),
        Group(
            "Victims",
            "Victims who are",
            [
                Row(
                    "victims.racially_minoritised",
                    "Black, Asian or racially minoritised",
                    victims.racially_minoritised,
                ),
                Row("victims.lgbt", "LGBT+", victims.lgbt),
                Row("victims.disabled", "Disabled", victims.disabled),
                Row("victims.male", "Male", victims.male),
                Row("victims.aged_16_17", "Aged 16 or 17", victims.aged_16_17),
            ],
        ),
    ]


def _cell(value: int | Decimal | None) -> exports.Cell:
    return None if value is None else Decimal(value)


def table(found: MaracReturn) -> exports.Table:
    rows: list[list[exports.Cell]] = [
        ["From", "from", found.start.isoformat()],
        ["To", "to", found.end.isoformat()],
    ]
    for group in groups(found):
        prefix = "" if group.caption == "Cases" else f"{group.caption}: "
        rows += [[prefix + row.label, row.key, _cell(row.value)] for row in group.rows]
    return exports.Table(
        title=found.title,
        filename_stem=found.filename_stem,
        headers=["Figure", "Key", "Value"],
        rows=rows,
    )


def to_json(found: MaracReturn) -> bytes:
    return (json.dumps(found.as_json(), indent=2) + "\n").encode()


def to_xlsx(found: MaracReturn) -> bytes:
    """strategy.exports' workbook (marked, formula-safe), with counts shown as whole
    numbers and rates to one decimal rather than its two decimal places."""
    from openpyxl import load_workbook

    content = exports.to_xlsx(table(found))
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    for key, cell in sheet.iter_rows(min_row=4, min_col=2, max_col=3):
        if isinstance(cell.value, int | float | Decimal):
            cell.number_format = "#,##0.0" if key.value in RATES else "#,##0"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_html(found: MaracReturn) -> bytes:
    """A page of its own (for the command line), marked at its top and bottom."""
    return render_to_string(
        "safeguarding/marac_return_document.html",
        {"marac_return": found, "groups": groups(found), "marking": MARKING},
    ).encode()


def render(found: MaracReturn, fmt: str) -> bytes:
    if fmt == "json":
        return to_json(found)
    if fmt == "csv":
        return exports.to_csv(table(found))
    if fmt == "xlsx":
        return to_xlsx(found)
    if fmt == "html":
        return to_html(found)
    raise ValueError(f"Unknown format {fmt!r}")


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    content_type: str


def export(
    actor,
    partnership: Partnership,
    start: date,
    end: date,
    fmt: str,
    referrals: QuerySet | None = None,
) -> Export:
    """The return as a file, recorded as "marac_return.exported" (actor None: the command
    line)."""
    found = build(partnership, start, end, referrals)
    content = render(found, fmt)
    record(
        actor,
        "marac_return.exported",
        partnership,
        format=fmt,
        **{"from": start.isoformat(), "to": end.isoformat()},
    )
    return Export(content, f"{found.filename_stem}.{fmt}", FORMATS[fmt])
