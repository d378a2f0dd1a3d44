"""Sections other apps add to the annual report, like strategy.derived for measures.

An app registers a function under a key, from its AppConfig.ready(). The report calls
each one (in the order of `order`, then key) with the year and the reader; the function
returns a `content.Section`, or None when it has nothing for that year, and then the
report has no such section at all: no empty heading, no "no data".

    from saferhub.reports import sections

    @sections.register("safeguarding.safety_planning", "Domestic abuse safety planning")
    def safety_planning(context: sections.Context) -> Section | None:
        found = ...  # the year's cases, read through access.scope for context.user
        if not found:
            return None
        return sections.safety_planning_section(context, cases=..., repeats=..., children=...)

The safeguarding app (MARAC and the daily meeting) does not exist yet, so nothing is
registered and the report has no safety planning section. When it comes, it registers
the function above; `safety_planning_section` already writes the section the board
expects: cases heard, the repeat rate against SafeLives' national figure, and the
children in the households.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from saferhub.reports.content import KeyFigure, Section, Table

# SafeLives' national MARAC data, the 12 months to June 2023: 32% of cases were repeats.
SAFELIVES_REPEAT_RATE = Decimal(32)
SAFELIVES_SOURCE = "SafeLives national MARAC data, 12 months to June 2023"


@dataclass(frozen=True)
class Context:
    strategy: object  # strategy.models.Strategy
    year_start: date
    year_ending: date
    user: object | None  # who generates (None: the command line); read through scope


SectionFunction = Callable[[Context], Section | None]


@dataclass(frozen=True)
class Registered:
    key: str
    title: str
    order: int
    function: SectionFunction


_sections: dict[str, Registered] = {}


def register(
    key: str, title: str, order: int = 100
) -> Callable[[SectionFunction], SectionFunction]:
    def add(function: SectionFunction) -> SectionFunction:
        if key in _sections:
            raise RuntimeError(f"report section {key!r} is registered twice")
        _sections[key] = Registered(key, title, order, function)
        return function

    return add


def unregister(key: str) -> None:
    """Take a section away again (for tests)."""
    _sections.pop(key, None)


def registered() -> list[Registered]:
    return sorted(_sections.values(), key=lambda item: (item.order, item.key))


def build(context: Context) -> list[Section]:
    """Every registered section that has something for the year, in order."""
    return [section for item in registered() if (section := item.function(context)) is not None]


def _anchor(key: str) -> str:
    return "section-" + "".join(c if c.isalnum() else "-" for c in key.lower())


def safety_planning_section(
    context: Context,
    *,
    cases: int,
    repeats: int,
    children: int,
    key: str = "safeguarding.safety_planning",
    by_route: list[tuple[str, int]] | None = None,
) -> Section:
    """The domestic abuse safety planning section, from the year's figures: cases heard
    (MARAC and the daily meeting), repeat cases and children in the households."""
    rate = (Decimal(repeats) / cases * 100).quantize(Decimal("0.1")) if cases else None
    rate_text = f"{rate}%" if rate is not None else "No cases"
    if rate is None:
        comparison = "With no cases heard, there is no repeat rate to compare."
    elif rate == SAFELIVES_REPEAT_RATE:
        comparison = (
            f"The repeat rate is the same as the national figure of {SAFELIVES_REPEAT_RATE}%."
        )
    else:
        side = "above" if rate > SAFELIVES_REPEAT_RATE else "below"
        comparison = (
            f"The repeat rate of {rate_text} is {side} the national figure of "
            f"{SAFELIVES_REPEAT_RATE}% ({SAFELIVES_SOURCE})."
        )
    tables = []
    if by_route:
        tables.append(
            Table(
                "Cases heard, by route",
                ("Route", "Cases"),
                [(route, f"{count:,}") for route, count in by_route],
                (False, True),
            )
        )
    return Section(
        key=key,
        title="Domestic abuse safety planning",
        anchor=_anchor(key),
        paragraphs=[
            f"Between {context.year_start:%-d %B %Y} and {context.year_ending:%-d %B %Y}, "
            f"partners made multi-agency safety plans for {cases:,} high-risk victims of "
            "domestic abuse.",
            comparison,
        ],
        figures=[
            KeyFigure("Cases heard", f"{cases:,}"),
            KeyFigure(
                "Repeat cases",
                rate_text,
                f"national figure {SAFELIVES_REPEAT_RATE}% (SafeLives)",
            ),
            KeyFigure("Children in the households", f"{children:,}"),
        ],
        tables=tables,
    )
