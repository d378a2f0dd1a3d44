"""Every strategy page, requested by every user of the test world: who gets what.

A route missing from EXPECTED fails the test, so a new page cannot go untested.
"""

import pytest
from django.urls import URLPattern, get_resolver

import saferhub.strategy.urls
from tests.world import World

ALL = {
    "admin",
    "analyst",
    "police_lead",
    "police_officer",
    "coordinator",
    "idva",
    "housing_officer",
    "board_member",
    "outsider",
}
CSP_TEAM = {"admin", "analyst"}
LEADS = {"police_lead"}

# route name: (URL, users who get 200; everyone else in the partnership gets 403,
# except those in the third set, who get 404: they may do this, but not to this record)
EXPECTED = {
    "strategies": ("/strategy/", ALL, set()),
    "overview": ("/strategy/2022-25/", ALL, set()),
    "priority": ("/strategy/2022-25/priorities/1/", ALL, set()),
    "measure": ("/strategy/2022-25/measures/da-incidents/", ALL, set()),
    "measure-export": ("/strategy/2022-25/measures/da-incidents/export.csv", ALL, set()),
    "priority-export": ("/strategy/2022-25/priorities/1/export.xlsx", ALL, set()),
    # Those who submit (leads) or approve (analysts) figures; an administrator does neither.
    "returns-upload": ("/strategy/2022-25/returns/upload/", {"analyst"} | LEADS, set()),
    "returns-upload-template": (
        "/strategy/2022-25/returns/upload/template.csv",
        {"analyst"} | LEADS,
        set(),
    ),
    "returns": ("/strategy/2022-25/returns/", ALL, set()),
    "return": ("/strategy/2022-25/returns/2023-24-q1/", ALL, set()),
    "return-agency": (
        "/strategy/2022-25/returns/2023-24-q1/police/",
        CSP_TEAM | {"board_member", "police_lead", "police_officer"},
        ALL - CSP_TEAM - {"board_member", "police_lead", "police_officer"},
    ),
    "return-review": ("/strategy/2022-25/returns/2023-24-q1/police/review/", {"analyst"}, set()),
    "approvals": ("/approvals/", {"analyst"}, set()),
    "actions": ("/strategy/2022-25/actions/", ALL, set()),
    "action-create": ("/strategy/2022-25/actions/new/", CSP_TEAM | LEADS, set()),
    "action": ("/actions/{action}/", ALL, set()),
    "accountability": ("/strategy/2022-25/accountability/", CSP_TEAM | {"board_member"}, set()),
    "measure-create": ("/strategy/2022-25/measures/new/", CSP_TEAM, set()),
    "measure-edit": ("/strategy/2022-25/measures/da-incidents/edit/", CSP_TEAM, set()),
    "measure-targets": ("/strategy/2022-25/measures/da-incidents/targets/", CSP_TEAM, set()),
}
# Routes that only take POST: a GET by those allowed goes back to the page the form is on
# (302); who may POST is tested with them (test_returns_views.py: test_only_analysts_review).
POST_ONLY = {"return-review"}


def test_every_strategy_route_has_an_expectation():
    names = {p.name for p in saferhub.strategy.urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(EXPECTED)
    assert all(name in get_resolver().reverse_dict for name in names)


def _expected_status(name: str, user_name: str) -> int:
    _, allowed, not_theirs = EXPECTED[name]
    if name in POST_ONLY and user_name in allowed:
        return 302
    if user_name in allowed:
        return 200
    if user_name in not_theirs:
        return 404
    return 403


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_role_gets_what_it_should(client, world: World, plan, name):
    url = EXPECTED[name][0].format(action=plan.action.id)
    failures = []
    for user_name, user in world.users_by_role().items():
        if user_name == "stranger":
            continue
        client.force_login(user)
        status = client.get(url).status_code
        if status != _expected_status(name, user_name):
            failures.append(f"{user_name}: {status}, expected {_expected_status(name, user_name)}")
    assert not failures, f"{name} {url}: " + "; ".join(failures)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_another_partnership_sees_nothing(client, world: World, plan, name):
    url = EXPECTED[name][0].format(action=plan.action.id)
    client.force_login(world.stranger)
    response = client.get(url)
    # The list of strategies answers with an empty list; everything else refuses.
    assert response.status_code in ((200,) if name == "strategies" else (403, 404, 405))
    for secret in (b"Testford", b"Train call handlers", b"Da Incidents"):
        assert secret not in response.content
