"""Structured log lines without personal data, each carrying the request's id.

`RequestIdFilter` puts the current request id on every record (a context
variable set by `middleware.RequestIdMiddleware`, so it reaches log calls deep
in services and Django's own `django.request` lines). `JsonFormatter` writes a
record as one JSON object from a fixed list of fields: it never dumps the
record's attributes, because Django attaches the whole request (with its POST
data and cookies) to `django.request` records.

This module is imported by the LOGGING setting, before the apps are loaded: it
must not import Django models.
"""

import contextvars
import json
import logging
from datetime import UTC, datetime

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# Fields a log call may add through `extra=`; anything else is left out.
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "user_id")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Django's own request lines carry the request (and are written for a 4xx or
        # 5xx answer after the middleware has finished): take its id, method and
        # status from it, never the request itself.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or request_id_var.get()
        if request is not None and not hasattr(record, "method"):
            record.method = getattr(request, "method", None)
        status = getattr(record, "status_code", None)
        if status is not None and not hasattr(record, "status"):
            record.status = status
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        for field in REQUEST_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                line[field] = value
        if record.exc_info:
            # The traceback's frames and the exception's message: no local
            # variables, so no request or form data.
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """One readable line for a developer's terminal, with the request id."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return super().format(record)


def logging_config(log_format: str, level: str) -> dict:
    """The LOGGING setting: every line, Django's included, through one handler."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "saferhub.ops.logs.RequestIdFilter"}},
        "formatters": {
            "json": {"()": "saferhub.ops.logs.JsonFormatter"},
            "text": {"()": "saferhub.ops.logs.TextFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": log_format,
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Replace Django's defaults (console only when DEBUG, mail_admins with
            # the request in the e-mail) with the one handler above.
            "django": {"handlers": ["console"], "level": level, "propagate": False},
            "django.server": {"handlers": ["console"], "level": level, "propagate": False},
            # django-axes notes every sign-in at INFO; its failures and lockouts are WARNINGs.
            "axes": {"level": "WARNING"},
        },
    }
