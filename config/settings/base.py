"""Settings shared by every environment, read from the environment through config.env.

Local use needs no configuration: SQLite under var/, a secret key generated into var/.
Production sets DJANGO_SETTINGS_MODULE=config.settings.production (see docs/deployment.md).
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config.env import (
    database_config,
    env_bool,
    env_int,
    env_list,
    env_path,
    env_str,
    local_secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = env_path("YURD_VAR_DIR", default=BASE_DIR / "var")

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY", "") or local_secret_key(VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "yurd.core",
    "yurd.accounts",
    "yurd.places",
    "yurd.registry",
    "yurd.linkage",
    "yurd.claims",
    "yurd.evidence",
    "yurd.heritage",
    "yurd.testimonies",
    "yurd.returns",
    "yurd.fieldwork",
    "yurd.casualties",
    "yurd.reports",
    "yurd.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "yurd.core.middleware.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yurd.accounts.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "yurd.core.middleware.NoStoreForUsersMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "yurd.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yurd.core.context_processors.navigation",
            ],
            # Dates, numbers, money and place names in the page's language, in every template.
            "builtins": ["yurd.core.templatetags.yurd_format", "yurd.places.templatetags.place_format"],
        },
    },
]

DATABASES = {
    "default": database_config(env_str("DATABASE_URL", "") or f"sqlite:///{VAR_DIR / 'yurd.sqlite3'}"),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, which also takes the permissions an API token's query read.
    "yurd.accounts.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after two hours without activity and when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", default=2 * 60 * 60, minimum=60)
# Activity keeps a session alive: yurd.accounts.middleware.IdleSessionMiddleware saves it again
# when its last refresh is older than this (rather than a write on every request).
SESSION_SAVE_EVERY_REQUEST = False
YURD_SESSION_REFRESH_SECONDS = env_int("YURD_SESSION_REFRESH_SECONDS", default=300, minimum=1)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Reverse proxies in front of Yurd that append to X-Forwarded-For (nginx: 1). The client's
# address is read from the right of that header past them (yurd/core/clientip.py), for the
# access log, django-axes and the rate limits. 0: no proxy, the connection's own address.
YURD_TRUSTED_PROXIES = env_int("YURD_TRUSTED_PROXIES", default=0, minimum=0)

# "default" is each process's own memory, for caches of computed results (API counts,
# dashboards). "shared" is seen by every process and machine: rate limits, device
# lockouts, Digest nonce counts. It is a database table (created by `yurd migrate`), or
# Redis when REDIS_URL is set (pip install redis). Every backend pickles what it stores,
# so cache plain data; the test settings keep these caches, so a value that cannot be
# cached fails in the suite first.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL", "")}
        if env_str("REDIS_URL", "")
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "yurd_shared_cache"}
    ),
}

# django-axes: five failures lock the username from that address for 30 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Attempts and lockouts live in the database (axes' default handler), so every process
# sees them; the address is the client's behind the trusted proxies.
AXES_CLIENT_IP_CALLABLE = "yurd.core.clientip.client_ip"

OTP_TOTP_ISSUER = "Yurd"
# The admin shows no TOTP key or QR code of an existing device (who sees it could make codes).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("az", _("Azerbaijani")),
    ("ru", _("Russian")),
]
# Each app keeps its own catalogue in yurd/<app>/locale/, found through APP_DIRS-like
# discovery of installed apps; this one holds project-wide strings (settings, languages).
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Baku")
USE_I18N = True
# Django's date and number formats per language, the same as yurd.core.formatting's.
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env_path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env_path("YURD_MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Largest file of each kind of upload (docs/security.md); no request body may pass the largest.
YURD_UPLOAD_LIMITS = {
    "import": env_int("YURD_MAX_IMPORT_BYTES", default=100 * 1024 * 1024, minimum=1),
    "photo": env_int("YURD_MAX_PHOTO_BYTES", default=25 * 1024 * 1024, minimum=1),
    "submission": env_int("YURD_MAX_SUBMISSION_BYTES", default=50 * 1024 * 1024, minimum=1),
    "evidence": env_int("YURD_MAX_EVIDENCE_BYTES", default=4 * 1024 * 1024 * 1024, minimum=1),
}
# What an uploaded XLSX workbook (a zip) may inflate to.
YURD_XLSX_MAX_UNCOMPRESSED = env_int("YURD_XLSX_MAX_UNCOMPRESSED", default=256 * 1024 * 1024, minimum=1)
FILE_UPLOAD_HANDLERS = [
    "yurd.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

TASKS = {
    "default": {
        "BACKEND": env_str("YURD_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Tokens from the profile page: the token, user, roles and permissions in one query.
        "yurd.api.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "yurd.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Yurd API",
    "DESCRIPTION": "Registry, claims, heritage and evidence of a displaced community.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # One name per choice set, so the schema is stable and `check --deploy` stays quiet.
    "ENUM_NAME_OVERRIDES": {
        "EvidenceKindEnum": "yurd.evidence.models.EvidenceKind",
        "SensitivityEnum": "yurd.evidence.models.Sensitivity",
    },
}

# Key for per-purpose pseudonyms in exports; defaults to one derived from SECRET_KEY.
YURD_PSEUDONYM_KEY = env_str("YURD_PSEUDONYM_KEY", "") or SECRET_KEY
# Roles whose members must log in with a second factor.
YURD_TWO_FACTOR_ROLES = ["administrator", "reviewer", "auditor"]
# How long an API token created on the profile page lasts.
YURD_API_TOKEN_DAYS = env_int("YURD_API_TOKEN_DAYS", default=30, minimum=1)

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# --- Claims -------------------------------------------------------------------------------
# Days a claimant has to appeal a decision, counted from the decision's date.
YURD_CLAIMS_APPEAL_DAYS = env_int("YURD_CLAIMS_APPEAL_DAYS", default=60, minimum=1)
# How an heir line's claim divides between the heirs derived from kinship: per_stirpes or equal.
YURD_CLAIMS_SHARE_RULE = env_str("YURD_CLAIMS_SHARE_RULE", "per_stirpes")
# The decision letter's letterhead: the organisation's name and postal address (lines separated by "|").
# Maps: without a tile server (the default) they draw the offline base map shipped under
# static/maps/ (docs/maps.md); an online deployment may name one, e.g.
# "https://tile.openstreetmap.org/{z}/{x}/{y}.png", with the attribution its policy asks.
YURD_MAP_TILES = env_str("YURD_MAP_TILES", "")
YURD_MAP_TILES_ATTRIBUTION = env_str("YURD_MAP_TILES_ATTRIBUTION", "&copy; OpenStreetMap contributors")

YURD_ORGANISATION_NAME = env_str("YURD_ORGANISATION_NAME", "Yurd")
YURD_ORGANISATION_ADDRESS = env_str("YURD_ORGANISATION_ADDRESS", "")
