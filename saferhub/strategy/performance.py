"""How a figure is doing: RAG status against its target, and the trend on last year."""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from saferhub.strategy.models import Measure
from saferhub.strategy.numbers import shown


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NONE = "none"

    @property
    def label(self) -> str:
        return {
            "green": "On target",
            "amber": "Near target",
            "red": "Off target",
            "none": "No target",
        }[self]


@dataclass(frozen=True)
class Rating:
    rag: Rag
    rule: str  # the rule in words, shown to the reader


def rate(measure: Measure, value: Decimal | None, target: Decimal | None) -> Rating:
    """Green on or better than target; amber within the tolerance; red beyond it."""
    tolerance = measure.tolerance_percent
    if target is None:
        return Rating(Rag.NONE, "No target is set for this period.")
    if value is None:
        return Rating(Rag.NONE, "No figure has been reported for this period.")
    margin = abs(target) * tolerance / 100
    if measure.direction == Measure.Direction.UP:
        rule = (
            f"Higher is better. Green at {shown(target)} or more; amber from "
            f"{shown(target - margin)} ({shown(tolerance)}% below target); red below that."
        )
        rag = Rag.GREEN if value >= target else Rag.AMBER if value >= target - margin else Rag.RED
    else:
        rule = (
            f"Lower is better. Green at {shown(target)} or less; amber up to "
            f"{shown(target + margin)} ({shown(tolerance)}% above target); red above that."
        )
        rag = Rag.GREEN if value <= target else Rag.AMBER if value <= target + margin else Rag.RED
    return Rating(rag, rule)


@dataclass(frozen=True)
class Trend:
    change: Decimal | None  # percent change on the same period last year
    better: bool | None

    @property
    def words(self) -> str:
        if self.change is None:
            return "No figure for the same period last year"
        if self.change == 0:
            return "No change on last year"
        direction = "Up" if self.change > 0 else "Down"
        verdict = "better" if self.better else "worse"
        return f"{direction} {abs(self.change)}% on last year ({verdict})"


def trend(measure: Measure, value: Decimal | None, last_year: Decimal | None) -> Trend:
    if value is None or last_year is None or last_year == 0:
        return Trend(None, None)
    change = ((value - last_year) / abs(last_year) * 100).quantize(Decimal("0.1"))
    better = change > 0 if measure.direction == Measure.Direction.UP else change < 0
    return Trend(change, better if change != 0 else None)
