"""Security headers and cookies (issue #6)."""

import os
import subprocess
import sys

from tests.test_settings import STRONG_KEY


def test_every_page_carries_the_content_security_policy(client, db):
    policy = client.get("/sign-in/")["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy


def test_signed_in_pages_are_never_stored(client, world):
    client.force_login(world.police_officer)
    response = client.get("/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_responses_to_visitors_keep_their_own_caching(rf):
    # The sign-in page happens to be never_cache already; the middleware adds nothing
    # for a visitor who has not signed in.
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from saferhub.security.middleware import NoStoreForSignedInUsersMiddleware

    request = rf.get("/")
    request.user = AnonymousUser()
    response = NoStoreForSignedInUsersMiddleware(lambda r: HttpResponse("public"))(request)
    assert not response.has_header("Cache-Control") and not response.has_header("Pragma")


def test_the_csrf_cookie_is_http_only_and_strict(client, db):
    cookie = client.get("/sign-in/").cookies["csrftoken"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        # (the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is no part of a deployment)
        if k
        not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        SAFERHUB_VAR_DIR=str(tmp_path),
        SAFERHUB_PRODUCTION="true",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="csp.example",
        DATABASE_URL="postgres://u@localhost/db",
    )
    result = subprocess.run(
        [sys.executable, "-m", "saferhub.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_cookies_are_secure_and_host_prefixed(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update(
        SAFERHUB_VAR_DIR=str(tmp_path),
        SAFERHUB_PRODUCTION="true",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="csp.example",
        DATABASE_URL="postgres://u@localhost/db",
    )
    code = (
        "import saferhub.settings as s; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.stdout.split() == [
        "__Host-saferhub_session",
        "__Host-saferhub_csrf",
        "True",
        "True",
        "True",
    ], result.stderr
