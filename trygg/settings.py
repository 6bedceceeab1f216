"""Trygg settings, read from the environment (see .env.example).

SQLite file by default; DATABASE_URL selects PostgreSQL in production. DEBUG is off unless set, and
production (DEBUG off) refuses to start without a real SECRET_KEY.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} must be set")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


DEBUG = env_bool("DEBUG", False)
_INSECURE_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _INSECURE_KEY if DEBUG or env_bool("TRYGG_DEV", False) else None)
if not DEBUG and not env_bool("TRYGG_DEV", False) and SECRET_KEY == _INSECURE_KEY:
    raise ImproperlyConfigured("Set a real SECRET_KEY in production")
if SECRET_KEY.startswith("change-me"):  # the placeholder of .env.example / .env.production.example
    raise ImproperlyConfigured("SECRET_KEY is still the example's placeholder; set a long random string")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",  # login throttling (lock-out per user name, counted in the shared cache)
    "django_otp",  # second factor (TOTP) for roles that see the lägesbild and for administrators
    "django_otp.plugins.otp_totp",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "trygg.accounts",
    "trygg.documents",
    "trygg.plans",
    "trygg.indicators",
    "trygg.places",
    "trygg.situation",
    "trygg.walks",
    "trygg.dialog",
    "trygg.assessments",
    "trygg.publishing",
    "trygg.operations",  # retention, backup/restore, the privacy page
    "csp",  # Content-Security-Policy header (checks of its settings)
    "trygg.demo",  # only the load_demo command; no production module imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files from gunicorn, hashed names cached for a year
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "trygg.accounts.middleware.SessionTimeoutMiddleware",
    "trygg.accounts.middleware.SecondFactorMiddleware",
    "trygg.accounts.middleware.AuditedDownloadMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a lock-out into the "too many attempts" page (last)
]

ROOT_URLCONF = "trygg.urls"
WSGI_APPLICATION = "trygg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "trygg" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trygg.accounts.context_processors.roles",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'trygg.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a background import writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20})
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Login: throttling, second factor, single sign-on, sessions, audit (docs/security.md) ---------------
# Lock-out after TRYGG_LOGIN_FAILURE_LIMIT wrong passwords for one user name (every login form, the admin's
# too) for TRYGG_LOGIN_COOLOFF_MINUTES. Counted per user name in the shared cache (Redis in production, so it
# holds across server processes); axes never reads the client's address, nothing is stored in the database.
AXES_ENABLED = env_bool("TRYGG_LOGIN_THROTTLING", True)
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_FAILURE_LIMIT = env_int("TRYGG_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("TRYGG_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours, as axes reads a float
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "trygg.accounts.throttling.no_client_address"
AXES_CLIENT_STR_CALLABLE = "trygg.accounts.throttling.client_str"
AXES_LOCKOUT_CALLABLE = "trygg.accounts.throttling.lockout_response"
AXES_ENABLE_ADMIN = False  # its attempt tables stay empty with the cache handler
AXES_VERBOSE = False  # no start-up banner on every manage.py command
# axes.W006 asks for locking by address too: we lock by user name on purpose (no addresses are processed).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Second factor (TOTP, django-otp) after the password for coordinators, partners, administrators and staff.
# On in production; off by default in development, the demo and tests (they log in with passwords).
TRYGG_REQUIRE_2FA = env_bool("TRYGG_REQUIRE_2FA", not DEBUG and not env_bool("TRYGG_DEV", False))
OTP_TOTP_ISSUER = env_str("TRYGG_OTP_ISSUER", "Trygg")

# Single sign-on (OpenID Connect, mozilla-django-oidc): on when OIDC_RP_CLIENT_ID is set. Roles come from the
# provider's groups: TRYGG_OIDC_GROUPS="group=kommunkod:roll,…" (roll: admin, coordinator, unit_editor,
# partner, reader). The provider does the second factor.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
TRYGG_OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "/logga-in/?sso=fel"
TRYGG_OIDC_LABEL = env_str("TRYGG_OIDC_LABEL", "Logga in med kommunens konto")
TRYGG_OIDC_GROUPS_CLAIM = env_str("TRYGG_OIDC_GROUPS_CLAIM", "groups")
from trygg.accounts.sso_settings import parse_group_map  # noqa: E402 - a plain module, no models

TRYGG_OIDC_GROUPS = parse_group_map(env_str("TRYGG_OIDC_GROUPS", ""))
_OIDC_ENDPOINTS = ["OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT"]
if TRYGG_OIDC_ENABLED and not all(globals()[name] for name in [*_OIDC_ENDPOINTS, "OIDC_OP_JWKS_ENDPOINT"]):
    raise ImproperlyConfigured(
        f"OIDC_RP_CLIENT_ID is set: also set {', '.join(_OIDC_ENDPOINTS)}, OIDC_OP_JWKS_ENDPOINT"
    )

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out user name before any password check
    "django.contrib.auth.backends.ModelBackend",
    *(["trygg.accounts.oidc.TryggOIDCBackend"] if TRYGG_OIDC_ENABLED else []),
]

# Sessions end TRYGG_SESSION_HOURS after login, or after TRYGG_SESSION_IDLE_MINUTES without a request
# (trygg.accounts.middleware.SessionTimeoutMiddleware), and when the browser closes.
TRYGG_SESSION_MAX_AGE = env_int("TRYGG_SESSION_HOURS", 8) * 3600
TRYGG_SESSION_IDLE = env_int("TRYGG_SESSION_IDLE_MINUTES", 60) * 60
SESSION_COOKIE_AGE = TRYGG_SESSION_MAX_AGE
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Downloads recorded in the audit trail (URL names; trygg.accounts.middleware.AuditedDownloadMiddleware).
TRYGG_AUDITED_DOWNLOADS = [
    "accounts:audit_export",
    "audit_export",
    "assessments:assessment_html",
    "assessments:assessment_pdf",
    "assessments:assessment_docx",
    "assessments:actionplan_html",
    "assessments:actionplan_pdf",
    "assessments:actionplan_docx",
    "dialog:export_csv",
    "dialog:export_geojson",
    "indicators:export_csv",
    "indicators:export_xlsx",
    "plans:plan_export",
    "plans:follow_up_report",
    "situation:export_csv",
    "situation:export_geojson",
    "situation:meeting_brief_pdf",
    "situation:meeting_brief_docx",
    "walks:protocol_pdf",
    "walks:protocol_docx",
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "trygg" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "trygg" / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and not env_bool("TRYGG_DEV", False))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

# Shared cache (rate limits of the public dialog, throttling): Redis in production so that it holds across
# server processes; the local-memory cache of one process in development.
REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
if not REDIS_URL:  # one process in development: its local-memory cache counts login attempts correctly
    SILENCED_SYSTEM_CHECKS.append("axes.W001")

TASKS = {
    "default": {
        "BACKEND": env_str("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# The municipality this installation serves (SCB kommunkod; 1482 = Kungälv).
TRYGG_MUNICIPALITY_CODE = env_str("TRYGG_MUNICIPALITY_CODE", "1482")
# Published aggregates suppress counts below this threshold.
TRYGG_SUPPRESS_BELOW = env_int("TRYGG_SUPPRESS_BELOW", 5)
# The public digital dialog: cells with fewer approved submissions are not shown; submissions per client per
# ten minutes (counted by a salted, expiring hash in the shared cache, never an address); the header that holds the
# client address behind a trusted proxy (used only for that hash).
DIALOG_SUPPRESS_BELOW = env_int("DIALOG_SUPPRESS_BELOW", TRYGG_SUPPRESS_BELOW)
DIALOG_RATE_LIMIT = env_int("DIALOG_RATE_LIMIT", 10)
DIALOG_CLIENT_IP_HEADER = env_str("DIALOG_CLIENT_IP_HEADER", "REMOTE_ADDR")
# Map tiles; the map still shows boundary and layers when tiles cannot load.
TRYGG_TILE_URL = env_str("TRYGG_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
TRYGG_TILE_ATTRIBUTION = env_str("TRYGG_TILE_ATTRIBUTION", "© OpenStreetMap-bidragsgivare")

# --- Production: HTTPS, security headers, CSP, static files (docs/deployment.md) -------------------------
# One switch for plain http on loopback (SECURE_COOKIES=0) turns off the HTTPS-only defaults below; in
# production every one is on unless set otherwise.
_HTTPS = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Only behind a proxy that sets this header itself (and drops it from clients): "HTTP_X_FORWARDED_PROTO".
_PROXY_SSL_HEADER = env_str("SECURE_PROXY_SSL_HEADER", "")
SECURE_PROXY_SSL_HEADER = (_PROXY_SSL_HEADER, "https") if _PROXY_SSL_HEADER else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True


def _origin(url: str) -> str:
    """The CSP source of a tile URL template: scheme and host ("{s}." subdomains as a wildcard)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}.", "tiles-subdomain."))
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ImproperlyConfigured(f"TRYGG_TILE_URL must be an http(s) URL, got {url!r}")
    host = parts.netloc.replace("tiles-subdomain.", "*.")
    return f"{parts.scheme}://{host}"


