"""What the annual progress report says: a tree of plain dataclasses.

`annual.build_report` fills it from live data; the web page, the PDF (both through
`html.render_html`) and the Word file (`docx`) only lay it out. Every figure is already
written for people here (the `*_text` fields), so the writers format nothing
themselves and every output says the same. Free text the partnership typed (titles,
names, highlights) is kept as typed: each writer escapes it.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from saferhub.reports.formatting import Block

MARKING = "OFFICIAL"


@dataclass(frozen=True)
class ContentsEntry:
    anchor: str  # the id of the section's heading, e.g. "priority-3"
    title: str
    parts: tuple["ContentsEntry", ...] = ()  # the section's own parts, if listed


@dataclass(frozen=True)
class Cover:
    partnership: str
    strategy_title: str
    title: str  # "Annual progress report"
    period_text: str  # "1 April 2023 to 31 March 2024"
    year_text: str  # "Year ending 31 March 2024"
    generated_on: date
    generated_on_text: str  # "25 November 2026"
    marking: str = MARKING
    ambition: str = ""


@dataclass(frozen=True)
class YearFigure:
    """A measure's figure for twelve months, worked out from its periods' figures."""

    value: Decimal | None
    text: str  # "1,234", "48.5%" or "No figure"
    reported: int  # periods of the twelve months with a figure
    expected: int  # periods in the twelve months
    periods_text: str  # "April 2023 to March 2024"
    period_word: str = "period"  # "month", "quarter" or "year"

    @property
    def complete(self) -> bool:
        return self.value is not None and self.reported == self.expected

    @property
    def note(self) -> str:
        """Why the figure is not the whole year's, or ""."""
        if self.value is None or self.complete:
            return ""
        plural = self.period_word if self.expected == 1 else f"{self.period_word}s"
        return f"{self.reported} of {self.expected} {plural} reported"


@dataclass(frozen=True)
class MeasureRow:
    code: str
    name: str
    priority_number: int
    is_headline: bool
    unit_label: str  # "Count", "Percentage"...
    direction_text: str  # "Higher is better"
    baseline_text: str  # "4,900 (2020/21 quarterly average)" or "None"
    target_text: str  # the target for the year, or "None"
    this_year: YearFigure
    last_year: YearFigure
    rag: str  # performance.Rag value: "green", "amber", "red", "none"
    rag_text: str  # "On target", "Near target", "Off target", "Not rated"
    rag_reason: str  # the rule in words, or why it is not rated
    change: Decimal | None  # percent change on last year
    better: bool | None  # whether the change is for the better (None: no change or none)
    trend_text: str  # "Down 16.0% on last year (better)"
    method: str  # how the year's figure is worked out, in words
    method_label: str  # the same in a few words: "Total of the quarters"


@dataclass(frozen=True)
class ChartRow:
    label: str  # this year's period, "Apr–Jun 2023"
    this_year_text: str
    last_year_text: str  # the same period a year before
    target_text: str


@dataclass(frozen=True)
class Chart:
    """A headline measure's chart (inline SVG) with the same figures as a table."""

    id: str  # "chart-da-incidents": the SVG's ids derive from it
    measure_code: str
    title: str
    svg: str  # SVG markup, every text in it escaped (a SafeString)
    alt_text: str  # the chart in words (also the SVG's <desc>)
    caption: str  # the table's caption
    columns: tuple[str, ...]
    rows: list[ChartRow]
    # The plotted figures, for writers that draw their own chart: (period code, value).
    points: list[tuple[str, Decimal | None]] = field(default_factory=list)
    targets: list[Decimal | None] = field(default_factory=list)


@dataclass(frozen=True)
class HighlightEntry:
    title: str
    agency: str
    author: str
    written_on: date
    written_on_text: str
    blocks: list[Block]  # formatting.Paragraph / formatting.BulletList
    html: str  # the blocks as escaped HTML (a SafeString)


@dataclass(frozen=True)
class ActionEntry:
    title: str
    agency: str
    owner: str
    due_on_text: str
    completed_on_text: str  # "" unless completed by the year end


@dataclass(frozen=True)
class ActionsAtYearEnd:
    completed: list[ActionEntry]  # completed within the year
    in_progress: list[ActionEntry]  # not completed by the year end and not yet due
    overdue: list[ActionEntry]  # past due at the year end and not completed by then
    completed_before: int  # completed before the year began (not listed)


@dataclass(frozen=True)
class PrioritySection:
    number: int
    title: str
    anchor: str  # "priority-1"
    running_title: str  # a short title for page headers
    summary: str
    lead_agency: str
    lead_officer: str
    outcomes: list[str]
    objectives: list[str]  # "PCP1 Supporting victims and witnesses (Police and Crime Plan)"
    measures: list[MeasureRow]
    charts: list[Chart]
    highlights: list[HighlightEntry]
    actions: ActionsAtYearEnd

    @property
    def counts(self) -> dict[str, int]:
        return rag_counts(self.measures)


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value_text: str
    note: str = ""


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]
    numeric: tuple[bool, ...] = ()  # per column: right-aligned figures


@dataclass(frozen=True)
class Section:
    """A section another app adds (see reports.sections): words, key figures, tables."""

    key: str
    title: str
    anchor: str
    paragraphs: list[str] = field(default_factory=list)
    figures: list[KeyFigure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class Summary:
    """The executive summary: the year in headline figures."""

    key_points: list[str]  # sentences
    counts: dict[str, int]  # by RAG value: "green", "amber", "red", "none"
    largest_changes: list[MeasureRow]  # the biggest changes on last year, largest first
    missed: list[MeasureRow]  # off target (red), by priority
    overdue_actions: list[tuple[int, ActionEntry]]  # (priority number, action)
    key_figures: list[KeyFigure]


@dataclass(frozen=True)
class AlignmentRow:
    plan: str
    code: str
    title: str
    priorities: list[str]  # "1. Domestic violence and abuse"


@dataclass(frozen=True)
class Definition:
    code: str
    name: str
    priority_number: int
    definition: str
    unit_label: str
    period_label: str  # "Quarterly"
    direction_text: str
    source: str  # "Submitted by West Yorkshire Police", a formula, a derived source
    baseline_text: str
    method: str  # how the year's figure is worked out, in a sentence
    method_label: str  # the same in a few words: "Total of the quarters"


@dataclass(frozen=True)
class MissingReturn:
    agency: str
    quarter_text: str  # "Apr–Jun 2023"
    status_text: str  # "not submitted", "awaiting approval", "sent back for changes"


@dataclass(frozen=True)
class DataNotes:
    notes: list[str]  # how the figures were chosen and worked out
    missing_returns: list[MissingReturn]
    no_figures: list[str]  # measures with no figure for the year: "1. Name"
    incomplete: list[str]  # measures with some periods missing: "1. Name (3 of 4 periods)"


@dataclass(frozen=True)
class AnnualReport:
    strategy_slug: str
    strategy_title: str
    partnership: str
    year_start: date
    year_ending: date
    title: str  # the document's title: "Safer Leeds Strategy 2021-24: annual progress..."
    cover: Cover
    contents: list[ContentsEntry]
    summary: Summary
    priorities: list[PrioritySection]
    sections: list[Section]  # added by other apps; none yet
    alignment: list[AlignmentRow]
    definitions: list[Definition]
    notes: DataNotes
    marking: str = MARKING


def rag_counts(rows: list[MeasureRow]) -> dict[str, int]:
    counts = {"green": 0, "amber": 0, "red": 0, "none": 0}
    for row in rows:
        counts[row.rag] += 1
    return counts
