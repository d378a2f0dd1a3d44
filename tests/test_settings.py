"""Settings come from the environment and fail loudly on a bad value."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from saferhub.env import env_bool, env_int, env_list

STRONG_KEY = "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz"


def _load_settings(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
    }
    clean.update(SAFERHUB_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import saferhub.settings as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_env_bool_rejects_a_word_it_does_not_know(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG")
    monkeypatch.setenv("DEBUG", "True")
    assert env_bool("DEBUG") is True


def test_env_int_and_list(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
        env_int("EMAIL_PORT", 25)
    monkeypatch.setenv("ALLOWED_HOSTS", " a.example , b.example ,")
    assert env_list("ALLOWED_HOSTS", []) == ["a.example", "b.example"]


def test_the_demo_defaults_to_sqlite_and_keeps_its_own_secret_key(tmp_path):
    result = _load_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "sqlite3" in result.stdout
    assert len((tmp_path / "secret_key").read_text()) > 50


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert connection.settings_dict["OPTIONS"]["timeout"] == 20
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        # An in-memory test database cannot use WAL; the init command still ran.
        assert cursor.fetchone()[0] in {"wal", "memory"}


@pytest.mark.parametrize(
    "env, message",
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "django-insecure-" + "x" * 50}, "SECRET_KEY"),
        ({"SECRET_KEY": STRONG_KEY}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "csp.example"}, "DATABASE_URL"),
        (
            {
                "SECRET_KEY": STRONG_KEY,
                "ALLOWED_HOSTS": "csp.example",
                "DEBUG": "true",
                "DATABASE_URL": "postgres://u@localhost/db",
            },
            "DEBUG",
        ),
    ],
)
def test_production_refuses_to_start_without_its_settings(tmp_path, env, message):
    result = _load_settings(tmp_path, SAFERHUB_PRODUCTION="true", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_production_starts_with_real_settings(tmp_path):
    result = _load_settings(
        tmp_path,
        SAFERHUB_PRODUCTION="true",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="csp.example",
        DATABASE_URL="postgres://u@localhost/db",
    )
    assert result.returncode == 0, result.stderr
    assert "postgresql" in result.stdout


def test_a_malformed_database_url_is_named(tmp_path):
    result = _load_settings(tmp_path, DATABASE_URL="mysql://u@localhost/db")
    assert result.returncode != 0 and "DATABASE_URL" in result.stderr


def test_the_saferhub_command_reports_a_bad_setting_in_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SAFERHUB_VAR_DIR=str(tmp_path), DEBUG="perhaps")
    result = subprocess.run(
        [sys.executable, "-m", "saferhub.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr.strip() == "saferhub: DEBUG='perhaps' is not a boolean: use true or false."
