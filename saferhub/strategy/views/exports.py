"""Measure tables as CSV or Excel downloads (strategy.exports does the work)."""

from django.http import Http404, HttpResponse
from django.utils import timezone

from saferhub.access.permissions import Action, require
from saferhub.strategy import exports
from saferhub.strategy.lookups import measure_for, priority_for, strategy_for


def _download(content: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # OFFICIAL-SENSITIVE: keep it out of shared and browser caches.
    response["Cache-Control"] = "no-store, private"
    return response


def _format(fmt: str) -> str:
    if fmt not in exports.FORMATS:
        raise Http404
    return fmt


def measure_table(request, strategy: str, code: str, fmt: str):
    require(request.user, Action.EXPORT_MEASURES)
    fmt = _format(fmt)
    found = strategy_for(request.user, strategy)
    measure = measure_for(request.user, found, code)
    measure.strategy = found
    content, filename = exports.export_measure(request.user, measure, fmt, timezone.localdate())
    return _download(content, filename, fmt)


def priority_table(request, strategy: str, number: int, fmt: str):
    require(request.user, Action.EXPORT_MEASURES)
    fmt = _format(fmt)
    priority = priority_for(request.user, strategy_for(request.user, strategy), number)
    content, filename = exports.export_priority(request.user, priority, fmt, timezone.localdate())
    return _download(content, filename, fmt)
