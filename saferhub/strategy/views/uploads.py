"""Uploading a spreadsheet of figures (strategy.upload does the work)."""

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from saferhub.access.permissions import Action, can
from saferhub.strategy import spreadsheet
from saferhub.strategy import upload as service
from saferhub.strategy.exports import neutralise
from saferhub.strategy.lookups import strategy_for
from saferhub.strategy.models import Measure
from saferhub.strategy.periods import EXAMPLE_CODES, PeriodType

# An upload with more problems than this shows the first ones and a count of the rest.
SHOWN_PROBLEMS = 200


def _require_upload(user) -> None:
    if not (can(user, Action.SUBMIT_RETURNS) or can(user, Action.APPROVE_RETURNS)):
        raise PermissionDenied


def _measures(user, strategy):
    """The submitted measures the user may upload figures for."""
    measures = Measure.objects.filter(
        strategy=strategy, source=Measure.Source.SUBMITTED
    ).select_related("reporting_agency", "priority")
    agencies = service.uploadable_agencies(user, strategy)
    if agencies is not None:
        measures = measures.filter(reporting_agency__in=agencies)
    return measures.order_by("priority__number", "code")


def upload(request, strategy: str):
    _require_upload(request.user)
    found = strategy_for(request.user, strategy)
    problems: list[spreadsheet.Problem] = []
    if request.method == "POST":
        file = request.FILES.get("file")
        if file is None:
            problems = [spreadsheet.Problem(None, None, "Select a CSV or Excel file to upload")]
        else:
            try:
                counts = service.load(found, request.user, file)
            except spreadsheet.UploadError as error:
                problems = error.problems
            else:
                messages.success(request, counts.message)
                return redirect("returns-upload", strategy=found.slug)
    measures = list(_measures(request.user, found))
    return render(
        request,
        "strategy/uploads/upload.html",
        {
            "strategy": found,
            "problems": problems[:SHOWN_PROBLEMS],
            "problem_count": len(problems),
            "hidden_problems": max(len(problems) - SHOWN_PROBLEMS, 0),
            "measures": measures,
            "example": measures[0] if measures else None,
            "example_period": EXAMPLE_CODES[
                measures[0].period_type if measures else PeriodType.QUARTERLY
            ],
            "own_agency": request.user.agency,
            "periods": [(PeriodType(kind).label, code) for kind, code in EXAMPLE_CODES.items()],
            "max_size": spreadsheet.megabytes(spreadsheet.max_bytes()),
            "max_rows": spreadsheet.MAX_ROWS,
        },
    )


def template(request, strategy: str):
    """A CSV of the figures the user may upload, with those already entered."""
    _require_upload(request.user)
    found = strategy_for(request.user, strategy)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in service.template_rows(request.user, found, timezone.localdate()):
        writer.writerow([neutralise(cell) for cell in line])
    response = HttpResponse(
        "\ufeff".encode() + buffer.getvalue().encode("utf-8"),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="figures-{found.slug}-{timezone.localdate().isoformat()}.csv"'
    )
    response["Cache-Control"] = "no-store, private"
    return response