# No inline script or style anywhere (JS and CSS are static files); images also from the map tile server.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", _origin(TRYGG_TILE_URL)],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Static files: WhiteNoise serves them (compressed; hashed names when collectstatic has written a manifest).
WHITENOISE_MAX_AGE = env_int("WHITENOISE_MAX_AGE", 3600)
_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG and (STATIC_ROOT / "staticfiles.json").exists())
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "trygg.operations.static_storage.StaticFilesStorage"
        if _MANIFEST
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}

# --- Retention (gallring): months after the event, per source; 0 = never (docs/privacy.md) ----------------
TRYGG_RETENTION = {
    # an incident's free text is dropped (the category, time and cell stay for statistics)
    "incident_text_months": env_int("TRYGG_RETAIN_INCIDENT_TEXT_MONTHS", 12),
    # the incident is anonymised: position coarsened to its H3 cell centre, reporter and links removed
    "incident_anonymise_months": env_int("TRYGG_RETAIN_INCIDENT_MONTHS", 24),
    # the anonymised incident is deleted (0: kept for long-term statistics and effect checks)
    "incident_delete_months": env_int("TRYGG_RETAIN_INCIDENT_DELETE_MONTHS", 0),
    # a dialog submission's text, photo and exact point are dropped (the counts per cell stay)
    "submission_months": env_int("TRYGG_RETAIN_SUBMISSION_MONTHS", 24),
    # an uploaded statistics file is deleted this many days after its import finished
    "import_file_days": env_int("TRYGG_RETAIN_IMPORT_FILE_DAYS", 0),
}
# manage.py backup writes its archives here (docs/deployment.md: keep a copy on another machine too).
TRYGG_BACKUP_DIR = Path(env_str("TRYGG_BACKUP_DIR", str(BASE_DIR / "var" / "backups")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No client address or user agent in any log record (Django attaches the request to some records).
    "filters": {"no_client": {"()": "trygg.dialog.log_privacy.DropClientIdentity"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_client"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"fontTools": {"level": "WARNING"}, "weasyprint": {"level": "ERROR"}},
}
