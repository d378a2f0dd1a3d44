"""Request ids, one JSON line per request, and no personal data in the logs."""

import io
import json
import logging
import os
import subprocess
import sys
from contextlib import contextmanager

import pytest
from django.contrib.auth.decorators import login_not_required
from django.test import Client
from django.urls import path

import saferhub.urls
from saferhub.ops.logs import JsonFormatter, RequestIdFilter


class Captured:
    def __init__(self) -> None:
        self.stream = io.StringIO()

    @property
    def raw(self) -> str:
        return self.stream.getvalue()

    @property
    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.raw.splitlines()]


@contextmanager
def captured(logger_name: str):
    """What `logger_name` writes through saferhub's filter and JSON formatter."""
    capture = Captured()
    handler = logging.StreamHandler(capture.stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(logger_name)
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield capture
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def test_an_incoming_request_id_is_kept_and_returned(client, db):
    response = client.get("/healthz", headers={"X-Request-ID": "3f2a9c1e0b7d4e55"})
    assert response["X-Request-ID"] == "3f2a9c1e0b7d4e55"


@pytest.mark.parametrize("offered", [None, "", "short", "a b c d e f g h", "x" * 65, "<script>"])
def test_a_missing_or_unsafe_request_id_is_replaced(client, db, offered):
    headers = {} if offered is None else {"X-Request-ID": offered}
    response = client.get("/healthz", headers=headers)
    generated = response["X-Request-ID"]
    assert generated != offered
    assert len(generated) == 32 and int(generated, 16) >= 0


def test_each_request_gets_its_own_id(client, db):
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


def test_a_request_line_leaves_out_the_query_string(client, world):
    client.force_login(world.analyst)
    with captured("saferhub.request") as capture:
        response = client.get("/?q=Jane+Smith")
    assert "Jane" not in capture.raw
    (line,) = capture.lines
    assert line["path"] == "/" and line["method"] == "GET"
    assert line["status"] == response.status_code
    assert line["request_id"] == response["X-Request-ID"]
    assert isinstance(line["duration_ms"], float)
    assert line["logger"] == "saferhub.request" and line["level"] == "INFO"


def test_a_request_line_names_the_user_by_id_only(client, world):
    user = world.analyst
    client.force_login(user)
    with captured("saferhub.request") as capture:
        client.get("/")
    (line,) = capture.lines
    assert line["user_id"] == user.pk
    assert user.username not in capture.raw
    with captured("saferhub.request") as capture:
        Client().get("/")  # not signed in: no user id
    assert "user_id" not in capture.lines[0]


def test_the_json_formatter_writes_one_object_with_the_fields():
    record = logging.LogRecord("saferhub.x", logging.WARNING, __file__, 1, "%s done", ("it",), None)
    record.status = 200
    record.request = object()  # Django attaches the request: it must not be written
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert set(line) == {"time", "level", "logger", "message", "request_id", "status"}
    assert line["message"] == "it done" and line["level"] == "WARNING"
    assert line["time"].endswith("+00:00") and line["request_id"] == "-"


@login_not_required
def _failing_view(request):
    raise ValueError("the report could not be built")


class _UrlsWithAFailure:
    urlpatterns = [*saferhub.urls.urlpatterns, path("failing/", _failing_view)]


def test_a_server_error_is_logged_with_its_traceback_but_not_the_form(db, settings):
    settings.ROOT_URLCONF = _UrlsWithAFailure
    client = Client(raise_request_exception=False)
    with captured("django.request") as capture:
        response = client.post("/failing/?q=Jane", {"name": "Jane Smith", "dob": "1980-01-01"})
    assert response.status_code == 500
    assert "Jane" not in capture.raw and "1980" not in capture.raw
    (line,) = capture.lines
    assert line["message"] == "Internal Server Error: /failing/"
    assert line["status"] == 500 and line["method"] == "POST"
    assert line["request_id"] == response["X-Request-ID"]
    assert "ValueError: the report could not be built" in line["exception"]


def _run_with_settings(tmp_path, code: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LOG_FORMAT"}}
    clean.update(SAFERHUB_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="saferhub.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_djangos_own_lines_are_json_when_log_format_is_json(tmp_path):
    result = _run_with_settings(
        tmp_path,
        "import logging; logging.getLogger('django.request').warning('Not Found: /x')",
        LOG_FORMAT="json",
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["logger"] == "django.request" and line["message"] == "Not Found: /x"


def test_the_demo_logs_readable_text_and_a_bad_log_format_is_named(tmp_path):
    result = _run_with_settings(
        tmp_path, "import logging; logging.getLogger('saferhub').warning('hello')"
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("WARNING saferhub [-] hello")
    result = _run_with_settings(tmp_path, "pass", LOG_FORMAT="xml")
    assert result.returncode != 0 and "LOG_FORMAT" in result.stderr


def test_djangos_not_found_line_carries_the_request_id_but_not_the_query(client, db):
    with captured("django.request") as capture:
        response = client.get("/nowhere/?q=Jane+Smith")
    assert response.status_code == 404
    assert "Jane" not in capture.raw
    (line,) = capture.lines
    assert line["message"] == "Not Found: /nowhere/" and line["status"] == 404
    assert line["request_id"] == response["X-Request-ID"]
