from datetime import date

import pytest

from saferhub.strategy.periods import Period, PeriodType

Q, M, Y = PeriodType.QUARTERLY, PeriodType.MONTHLY, PeriodType.YEARLY


@pytest.mark.parametrize(
    "day, kind, code, start, end",
    [
        (date(2023, 5, 17), Q, "2023/24-Q1", date(2023, 4, 1), date(2023, 6, 30)),
        (date(2024, 2, 29), Q, "2023/24-Q4", date(2024, 1, 1), date(2024, 3, 31)),
        (date(2023, 12, 31), Q, "2023/24-Q3", date(2023, 10, 1), date(2023, 12, 31)),
        (date(2024, 3, 31), Y, "2023/24", date(2023, 4, 1), date(2024, 3, 31)),
        (date(2024, 4, 1), Y, "2024/25", date(2024, 4, 1), date(2025, 3, 31)),
        (date(2024, 2, 10), M, "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        (date(1999, 12, 31), Y, "1999/00", date(1999, 4, 1), date(2000, 3, 31)),
    ],
)
def test_periods_follow_the_financial_year(day, kind, code, start, end):
    period = Period.containing(day, kind)
    assert (period.code, period.start, period.end) == (code, start, end)
    assert Period.parse(code, kind) == period
    assert Period.from_slug(period.code_slug, kind) == period


@pytest.mark.parametrize(
    "code, kind",
    [("2023-13", M), ("2023/25-Q1", Q), ("2023/24-Q5", Q), ("2023", Y), ("Q1 2023", Q), ("", M)],
)
def test_bad_codes_say_what_is_expected(code, kind):
    with pytest.raises(ValueError, match="write it like"):
        Period.parse(code, kind)


def test_shifting_and_ranges():
    first = Period.parse("2023/24-Q3", Q)
    assert first.shifted(2).code == "2024/25-Q1"
    assert first.year_before().code == "2022/23-Q3"
    assert [p.code for p in first.periods_between(first.shifted(2))] == [
        "2023/24-Q3",
        "2023/24-Q4",
        "2024/25-Q1",
    ]
