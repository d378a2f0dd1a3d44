"""The simulated users of the load test (locust), started by bench/load/run.py.

Each signs in as a real user of the generated partnership, as a person would: the sign-in
page's form with its CSRF token and the password, then, where signing in asks for it, a
code computed from the user's authenticator key (django_otp.oath.totp, as the app on their
phone would). Then, with a pause to read between pages, each does what their role does:

- police officers: the case list, case pages, the person search at intake, and DASH
  referrals (the form, then sending it);
- IDVAs and agency representatives: case lists and pages, their agency's safety-plan
  actions, and updates to them;
- MARAC coordinators: case lists and pages, meetings, person searches (reads only);
- agency leads: the dashboards, and their agency's partner return (a draft saved);
- dashboard readers (the analyst, the board member, leads who owe no return): the
  dashboards (reads only).

Every request is named "read: ...", "write: ..." or "sign-in: ..."; run.py reports reads
and writes against their targets. Only the POST that changes something is a write; the
form it comes from is a read. Any answer but the expected one is a failure (an error).

Configured by environment variables: LOAD_PLAN (the plan prepare.py wrote), LOAD_CA (the
server's certificate), LOAD_THINK ("2,6": seconds between pages) and LOAD_SAMPLES (where
each request's kind, time and outcome are written at the end).
"""

import html
import itertools
import json
import os
import random
import re
import time

import gevent
from django_otp.oath import TOTP
from locust import HttpUser, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
THINK = tuple(float(part) for part in os.environ.get("LOAD_THINK", "2,6").split(","))
SAMPLES: list[tuple[str, float, bool]] = []  # (request name, milliseconds, succeeded)

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
CASE = re.compile(r'href="/safeguarding/referrals/(\d+)/"')
ACTION = re.compile(r'href="/safeguarding/actions/(\d+)/"')
FIGURE = re.compile(r'name="(value_\d+_\d+)"(?: value="([^"]*)")?')
COMMENT = re.compile(r'<textarea name="(comment_\d+_\d+)"[^>]*>(.*?)</textarea>', re.S)
ERRORS = re.compile(r'class="govuk-error-summary__list">(.*?)</ul>', re.S)
TAGS = re.compile(r"<[^>]+>")

# New victims' names: invented, and unlike the generated data set's.
GIVEN = ["Amira", "Bethany", "Chloe", "Danielle", "Eilidh", "Fatima", "Grace", "Imogen"]
FAMILY = ["Ashworth", "Bramley", "Cawood", "Dewhirst", "Eccleshill", "Farsley", "Garforth"]


@events.request.add_listener
def _sample(request_type, name, response_time, response_length, exception, **kwargs):
    SAMPLES.append((name, response_time, exception is None))


@events.user_error.add_listener
def _error(user_instance, exception, tb, **kwargs):
    SAMPLES.append(("exception", 0.0, False))
    print(f"error in {type(user_instance).__name__}: {exception!r}", flush=True)


@events.quitting.add_listener
def _write_samples(environment, **kwargs):
    path = os.environ.get("LOAD_SAMPLES")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(SAMPLES, out)


class Accounts:
    """Each kind of user's accounts, handed out in turn; and the last time step each
    account's code was used, since a code is accepted once only."""

    def __init__(self) -> None:
        self.pools = {kind: itertools.cycle(names) for kind, names in PLAN["users"].items()}
        self.last_step: dict[str, int] = {}

    def take(self, kind: str) -> str:
        return next(self.pools[kind])

    def code(self, username: str) -> str:
        settings = PLAN["codes"][username]
        totp = TOTP(
            bytes.fromhex(settings["key"]),
            settings["step"],
            settings["t0"],
            settings["digits"],
            settings["drift"],
        )
        # Another simulated user signed in as this account in this time step: wait for
        # the next code, as a person would.
        while totp.t() <= self.last_step.get(username, -1):
            gevent.sleep(1)
        self.last_step[username] = totp.t()
        return f"{totp.token():0{settings['digits']}d}"


ACCOUNTS = Accounts()


def _problem(response) -> str:
    """What went wrong, briefly: the error summary of a form, or the status."""
    found = ERRORS.search(response.text or "")
    if found:
        return "form errors: " + " ".join(TAGS.sub(" ", found.group(1)).split())[:300]
    where = response.headers.get("Location", "")
    return f"HTTP {response.status_code}" + (f" to {where}" if where else "")


