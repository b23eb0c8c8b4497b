"""One settings module, driven by the environment.

DATABASE_URL   SQLite file in var/ when unset; postgres://… for a server.
SECRET_KEY     generated into var/secret_key on first run when unset (never committed).
DEBUG          off unless set to 1/true/yes.
ALLOWED_HOSTS  comma-separated; localhost names when unset.
TAIZHANG_VAR   where the embedded database, secret key and collected static files live.
TAIZHANG_HTTPS 1 when served over HTTPS: secure cookies, HSTS, redirect to https.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy

PROJECT_DIR = Path(__file__).resolve().parents[2]
PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("TAIZHANG_VAR", PROJECT_DIR / "var"))
FRAMEWORKS_DIR = Path(os.environ.get("TAIZHANG_FRAMEWORKS", PROJECT_DIR / "frameworks"))


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _var(path: Path) -> Path:
    """A directory under TAIZHANG_VAR, made when missing; one line (ImproperlyConfigured, which the
    ``taizhang`` command prints as such) when it cannot be, instead of a traceback."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"TAIZHANG_VAR（{VAR_DIR}）不可用：无法创建目录“{path}”（{exc.strerror or exc}）；"
            "请把 TAIZHANG_VAR 设为一个可以写入的目录"
        ) from None
    return path


