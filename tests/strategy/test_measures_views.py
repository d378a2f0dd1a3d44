from decimal import Decimal as D

from saferhub.strategy.models import Measure, Target


def _data(plan, world, **extra):
    return {
        "priority": plan.asb.id,
        "code": "asb-repeat-callers",
        "name": "Repeat ASB callers",
        "definition": "Callers reporting ASB three or more times in a quarter.",
        "unit": "count",
        "direction": "down",
        "period_type": "quarterly",
        "reporting_agency": world.police.id,
        "baseline": "120",
        "baseline_label": "2021/22",
        "tolerance_percent": "5",
        "source": "submitted",
        **extra,
    }


def test_an_analyst_sets_up_a_measure_with_targets(client, world, plan):
    client.force_login(world.analyst)
    response = client.post("/strategy/2022-25/measures/new/", _data(plan, world))
    assert response.status_code == 302, response.content.decode()[:3000]
    measure = Measure.objects.get(code="asb-repeat-callers")
    assert measure.strategy == plan.strategy
    url = f"/strategy/2022-25/measures/{measure.code}/targets/"
    page = client.get(url).content.decode()
    assert "Apr–Jun 2022" in page
    response = client.post(url, {"target_20230401": "110", "target_20230701": "abc"})
    assert b"Enter the target for Jul" in response.content and b'value="abc"' in response.content
    assert not Target.objects.filter(measure=measure).exists()
    client.post(url, {"target_20230401": "110", "target_20230701": "1,050"})
    assert list(measure.targets.values_list("value", flat=True)) == [D(110), D(1050)]


def test_a_formula_must_use_matching_periods(client, world, plan):
    client.force_login(world.analyst)
    data = _data(
        plan,
        world,
        code="bad-rate",
        source="formula",
        unit="percentage",
        numerator=plan.incidents.id,
        denominator=plan.households.id,
        factor="100",
    )
    response = client.post("/strategy/2022-25/measures/new/", data)
    assert b"same periods" in response.content
    assert not Measure.objects.filter(code="bad-rate").exists()


def test_a_duplicate_code_is_refused(client, world, plan):
    client.force_login(world.analyst)
    response = client.post(
        "/strategy/2022-25/measures/new/", _data(plan, world, code="da-incidents")
    )
    assert b"Another measure of this strategy has the code da-incidents" in response.content


def test_only_the_csp_team_sets_up_measures(client, world, plan):
    for user in (world.police_lead, world.board_member, world.idva):
        client.force_login(user)
        assert client.get("/strategy/2022-25/measures/new/").status_code == 403
        assert (
            client.post("/strategy/2022-25/measures/da-incidents/targets/", {}).status_code == 403
        )
