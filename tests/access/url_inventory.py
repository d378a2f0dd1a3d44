"""Every URL the project defines, made concrete, so tests can request each one."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

# Sample values for path converters. Real-looking ids matter: a view must be
# reached, not short-circuited by a 404 from the resolver itself.
_SAMPLES = {"int": "1", "slug": "police", "str": "police", "path": "1", "uuid": "0" * 32}
_CONVERTER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_GROUP = re.compile(r"\(\?P<\w+>([^()]*)\)")


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str | None
    path: str


def _route_text(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _CONVERTER.sub(
            lambda match: _SAMPLES[match["converter"] or "str"], str(pattern._route)
        )
    if isinstance(pattern, RegexPattern):
        text = pattern._regex.lstrip("^").rstrip("$").replace("\\Z", "")
        # A named group: take its first literal alternative, else a sample id.
        text = _GROUP.sub(
            lambda match: match[1].split("|")[0] if re.fullmatch(r"[\w|]+", match[1]) else "1",
            text,
        )
        if re.search(r"[()\[\]*+?\\]", text):
            raise ValueError(f"cannot make a URL from the pattern {pattern._regex!r}")
        return text
    raise TypeError(pattern)


def every_route(patterns=None, prefix: str = "") -> list[Route]:
    routes: list[Route] = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        text = prefix + _route_text(entry.pattern)
        if isinstance(entry, URLResolver):
            routes.extend(every_route(entry.url_patterns, text))
        elif isinstance(entry, URLPattern):
            routes.append(Route(str(entry.pattern), entry.name, "/" + text))
    return routes
