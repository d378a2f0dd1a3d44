"""The production configuration, as real processes: gunicorn with 2 workers serving TLS,
the task worker, PostgreSQL, DEBUG off and a real secret key (server.py). A police officer
refers a victim through it in Chromium; then what production promises is checked from the
outside: health checks, security headers, __Host- cookies, cached static files, and JSON
log lines without the victim's name."""

import json
import re
import time
from datetime import date

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from playwright.sync_api import expect

from saferhub.reports import generation
from saferhub.reports.models import GeneratedReport
from tests.browser.fixtures import assert_accessible, sign_in, watch_for_problems
from tests.browser.referral_steps import fill_referral_form
from tests.production.postgres import requires_postgresql
from tests.strategy.plan import build_plan
from tests.world import PASSWORD

pytestmark = requires_postgresql

# Names that cannot turn up in a log line by chance.
VICTIM = ("Philippa", "Quennell-Ashdown")
PERPETRATOR = ("Barnaby", "Fothergill-Stroud")
NAMES = [*VICTIM, *PERPETRATOR]
ONE_YEAR = 365 * 24 * 60 * 60
# gunicorn's own start-up and shutdown lines are plain text (docs/deploy.md, Logs).
GUNICORN_LINE = re.compile(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\] \[\d+\] \[[A-Z]+\] ")


def production_password(user) -> None:
    """The test suite hashes passwords with MD5 for speed; production accepts only Argon2
    and PBKDF2, so a user who signs in to the servers needs a real hash."""
    user.password = make_password(PASSWORD, hasher=Argon2PasswordHasher())
    user.save(update_fields=["password"])


def log_lines(process) -> list[str]:
    return [line for line in process.output().splitlines() if line.strip()]


def json_lines(process) -> list[dict]:
    return [json.loads(line) for line in log_lines(process) if line.startswith("{")]


@pytest.mark.browser
def test_a_referral_through_the_production_configuration(
    production, browser, transactional_db, world
):
    production_password(world.police_officer)
    context = browser.new_context(base_url=production.url, ignore_https_errors=True)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        problems = watch_for_problems(page)

        sign_in(page, "owen_officer")
        page.get_by_role("link", name="Safeguarding").first.click()
        page.get_by_role("link", name="Refer a victim").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Refer a victim")
        # Typing the name asks for people already known: the name goes into a URL.
        page.get_by_label("Given name", exact=True).press_sequentially(VICTIM[0])
        page.get_by_label("Family name", exact=True).press_sequentially(VICTIM[1])
        expect(page.get_by_text("No one you can see matches these details yet.")).to_be_visible()
        fill_referral_form(page, victim=VICTIM, perpetrator=PERPETRATOR, yes=16)
        page.get_by_role("button", name="Send referral").click()

        expect(page).to_have_url(re.compile(r"/safeguarding/referrals/\d+/confirmation/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Referral sent to MARAC")
        expect(page.get_by_text("16 of 24")).to_be_visible()
        assert_accessible(page)

        # The signed-in page's headers, as the browser received them.
        headers = page.reload().all_headers()
        assert headers["strict-transport-security"] == (
            f"max-age={ONE_YEAR}; includeSubDomains; preload"
        )
        policy = headers["content-security-policy"]
        for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'"):
            assert directive in policy
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"
        assert "no-store" in headers["cache-control"]
        assert re.fullmatch(r"[0-9a-f]{32}", headers["x-request-id"])

        cookies = {cookie["name"]: cookie for cookie in context.cookies()}
        assert set(cookies) == {"__Host-saferhub_session", "__Host-saferhub_csrf"}
        for cookie in cookies.values():
            assert cookie["secure"] and cookie["httpOnly"] and cookie["path"] == "/", cookie

        # collectstatic's content-hashed files, cached for good by browsers and proxies.
        stylesheet = page.locator("link[rel=stylesheet]").first.get_attribute("href")
        assert re.fullmatch(r"/static/.+\.[0-9a-f]{12}\.css", stylesheet), stylesheet
        asset = context.request.get(stylesheet)
        assert asset.ok
        max_age = re.search(r"max-age=(\d+)", asset.headers["cache-control"])
        assert max_age and int(max_age.group(1)) >= ONE_YEAR, asset.headers["cache-control"]
        assert "immutable" in asset.headers["cache-control"]

        # Behind the proxy, a request it marks as plain HTTP is sent to HTTPS.
        plain = context.request.get(
            "/sign-in/", headers={"X-Forwarded-Proto": "http"}, max_redirects=0
        )
        assert plain.status == 301
        assert plain.headers["location"] == f"{production.url}/sign-in/"
        assert not problems, problems
    finally:
        context.close()

    # One JSON line per request, with its id and the user's id; never a name, though the
    # names were typed into the form and sent (the person search asks as you type).
    lines = log_lines(production.web)
    for line in lines:
        assert line.startswith("{") or GUNICORN_LINE.match(line), line
    requests = [line for line in json_lines(production.web) if line["logger"] == "saferhub.request"]
    sent = [
        line
        for line in requests
        if line["method"] == "POST" and line["path"] == "/safeguarding/referrals/new/"
    ]
    assert [line["status"] for line in sent] == [302], requests
    assert sent[0]["user_id"] == world.police_officer.pk and sent[0]["request_id"]
    assert any(line["path"] == "/safeguarding/people/similar/" for line in requests)
    # Health checks polled at start-up are DEBUG lines: not in an INFO log.
    assert not [line for line in requests if line["path"] in {"/healthz", "/readyz"}]
    output = production.web.output().lower()
    assert not [name for name in NAMES if name.lower() in output]


def test_health_checks_and_the_worker(production, transactional_db, world):
    for path in ("/healthz", "/readyz"):
        status, headers, body = production.get(path)
        assert status == 200, body
        assert headers["Content-Type"] == "application/json"
        assert headers["Cache-Control"] == "no-store"
        assert json.loads(body) == {"status": "ok"}

    # A report queued as the web page queues it; the worker process makes it.
    plan = build_plan(world)
    generated = generation.request(world.analyst, plan.strategy, date(2024, 3, 31), "html")
    deadline = time.monotonic() + 60
    while not generated.is_finished and time.monotonic() < deadline:
        time.sleep(0.25)
        generated.refresh_from_db()
    assert generated.status == GeneratedReport.Status.DONE, (
        generated.error or generated.stage,
        production.worker.output()[-4000:],
    )
    status, _, body = production.get("/readyz")
    assert status == 200, body

    lines = log_lines(production.worker)
    assert all(line.startswith("{") for line in lines), lines
    messages = [line["message"] for line in json_lines(production.worker)]
    assert any(message.startswith("Starting worker") for message in messages), messages
    assert any(
        "path=saferhub.reports.tasks.generate_report state=SUCCESSFUL" in message
        for message in messages
    ), messages
