"""The canary sweep, shared by the canary test (tests/security/test_canary_access.py, on the
small test world) and the access-matrix benchmark (bench/access_matrix.py, on the region
data set).

make_canary() makes a case through the real services (a referral, a meeting with research
and a discussion, a safety-plan action with an update, an IDVA assigned), each part
carrying a marker string. sweep() then requests every URL the project defines as a user of
every role but the MARAC coordinator, all in an agency with no part in the case, with the
case's ids and their neighbours, GET and the POSTs; the pages that pick a person by query
string and the searches, with the canary's details; and the case export, as CSV and XLSX.
It returns what it tried, every response (pages, fragments, downloads with their zip
members) and e-mail in which a tell-tale of a record the user may not see appears, and
every canary id that answers unlike a missing one. The caller asserts or prints; checking
that the database is unchanged is the caller's too (the test compares every row, the
benchmark checksums the tables).
"""

import html
import io
import itertools
import re
import time
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core import mail
from django.urls import reverse

from saferhub.access.roles import Role
from saferhub.partnership.models import User
from saferhub.partnership.services import assign_roles
from saferhub.safeguarding import meetings, referrals, research, safety_plans
from saferhub.safeguarding.models import Meeting, Person, SafetyActionUpdate
from tests.access.url_inventory import Route, every_route
from tests.safeguarding.cases import hold_meeting, make_referral, weekday_on_or_before

# What each marker gives away: none may appear in anything an uninvolved user receives.
MARKER_RECORDS = {
    "Zephyrine": "the canary victim (given name)",
    "Quillfeather": "the canary victim and perpetrator (family name)",
    "Canarywharf": "the canary victim's restricted address",
    "Corvidmagpie": "the canary perpetrator",
    "Nightjarnote": "the canary's research, discussion, action or update",
}
MARKERS = tuple(MARKER_RECORDS)
# A coordinator sees every case of the partnership by design (scopes.py); every other role,
# held in an agency with no part in the case, must see nothing of it.
ROLES = [role for role in Role if role != Role.MARAC_COORDINATOR]
# The CSP administrator's information-governance pages reach every person of the partnership
# by design (subject access, erasure, the audit log), each behind its own permission and,
# for subject access and erasure, a second password check: tests/governance and
# tests/audit cover them. Every other page is swept for the administrator too.
WIDE_BY_DESIGN = {
    Role.CSP_ADMIN: {
        "subject-access",
        "subject-access-person",
        "subject-access-perpetrator",
        "erase-person",
        "audit-log",
        "audit-person",
    }
}
# Routes that would end the session or belong to Django's admin, whose pages hold no case.
SKIPPED = re.compile(r"^(sign-out$|admin:)")
POSTS = ("close", "open", "confirm", "add", "research", "action", "discussion", "remove")
# Routes whose views take POSTs that act on a case: each path gets every op above too.
POSTED = ("meeting", "listed", "safety", "referral")
MISSING_ID = 987654


# -- The canary ----------------------------------------------------------------------------


