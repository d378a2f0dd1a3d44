import pytest
from django.db.backends.base.operations import BaseDatabaseOperations
from django.test import Client

from saferhub.audit.append_only import maintenance
from saferhub.safeguarding import case_access
from tests import mfa
from tests.strategy.plan import Plan, build_plan
from tests.world import World, build_world

# The browser, its pages and axe, shared by every directory's browser tests (one session).
pytest_plugins = ["tests.browser.fixtures"]


@pytest.fixture(autouse=True)
def _case_access_stays_in_step_with_its_sources(request):
    """After every test that used the database, each agency's part in each case
    (safeguarding.CaseAccess, which the scope rules read) is exactly what the referrals,
    meeting invitations and safety-plan actions say: a service that changed a source and
    forgot case_access.refresh() fails here, whichever test exercised it."""
    used = [name for name in ("transactional_db", "db") if name in request.fixturenames]
    if not used:
        yield
        return
    request.getfixturevalue(used[0])  # set up first, so still there when this checks
    yield
    missing, extra = case_access.mismatches()
    assert not missing, f"agencies missing their part in cases (agency, case): {missing}"
    assert not extra, f"agencies left with a part they no longer have (agency, case): {extra}"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; the tests sign in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _flush_may_empty_the_audit_log():
    """Between transactional tests Django empties every table; the audit log's
    append-only triggers refuse that unless the connection is in maintenance."""
    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with maintenance(self.connection.alias):
            original(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    BaseDatabaseOperations.execute_sql_flush = original


@pytest.fixture(autouse=True, scope="session")
def _force_login_signs_in_with_both_steps():
    """client.force_login(user) signs in as a user does, with the password and then a code
    from their authenticator app (set up for them if need be), so that every page's test
    reaches its page. Tests of the second step itself use mfa.force_login_password_only."""

    def force_login(self, user, backend=None):
        mfa.force_login_password_only(self, user, backend)
        mfa.pass_second_step(self, user)

    Client.force_login = force_login
    yield
    Client.force_login = mfa.force_login_password_only


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def plan(world) -> Plan:
    """A small strategy on top of the world (tests/strategy/plan.py)."""
    return build_plan(world)
