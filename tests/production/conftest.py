import pytest

from tests.production.server import running


@pytest.fixture(scope="module")
def production(django_db_setup, tmp_path_factory):
    """saferhub's production configuration, running on the test database (server.py).

    One per module: the tests' data come and go (transactional_db empties the tables
    after each test) while the processes keep running, as they would in production.
    """
    with running(tmp_path_factory.mktemp("production")) as servers:
        yield servers
