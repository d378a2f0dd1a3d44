"""`make load`: the load and soak test. saferhub's production configuration (gunicorn with 2
workers serving TLS, the task worker, PostgreSQL, DEBUG off), started as the production
test starts it (tests/production/server.py), driven by locust (bench/load/locustfile.py),
headless, on loopback only, for a bounded time; then one table of the figures against the
targets of issue 7.

    scripts/with-throwaway-postgres .venv/bin/python bench/load/run.py [--quick] [--scale city]

1. The data: the configured database (a throwaway: `make load` starts one) is filled with
   `saferhub generate --scale region --seed 1` (1,000,000 people, 200,000 referrals; about
   4 minutes) and the demo's strategies (prepare.py). `--scale city` is quicker (25,000
   people, 30,000 referrals; under a minute).
2. Load: 50 simulated users of mixed roles for 5 minutes (80% of requests reads: home
   page, case lists, case pages, dashboards, person search; 20% writes: DASH referrals,
   safety-plan action updates, partner returns), each signing in first.
3. Soak: 20 users for 30 minutes, each gunicorn worker's memory (RSS) taken as it starts
   and as it ends.
`--quick` runs 1 minute of load and 2 of soak: a smoke test of the whole thing.

Targets: reads p95 under 300 ms, writes p95 under 600 ms, no errors (any answer but the
expected one, or a failure in a simulated user), and no worker's memory growing more than
10% over the soak. Exit status 1 if one is missed. A load test is not a test: nothing runs
this in CI.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import harness  # noqa: E402  first: sets Django up for the imports below
import prepare  # noqa: E402
import psutil  # noqa: E402

from tests.production.server import running  # noqa: E402

BIN = Path(sys.executable).parent
READS_P95_MS = 300.0
WRITES_P95_MS = 600.0
MEMORY_GROWTH = 0.10
SPAWN_RATE = 5  # users started a second (each signs in: Argon2 is slow on purpose)
PROGRESS_EVERY = 30  # seconds


@dataclass(frozen=True)
class Phase:
    name: str
    users: int
    seconds: int


@dataclass
class Outcome:
    phase: Phase
    samples: list  # (request name, milliseconds, succeeded)
    log: Path

    def times(self, kind: str) -> list[float]:
        return [ms for name, ms, ok in self.samples if name.split(":")[0] == kind and ok]

    def count(self, kind: str) -> int:
        return sum(1 for name, _, _ in self.samples if name.split(":")[0] == kind)

    @property
    def errors(self) -> int:
        return sum(1 for _, _, ok in self.samples if not ok)


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def rss_mb(pid: int) -> float:
    return psutil.Process(pid).memory_info().rss / 1_048_576


def workers(master: int) -> list[int]:
    """gunicorn's worker processes: the children of its master."""
    return sorted(child.pid for child in psutil.Process(master).children())


