from datetime import date

import pytest

from saferhub.safeguarding.repeats import months_before
from tests.safeguarding.cases import make_referral, victim


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 6, 15), date(2024, 6, 15)),
        (date(2024, 2, 29), date(2023, 2, 28)),
        (date(2025, 2, 28), date(2024, 2, 28)),
        (date(2025, 3, 31), date(2024, 3, 31)),
    ],
)
def test_months_before(day, expected):
    assert months_before(day, 12) == expected


@pytest.mark.parametrize(
    ("first", "second", "repeat"),
    [
        (date(2024, 6, 15), date(2025, 6, 15), True),  # exactly 12 months
        (date(2024, 6, 14), date(2025, 6, 15), False),  # 12 months and a day
        (date(2024, 6, 15), date(2024, 6, 15), True),  # the same day
        (date(2024, 2, 29), date(2025, 2, 28), True),  # leap day, within
        (date(2023, 2, 28), date(2024, 2, 29), True),  # to a leap day: exactly 12 months
        (date(2023, 2, 27), date(2024, 2, 29), False),
    ],
)
def test_a_repeat_is_within_12_calendar_months_inclusive(world, first, second, repeat):
    person = victim(world)
    earlier = make_referral(world.police_officer, person, on=first)
    later = make_referral(world.police_officer, person, on=second)
    assert later.is_repeat is repeat
    assert later.repeat_of == (earlier if repeat else None)
    if repeat:
        assert "Repeat" in later.reasons() and later.status == "referred"


def test_a_different_perpetrator_is_not_a_repeat(world):
    person = victim(world)
    make_referral(world.police_officer, person, on=date(2025, 1, 1))
    later = make_referral(
        world.police_officer, person, on=date(2025, 3, 1), perpetrator=("Paul", "Brown")
    )
    assert not later.is_repeat


def test_the_same_perpetrator_typed_differently_is_a_repeat(world):
    person = victim(world)
    make_referral(world.police_officer, person, on=date(2025, 1, 1))
    later = make_referral(
        world.police_officer, person, on=date(2025, 3, 1), perpetrator=("mark", "Smith Jones")
    )
    assert later.is_repeat


def test_a_repeat_alone_makes_a_low_score_eligible(world):
    person = victim(world)
    make_referral(world.police_officer, person, on=date(2025, 1, 1))
    later = make_referral(world.police_officer, person, on=date(2025, 3, 1), yes=2)
    assert later.status == "referred" and later.reasons() == ["Repeat"]


def test_an_earlier_referral_that_was_not_eligible_does_not_make_a_repeat(world):
    person = victim(world)
    make_referral(world.police_officer, person, on=date(2025, 1, 1), yes=2)
    later = make_referral(world.police_officer, person, on=date(2025, 3, 1), yes=2)
    assert not later.is_repeat and later.status == "not_eligible"
