"""Django settings for saferhub, read from the environment.

Two modes: the demo (the default: embedded SQLite under var/, a generated secret
key kept in var/, e-mail written to var/outbox) and production
(SAFERHUB_PRODUCTION=true), which refuses to start without a real SECRET_KEY,
an explicit DATABASE_URL and ALLOWED_HOSTS.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from saferhub.env import env_bool, env_int, env_list, env_str
from saferhub.ops.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SAFERHUB_VAR_DIR", str(BASE_DIR / "var")))

PRODUCTION = env_bool("SAFERHUB_PRODUCTION", False)
DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when SAFERHUB_PRODUCTION is true.")


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if PRODUCTION:
        if len(key) < 50 or key.startswith("django-insecure") or len(set(key)) < 5:
            raise ImproperlyConfigured(
                "SAFERHUB_PRODUCTION is true but SECRET_KEY is missing or weak: "
                "set SECRET_KEY to at least 50 random characters."
            )
        return key
    if key:
        return key
    # The demo keeps a random key of its own so that sessions survive a restart
    # without anyone committing or sharing a key.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("SAFERHUB_PRODUCTION is true: set ALLOWED_HOSTS.")

INSTALLED_APPS = [
    "saferhub.partnership",
    "saferhub.access",
    "saferhub.audit",
    "saferhub.home",
    "saferhub.strategy",
    "saferhub.reports",
    "saferhub.safeguarding",
    "saferhub.governance",
    "saferhub.ops",
    "saferhub.security",
    "saferhub.admin_site.PartnershipAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    # The second step of signing in: a TOTP authenticator app, and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Lockout after repeated failures to sign in.
    "axes",
]

MIDDLEWARE = [
    # First, so that every response (redirects included) carries the request id and
    # every request is logged once with its final status.
    "saferhub.ops.middleware.RequestIdMiddleware",
    "saferhub.ops.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session passed the second step of signing in?
    "django_otp.middleware.OTPMiddleware",
    # Pages behind sign-in are OFFICIAL-SENSITIVE: Cache-Control: no-store.
    "saferhub.security.middleware.NoStoreForSignedInUsersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends a session idle too long, signed in too long ago, or of a disabled user (before
    # LoginRequiredMiddleware, which then sends the visitor to sign in, with a message).
    "saferhub.security.middleware.SessionLimitsMiddleware",
    # Default deny: every URL needs a signed-in user unless its view says otherwise.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Default deny again: every URL needs the second step of signing in unless its view
    # says otherwise (the steps of signing in and signing out).
    "saferhub.security.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it hands a lockout to AXES_LOCKOUT_CALLABLE.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "saferhub.urls"
WSGI_APPLICATION = "saferhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "saferhub" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "saferhub.partnership.context_processors.partnership",
                "saferhub.navigation.navigation",
            ],
        },
    },
]


def _databases() -> dict:
    url = env_str("DATABASE_URL")
    if not url:
        if PRODUCTION:
            raise ImproperlyConfigured("SAFERHUB_PRODUCTION is true: set DATABASE_URL.")
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'saferhub.sqlite3'}"
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {error}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # WAL lets pages read while a write is in progress; the busy timeout
            # makes a second writer wait instead of failing at once.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # No JIT: it compiles each large-looking query for tens of milliseconds, more than
        # the pages' indexed queries take to run (the person search spent 40 ms compiling).
        options = config.setdefault("OPTIONS", {})
        if "jit" not in options.get("options", ""):
            options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    else:
        raise ImproperlyConfigured("DATABASE_URL must name PostgreSQL or SQLite.")
    databases = {"default": config}
    replica_url = env_str("DATABASE_REPLICA_URL")
    if replica_url:
        # A PostgreSQL read replica of the primary, for the dashboards and reports
        # (saferhub/db_routers.py). The tests read the test database in its place.
        try:
            replica = dj_database_url.parse(replica_url, conn_max_age=config["CONN_MAX_AGE"])
        except ValueError as error:
            raise ImproperlyConfigured(
                f"DATABASE_REPLICA_URL is not a database URL: {error}"
            ) from None
        if not config["ENGINE"] == replica["ENGINE"] == "django.db.backends.postgresql":
            raise ImproperlyConfigured("DATABASE_REPLICA_URL needs PostgreSQL, for both databases.")
        replica["TEST"] = {"MIRROR": "default"}
        databases["replica"] = replica
    return databases


DATABASES = _databases()
# Reads for the dashboards and reports go to the replica when there is one.
DATABASE_ROUTERS = ["saferhub.db_routers.ReplicaRouter"] if "replica" in DATABASES else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "partnership.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses every attempt, right password or not, while a lockout lasts.
    "axes.backends.AxesStandaloneBackend",
    "saferhub.access.backends.RoleBackend",
]
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "sign-in"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
# The vendored GOV.UK Frontend and the layout's own CSS and JS (frontend/build.sh).
STATICFILES_DIRS = [BASE_DIR / "saferhub" / "static"]
STATIC_ROOT = VAR_DIR / "static"
if not PRODUCTION:
    # WhiteNoise serves from the apps here (WHITENOISE_USE_FINDERS) but expects the folder.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            # WhiteNoise's compressed, content-hashed files, with JavaScript module imports
            # rewritten to the hashed names too (init.js imports GOV.UK Frontend).
            "saferhub.static_storage.HashedStaticFiles"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production, serve static files straight from the apps: no collectstatic step.
WHITENOISE_USE_FINDERS = not PRODUCTION

# A session ends SAFERHUB_SESSION_IDLE_MINUTES after its last request, and
# SESSION_COOKIE_AGE seconds after signing in whatever happens (security/sessions.py).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 10 * 60 * 60)
SAFERHUB_SESSION_IDLE_MINUTES = env_int("SAFERHUB_SESSION_IDLE_MINUTES", 30)
if SESSION_COOKIE_AGE < 60 or SAFERHUB_SESSION_IDLE_MINUTES < 1:
    raise ImproperlyConfigured(
        "SESSION_COOKIE_AGE must be 60 seconds or more, SAFERHUB_SESSION_IDLE_MINUTES 1 or more."
    )
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
# The templates send the form's token; no script reads the CSRF cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
if PRODUCTION:
    # __Host-: the browser accepts them only Secure, for Path=/ and without a Domain.
    SESSION_COOKIE_NAME = "__Host-saferhub_session"
    CSRF_COOKIE_NAME = "__Host-saferhub_csrf"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere (layouts/base.html): everything comes from /static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Signing in takes a password and a code from an authenticator app (TOTP, django-otp), or
# one of the user's recovery codes; every user sets the app up at their first sign-in.
OTP_TOTP_ISSUER = "saferhub"
# The administration pages never show an authenticator's key or a recovery code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Lockout (django-axes): after SAFERHUB_LOCKOUT_FAILURES failed attempts (wrong passwords
# and wrong codes alike) for one username from one address, that username is refused from
# that address for SAFERHUB_LOCKOUT_MINUTES. By username *and* address, so that nobody can
# lock a named user out from elsewhere.
AXES_FAILURE_LIMIT = env_int("SAFERHUB_LOCKOUT_FAILURES", 5)
_lockout_minutes = env_int("SAFERHUB_LOCKOUT_MINUTES", 15)
if AXES_FAILURE_LIMIT < 1 or _lockout_minutes < 1:
    raise ImproperlyConfigured(
        "SAFERHUB_LOCKOUT_FAILURES and SAFERHUB_LOCKOUT_MINUTES must be 1 or more."
    )
AXES_COOLOFF_TIME = timedelta(minutes=_lockout_minutes)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# The count is cleared when signing in succeeds, which is after the second step: a right
# password alone must not wipe out the wrong codes before it (security/lockout.py).
AXES_RESET_ON_SUCCESS = False
# A lockout lasts the cool-off from the failure that caused it; attempts during it are
# refused without prolonging it, so the message's "15 minutes" holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The audit log records every sign-in; no second log of addresses to keep.
AXES_DISABLE_ACCESS_LOG = True
# No start-up banner from every process; failures are still logged, usernames masked.
AXES_VERBOSE = False
# Masked wherever axes writes a request down (its log lines, an attempt's POST data): a
# mistyped recovery code is most of a real one.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "csrfmiddlewaretoken"]
AXES_CLIENT_IP_CALLABLE = "saferhub.security.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "saferhub.security.lockout.lockout_response"
# How many proxies in front of saferhub add to X-Forwarded-For (docs/deploy.md: nginx,
# one); the address a lockout counts is the one the nearest of them saw.
SAFERHUB_TRUSTED_PROXY_COUNT = env_int("SAFERHUB_TRUSTED_PROXY_COUNT", 1 if PRODUCTION else 0)

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "outbox"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "saferhub <no-reply@localhost>")
# Where saferhub is served, for the links in e-mails (no trailing slash).
SAFERHUB_BASE_URL = env_str("SAFERHUB_BASE_URL", "http://127.0.0.1:8000")

# Long jobs (reports, imports) run as tasks in the database, picked up by
# `saferhub db_worker` (a process of its own; make demo starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# A quarterly return falls due this many days after its quarter ends.
SAFERHUB_RETURN_DUE_DAYS = env_int("SAFERHUB_RETURN_DUE_DAYS", 30)
# The largest spreadsheet of figures accepted in one upload (10 MiB).
SAFERHUB_UPLOAD_MAX_BYTES = env_int("SAFERHUB_UPLOAD_MAX_BYTES", 10_485_760)
# The largest file of referral history a MARAC coordinator may import (50 MB).
SAFERHUB_IMPORT_MAX_BYTES = env_int("SAFERHUB_IMPORT_MAX_BYTES", 52_428_800)

# Retention (governance/retention.py; `saferhub retention run` erases what has expired):
# a MARAC case this many years after it closed; a referral recorded as not eligible this
# many years after it was made; an uploaded referral file's contents this many days after
# it was uploaded (the import itself empties it when it finishes; this is the backstop).
SAFERHUB_RETAIN_CLOSED_CASE_YEARS = env_int("SAFERHUB_RETAIN_CLOSED_CASE_YEARS", 6)
SAFERHUB_RETAIN_NOT_ELIGIBLE_YEARS = env_int("SAFERHUB_RETAIN_NOT_ELIGIBLE_YEARS", 2)
SAFERHUB_RETAIN_IMPORT_FILES_DAYS = env_int("SAFERHUB_RETAIN_IMPORT_FILES_DAYS", 30)
for _name in (
    "SAFERHUB_RETAIN_CLOSED_CASE_YEARS",
    "SAFERHUB_RETAIN_NOT_ELIGIBLE_YEARS",
    "SAFERHUB_RETAIN_IMPORT_FILES_DAYS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be 1 or more: a period of 0 would erase at once.")

# /readyz answers 503 when a task has waited this many seconds for a worker.
SAFERHUB_READY_MAX_QUEUE_AGE = env_int("SAFERHUB_READY_MAX_QUEUE_AGE", 5 * 60)

# One JSON object per line in production (saferhub/ops/logs.py), readable text otherwise.
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} is not json or text.")
LOGGING = logging_config(LOG_FORMAT, env_str("LOG_LEVEL", "INFO"))
