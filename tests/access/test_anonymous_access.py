"""No page answers a visitor who has not signed in but the sign-in page and the health checks."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path, resolve

import saferhub.urls
from tests.access.url_inventory import every_route

# The only routes a visitor may reach without signing in: the sign-in page and the
# health checks (no personal data, saferhub/ops/). Static files are
# served by WhiteNoise before the URL resolver and are not routes.
PUBLIC = {"sign-in", "healthz", "readyz"}


def _answers_anonymously(client, route) -> bool:
    response = client.get(route.path)
    if response.status_code in (301, 302):
        return not response["Location"].startswith(("/sign-in/", "/admin/login/"))
    # 404 and 405 disclose nothing and serve nothing.
    return response.status_code not in (404, 405)


def test_every_route_is_made_concrete_and_reaches_its_view():
    routes = every_route()
    assert len(routes) > 20  # the admin alone has dozens
    shadowed = set()
    for route in routes:
        if "(?P<url>" in route.pattern:  # the admin's catch-all
            continue
        if resolve(route.path).url_name != route.name:
            shadowed.add(route.name)
    # saferhub's own sign-in stands in front of the admin's on purpose.
    assert shadowed == {"login"}


def test_only_the_sign_in_page_answers_without_signing_in(client, world):
    open_routes = {
        route.name or route.pattern
        for route in every_route()
        if _answers_anonymously(client, route)
    }
    assert open_routes == PUBLIC


@login_not_required
def _leaky_view(request):
    return HttpResponse("case list")


class _UrlsWithALeak:
    urlpatterns = [*saferhub.urls.urlpatterns, path("leaky/", _leaky_view, name="leaky")]


def test_the_check_catches_a_new_url_without_protection(client, world, settings):
    settings.ROOT_URLCONF = _UrlsWithALeak
    open_routes = {
        route.name or route.pattern
        for route in every_route()
        if _answers_anonymously(client, route)
    }
    assert open_routes == PUBLIC | {"leaky"}


def test_sign_in_page_is_public(client, db):
    assert client.get("/sign-in/").status_code == 200