def make_canary(referrer, coordinator, idva, invited, *, today: date | None = None) -> dict:
    """The canary case, through the real services: `referrer` (a police domestic abuse
    officer) refers a victim with a restricted address and a perpetrator; `coordinator`
    lists it at a monthly meeting of its own on the last free weekday to `today`, with the
    `invited` agencies (the referrer's among them), opens it and records a discussion; the
    referrer's agency writes research, owns an action agreed there and updates it; the
    coordinator assigns `idva`. Returns its records by name."""
    today = today or date.today()
    partnership = referrer.agency.partnership
    person = Person(
        partnership=partnership,
        given_name="Zephyrine",
        family_name="Quillfeather",
        date_of_birth=date(1991, 5, 6),
        postcode="LS6 2QQ",
        gender="female",
        ethnicity="not_known",
        lgbt="not_known",
        disabled="not_known",
    )
    case = make_referral(
        referrer,
        person,
        address="1 Canarywharf Close",
        perpetrator=("Corvidmagpie", "Quillfeather"),
        on=today - timedelta(days=10),
    )
    # Monthly: on a large data set every weekday has its daily meeting. On or before today:
    # a meeting opens on its day, not before.
    day = weekday_on_or_before(today)
    while Meeting.objects.filter(
        partnership=partnership, kind=Meeting.Kind.MONTHLY, held_on=day
    ).exists():
        day = weekday_on_or_before(day - timedelta(days=1))
    meeting = hold_meeting(coordinator, [case], invited, on=day, kind=Meeting.Kind.MONTHLY)
    listed = meeting.listed_cases.get()
    found = research.save(
        referrer, listed, holds_information=True, summary="Nightjarnote", version=0
    )
    meetings.record_discussion(coordinator, listed, "Nightjarnote discussed", True, 1)
    action = safety_plans.agree(
        coordinator,
        listed,
        agency=referrer.agency,
        officer=None,
        description="Nightjarnote action",
        due_on=today - timedelta(days=1),
    )
    safety_plans.update(
        referrer, action, text="Nightjarnote update", complete=False, expected_version=1
    )
    case.refresh_from_db()
    referrals.assign_idva(coordinator, case, idva, case.version)
    return {
        "referral": case,
        "person": person,
        "meeting": meeting,
        "listed": listed,
        "action": action,
        "research": found,
        "update": SafetyActionUpdate.objects.filter(action=action).latest("pk"),
    }


def make_users(agency, password: str, roles: Iterable[Role], *, prefix: str = "canary") -> dict:
    """A new user of each role in `agency`, with `password`: {role: user}."""
    users = {}
    for role in roles:
        username = f"{prefix}_{role.value}"
        number = 1
        while User.objects.filter(username=username).exists():
            number += 1
            username = f"{prefix}_{role.value}{number}"
        user = User.objects.create_user(username=username, password=password, agency=agency)
        assign_roles(user, [role])
        users[role] = user
    return users


# -- Tell-tales: what would give a record away -----------------------------------------------

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class TellTale:
    """Text that gives `record` away. Exact (the markers): the text anywhere, as it is.
    Otherwise (a name, an address, a case reference): its words in order, any case,
    separated by up to three other characters, and not inside longer words."""

    text: str
    record: str
    exact: bool = True


class TellTales:
    """A set of tell-tales, checked against a text quickly: a worded tell-tale is looked
    for only when every one of its words is among the text's."""

    def __init__(self, tell_tales: Iterable[TellTale] = ()) -> None:
        self.all = list(dict.fromkeys(tell_tales))
        self._exact = [t for t in self.all if t.exact]
        self._worded = []
        for tell_tale in self.all:
            if tell_tale.exact:
                continue
            words = _WORD.findall(tell_tale.text.casefold())
            pattern = re.compile(
                r"(?<!\w)" + r"\W{1,3}".join(re.escape(w) for w in words) + r"(?!\w)"
            )
            self._worded.append((tell_tale, frozenset(words), pattern))

    def __add__(self, other: "TellTales") -> "TellTales":
        return TellTales(self.all + other.all)

    def __len__(self) -> int:
        return len(self.all)

    def found_in(self, text: str) -> list[TellTale]:
        found = [t for t in self._exact if t.text in text]
        if self._worded:
            folded = (html.unescape(text) if "&" in text else text).casefold()
            present = set(_WORD.findall(folded))
            found += [
                t
                for t, words, pattern in self._worded
                if words <= present and pattern.search(folded)
            ]
        return found


CANARY = TellTales(TellTale(marker, record) for marker, record in MARKER_RECORDS.items())


# -- The sweep -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Disclosure:
    role: str
    request: str
    status: int
    tell_tale: TellTale

    def __str__(self) -> str:
        return (
            f"{self.role} {self.request} {self.status}: {self.tell_tale.text!r} "
            f"({self.tell_tale.record})"
        )


@dataclass
class Sweep:
    """What a sweep tried and found."""

    routes: list[Route] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    requests: int = 0
    tried: set = field(default_factory=set)  # (role, route name) pairs requested
    disclosures: list[Disclosure] = field(default_factory=list)
    differing: list[str] = field(default_factory=list)  # canary ids not answering as missing
    mails: int = 0
    seconds: float = 0.0

    @property
    def records_disclosed(self) -> set[str]:
        return {d.tell_tale.record for d in self.disclosures}


