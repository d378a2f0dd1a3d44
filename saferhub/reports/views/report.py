"""The annual progress report as a page of saferhub, for everyone who may read reports:
the live version of what the PDF and Word file show (approved figures only)."""

from datetime import date

from django.shortcuts import redirect, render

from saferhub.access.permissions import Action, can, require
from saferhub.reports import annual
from saferhub.reports.html import render_html
from saferhub.strategy.lookups import strategy_for
from saferhub.strategy.models import Strategy


def suggested_years(strategy: Strategy, today: date) -> list[date]:
    """The year ends a board usually asks for: each 31 March within the strategy, and
    the strategy's last day, that have passed; newest first."""
    days = {
        date(year, 3, 31)
        for year in range(strategy.starts_on.year, strategy.ends_on.year + 1)
        if strategy.starts_on <= date(year, 3, 31) <= strategy.ends_on
    }
    days.add(strategy.ends_on)
    return sorted((day for day in days if day <= today), reverse=True)


def _parse(text: str) -> date | None:
    for parse in (date.fromisoformat, lambda t: date(*map(int, reversed(t.split("/"))))):
        try:
            return parse(text.strip())
        except (ValueError, TypeError):
            continue
    return None


def _chooser(request, strategy: Strategy, error: str = "", typed: str = "", status: int = 200):
    return render(
        request,
        "reports/annual/choose.html",
        {
            "strategy": strategy,
            "years": suggested_years(strategy, date.today()),
            "error": error,
            "typed": typed,
            "may_generate": can(request.user, Action.GENERATE_REPORTS),
        },
        status=status,
    )


def choose(request, strategy: str):
    """Choose the year: a few suggested, or any day the year ends on."""
    require(request.user, Action.VIEW_REPORTS)
    found = strategy_for(request.user, strategy)
    typed = request.GET.get("year_ending", "")
    if "year_ending" not in request.GET:
        return _chooser(request, found)
    day = _parse(typed)
    if day is None:
        return _chooser(
            request,
            found,
            "Enter the day the year ends as a date, like 31/3/2024",
            typed,
            status=400,
        )
    try:
        annual.check_year(found, day)
    except annual.ReportError as error:
        return _chooser(request, found, str(error), typed, status=400)
    return redirect("annual-report", found.slug, day.isoformat())


def report(request, strategy: str, year_ending: str):
    require(request.user, Action.VIEW_REPORTS)
    found = strategy_for(request.user, strategy)
    day = _parse(year_ending)
    if day is None:
        return _chooser(
            request,
            found,
            "The address does not name a day: choose the year again.",
            year_ending,
            status=400,
        )
    try:
        built = annual.build_report(found, day, request.user)
    except annual.ReportError as error:
        return _chooser(request, found, str(error), day.strftime("%d/%m/%Y"), status=400)
    return render(
        request,
        "reports/annual/page.html",
        {
            "strategy": found,
            "report": built,
            "body": render_html(built, standalone=False),
            "may_generate": can(request.user, Action.GENERATE_REPORTS),
        },
    )
