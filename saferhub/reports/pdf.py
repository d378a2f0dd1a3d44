"""The annual report as a PDF: WeasyPrint lays out the standalone HTML on A4 pages.

The document's stylesheet (static/reports/report-document.css) does the pages: page
numbers ("Page N of M"), running headers (each section's title, and the OFFICIAL
marking top and bottom), table headers repeated across page breaks, and the contents'
page numbers (target-counter). The PDF is tagged for accessibility (PDF/UA-1): its
structure, language and title travel with it; fonts are embedded (subsets of Liberation
Sans, metric-compatible with Arial). Charts are the same inline SVG as on the web page.
"""

import logging
from functools import lru_cache

from saferhub.reports.content import AnnualReport
from saferhub.reports.html import render_html


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _quiet_weasyprint() -> None:
    """WeasyPrint warns about CSS it ignores (GOV.UK class names carry none here, but a
    future property might): keep its chatter out of the task worker's log."""
    for name in ("weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)


def render_pdf(report: AnnualReport) -> bytes:
    """The report as PDF bytes (A4, tagged PDF/UA-1)."""
    _quiet_weasyprint()
    from weasyprint import HTML  # imported here: the web pages never need it

    document = HTML(string=render_html(report, standalone=True), base_url=None)
    return document.write_pdf(
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
        font_config=_font_config(),
        custom_metadata=False,
    )
