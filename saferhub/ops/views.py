"""Health checks for the load balancer and monitoring: public, no personal data."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from saferhub.ops.health import run_checks


def _answer(body: dict, status: int) -> JsonResponse:
    response = JsonResponse(body, status=status)
    # A health answer is true only now: no proxy or browser may keep it.
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@require_safe
def healthz(request):
    """Liveness: the process answers. Touches neither the database nor the session."""
    return _answer({"status": "ok"}, 200)


@login_not_required
@require_safe
def readyz(request):
    """Readiness: the database answers and the task queue is moving (see health.py)."""
    checks = run_checks()
    if all(result == "ok" for result in checks.values()):
        return _answer({"status": "ok"}, 200)
    return _answer({"status": "unavailable", "checks": checks}, 503)
