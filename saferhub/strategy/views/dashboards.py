"""The strategy dashboards: the strategies, a strategy's executive overview, a priority
and a measure. Read-only for everyone who may view the strategy; figures come through
strategy.dashboards, which reads them through values.series (and so access.scope)."""

from datetime import date

from django.shortcuts import render

from saferhub.access.permissions import Action, require
from saferhub.strategy import dashboards
from saferhub.strategy.lookups import measure_for, priority_for, strategy_for


def _as_of(request) -> tuple[date, str]:
    """The day the page shows figures as of (?as_of=YYYY-MM-DD, else today), and the
    query string that keeps it on the page's links."""
    text = request.GET.get("as_of", "")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return date.today(), ""
    return day, f"?as_of={day.isoformat()}"


def strategies(request):
    require(request.user, Action.VIEW_STRATEGY)
    return render(
        request,
        "strategy/dashboards/strategies.html",
        {"rows": dashboards.strategies(request.user, date.today())},
    )


def overview(request, strategy: str):
    require(request.user, Action.VIEW_STRATEGY)
    found = strategy_for(request.user, strategy)
    as_of, query = _as_of(request)
    return render(
        request,
        "strategy/dashboards/overview.html",
        {
            "strategy": found,
            "page": dashboards.overview(request.user, found, as_of),
            "query": query,
        },
    )


def priority(request, strategy: str, number: int):
    require(request.user, Action.VIEW_STRATEGY)
    found = strategy_for(request.user, strategy)
    chosen = priority_for(request.user, found, number)
    as_of, query = _as_of(request)
    return render(
        request,
        "strategy/dashboards/priority.html",
        {
            "strategy": found,
            "priority": chosen,
            "page": dashboards.priority_page(request.user, found, chosen, as_of),
            "query": query,
        },
    )


def measure(request, strategy: str, code: str):
    require(request.user, Action.VIEW_STRATEGY)
    found = strategy_for(request.user, strategy)
    chosen = measure_for(request.user, found, code)
    as_of, query = _as_of(request)
    return render(
        request,
        "strategy/dashboards/measure.html",
        {
            "strategy": found,
            "measure": chosen,
            "page": dashboards.measure_page(request.user, found, chosen, as_of),
            "query": query,
        },
    )