class SaferhubUser(HttpUser):
    abstract = True
    kind = ""

    def wait_time(self) -> float:
        return random.uniform(*THINK)  # noqa: S311 (timing, not secrets)

    # -- signing in --

    def on_start(self) -> None:
        self.client.verify = os.environ["LOAD_CA"]
        self.username = ACCOUNTS.take(self.kind)
        self.cases: list[str] = []
        self.actions: list[str] = []
        self.sign_in()

    def sign_in(self) -> None:
        page = self.client.get("/sign-in/", name="sign-in: page")
        answer = self.post(
            "sign-in: password",
            "/sign-in/",
            {
                "csrfmiddlewaretoken": self.token(page),
                "username": self.username,
                "password": PLAN["password"],
                "next": "",
            },
        )
        if answer.status_code != 302:
            raise RuntimeError(f"{self.username}: the password was refused ({_problem(answer)})")
        where = answer.headers["Location"]
        if where.startswith("/sign-in/authenticator/"):
            raise RuntimeError(f"{self.username} has no authenticator: prepare.py makes one")
        if where.startswith("/sign-in/code/"):
            form = self.client.get(where, name="sign-in: code page")
            answer = self.post(
                "sign-in: code",
                where,
                {
                    "csrfmiddlewaretoken": self.token(form),
                    "code": ACCOUNTS.code(self.username),
                    "next": "/",
                },
            )
            if answer.status_code != 302 or answer.headers["Location"].startswith("/sign-in/"):
                raise RuntimeError(f"{self.username}: the code was refused ({_problem(answer)})")

    # -- requests --

    def token(self, response) -> str:
        found = CSRF.search(response.text or "")
        if not found:
            raise RuntimeError(f"no CSRF token on {response.url}")
        return found.group(1)

    def post(self, name: str, path: str, data: dict):
        """A form sent as a browser sends it: Origin and Referer name this site."""
        return self.client.post(
            path,
            data=data,
            name=name,
            allow_redirects=False,
            headers={"Origin": self.host, "Referer": self.host + path},
        )

    def read(self, name: str, path: str, params: dict | None = None):
        with self.client.get(
            path, params=params, name=f"read: {name}", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 200:
                response.success()
            else:
                response.failure(_problem(response))
            return response

    def write(self, name: str, path: str, data: dict, accepted=None):
        """POST a form; a redirect (the form was taken) is success, and so is an answer
        that `accepted` recognises (e.g. someone else saved first: told, not an error)."""
        with self.client.post(
            path,
            data=data,
            name=f"write: {name}",
            allow_redirects=False,
            headers={"Origin": self.host, "Referer": self.host + path},
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            taken = response.status_code == 302 and not location.startswith("/sign-in/")
            told = response.status_code == 200 and accepted and accepted(response.text)
            if taken or told:
                response.success()
            else:
                response.failure(_problem(response))
            return response

    def pause(self) -> None:
        """Filling a form in takes as long as reading a page, at least."""
        gevent.sleep(self.wait_time())

    # -- what several roles do --

    def home(self) -> None:
        self.read("home page", "/")

    def case_list(self, status: str = "") -> None:
        params = {"status": status} if status else None
        response = self.read("case list", "/safeguarding/referrals/", params)
        if response.status_code == 200:
            self.cases = CASE.findall(response.text) or self.cases

    def case_page(self) -> None:
        if not self.cases:
            self.case_list()
        if self.cases:
            self.read("case page", f"/safeguarding/referrals/{random.choice(self.cases)}/")  # noqa: S311

    def person_search(self) -> None:
        """What the referral form asks as the referrer types: sometimes exactly someone
        known, sometimes with a letter missing or no date of birth."""
        given, family, born, postcode = random.choice(PLAN["people"])  # noqa: S311
        variation = random.randrange(4)  # noqa: S311
        if variation == 1 and len(family) > 3:
            cut = random.randrange(1, len(family) - 1)  # noqa: S311
            family = family[:cut] + family[cut + 1 :]
        elif variation == 2:
            born = ""
        elif variation == 3:
            given, family = given.lower(), family.lower()
        self.read(
            "person search",
            "/safeguarding/people/similar/",
            {
                "given_name": given,
                "family_name": family,
                "date_of_birth": born,
                "postcode": postcode,
            },
        )

    def action_list(self) -> None:
        response = self.read("safety-plan actions", "/safeguarding/actions/")
        if response.status_code == 200:
            self.actions = ACTION.findall(response.text) or self.actions

    def update_action(self) -> None:
        if not self.actions:
            self.action_list()
        if not self.actions:
            return
        path = f"/safeguarding/actions/{random.choice(self.actions)}/"  # noqa: S311
        page = self.read("safety-plan action", path)
        version = VERSION.search(page.text or "")
        if page.status_code != 200 or not version:
            return  # completed meanwhile, or no form for this user: nothing to update
        self.pause()
        self.write(
            "safety-action update",
            path,
            {
                "csrfmiddlewaretoken": self.token(page),
                "version": version.group(1),
                "update": f"Spoke to the victim on {time.strftime('%d %B')}; plan in place.",
            },
            accepted=lambda text: "Someone else updated this action" in text,
        )

    def dashboards(self, weights=(3, 3, 2)) -> None:
        strategy = PLAN["strategy"]
        slug = strategy["slug"]
        page = random.choices(["overview", "priority", "measure"], weights)[0]  # noqa: S311
        if page == "overview":
            self.read("dashboard: overview", f"/strategy/{slug}/")
        elif page == "priority":
            number = random.choice(strategy["priorities"])  # noqa: S311
            self.read("dashboard: priority", f"/strategy/{slug}/priorities/{number}/")
        else:
            code = random.choice(strategy["measures"])  # noqa: S311
            self.read("dashboard: measure", f"/strategy/{slug}/measures/{code}/")


class PoliceOfficer(SaferhubUser):
    kind = "police_officer"
    weight = 15

    @task(2)
    def _home(self):
        self.home()

    @task(2)
    def _cases(self):
        self.case_list()

    @task(4)
    def _case(self):
        self.case_page()

    @task(3)
    def _search(self):
        self.person_search()

    @task(8)
    def refer(self):
        form = self.read("referral form", "/safeguarding/referrals/new/")
        if form.status_code != 200:
            return
        self.pause()
        self.write("DASH referral", "/safeguarding/referrals/new/", self.referral(form))

    def referral(self, form) -> dict[str, str]:
        """A complete referral of a new victim: the DASH checklist with 14 to 20 yes."""
        yes = random.randint(14, 20)  # noqa: S311
        born = (
            f"{random.randint(1, 28):02d}/{random.randint(1, 12):02d}/{random.randint(1960, 2004)}"  # noqa: S311, E501
        )
        data = {
            "csrfmiddlewaretoken": self.token(form),
            "given_name": random.choice(GIVEN),  # noqa: S311
            "family_name": random.choice(FAMILY),  # noqa: S311
            "date_of_birth": born,
            "postcode": f"LS{random.randint(1, 28)} {random.randint(1, 9)}AB",  # noqa: S311
            "gender": "female",
            "ethnicity": "white_british",
            "lgbt": "no",
            "disabled": "not_known",
            "current_address": "Flat 2, 10 Safe Street, Leeds",
            "p1_given_name": "Mark",
            "p1_family_name": random.choice(FAMILY),  # noqa: S311
            "p1_date_of_birth": "",
            "p1_gender": "male",
            "children_in_household": str(random.randint(0, 3)),  # noqa: S311
            "police_incidents": str(random.randint(0, 4)),  # noqa: S311
            "victim_informed": "yes",
            "victim_consented": "yes",
            "dash_source": "victim",
            "professional_judgement": "no",
        }
        for number in range(1, 25):
            data[f"q{number}"] = "yes" if number <= yes else "no"
        return data


class CaseWorker(SaferhubUser):
    abstract = True

    @task(2)
    def _home(self):
        self.home()

    @task(2)
    def _cases(self):
        self.case_list()

    @task(4)
    def _case(self):
        self.case_page()

    @task(2)
    def _actions(self):
        self.action_list()

    @task(7)
    def _update(self):
        self.update_action()


class Idva(CaseWorker):
    kind = "idva"
    weight = 10


class AgencyRep(CaseWorker):
    kind = "agency_rep"
    weight = 8


class Coordinator(SaferhubUser):
    kind = "coordinator"
    weight = 4

    @task(2)
    def _home(self):
        self.home()

    @task(2)
    def _cases(self):
        self.case_list()

    @task(1)
    def _waiting(self):
        self.case_list("referred")

    @task(4)
    def _case(self):
        self.case_page()

    @task(1)
    def _meetings(self):
        self.read("meetings", "/safeguarding/meetings/")

    @task(2)
    def _search(self):
        self.person_search()


class AgencyLead(SaferhubUser):
    kind = "agency_lead"
    weight = 5

    @task(2)
    def _home(self):
        self.home()

    @task(5)
    def _dashboards(self):
        self.dashboards()

    @task(1)
    def _returns(self):
        self.read("returns", f"/strategy/{PLAN['strategy']['slug']}/returns/")

    @task(5)
    def save_return(self):
        quarter = random.choice(PLAN["returns"][self.username])  # noqa: S311
        path = f"/strategy/{PLAN['strategy']['slug']}/returns/{quarter}/"
        page = self.read("partner return", path)
        version = VERSION.search(page.text or "")
        if page.status_code != 200 or not version:
            return
        data = {"csrfmiddlewaretoken": self.token(page), "version": version.group(1)}
        figures = FIGURE.findall(page.text)
        for name, value in figures:
            data[name] = html.unescape(value)
        for name, text in COMMENT.findall(page.text):
            data[name] = html.unescape(text).strip()
        if figures:  # one figure revised: a whole number is right for every unit
            data[random.choice(figures)[0]] = str(random.randint(0, 100))  # noqa: S311
        self.pause()
        self.write("partner return", path, data)


class DashboardReader(SaferhubUser):
    kind = "dashboard_reader"
    weight = 8

    @task(1)
    def _home(self):
        self.home()

    @task(8)
    def _dashboards(self):
        self.dashboards()