def swept_routes() -> list[Route]:
    routes = [r for r in every_route() if r.name and not SKIPPED.match(r.name)]
    return [r for r in routes if "(?P<" not in r.pattern]


def text_of(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    parts = [body]
    if body[:2] == b"PK":  # XLSX, DOCX, a ZIP: look inside every member
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts += [archive.read(name) for name in archive.namelist()]
    return "\n".join(part.decode("utf-8", "replace") for part in parts)


def concrete(route: Route, combination: Sequence[int]) -> str:
    """The route with these ids for its <int:...> parts, in order ("police" for the rest)."""
    text = route.pattern
    for value in combination:
        text = re.sub(r"<int:\w+>", str(value), text, count=1)
    return "/" + re.sub(r"<(?:\w+:)?\w+>", "police", text)


def paths(route: Route, ids: Sequence[int]) -> list[str]:
    """The route made concrete with every combination of the candidate ids."""
    names = re.findall(r"<int:(\w+)>", route.pattern)
    if not names:
        return [route.path]
    return [concrete(route, c) for c in itertools.product(ids, repeat=len(names))]


def canary_searches(canary) -> list[tuple[str, dict]]:
    """The searches that would offer the canary to someone who may see it: the person
    search at intake and the case list's search, by name and by reference."""
    person, case = canary["person"], canary["referral"]
    return [
        (
            reverse("people-similar"),
            {
                "given_name": person.given_name,
                "family_name": person.family_name,
                "date_of_birth": f"{person.date_of_birth:%-d/%-m/%Y}",
                "postcode": person.postcode,
            },
        ),
        (reverse("referrals"), {"q": person.family_name}),
        (reverse("referrals"), {"q": case.reference}),
    ]


def sweep(
    client,
    users: Mapping[Role, User],
    canary: Mapping,
    *,
    password: str,
    sign_in: Callable | None = None,
    tell_tales: Callable[[User], TellTales] | None = None,
    neighbours: Mapping[str, Sequence[tuple[int, ...]]] | None = None,
    people: Sequence[int] = (),
    searches: Sequence[tuple[str, dict]] = (),
    missing_id: int = MISSING_ID,
    own_ids: Mapping[str, Sequence[tuple[int, ...]]] | None = None,
    progress: Callable[[Role, Sweep], None] | None = None,
) -> Sweep:
    """Request everything as each of `users` (by role), signed in by `sign_in(client,
    user)` (client.force_login by default), and look in every answer for the canary's
    markers and `tell_tales(user)`: tell-tales of other records that user may not see.

    Every route is tried with the canary's ids and the ids either side of them (every
    combination for a route with two); `neighbours` adds, by route name, more id tuples to
    try (a benchmark's real records around the canary); `people` more person ids for the
    pages that pick a person by query string; `searches` more (path, query) GETs beside
    the canary's own. `password` is the users' own, for the forms that ask for it again.

    A canary id must answer as `missing_id` does: by default the first four combinations
    of the canary's ids on every route with an id (where nothing else exists, as in the test
    world); `own_ids` gives instead, by route name, the canary's own ids for that route
    (where other records share the numbers), and no other route is compared.
    """
    sign_in = sign_in or (lambda c, user: c.force_login(user))
    neighbours = neighbours or {}
    outbox = getattr(mail, "outbox", None)
    first_mail = len(outbox) if outbox is not None else 0
    canary_ids = sorted({obj.pk for obj in canary.values()})
    ids = sorted({n for pk in canary_ids for n in (pk - 1, pk, pk + 1) if n > 0})
    person_ids = [canary["person"].pk, *people]
    everyone_searches = canary_searches(canary) + list(searches)
    wide_routes = WIDE_BY_DESIGN[Role.CSP_ADMIN]
    result = Sweep(routes=swept_routes(), roles=list(users))
    started = time.perf_counter()
    unseen_by_all: TellTales | None = None
    for role, user in users.items():
        checks = CANARY + tell_tales(user) if tell_tales else CANARY
        unseen_by_all = checks if unseen_by_all is None else _common(unseen_by_all, checks)
        sign_in(client, user)

        def look(
            response, request: str, route_name: str, typed: str = "", *, role=role, checks=checks
        ) -> None:
            """Check one answer; what the user `typed` (a search) may be shown back."""
            result.requests += 1
            result.tried.add((role.value, route_name))
            for tell_tale in checks.found_in(text_of(response)):
                if not _echoed(tell_tale, typed):
                    result.disclosures.append(
                        Disclosure(role.value, request, response.status_code, tell_tale)
                    )

        posted = {
            "version": 1,
            "summary": "x",
            "holds_information": "yes",
            "complete": "on",
            "update": "x",
            "idva": user.pk,
            "referral": canary["referral"].pk,
            "agencies": user.agency_id,
        }
        for route in result.routes:
            if route.name in WIDE_BY_DESIGN.get(role, ()):
                continue
            extra = [concrete(route, c) for c in neighbours.get(route.name, ())]
            for path in dict.fromkeys(paths(route, ids) + extra):
                look(client.get(path), f"GET {path}", route.name)
                if route.name.startswith(POSTED):
                    for op in POSTS:
                        look(
                            client.post(path, {"op": op, **posted}),
                            f"POST {path} op={op}",
                            route.name,
                        )
            # Denied and missing answer the same.
            if own_ids is not None:
                compared = [concrete(route, c) for c in own_ids.get(route.name, ())]
            elif "<int:" in route.pattern:
                compared = paths(route, canary_ids)[:4]
            else:
                compared = []
            for path in compared:
                missing = re.sub(r"/\d+/", f"/{missing_id}/", path)
                denied, absent = client.get(path).status_code, client.get(missing).status_code
                result.requests += 2
                if denied != absent:
                    result.differing.append(f"{role.value} {path} {denied}, missing {absent}")
        # Pages that pick a person by query string, tried with the canary's id (and more).
        for route in result.routes:
            if route.name not in wide_routes or "<int:" in route.pattern:
                continue
            if route.name in WIDE_BY_DESIGN.get(role, ()):
                continue
            for pk in person_ids:
                look(
                    client.get(route.path, {"person": pk}),
                    f"GET {route.path}?person={pk}",
                    route.name,
                )
                look(
                    client.post(route.path, {"person": pk, "password": password}),
                    f"POST {route.path} person={pk}",
                    route.name,
                )
        # The searches offer no one the user may not see.
        for path, query in everyone_searches:
            look(
                client.get(path, query),
                f"GET {path}?{_query(query)}",
                _name_of(path),
                " ".join(str(value) for value in query.values()),
            )
        # The case export, with the password and the addresses asked for.
        export = reverse("referral-export")
        for fmt in ("csv", "xlsx"):
            look(
                client.post(
                    export,
                    {"fmt": fmt, "status": "", "include_address": "on", "password": password},
                ),
                f"POST {export} fmt={fmt}",
                "referral-export",
            )
        if progress:
            progress(role, result)
    # E-mails: none carries a marker, and none sent during the sweep gives away a record
    # that no user swept may see.
    for number, message in enumerate(outbox or []):
        checks = CANARY if number < first_mail or unseen_by_all is None else unseen_by_all
        for tell_tale in checks.found_in(f"{message.subject}\n{message.body}"):
            result.disclosures.append(
                Disclosure("e-mail", f"to {', '.join(message.to)}: {message.subject}", 0, tell_tale)
            )
    result.mails = len(outbox or []) - first_mail
    result.seconds = time.perf_counter() - started
    return result


def _common(one: TellTales, other: TellTales) -> TellTales:
    kept = set(other.all)
    return TellTales(t for t in one.all if t in kept)


def _echoed(tell_tale: TellTale, typed: str) -> bool:
    """Whether the tell-tale is only what the user typed: a search page may show the query
    back (a leak would show the record's other tell-tales: the given name beside the
    family name searched for, the name beside the reference)."""
    if not typed:
        return False
    typed = typed.casefold()
    if tell_tale.exact:
        return tell_tale.text.casefold() in typed
    return set(_WORD.findall(tell_tale.text.casefold())) <= set(_WORD.findall(typed))


def _query(query: dict) -> str:
    return "&".join(f"{key}={value}" for key, value in query.items())


def _name_of(path: str) -> str:
    from django.urls import resolve

    return resolve(path).url_name or path
