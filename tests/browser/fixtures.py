"""Browser tests' fixtures and helpers: Playwright driving Debian's Chromium (never a
downloaded browser). A plugin of the root conftest (pytest_plugins), so that every test
directory shares the one session browser: two sync Playwright sessions in one thread fail."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from saferhub.partnership.models import User
from tests import mfa
from tests.world import PASSWORD

CHROMIUM = Path(os.environ.get("SAFERHUB_CHROMIUM", "/usr/lib/chromium/chromium"))
# Chromium's background services try to reach Google; this machine's network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it.")
    # Playwright's sync API runs an event loop in this thread; the Django ORM calls
    # the tests make between page actions are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = watch_for_problems(page)
    yield page
    context.close()
    assert not problems, problems


def watch_for_problems(page) -> list[str]:
    """The page's script errors, CSP violations and broken static files, as they happen."""
    # A page whose stylesheet or script failed to load would pass axe's checks
    # on unstyled HTML: any broken asset or script error fails the test.
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    # A Content Security Policy violation would silently drop a script or style.
    page.on(
        "console",
        lambda message: (
            problems.append(f"CSP violation: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}")
            if "/static/" in response.url and response.status >= 400
            else None
        ),
    )
    return problems


_axe = Axe()


def assert_accessible(page) -> None:
    """axe-core finds no serious or critical WCAG violation on the page as it stands."""
    results = _axe.run(page)
    blocking = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, f"{page.url}:\n" + "\n".join(blocking)


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    """Sign in as a user does: the password, then the code their authenticator app shows
    (an app set up for them beforehand, if they have none). A wrong password stops at the
    first step, with its message on the page."""
    user = User.objects.filter(username=username).first()
    device = mfa.authenticator(user) if user is not None else None
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if device is not None and "/sign-in/code/" in page.url:
        page.get_by_label("Code", exact=True).fill(mfa.code(device))
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
