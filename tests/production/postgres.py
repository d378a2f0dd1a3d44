"""PostgreSQL for the production tests: the skip on SQLite, the test database's URL for
other processes, and PostgreSQL's client programs."""

import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

requires_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="production runs on PostgreSQL: run under scripts/with-throwaway-postgres",
)


def database_url(name: str | None = None) -> str:
    """A DATABASE_URL for another process: pytest-django's test database, or the database
    `name` on the same server. Call it once the test database exists."""
    settings = connection.settings_dict
    user = quote(settings["USER"] or "", safe="")
    password = ":" + quote(settings["PASSWORD"], safe="") if settings["PASSWORD"] else ""
    credentials = f"{user}{password}@" if user else ""
    host = quote(settings["HOST"] or "", safe="")  # a socket folder is written %2F...
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{credentials}{host}{port}/{quote(name or settings['NAME'], safe='')}"


def program(name: str) -> str:
    """pg_dump, pg_restore, ...: found the way scripts/with-throwaway-postgres finds the
    server, so the client is the same version as the throwaway server (never older)."""
    folders = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        bindir = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, check=False
        ).stdout.strip()
        folders.append(Path(bindir))
    installed = Path("/usr/lib/postgresql").glob("*/bin")
    folders += sorted(installed, key=lambda path: _version(path.parent.name), reverse=True)
    for folder in folders:
        if (folder / name).is_file():
            return str(folder / name)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} not found: install Debian's postgresql package (make install-test).")
    return found


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdigit())
