"""Importing referral history: the upload and the past imports, the status page and the
progress it polls (import_jobs and importing do the work)."""

from django.shortcuts import redirect, render

from saferhub.access import scope
from saferhub.access.permissions import Action, require
from saferhub.safeguarding import import_file, import_jobs
from saferhub.safeguarding.import_file import ImportProblems, Problem
from saferhub.safeguarding.models import ReferralImport
from saferhub.strategy.spreadsheet import megabytes

# A file with more problems than this shows the first ones and a count of the rest.
SHOWN_PROBLEMS = 200


def index(request):
    """The upload form, with the file's own problems if it was refused, and past imports."""
    require(request.user, Action.IMPORT_REFERRALS)
    problems: list[Problem] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        limit = import_jobs.max_bytes()
        if upload is None:
            problems = [Problem(None, None, "Select a CSV file of referrals to import")]
        elif upload.size > limit:
            problems = [
                Problem(
                    None,
                    None,
                    f"The file is too big: it is {megabytes(upload.size)} and the largest file "
                    f"you can import is {megabytes(limit)}. Split it into smaller files (keep "
                    "the header row in each) and import each one.",
                )
            ]
        else:
            try:
                job = import_jobs.request(request.user, upload.name, upload.read())
            except ImportProblems as error:
                problems = error.problems
            else:
                return redirect("referral-import", job.pk)
    imports = (
        scope.visible(request.user, ReferralImport.objects.all())
        .select_related("started_by")
        .defer("content")[:50]
    )
    return render(
        request,
        "safeguarding/imports.html",
        {
            "problems": problems,
            "imports": imports,
            "columns": import_file.COLUMNS,
            "max_size": megabytes(import_jobs.max_bytes()),
        },
    )


def _import(request, pk: int) -> ReferralImport:
    require(request.user, Action.IMPORT_REFERRALS)
    return scope.get_visible_or_404(
        request.user,
        ReferralImport.objects.select_related("started_by").defer("content"),
        pk=pk,
    )


def _context(job: ReferralImport) -> dict:
    problems = job.problems or []
    return {
        "job": job,
        "finished": job.status in (ReferralImport.Status.SUCCEEDED, ReferralImport.Status.FAILED),
        "percent": round(100 * job.rows_done / job.rows_total) if job.rows_total else 0,
        "problems": problems[:SHOWN_PROBLEMS],
        "hidden_problems": max(len(problems) - SHOWN_PROBLEMS, 0),
    }


def status(request, pk: int):
    return render(request, "safeguarding/import.html", _context(_import(request, pk)))


def progress(request, pk: int):
    """The progress fragment the status page polls (htmx) until the import has finished."""
    return render(request, "safeguarding/_import_progress.html", _context(_import(request, pk)))
