"""The synthetic strategy that `generate --scale city|region` adds: ward measures shared
between the priorities, approved returns holding every figure up to the current quarter,
targets over the whole strategy, and the same figures for the same seed."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Max

from saferhub.access.roles import Role
from saferhub.partnership.management.commands import generate
from saferhub.partnership.models import Partnership, User
from saferhub.partnership.synthetic import Size, build_partnership
from saferhub.safeguarding import synthetic as casework
from saferhub.strategy import synthetic
from saferhub.strategy.models import Measure, MeasureValue, PartnerReturn, Strategy, Target

END = date(2025, 11, 20)  # in the quarter October to December 2025
SMALL = Size(agencies=20, users=60)


def _build(name: str, seed: int = 1, measures: int = 45, months: int = 14) -> Strategy:
    partnership = build_partnership(name, "Testford", SMALL, seed=1)
    synthetic.build_ward_strategy(partnership, end=END, months=months, measures=measures, seed=seed)
    return Strategy.objects.get(partnership=partnership)


def _figures(strategy: Strategy) -> list[tuple]:
    return list(
        MeasureValue.objects.filter(measure__strategy=strategy)
        .order_by("measure__code", "period_start")
        .values_list("measure__code", "period_start", "value")
    )


def test_ward_measures_are_shared_evenly_between_the_priorities(db):
    strategy = _build("Safer Testford")
    per_priority = dict(
        strategy.measures.values_list("priority__number").annotate(n=Count("id")).order_by()
    )
    assert sorted(per_priority) == list(range(1, 10))
    assert set(per_priority.values()) == {5}
    measure = strategy.measures.get(code="da-incidents-w01")
    assert measure.name.startswith("Domestic abuse incidents") and "Adel" in measure.name
    assert measure.period_type == "monthly" and measure.is_headline
    assert measure.baseline is not None and measure.baseline_label


def test_every_figure_is_in_an_approved_return_up_to_the_current_quarter(db):
    strategy = _build("Safer Testford")
    values = MeasureValue.objects.filter(measure__strategy=strategy)
    # 14 months to November 2025, less October and November (the current quarter's).
    assert values.aggregate(last=Max("period_start"))["last"] == date(2025, 9, 1)
    assert values.count() == 45 * 12
    assert not values.exclude(partner_return__status=PartnerReturn.Status.APPROVED).exists()
    assert not values.exclude(partner_return__agency=F("measure__reporting_agency"))
    returns = strategy.returns.all()
    assert not returns.filter(values__isnull=True).exists()
    lead = returns.first().submitted_by
    assert lead.role_assignments.filter(role=Role.AGENCY_LEAD).exists()
    assert lead.agency_id == returns.first().agency_id
    # Targets every month of the strategy, for every measure.
    months = synthetic.STRATEGY_YEARS * 12
    assert Target.objects.filter(measure__strategy=strategy).count() == 45 * months
    assert strategy.priorities.get(number=1).actions.exists()


def test_the_same_seed_gives_the_same_figures(db):
    first = _figures(_build("Safer Testford", seed=7))
    again = _figures(_build("Safer Othertown", seed=7))
    other = _figures(_build("Safer Thirdtown", seed=8))
    assert first == again
    assert [row[:2] for row in first] == [row[:2] for row in other]
    assert first != other


def test_too_many_measures_is_refused(db):
    partnership = build_partnership("Safer Testford", "Testford", SMALL, seed=1)
    with pytest.raises(ValueError, match="At most"):
        synthetic.build_ward_strategy(partnership, end=END, months=12, measures=10_000, seed=1)
    assert not Strategy.objects.exists()


def test_generate_city_gives_its_partnership_the_strategy(db, monkeypatch, client):
    monkeypatch.setitem(casework.SCALES, "city", casework.Scale("city", 3, 200))
    monkeypatch.setitem(generate.WARD_MEASURES, "city", 60)
    out = StringIO()
    call_command("generate", "--scale", "city", "--seed", "2", "--end", "2025-11-20", stdout=out)
    partnership = Partnership.objects.get()
    strategy = partnership.strategies.get()
    assert strategy.measures.count() == 60
    assert "strategy.Measure" in out.getvalue()
    # The board sees it like any strategy.
    board = User.objects.filter(
        agency__partnership=partnership, role_assignments__role=Role.BOARD_MEMBER
    ).first()
    client.force_login(board)
    assert client.get(f"/strategy/{strategy.slug}/").status_code == 200
    page = client.get(f"/strategy/{strategy.slug}/priorities/1/")
    assert page.status_code == 200
    assert "Adel &amp; Wharfedale" in page.content.decode()
    assert Measure.objects.filter(strategy=strategy, is_headline=True).exists()
