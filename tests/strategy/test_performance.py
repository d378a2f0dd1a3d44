from decimal import Decimal as D

import pytest

from saferhub.strategy.models import Measure
from saferhub.strategy.performance import Rag, rate, trend


@pytest.mark.parametrize(
    "direction, value, target, expected",
    [
        ("up", D(100), D(100), Rag.GREEN),
        ("up", D(95), D(100), Rag.AMBER),  # exactly the 5% tolerance
        ("up", D("94.99"), D(100), Rag.RED),
        ("down", D(100), D(100), Rag.GREEN),
        ("down", D(105), D(100), Rag.AMBER),
        ("down", D("105.01"), D(100), Rag.RED),
        ("up", None, D(100), Rag.NONE),
        ("up", D(5), None, Rag.NONE),
    ],
)
def test_rag_from_target_and_tolerance(direction, value, target, expected):
    measure = Measure(direction=direction, tolerance_percent=D(5))
    rating = rate(measure, value, target)
    assert rating.rag == expected
    assert rating.rule  # always explained to the reader


def test_the_rule_is_written_out():
    rating = rate(Measure(direction="down", tolerance_percent=D(10)), D(1), D(200))
    assert "Lower is better" in rating.rule and "220" in rating.rule


def test_trend_on_last_year_knows_which_way_is_good():
    down = Measure(direction="down")
    assert trend(down, D(90), D(100)).words == "Down 10.0% on last year (better)"
    assert trend(Measure(direction="up"), D(90), D(100)).better is False
    assert trend(down, D(90), None).change is None
