"""Measures derived from saferhub's own records (source "derived").

An app registers a function under a key; a measure names the key. The function
gets the measure and the periods asked for and returns a value per period
(None where it has none). Values are computed on read, never stored.

    @derived.source("marac.safety_plans_12m", "Multi-agency safety plans in the last 12 months")
    def safety_plans(measure, periods): ...
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from saferhub.strategy.periods import Period

DerivedFunction = Callable[[object, list[Period]], dict[Period, Decimal | None]]


@dataclass(frozen=True)
class DerivedSource:
    key: str
    label: str
    function: DerivedFunction


_sources: dict[str, DerivedSource] = {}


def source(key: str, label: str) -> Callable[[DerivedFunction], DerivedFunction]:
    def register(function: DerivedFunction) -> DerivedFunction:
        if key in _sources:
            raise RuntimeError(f"derived source {key!r} is registered twice")
        _sources[key] = DerivedSource(key, label, function)
        return function

    return register


def get(key: str) -> DerivedSource | None:
    return _sources.get(key)


def choices() -> list[tuple[str, str]]:
    return sorted((item.key, item.label) for item in _sources.values())
