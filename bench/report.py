"""Benchmark: the annual progress report, as HTML and as PDF.

Run on a throwaway PostgreSQL:

    scripts/with-throwaway-postgres .venv/bin/python bench/report.py

Targets: for the demo partnership (the Safer Leeds 2021-24 plan: 9 priorities, about 40
measures, three years of figures), the HTML under 1 s and the PDF under 5 s; for a
strategy of 500 measures (bench/dashboards.py's: 511 measures, 38 of them headline
with a chart, ten years of monthly figures), the PDF under 30 s and the process never
above 500 MB.

Each figure is the whole job as the report task does it: building the report from the
database (annual.build_report, as the analyst) and rendering it (render_html or
render_pdf); the median of RUNS after one warm-up. Memory is the peak resident set of
the whole process (resource.getrusage), so it includes building the data as well: an
upper bound on what the report needs; each case runs in a process and a throwaway
database of its own. The HTML and PDF figures' reference is the content alone (the
first line of each case): what laying it out costs on top. Each figure also goes to `make
bench`'s table (harness.result); the exit status is 3 if one misses its target.
"""

import gc
import multiprocessing
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date

import harness  # first: sets Django up for the imports below
from django.db import connection
from django.test.utils import CaptureQueriesContext

RUNS = 3
DEMO_YEAR_ENDING = date(2024, 3, 31)
BIG_YEAR_ENDING = date(2025, 3, 31)
TARGETS = {"demo HTML": 1.0, "demo PDF": 5.0, "500 measures HTML": None, "500 measures PDF": 30.0}
MEMORY_LIMIT_MB = 500


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _median_s(job) -> tuple[float, int]:
    """Median seconds of RUNS runs after a warm-up, and the size of the last result."""
    job()
    times, size = [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        size = len(job())
        times.append(time.perf_counter() - started)
    return statistics.median(times), size


def _pages(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(content)
        file.flush()
        info = subprocess.run(  # noqa: S603 - our own file
            ["/usr/bin/pdfinfo", file.name], capture_output=True, text=True, check=False
        ).stdout
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def _measure(label: str, strategy, user, year_ending: date) -> list[tuple]:
    from saferhub.reports import annual, pdf
    from saferhub.reports.html import render_html

    with CaptureQueriesContext(connection) as captured:
        report = annual.build_report(strategy, year_ending, user)
    queries = len(captured)
    built_s, _ = _median_s(lambda: annual.build_report(strategy, year_ending, user).title)
    html_s, html_size = _median_s(
        lambda: render_html(annual.build_report(strategy, year_ending, user), standalone=True)
    )
    pdf_s, pdf_size = _median_s(
        lambda: pdf.render_pdf(annual.build_report(strategy, year_ending, user))
    )
    pages = _pages(pdf.render_pdf(report))
    measures = sum(len(p.measures) for p in report.priorities)
    charts = sum(len(p.charts) for p in report.priorities)
    detail = f"{len(report.priorities)} priorities, {measures} measures, {charts} charts"
    return [
        (f"{label} content only", built_s, None, f"{detail}; {queries} queries"),
        (f"{label} HTML", html_s, TARGETS[f"{label} HTML"], f"{html_size / 1024:,.0f} KiB"),
        (
            f"{label} PDF",
            pdf_s,
            TARGETS[f"{label} PDF"],
            f"{pdf_size / 1024:,.0f} KiB, {pages} pages",
        ),
    ]


def demo() -> tuple[list[tuple], float]:
    from saferhub.partnership.demo import load_demo_partnership
    from saferhub.partnership.models import User
    from saferhub.strategy.demo import load_demo_strategy

    started = time.perf_counter()
    partnership = load_demo_partnership()
    plans = {strategy.slug: strategy for strategy, _ in load_demo_strategy(partnership)}
    print(f"Demo loaded in {time.perf_counter() - started:.1f} s")
    analyst = User.objects.get(username="analyst", agency__partnership=partnership)
    gc.collect()
    before = _rss_mb()
    return _measure("demo", plans["2021-24"], analyst, DEMO_YEAR_ENDING), before


def five_hundred() -> tuple[list[tuple], float]:
    import dashboards  # bench/dashboards.py: the 500-measure strategy

    from saferhub.partnership.models import User

    started = time.perf_counter()
    strategy, _ = dashboards.build()
    print(f"500-measure strategy built in {time.perf_counter() - started:.1f} s")
    analyst = User.objects.get(username="analyst")
    gc.collect()
    before = _rss_mb()
    return _measure("500 measures", strategy, analyst, BIG_YEAR_ENDING), before


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def run_case(name: str) -> tuple[list[tuple], float, float, str]:
    """One case in a process of its own (so that its peak memory is its own): the
    figures, the memory once the data is in place, the process's peak, and the
    database it ran on."""
    case = {"demo": demo, "500": five_hundred}[name]
    with harness.throwaway_database():
        results, before = case()
        database = harness.database()
    return results, before, _peak_mb(), database


def main() -> None:
    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; run it under scripts/with-throwaway-postgres")
    results, memory, databases = [], [], {}
    spawn = multiprocessing.get_context("spawn")
    for name, label in (("demo", "demo"), ("500", "500 measures")):
        with spawn.Pool(1) as pool:
            found, before, peak, database = pool.apply(run_case, (name,))
        results.extend(found)
        memory.append((label, before, peak))
        databases[label] = database

    print()
    for label, database in databases.items():
        print(f"Database ({label}): {database}")
    print(f"Machine: {harness.machine()}")
    print(f"Median of {RUNS} after a warm-up, as the analyst; each includes building the report.")
    print()
    header = f"{'figure':<28} {'median s':>9} {'target s':>9} {'verdict':>9}  detail"
    print(header)
    print("-" * (len(header) + 30))
    for name, seconds, target, detail in results:
        verdict = "" if target is None else ("ok" if seconds < target else "TOO SLOW")
        target_text = f"{target:.0f}" if target else "-"
        print(f"{name:<28} {seconds:>9.2f} {target_text:>9} {verdict:>9}  {detail}")
    for label, before, peak in memory:
        verdict = "ok" if peak < MEMORY_LIMIT_MB else "TOO MUCH"
        print(
            f"{label + ' peak RSS':<28} {peak:>8.0f}M {MEMORY_LIMIT_MB:>8}M {verdict:>9}  "
            f"the whole process; {before:.0f} MB with the data loaded, before any report"
        )

    # For the suite's table: each case's figures against its content alone, then its memory.
    content: dict[str, tuple[float, str]] = {}
    for name, seconds, _, detail in results:
        if name.endswith("content only"):
            content[name.removesuffix(" content only")] = (seconds, detail)
    for label, before, peak in memory:
        data = f"{label}: {content[label][1]}"
        for name, seconds, target, detail in results:
            if not name.startswith(label + " ") or name.endswith("content only"):
                continue
            harness.result(
                "report",
                f"{name}, median",
                seconds,
                "s",
                target=target,
                reference="content alone",
                reference_value=content[label][0],
                data=data,
                database_text=databases[label],
                detail=detail,
            )
        harness.result(
            "report",
            f"{label}: peak memory of the process",
            peak,
            "MB",
            target=MEMORY_LIMIT_MB,
            data=data,
            database_text=databases[label],
            detail=f"{before:.0f} MB with the data loaded, before any report",
        )


if __name__ == "__main__":
    main()
    sys.exit(harness.exit_status())