def _secret_key() -> str:
    """The key from the environment, else one kept in var/ so sessions survive restarts."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    try:
        if not path.exists():
            _var(VAR_DIR)
            path.write_text(secrets.token_urlsafe(50), encoding="ascii")
            path.chmod(0o600)
        return path.read_text(encoding="ascii").strip()
    except OSError as exc:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"TAIZHANG_VAR（{VAR_DIR}）不可用：无法读写“{path}”（{exc.strerror or exc}）；"
            "请把 TAIZHANG_VAR 设为一个可以写入的目录，或设置 SECRET_KEY"
        ) from None


SECRET_KEY = _secret_key()
DEBUG = _flag("DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from our static files at /api/docs/
    "simple_history",
    "axes",
    "taizhang.core",
    "taizhang.org",
    "taizhang.ledger",
    "taizhang.rules",
    "taizhang.documents",
    "taizhang.channels",
    "taizhang.review",
    "taizhang.reporting",
    "taizhang.risks",
    "taizhang.campaigns",
    "taizhang.dashboard",
    "taizhang.demo",
    "django_tasks",
    "django_tasks.backends.database",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # 503 while the SQLite file is away, before a request could create an empty one in its place.
    "taizhang.core.availability.SqliteFileMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "taizhang.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After the login check and the messages: a one-time password is changed before anything else.
    "taizhang.core.middleware.OneTimePasswordMiddleware",
    # Puts the logged-in user on every history row a request writes.
    "simple_history.middleware.HistoryRequestMiddleware",
    "taizhang.core.middleware.ContentSecurityPolicyMiddleware",
    "taizhang.core.middleware.PrivatePagesMiddleware",
    "taizhang.core.middleware.RememberUnitMiddleware",
    "taizhang.core.middleware.ServiceErrorMiddleware",
    # Last, as django-axes requires: turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Argon2id first (core.auth: about 50 ms of CPU a login here); PBKDF2 kept to check the hashes made
# before it, each rewritten in Argon2 at its owner's next sign-in.
PASSWORD_HASHERS = [
    "taizhang.core.auth.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "taizhang.core.auth.ThrottledLoginBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "taizhang.urls"
WSGI_APPLICATION = "taizhang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "taizhang.core.context_processors.navigation",
                "taizhang.core.context_processors.script_messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'taizhang.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # A kept connection is tested before each request reuses it, so a server that lost its
        # database (a restart, a network cut) recovers on the first request after it returns.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a batch writes. Every transaction starts IMMEDIATE: one
    # that begins by reading and then writes cannot be upgraded while another writer holds the lock,
    # and SQLite answers "database is locked" at once instead of waiting out the busy timeout.
    # Starting with the write lock, a writer queues for up to `timeout` seconds and then goes through.
    # EXCLUSIVE is IMMEDIATE under WAL (readers go on either way); it is the mode django-tasks' worker
    # claims its tasks in, which it then does with Django's atomic() rather than a BEGIN of its own.
    # Django's backend, with the writers of one process taking turns instead of each polling
    # SQLite's lock (core.sqlite_backend).
    DATABASES["default"]["ENGINE"] = "taizhang.core.sqlite_backend"
    # The tests' database in memory, as Django makes it for its own backend (pytest-django, which
    # does not know this one, would otherwise name a file after the development database).
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "EXCLUSIVE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    _var(VAR_DIR)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: compiling the compliance matrix's grouped query costs ~0.4 s and saves less than
    # that (bench/compliance.py); the app's other queries are short or index-driven.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's rule (8 characters), with a Chinese message Django 5.2's catalogue lacks.
    {"NAME": "taizhang.core.auth.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese is the language of the ledger and the default for everyone; English is offered by the switch
# in the header (core.middleware.LanguageMiddleware), never guessed from the browser's Accept-Language.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The English catalogue: locale/en/LC_MESSAGES/django.po, compiled to .mo at setup (core.catalogue).
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the choice outlives the session (which ends with the browser)
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))


def _caches(url: str) -> dict:
    """Django's cache, where the results worked out once per change are kept (``core.stamps``).

    CACHE_URL (or REDIS_URL) names it: redis://host:6379/0 (Django's own RedisCache: several
    machines, or many processes, share it), file:///path (a directory), db:// (a table of the
    database, made by ``taizhang createcachetable``), locmem:// (one process only: tests), none://
    (nothing kept). Unset: a directory in var/, which every process of one machine shares.
    """
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url in ("db://", "database://"):
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "taizhang_cache"}
    if url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}
    if url.startswith(("none://", "dummy://")):
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if url and not url.startswith("file://"):
        raise ValueError(f"CACHE_URL {url!r}: expected redis://, file://, db://, locmem:// or none://")
    location = url.removeprefix("file://") or str(VAR_DIR / "cache")
    # Django's file cache, culled at most once a minute (core/cache.py)
    return {
        "BACKEND": "taizhang.core.cache.FileCache",
        "LOCATION": location,
        "OPTIONS": {"MAX_ENTRIES": 5000, "CULL_FREQUENCY": 3},
    }


_CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or ""
CACHES = {"default": _caches(_CACHE_URL)}
# The alias results are kept in ("": none, every page works everything out) and for how long at most
# (a write in their scope replaces them sooner: core.stamps).
TAIZHANG_RESULTS_CACHE = "" if _CACHE_URL.startswith(("none://", "dummy://")) else "default"
TAIZHANG_RESULTS_SECONDS = int(os.environ.get("TAIZHANG_RESULTS_SECONDS", 24 * 3600))

# Background tasks (django-tasks): batches of documents are queued in the database and run by
# `taizhang worker`, which `make run` starts beside the server. TAIZHANG_TASKS=immediate runs them
# inside the request instead (no worker; for a quick trial, never for a county's batch).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("TAIZHANG_TASKS") == "immediate"
        else "django_tasks.backends.database.DatabaseBackend"
    }
}
# A leader's dashboard over at least this many units (a city) is judged by a background task and
# kept (reporting.DashboardSnapshot); a smaller scope's is judged while the page is made.
TAIZHANG_DASHBOARD_KEPT_UNITS = int(os.environ.get("TAIZHANG_DASHBOARD_KEPT_UNITS", 500))
# A finished batch's .zip is kept this many days under MEDIA_ROOT/batches/, then removed.
TAIZHANG_BATCH_DAYS = int(os.environ.get("TAIZHANG_BATCH_DAYS", 7))
# npm packages installed by `make` are served under static/vendor/…, never fetched from a CDN.
_NODE = PROJECT_DIR / "node_modules"
STATICFILES_DIRS = [
    (prefix, path)
    for prefix, path in [
        ("vendor/echarts", _NODE / "echarts" / "dist"),
        ("vendor/htmx", _NODE / "htmx.org" / "dist"),
    ]
    if path.is_dir()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # hashed names, compressed copies, cached for ever once collected (core/staticfiles.py)
    "staticfiles": {"BACKEND": "taizhang.core.staticfiles.StaticFiles"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the app/vendor dirs when collectstatic has not run
_var(STATIC_ROOT)

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
TAIZHANG_UPLOAD_MAX_BYTES = int(os.environ.get("TAIZHANG_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def _limit(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# What a file may hold, and what reading it may cost (core/limits.py; README "Files and their
# limits"): one set for a page's upload, a larger one for a file given to a command by whoever
# runs the server. A file past any of them is refused in one line before it is parsed, and its
# reader runs in a child process with the memory and the seconds below.
_MB = 1024 * 1024
_SHARED_FILE_LIMITS = {
    "ratio": _limit("TAIZHANG_ZIP_MAX_RATIO", 100),
    "members": _limit("TAIZHANG_ZIP_MAX_MEMBERS", 10_000),
    "columns": _limit("TAIZHANG_SHEET_MAX_COLUMNS", 1024),
    "cells": _limit("TAIZHANG_SHEET_MAX_CELLS", 10_000_000),
    "cell_chars": _limit("TAIZHANG_CELL_MAX_CHARS", 32_767),  # Excel's own limit on a cell
    "paragraphs": _limit("TAIZHANG_DOCUMENT_MAX_PARAGRAPHS", 100_000),
    "chars": _limit("TAIZHANG_DOCUMENT_MAX_CHARS", 2_000_000),
    "line_chars": _limit("TAIZHANG_LINE_MAX_CHARS", 100_000),
    "depth": _limit("TAIZHANG_XML_MAX_DEPTH", 100),
    "memory_bytes": _limit("TAIZHANG_READ_MEMORY_MB", 1024) * _MB,
}
TAIZHANG_FILE_LIMITS = {
    "upload": {
        **_SHARED_FILE_LIMITS,
        "max_bytes": TAIZHANG_UPLOAD_MAX_BYTES,
        "unpacked_bytes": _limit("TAIZHANG_UPLOAD_UNPACKED_MB", 256) * _MB,
        "rows": _limit("TAIZHANG_UPLOAD_MAX_ROWS", 200_000),
        "seconds": _limit("TAIZHANG_UPLOAD_READ_SECONDS", 60),
    },
    "command": {
        **_SHARED_FILE_LIMITS,
        "max_bytes": _limit("TAIZHANG_FILE_MAX_BYTES", 200 * _MB),
        "unpacked_bytes": _limit("TAIZHANG_FILE_UNPACKED_MB", 1024) * _MB,
        "rows": _limit("TAIZHANG_FILE_MAX_ROWS", 1_048_576),  # Excel's rows in a sheet
        "seconds": _limit("TAIZHANG_FILE_READ_SECONDS", 600),
    },
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
TAIZHANG_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# Served over HTTPS (directly or behind a proxy that sets X-Forwarded-Proto): secure cookies and HSTS.
HTTPS = _flag("TAIZHANG_HTTPS")
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _flag("TAIZHANG_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("TAIZHANG_HSTS_SECONDS", 365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = _flag("TAIZHANG_HSTS_PRELOAD", True)
    if _flag("TAIZHANG_BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

# Repeated failed logins (django-axes, counted by core.auth.LoginAttempts): a login is locked only on
# the address its failures came from, so nobody can lock its owner out; an address failing for many
# logins is locked whatever it tries; a login failing from several addresses is slowed, never locked.
AXES_HANDLER = "taizhang.core.auth.LoginAttempts"
AXES_FAILURE_LIMIT = int(os.environ.get("TAIZHANG_LOGIN_FAILURE_LIMIT", 5))
TAIZHANG_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("TAIZHANG_LOGIN_ADDRESS_FAILURE_LIMIT", 20))
TAIZHANG_LOGIN_ACCOUNT_INTERVAL = timedelta(seconds=int(os.environ.get("TAIZHANG_LOGIN_ACCOUNT_SECONDS", 10)))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("TAIZHANG_LOGIN_COOLOFF_MINUTES", 30)))
# What a success resets (and what axes' own tools name): the pair. The address's and the login's
# counts are LoginAttempts' own sums over the same attempts.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The login page and the token endpoint both say when to retry (429, Retry-After).
AXES_LOCKOUT_CALLABLE = "taizhang.core.auth.lockout_response"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("TAIZHANG_PROXY_COUNT", 0)) or None

# API tokens stop working this many days after they were issued; POST /api/token/ then gives a new one.
TAIZHANG_TOKEN_LIFETIME = timedelta(days=int(os.environ.get("TAIZHANG_TOKEN_DAYS", 30)))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "taizhang.core.auth.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "taizhang.core.api.Schema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "taizhang.core.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Record lists filter through their type's FilterSet (core.filters), the one their page uses.
    "DEFAULT_FILTER_BACKENDS": ["taizhang.core.filters.FilterBackend"],
    # A service's ValidationError answers 400, a stale edit 409, wherever it is raised.
    "EXCEPTION_HANDLER": "taizhang.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    # lazy: the schema and its page are in the language of the request
    "TITLE": gettext_lazy("台账 API"),
    "DESCRIPTION": gettext_lazy("意识形态工作责任制台账：单位、人员、活动与考勤。"),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The documentation page loads Swagger UI from drf-spectacular-sidecar's static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The schema describes every endpoint and field: like every page, it is for logged-in users.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Request bodies get components of their own: read-only fields (id, created) are not asked for,
    # write-only ones (a donation's amount in 元) are not promised back.
    "COMPONENT_SPLIT_REQUEST": True,
    # Modules name fields "level", "kind" and "status" with different choices; give each choice set
    # its own name (instead of a hash such as "Status82aEnum").
    "ENUM_NAME_OVERRIDES": {
        "MediaLevelEnum": "taizhang.reporting.models.Level",
        "RiskLevelEnum": "taizhang.risks.models.RiskLevel",
        "RiskStatusEnum": "taizhang.risks.models.RiskStatus",
        "OpinionLevelEnum": "taizhang.risks.models.OpinionLevel",
        "OpinionStatusEnum": "taizhang.risks.models.OpinionStatus",
        "ChannelKindEnum": "taizhang.channels.models.ChannelKind",
        "ChannelStatusEnum": "taizhang.channels.models.ChannelStatus",
        "DonationKindEnum": "taizhang.campaigns.models.DonationKind",
        "SubmissionKindEnum": "taizhang.reporting.models.SubmissionKind",
        "ComplianceStatusEnum": "taizhang.rules.api.STATUSES",
        "TodoKindEnum": "taizhang.rules.api.TODO_KINDS",
    },
}

# django-filter: a select's empty choice reads 全部; a bad value is a 400 naming the field, never a 500.
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("全部")  # in the page's language

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "taizhang@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
