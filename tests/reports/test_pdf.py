"""The PDF: A4 pages that poppler reads without a complaint, tagged, with the contents'
page numbers right, headings in reading order, fonts embedded, and a data table after
every chart."""

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from saferhub.reports import annual, pdf
from saferhub.reports.html import render_html
from saferhub.reports.models import Highlight
from tests.reports.data import YEAR_ENDING

HEADINGS = [
    "Executive summary",
    "Domestic violence and abuse",
    "Anti-social behaviour",
    "Alignment with other plans",
    "Appendix: measure definitions and data notes",
]


@pytest.fixture
def report(plan, world, year):
    Highlight.objects.create(
        priority=plan.asb,
        agency=world.housing,
        author=world.analyst,
        written_on=date(2023, 10, 2),
        title="Estate walkabouts",
        included=True,
        text="Officers walked **six** estates with residents.\n\n- Lighting fixed\n- Bins moved",
    )
    return annual.build_report(plan.strategy, YEAR_ENDING, world.analyst, today=date(2024, 6, 1))


@pytest.fixture
def pdf_file(report, tmp_path) -> Path:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.render_pdf(report))
    return path


def _run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, check=True)


def test_poppler_reads_it_without_a_warning_and_it_is_tagged(pdf_file, report):
    info = _run("pdfinfo", str(pdf_file))
    assert info.stderr == ""
    fields = dict(
        (key.strip(), value.strip())
        for key, _, value in (line.partition(":") for line in info.stdout.splitlines())
    )
    assert fields["Tagged"] == "yes"
    assert int(fields["Pages"]) > 3
    assert fields["Page size"].endswith("(A4)")
    assert fields["Title"] == report.title
    assert _run("pdftotext", str(pdf_file), "/dev/null").stderr == ""


def test_every_font_is_embedded_and_it_is_liberation_sans(pdf_file):
    lines = _run("pdffonts", str(pdf_file)).stdout.splitlines()[2:]
    assert lines
    assert all(line.split()[-5] == "yes" for line in lines)  # the "emb" column
    assert all("Liberation-Sans" in line for line in lines), lines


def _pages(pdf_file) -> list[str]:
    return _run("pdftotext", "-layout", str(pdf_file), "-").stdout.split("\f")


def test_the_headings_come_in_order_on_the_pages_the_contents_give(pdf_file):
    pages = _pages(pdf_file)
    contents = next(i for i, page in enumerate(pages) if "Contents" in page)
    listed = {}
    for line in pages[contents].splitlines():
        match = re.match(r"\s*(.+?)\s*\.{3,}\s*(\d+)\s*$", line)
        if match:
            listed[match[1]] = int(match[2])
    found = []
    for heading in HEADINGS:
        page = next(
            number
            for number, text in enumerate(pages[contents + 1 :], start=contents + 2)
            if any(line.strip() == heading for line in text.splitlines()[2:])
        )
        found.append(page)
        key = next(title for title in listed if title.endswith(heading))
        assert listed[key] == page, (heading, listed[key], page)
    assert found == sorted(found)
    # Each page says where it is, its marking, and which page of how many.
    total = len([page for page in pages if page.strip()])
    for number, text in enumerate(pages[:total], start=1):
        assert "OFFICIAL" in text
        assert f"Page {number} of {total}" in text


def test_the_plain_text_reads_in_order(pdf_file, report):
    text = _run("pdftotext", str(pdf_file), "-").stdout
    body = text[text.index("Executive summary\n") :]
    positions = [body.index(title) for title in HEADINGS[1:]]
    assert positions == sorted(positions)
    for priority in report.priorities:
        assert priority.title in text
    assert "Officers walked six estates with residents." in text
    # A key figure's label and its figure stay together.
    assert re.search(r"Measures on target\s+1 of 6", text)


def test_every_chart_is_followed_by_its_data_table(report):
    html = render_html(report, standalone=True)
    charts = [m.end() for m in re.finditer(r'<svg[^>]*role="img"[^>]*>.*?</svg>', html, re.S)]
    assert charts
    for end in charts:
        assert re.match(r"\s*</div>\s*<table", html[end:]), html[end : end + 80]
    assert html.count("<thead") == html.count("<table")  # headers repeat across pages


def test_the_document_says_its_language_and_title(report):
    html = render_html(report, standalone=True)
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in html and f"<title>{report.title}</title>" in html
    assert 'font-family: "Liberation Sans", Arial, sans-serif' in html
