"""GOV.UK-styled error pages. They show no detail of what was asked for."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No request context: the failure may lie in a context processor.
    return HttpResponseServerError(render_to_string("errors/500.html"))
