"""Stored XSS, generated: hypothesis writes names and free text full of markup; the case page
and the meeting page always show them escaped, and the subject access PDF prints them as
the text typed (WeasyPrint runs no script, and must not take the text for markup either)."""

import itertools
from datetime import date, timedelta

from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferhub.governance.subject_access import produce_for_person
from saferhub.safeguarding import research
from tests.governance.zipped import read
from tests.safeguarding.cases import hold_meeting, make_referral, victim, weekday_on_or_before

# Markup's own characters and words, mixed with ordinary letters and non-ASCII.
PIECES = st.sampled_from(
    [
        "<",
        ">",
        '"',
        "'",
        "&",
        "/",
        "=",
        "script",
        "img",
        "onerror",
        "svg",
        "onload",
        "{{",
        "}}",
        "{%",
        "%}",
        "javascript:",
        "é",
        "ł",
        "’",
        "a",
        "b",
        " ",
    ]
)
# Examples share one database (hypothesis runs them inside one test): a new meeting day each.
_DAYS = itertools.count(1)
# Always a "<": its escaped form (&lt;) shows on the page only if the text was escaped.
MARKUP = (
    st.lists(PIECES, min_size=1, max_size=25)
    .map(lambda pieces: "<" + "".join(pieces))
    .filter(lambda text: text.strip())
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=MARKUP, summary=MARKUP)
def test_generated_markup_is_always_escaped(client, world, name, summary):
    person = victim(world, name[:90], "Gen" + name[:40], date(1990, 1, 1), "LS1 1AA")
    day = weekday_on_or_before(date.today() - timedelta(weeks=next(_DAYS)))  # one a week
    case = make_referral(world.police_officer, person, on=day)
    meeting = hold_meeting(world.coordinator, [case], [world.police, world.housing], on=day)
    listed = meeting.listed_cases.get()
    research.save(world.housing_officer, listed, holds_information=True, summary=summary, version=0)
    client.force_login(world.coordinator)
    for url, text in (
        (f"/safeguarding/referrals/{case.pk}/", person.given_name),
        (f"/safeguarding/meetings/{meeting.pk}/cases/{listed.pk}/", summary.strip()),
    ):
        page = client.get(url).content.decode()
        assert escape(text) in page, url


def test_the_subject_access_pdf_prints_markup_as_text(world):
    payload = "<b>bold</b><script>x()</script>"
    person = victim(world, payload, "Markup", date(1990, 1, 1), "LS1 1AA")
    make_referral(world.police_officer, person)
    copy = read(produce_for_person(world.admin, person).content)
    first_page = " ".join(copy.pdf_pages[0].split())
    assert "<b>bold</b><script>x()</script>" in first_page
