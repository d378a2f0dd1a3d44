"""saferhub's production configuration as real processes: gunicorn serving TLS with a
throwaway certificate, and the task worker, both on the test database.

The test process and the servers share pytest-django's test database, so everything a
test makes must be committed (transactional_db) before the servers can see it.
"""

import os
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.production.postgres import database_url

BIN = Path(sys.executable).parent  # the project's .venv/bin: gunicorn, saferhub
OPENSSL = "/usr/bin/openssl"
START_TIMEOUT = 90  # seconds: two gunicorn workers and the worker start Django on 2 cores
STOP_TIMEOUT = 30


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path  # its standard output and error, together

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        """SIGTERM (gunicorn and the worker both stop gracefully on it), then SIGKILL."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                # The whole group: gunicorn's own workers too.
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(STOP_TIMEOUT)


@dataclass
class Production:
    url: str  # https://127.0.0.1:PORT
    certificate: Path
    web: Process
    worker: Process

    def tls(self) -> ssl.SSLContext:
        """Verifies the throwaway certificate, as a client that was given it would."""
        return ssl.create_default_context(cafile=str(self.certificate))

    def get(self, path: str, headers: dict | None = None):
        """(status, headers, body) of a GET, answered or not."""
        # Always https://127.0.0.1: the scheme is ours, not a caller's.
        request = urllib.request.Request(self.url + path, headers=headers or {})  # noqa: S310
        try:
            with urllib.request.urlopen(request, context=self.tls(), timeout=10) as answer:  # noqa: S310
                return answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, valid for a day."""
    certificate, key = folder / "certificate.pem", folder / "key.pem"
    subprocess.run(
        [
            OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(certificate),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return certificate, key


def environment(folder: Path, port: int = 8000, database: str | None = None) -> dict[str, str]:
    """What /etc/saferhub/env holds in production (docs/deploy.md), for this machine: the
    test database, or the database named `database` on the same server.

    Built from nothing rather than from the test process's environment, so that no
    setting of the test run (DEBUG, DJANGO_ALLOW_ASYNC_UNSAFE, ...) leaks in.
    """
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(folder),
        "LANG": "C.UTF-8",
        "SAFERHUB_PRODUCTION": "true",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url(database),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SAFERHUB_BASE_URL": f"https://127.0.0.1:{port}",
        # collectstatic puts the files in $SAFERHUB_VAR_DIR/static; WhiteNoise serves them.
        "SAFERHUB_VAR_DIR": str(folder / "var"),
    }


def _start(name: str, command: list[str], env: dict[str, str], folder: Path) -> Process:
    log = folder / f"{name}.log"
    with log.open("wb") as output:
        popen = subprocess.Popen(  # noqa: S603
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            # A group of its own: a SIGKILL of last resort reaches gunicorn's workers too.
            start_new_session=True,
        )
    return Process(name, popen, log)


def _wait_until_healthy(production: Production) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    last_error = ""
    while time.monotonic() < deadline:
        for process in (production.web, production.worker):
            if process.popen.poll() is not None:
                _fail_to_start(production, f"{process.name} exited with {process.popen.returncode}")
        try:
            status, _, _ = production.get("/healthz")
            if status == 200:
                return
            last_error = f"/healthz answered {status}"
        except OSError as error:  # refused while gunicorn starts, or a TLS error
            last_error = str(error)
        time.sleep(0.25)
    _fail_to_start(production, f"no answer from /healthz in {START_TIMEOUT} s ({last_error})")


def _fail_to_start(production: Production, reason: str) -> None:
    logs = "\n".join(
        f"--- {process.name} ---\n{process.output()[-4000:]}"
        for process in (production.web, production.worker)
    )
    pytest.fail(f"The production configuration did not start: {reason}\n{logs}", pytrace=False)


@contextmanager
def running(folder: Path) -> Iterator[Production]:
    """gunicorn (2 workers, TLS) and `saferhub db_worker`, as deploy/ starts them; both
    stopped on leaving, whatever happened."""
    certificate, key = make_certificate(folder)
    port = free_port()
    env = environment(folder, port)
    collected = subprocess.run(
        [str(BIN / "saferhub"), "collectstatic", "--noinput", "--verbosity", "0"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert collected.returncode == 0, f"collectstatic failed:\n{collected.stderr}"
    web = _start(
        "web",
        [
            str(BIN / "gunicorn"), "saferhub.wsgi",
            "--workers", "2",
            "--bind", f"127.0.0.1:{port}",
            "--timeout", "60",
            "--certfile", str(certificate), "--keyfile", str(key),
            # No control socket in $HOME: two gunicorns on one machine would share it.
            "--no-control-socket",
        ],
        env,
        folder,
    )  # fmt: skip
    worker = None
    try:
        worker = _start("worker", [str(BIN / "saferhub"), "db_worker", "--no-reload"], env, folder)
        production = Production(f"https://127.0.0.1:{port}", certificate, web, worker)
        _wait_until_healthy(production)
        yield production
    finally:
        for process in (web, worker):
            if process is not None:
                process.stop()
