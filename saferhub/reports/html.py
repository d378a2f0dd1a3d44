"""The annual report as HTML: a page of saferhub, or a document of its own (for the PDF
and for downloading). One template of content serves both, so they cannot differ."""

from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from saferhub.reports.content import AnnualReport

DOCUMENT_CSS = ("reports/report-paged.css", "reports/report-document.css")


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The document's stylesheets (the app's static files), to put in the document
    itself: a document that stands alone needs nothing from a server."""
    texts = []
    for name in DOCUMENT_CSS:
        found = finders.find(name)
        if not found:  # pragma: no cover - the files ship with the app
            raise FileNotFoundError(name)
        texts.append(Path(found).read_text(encoding="utf-8"))
    return "\n".join(texts)


def render_html(report: AnnualReport, standalone: bool) -> str:
    """The report's HTML. `standalone`: a whole document (doctype, language, title,
    its stylesheet inside, print rules for A4 pages); otherwise the report's content
    alone, for a page of saferhub to place in its layout."""
    context = {"report": report, "standalone": standalone}
    if standalone:
        context["css"] = mark_safe(stylesheet())  # noqa: S308 - our own file, not input
        return render_to_string("reports/annual/document.html", context)
    return render_to_string("reports/annual/_body.html", context)
