"""Setting up measures and their targets (CSP team)."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render

from saferhub.access import scope
from saferhub.access.permissions import Action, require
from saferhub.audit.services import record
from saferhub.partnership.models import Agency
from saferhub.strategy.forms import MeasureForm
from saferhub.strategy.lookups import measure_for, strategy_for
from saferhub.strategy.models import Measure, Target
from saferhub.strategy.numbers import parse_number
from saferhub.strategy.periods import Period


def _form_page(request, strategy, instance: Measure | None):
    agencies = scope.visible(request.user, Agency.objects.filter(is_active=True))
    form = MeasureForm(
        request.POST or None, instance=instance, strategy=strategy, agencies=agencies
    )
    if request.method == "POST" and form.is_valid():
        measure = form.save()
        record(request.user, "measure.created" if instance is None else "measure.changed", measure)
        messages.success(request, f"Saved {measure.name}. Now set its targets.")
        return redirect("measure-targets", strategy.slug, measure.code)
    return render(
        request,
        "strategy/measures/form.html",
        {
            "strategy": strategy,
            "form": form,
            "measure": instance,
        },
    )


def create(request, strategy: str):
    require(request.user, Action.EDIT_MEASURES)
    return _form_page(request, strategy_for(request.user, strategy), None)


def edit(request, strategy: str, code: str):
    require(request.user, Action.EDIT_MEASURES)
    found = strategy_for(request.user, strategy)
    return _form_page(request, found, measure_for(request.user, found, code))


def _periods(strategy, measure: Measure) -> list[Period]:
    first = measure.period_of(strategy.starts_on)
    return first.periods_between(measure.period_of(strategy.ends_on))


def targets(request, strategy: str, code: str):
    """One target per period of the strategy; a blank box removes that period's target."""
    require(request.user, Action.EDIT_MEASURES)
    found = strategy_for(request.user, strategy)
    measure = measure_for(request.user, found, code)
    periods = _periods(found, measure)
    existing = {t.period_start: t.value for t in measure.targets.all()}
    rows, errors = [], []
    for period in periods:
        name = f"target_{period.start:%Y%m%d}"
        typed = request.POST.get(name, "").strip() if request.method == "POST" else None
        value = existing.get(period.start)
        error = None
        if typed is not None and typed:
            value = parse_number(typed.rstrip("%").lstrip("£"))
            problem = (
                f"Enter the target for {period.label} as a number, like 450 or 12.5"
                if value is None
                else measure.figure_problem(value)
                and f"The target for {period.label}, {typed}, {measure.figure_problem(value)}"
            )
            if problem:
                error = problem
                errors.append((name, error))
        elif typed == "":
            value = None
        rows.append(
            {
                "period": period,
                "name": name,
                "error": error,
                "shown": typed if typed is not None else (value if value is not None else ""),
            }
        )
        if typed is not None:
            rows[-1]["value"] = value
    if request.method == "POST" and not errors:
        with transaction.atomic():
            for row in rows:
                if row["value"] is None:
                    Target.objects.filter(
                        measure=measure, period_start=row["period"].start
                    ).delete()
                else:
                    Target.objects.update_or_create(
                        measure=measure,
                        period_start=row["period"].start,
                        defaults={"value": row["value"]},
                    )
        record(request.user, "measure.targets_set", measure)
        messages.success(request, f"Targets saved for {measure.name}.")
        return redirect("measure-targets", found.slug, measure.code)
    return render(
        request,
        "strategy/measures/targets.html",
        {
            "strategy": found,
            "measure": measure,
            "rows": rows,
            "errors": errors,
        },
    )
