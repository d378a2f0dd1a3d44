"""Request ids and one log line per request."""

import logging
import re
import time
import uuid

from saferhub.ops.logs import request_id_var

logger = logging.getLogger("saferhub.request")

# An id from the proxy (nginx's $request_id is 32 hex digits) is kept only if it
# is a short plain token: it goes into every log line and a response header.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# Load balancers poll these every few seconds: their lines are DEBUG, not INFO.
_HEALTH_PATHS = frozenset({"/healthz", "/readyz"})


def _request_id(request) -> str:
    offered = request.headers.get("X-Request-ID", "")
    if _SAFE_REQUEST_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = _request_id(request)
        token = request_id_var.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


def _user_id(request) -> int | None:
    # Only a user the request already loaded: looking one up here would add a
    # query to pages (such as /healthz) that never touch the session.
    user = getattr(request, "_cached_user", None)
    if user is not None and user.is_authenticated:
        return user.pk
    return None


class RequestLogMiddleware:
    """One line per request: method, path without the query string, status, time, user id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        duration_ms = round((time.monotonic() - started) * 1000, 1)
        # request.path never includes the query string, which can carry search terms.
        fields = {
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "user_id": _user_id(request),
        }
        level = logging.DEBUG if request.path in _HEALTH_PATHS else logging.INFO
        logger.log(
            level,
            "%s %s %s %sms",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            extra=fields,
        )
        return response