def run_phase(phase: Phase, production, folder: Path, env: dict, master: int) -> Outcome:
    samples = folder / f"{phase.name}-samples.json"
    log = folder / f"{phase.name}-locust.log"
    command = [
        str(BIN / "locust"),
        "--locustfile", str(HERE / "locustfile.py"),
        "--headless",
        "--host", production.url,
        "--users", str(phase.users),
        "--spawn-rate", str(SPAWN_RATE),
        "--run-time", f"{phase.seconds}s",
        "--stop-timeout", "30",
        "--only-summary",
        "--loglevel", "WARNING",
    ]  # fmt: skip
    print(f"\n== {phase.name}: {phase.users} users for {phase.seconds // 60} min ==", flush=True)
    started = time.monotonic()
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603
            command,
            env=dict(env, LOAD_SAMPLES=str(samples)),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        # Bounded: locust stops itself at --run-time; this is the backstop.
        deadline = started + phase.seconds + 120
        while process.poll() is None:
            try:
                process.wait(PROGRESS_EVERY)
            except subprocess.TimeoutExpired:
                if time.monotonic() > deadline:
                    process.kill()
                    process.wait()
                    break
                memory = ", ".join(f"{rss_mb(pid):.0f} MB" for pid in workers(master))
                print(
                    f"   {time.monotonic() - started:4.0f} s: workers' memory {memory}; "
                    f"load average {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
    if not samples.exists():
        sys.exit(f"locust did not finish the {phase.name} phase: see {log}\n{log.read_text()}")
    return Outcome(phase, json.loads(samples.read_text()), log)


def server_errors(production) -> int:
    """Answers of 500 or more in the web server's JSON log lines."""
    count = 0
    for line in production.web.output().splitlines():
        if line.startswith("{"):
            try:
                count += json.loads(line).get("status", 0) >= 500
            except ValueError:
                continue
    return count


def slowest_pages(production, count: int = 8) -> list[str]:
    """Where the servers' time went: the requests that took most of it in all (their own
    time, from the JSON log lines: no queueing, no network), ids in paths replaced by N."""
    durations: dict[str, list[float]] = {}
    for line in production.web.output().splitlines():
        if not line.startswith("{"):
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if "duration_ms" in entry:
            path = re.sub(r"/measures/[^/]+/", "/measures/CODE/", entry["path"])
            key = f"{entry['method']} {re.sub(r'[0-9]+', 'N', path)}"
            durations.setdefault(key, []).append(entry["duration_ms"])
    total = sum(sum(times) for times in durations.values()) or 1
    ranked = sorted(durations.items(), key=lambda item: -sum(item[1]))[:count]
    lines = [
        f"  {'request (server time)':<44} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'share':>7}"
    ]
    for key, times in ranked:
        lines.append(
            f"  {key[:44]:<44} {len(times):>7} {statistics.median(times):>8.0f} "
            f"{p95(times):>8.0f} {sum(times) / total:>7.0%}"
        )
    return lines


def breakdown(outcome: Outcome) -> list[str]:
    """Per request name: how many, how many failed, p50, p95 and the longest."""
    names = sorted({name for name, _, _ in outcome.samples})
    lines = [
        f"  {'request':<34} {'count':>7} {'failed':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
    ]
    for name in names:
        times = [ms for n, ms, ok in outcome.samples if n == name]
        failed = sum(1 for n, _, ok in outcome.samples if n == name and not ok)
        if name == "exception":
            lines.append(f"  {'failure in a simulated user':<34} {len(times):>7} {failed:>7}")
            continue
        lines.append(
            f"  {name:<34} {len(times):>7} {failed:>7} {statistics.median(times):>8.0f} "
            f"{p95(times):>8.0f} {max(times):>8.0f}"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 minute of load, 2 of soak")
    parser.add_argument(
        "--scale",
        default="region",
        choices=["city", "region"],
        help="the data set (default: region, as issue 7 asks)",
    )
    parser.add_argument(
        "--think",
        default="2,6",
        help="seconds a simulated user waits between pages, least and most (default: 2,6)",
    )
    options = parser.parse_args()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("The load test runs on PostgreSQL: run under scripts/with-throwaway-postgres.")
    phases = (
        [Phase("load", 50, 60), Phase("soak", 20, 120)]
        if options.quick
        else [Phase("load", 50, 5 * 60), Phase("soak", 20, 30 * 60)]
    )
    began = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="saferhub-load-"))
    print(f"Load test ({'quick' if options.quick else 'full'}); its files in {folder}")
    print(f"Machine: {harness.machine()}")
    print(f"\n== The {options.scale} data set ==", flush=True)
    started = time.monotonic()
    partnership = prepare.prepare(options.scale)
    plan = prepare.plan(partnership)
    empty = [kind for kind, names in plan["users"].items() if not names]
    if empty:
        sys.exit(f"No accounts for: {', '.join(empty)} (see prepare.plan)")
    (folder / "plan.json").write_text(json.dumps(plan))
    people = partnership.people.count()
    referrals = partnership.referrals.count()
    data = f"{partnership.name}: {people:,} people, {referrals:,} referrals"
    with connection.cursor() as cursor:  # the servers' connections have the same options
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    database = f"{harness.database()}, jit {jit}"
    connection.close()  # the servers have the database to themselves from here
    print(f"   {data}; {database}; ready in {time.monotonic() - started:.0f} s")
    print("   accounts: " + ", ".join(f"{len(v)} {k}" for k, v in plan["users"].items()))

    print("\n== Starting the production configuration ==", flush=True)
    with running(folder) as production:
        master = production.web.popen.pid
        print(f"   {production.url}: gunicorn {master} with workers {workers(master)}")
        env = dict(
            os.environ,
            LOAD_PLAN=str(folder / "plan.json"),
            LOAD_CA=str(production.certificate),
            LOAD_THINK=options.think,
        )
        load = run_phase(phases[0], production, folder, env, master)
        soak_workers = workers(master)
        memory_start = {pid: rss_mb(pid) for pid in soak_workers}
        worker_start = rss_mb(production.worker.popen.pid)
        soak = run_phase(phases[1], production, folder, env, master)
        memory_end = {pid: rss_mb(pid) for pid in soak_workers if psutil.pid_exists(pid)}
        worker_end = rss_mb(production.worker.popen.pid)
        restarted = workers(master) != soak_workers
        errors_5xx = server_errors(production)
        slowest = slowest_pages(production)

    rows = []  # (figure, measured text, target text, met or None)
    for outcome in (load, soak):
        name = f"{outcome.phase.name} ({outcome.phase.users} users)"
        reads, writes = outcome.times("read"), outcome.times("write")
        rows.append((f"{name}: reads p95", f"{p95(reads):.0f} ms", "< 300 ms",
                     p95(reads) < READS_P95_MS))  # fmt: skip
        rows.append((f"{name}: writes p95", f"{p95(writes):.0f} ms", "< 600 ms",
                     p95(writes) < WRITES_P95_MS))  # fmt: skip
        rows.append((f"{name}: errors", f"{outcome.errors}", "0", outcome.errors == 0))
        signed = outcome.times("sign-in")
        rows.append((f"{name}: sign-in steps p95", f"{p95(signed):.0f} ms", "-", None))
    for number, pid in enumerate(soak_workers, start=1):
        start, end = memory_start[pid], memory_end.get(pid)
        if end is None:
            rows.append((f"gunicorn worker {number}: RSS over the soak", "restarted", "", False))
            continue
        growth = end / start - 1
        rows.append(
            (
                f"gunicorn worker {number}: RSS over the soak",
                f"{start:.0f} -> {end:.0f} MB ({growth:+.1%})",
                "growth < 10%",
                growth < MEMORY_GROWTH,
            )
        )
    rows.append(
        (
            "task worker (db_worker): RSS over the soak",
            f"{worker_start:.0f} -> {worker_end:.0f} MB ({worker_end / worker_start - 1:+.1%})",
            "-",
            None,
        )
    )

    print("\n" + "=" * 100)
    print("Load and soak test (issue 7)")
    print(f"Data: {data}")
    print(f"Database: {database}")
    print(
        "Servers: gunicorn, 2 sync workers, TLS on 127.0.0.1; saferhub db_worker; "
        "production settings (DEBUG off); locust on the same machine"
    )
    print(f"Machine: {harness.machine()}")
    for outcome in (load, soak):
        phase = outcome.phase
        total = outcome.count("read") + outcome.count("write")
        share = outcome.count("write") / total if total else 0
        print(
            f"\n{phase.name}: {phase.users} users for {phase.seconds // 60} min, "
            f"{options.think.replace(',', '-')} s between pages; {len(outcome.samples):,} "
            f"requests ({len(outcome.samples) / phase.seconds:.1f} a second), "
            f"writes {share:.0%} of reads and writes"
        )
        for line in breakdown(outcome):
            print(line)
    print("\nWhere the servers' time went, over both phases:")
    for line in slowest:
        print(line)
    print()
    header = f"  {'figure':<44} {'measured':>24} {'target':>14}  verdict"
    print(header)
    print("  " + "-" * (len(header) - 2))
    for figure, measured, target, met in rows:
        verdict = "" if met is None else ("ok" if met else "MISSED")
        print(f"  {figure:<44} {measured:>24} {target:>14}  {verdict}".rstrip())
    if restarted:
        print("  (a gunicorn worker was restarted during the soak)")
    print(f"  answers of 500 or more in the web server's log: {errors_5xx}")
    print(f"\nIn all {(time.monotonic() - began) / 60:.1f} minutes; locust's logs in {folder}")
    missed = [figure for figure, _, _, met in rows if met is False]
    for figure in missed:
        print(f"  MISSED: {figure}")
    return 1 if missed or errors_5xx else 0


if __name__ == "__main__":
    sys.exit(main())
