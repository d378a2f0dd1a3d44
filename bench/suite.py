"""`make bench`: every benchmark under bench/, one after the other, on one PostgreSQL, and one
table of their figures at the end.

    scripts/with-throwaway-postgres .venv/bin/python bench/suite.py [--scale city] [--only NAME ...]

The configured database must be a throwaway (`make bench` starts one): the suite migrates
it and fills it once with `saferhub generate --scale region --seed 1` (1,000,000 people,
200,000 referrals; `--scale city` for a quick run), which the benchmarks that need that data
set read with `--existing`; the others make and drop their own test databases beside it.
Each script prints its own output as it goes (shown here, indented) and writes its figures
as JSON lines to the file named by BENCH_RESULTS (harness.result); the table gives each
figure, its target, its reference measured in the same run and the ratio, under a line
naming the data, the database and (at the end) the machine.

Exit status: 0 when every target was met, 1 when one was missed or a script failed. A
benchmark is not a test: nothing runs this in CI.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import harness  # first: sets Django up for the imports below
from django.db import connection

BENCH = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
SCRIPT_TIMEOUT = 60 * 60  # seconds: the access matrix on region data takes about 25 minutes
# (name, arguments): the three that read the generated data set first, while it is fresh
# (access_matrix writes only in a transaction it rolls back).
BENCHMARKS = [
    ("casework", ["--existing"]),
    ("marac_return", ["--existing"]),
    ("access_matrix", ["--existing"]),
    ("dashboards", []),
    ("upload", []),
    ("import_referrals", []),
    ("audit_verify", []),
    ("report", []),
]
NEEDS_DATA_SET = {"casework", "marac_return", "access_matrix"}


def _say(text: str) -> None:
    print(text, flush=True)


def _run(command: list[str], env: dict[str, str], log, timeout: float) -> int:
    """Run `command`, echoing its output indented (and into `log`) as it comes."""
    with subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    ) as process:
        deadline = time.monotonic() + timeout
        for line in process.stdout:
            log.write(line)
            sys.stdout.write("    " + line)
            sys.stdout.flush()
            if time.monotonic() > deadline:
                process.kill()
                _say(f"    (stopped: over {timeout / 60:.0f} minutes)")
                break
        return process.wait()


def generate(scale: str, env: dict[str, str], log) -> float:
    started = time.perf_counter()
    for command in (
        [str(BIN / "saferhub"), "migrate", "--noinput", "--verbosity", "0"],
        [str(BIN / "saferhub"), "generate", "--scale", scale, "--seed", "1"],
    ):
        status = _run(command, env, log, SCRIPT_TIMEOUT)
        if status != 0:
            sys.exit(f"{' '.join(command[1:3])} failed with exit status {status}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give
    return time.perf_counter() - started


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    if value == int(value):
        return f"{int(value):,}"
    size = abs(value)
    if size >= 100:
        return f"{value:,.0f}"
    if size >= 10:
        return f"{value:.1f}"
    if size >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def table(results: list[dict]) -> list[str]:
    """The figures, grouped under a line naming each benchmark's data and database."""
    lines = []
    header = (
        f"  {'figure':<52} {'measured':>11} {'target':>9}  {'reference (same run)':<42} "
        f"{'x ref':>6}  verdict"
    )
    group = None
    for result in results:
        key = (result["benchmark"], result["data"], result["database"])
        if key != group:
            group = key
            lines.append("")
            lines.append(f"{result['benchmark']}: {result['data']}")
            lines.append(f"  on {result['database']}")
            lines.append(header)
            lines.append("  " + "-" * (len(header) - 2))
        unit = result["unit"]
        target = result["target"]
        reference = "-"
        ratio = "-"
        if result["reference"]:
            reference = f"{result['reference']} {_number(result['reference_value'])} {unit}"
            if result["reference_value"]:
                ratio = f"{result['value'] / result['reference_value']:.1f}"
        verdict = "" if target is None else ("ok" if result["value"] < target else "MISSED")
        lines.append(
            f"  {result['figure'][:52]:<52} {_number(result['value']) + ' ' + unit:>11} "
            f"{(_number(target) + ' ' + unit) if target is not None else '-':>9}  "
            f"{reference[:42]:<42} {ratio:>6}  {verdict}".rstrip()
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale",
        default="region",
        choices=["city", "region"],
        help="the data set generated for the benchmarks that use --existing (default: region)",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=[name for name, _ in BENCHMARKS],
        help="run only these benchmarks",
    )
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The benchmarks run on PostgreSQL: run under scripts/with-throwaway-postgres.")
    chosen = [(n, a) for n, a in BENCHMARKS if not options.only or n in options.only]
    started = time.perf_counter()
    _say(f"Benchmark suite: {', '.join(n for n, _ in chosen)}")
    _say(f"Machine: {harness.machine()}")

    folder = Path(tempfile.mkdtemp(prefix="saferhub-bench-"))
    results_file = folder / "results.jsonl"
    env = dict(os.environ, BENCH_RESULTS=str(results_file), PYTHONUNBUFFERED="1")
    timings: list[tuple[str, float, int]] = []  # per script: (name, seconds, exit status)
    generation = ""
    with (folder / "output.log").open("w") as log:
        if any(name in NEEDS_DATA_SET for name, _ in chosen):
            _say(f"\n== Generating the {options.scale} data set (saferhub generate) ==")
            seconds = generate(options.scale, env, log)
            generation = f"generate --scale {options.scale} {seconds:.0f} s; "
            _say(f"   {harness.database()}, in {seconds:.0f} s")
        for number, (name, arguments) in enumerate(chosen, start=1):
            _say(f"\n== [{number}/{len(chosen)}] bench/{name}.py {' '.join(arguments)} ==")
            began = time.perf_counter()
            status = _run(
                [sys.executable, str(BENCH / f"{name}.py"), *arguments], env, log, SCRIPT_TIMEOUT
            )
            timings.append((name, time.perf_counter() - began, status))
            _say(f"   bench/{name}.py: exit status {status}, {time.perf_counter() - began:.0f} s")

    results = []
    if results_file.exists():
        results = [json.loads(line) for line in results_file.read_text().splitlines() if line]
    missed = [r for r in results if r["target"] is not None and r["value"] >= r["target"]]
    reported = {r["benchmark"] for r in results}
    failed = [
        (name, status)
        for name, _, status in timings
        if status not in (0, harness.TARGET_MISSED) or (status == 0 and name not in reported)
    ]
    failed += [
        (name, status)
        for name, _, status in timings
        if status == harness.TARGET_MISSED and not any(r["benchmark"] == name for r in missed)
    ]

    _say("\n" + "=" * 100)
    _say("Benchmark figures (lower is better; x ref = measured / reference)")
    for line in table(results):
        _say(line)
    _say("")
    _say(f"Machine: {harness.machine()}")
    _say(
        f"Time: {generation}"
        + "; ".join(f"{name} {seconds:.0f} s" for name, seconds, _ in timings)
        + f"; in all {(time.perf_counter() - started) / 60:.1f} minutes"
    )
    targets = sum(r["target"] is not None for r in results)
    _say(
        f"{len(results)} figures, {targets} with a target: {targets - len(missed)} met, "
        f"{len(missed)} missed."
    )
    for result in missed:
        _say(f"  MISSED: {result['benchmark']}: {result['figure']}")
    for name, status in failed:
        _say(f"  FAILED: bench/{name}.py (exit status {status}; its output: {folder}/output.log)")
    return 1 if missed or failed else 0


if __name__ == "__main__":
    sys.exit(main())
