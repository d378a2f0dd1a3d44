"""Generating the annual report: asked for on the web page (a task the worker runs,
with its progress kept on the GeneratedReport), or made at once by the command line."""

import logging
from datetime import date

from django.db import transaction
from django.utils import timezone

from saferhub.audit.services import record
from saferhub.reports import annual, docx, html, pdf
from saferhub.reports.models import GeneratedReport
from saferhub.strategy.models import Strategy

log = logging.getLogger(__name__)

Format = GeneratedReport.Format
CONTENT_TYPES = {
    Format.PDF: "application/pdf",
    Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Format.HTML: "text/html; charset=utf-8",
}


def render(report: annual.AnnualReport, fmt: str) -> bytes:
    """The report as a file of the given format."""
    if fmt == Format.PDF:
        return pdf.render_pdf(report)
    if fmt == Format.DOCX:
        return docx.render_docx(report)
    return html.render_html(report, standalone=True).encode("utf-8")


def make(strategy: Strategy, year_ending: date, fmt: str, user=None) -> bytes:
    """Build and render at once (the command line). ReportError explains bad input."""
    return render(annual.build_report(strategy, year_ending, user), fmt)


def request(user, strategy: Strategy, year_ending: date, fmt: str) -> GeneratedReport:
    """Queue a report for the worker. The year is checked now, so that a bad request is
    refused on the page rather than failing later in the background."""
    annual.check_year(strategy, year_ending)
    from saferhub.reports.tasks import generate_report

    generated = GeneratedReport.objects.create(
        strategy=strategy,
        year_ending=year_ending,
        format=fmt,
        requested_by=user,
        stage="Waiting for the report worker",
    )
    record(user, "report.requested", generated, format=fmt, year_ending=year_ending.isoformat())
    # Enqueued once the row is committed, so the worker always finds it.
    transaction.on_commit(lambda: generate_report.enqueue(generated.id))
    return generated


def _progress(generated: GeneratedReport, percent: int, stage: str, **changes) -> None:
    GeneratedReport.objects.filter(pk=generated.pk).update(progress=percent, stage=stage, **changes)


def run(report_id: int) -> None:
    """The task's work: build, render and keep the file, reporting progress as it goes."""
    generated = GeneratedReport.objects.select_related("strategy", "requested_by").get(pk=report_id)
    if generated.is_finished:
        return  # a retried task must not generate twice
    _progress(generated, 10, "Reading the approved figures", status=GeneratedReport.Status.RUNNING)
    try:
        report = annual.build_report(
            generated.strategy, generated.year_ending, generated.requested_by
        )
        stage = {Format.PDF: "Laying out the PDF", Format.DOCX: "Writing the Word file"}
        _progress(generated, 50, stage.get(generated.format, "Writing the web page"))
        content = render(report, generated.format)
    except annual.ReportError as error:
        _progress(
            generated,
            100,
            "Failed",
            status=GeneratedReport.Status.FAILED,
            error=str(error),
            finished_at=timezone.now(),
        )
        return
    except Exception:
        log.exception("annual report %s failed", report_id)
        _progress(
            generated,
            100,
            "Failed",
            status=GeneratedReport.Status.FAILED,
            error="Something went wrong while generating the report. It has been "
            "logged for the administrators; try again later.",
            finished_at=timezone.now(),
        )
        raise
    _progress(
        generated,
        100,
        "Ready",
        status=GeneratedReport.Status.DONE,
        content=content,
        size=len(content),
        finished_at=timezone.now(),
    )
