"""Production: PostgreSQL, a secret from the environment, HTTPS only.

`yurd check --deploy` with these settings reports nothing.
"""

from __future__ import annotations

from typing import Any

from config.env import ImproperlyConfiguredError, env_bool, env_int, env_str
from config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfiguredError("SECRET_KEY must be at least 50 characters with at least 5 distinct ones.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
STORAGES = {
    **STORAGES,  # noqa: F405
    # Compressed copies make collectstatic slow; YURD_STATIC_COMPRESS=false skips them.
    "staticfiles": {
        "BACKEND": "yurd.core.staticfiles."
        + ("StaticFilesStorage" if env_bool("YURD_STATIC_COMPRESS", default=True) else "HashedStaticFilesStorage")
    },
}

# Content-Security-Policy with a per-request nonce (yurd/core/csp.py), right after
# SecurityMiddleware so every response carries it; the nonce reaches templates.
MIDDLEWARE = [MIDDLEWARE[0], "yurd.core.csp.ContentSecurityPolicyMiddleware", *MIDDLEWARE[1:]]  # noqa: F405
_template_options: dict[str, Any] = dict(TEMPLATES[0]["OPTIONS"])  # type: ignore[call-overload,used-before-def]  # noqa: F405
_template_options["context_processors"] = [*_template_options["context_processors"], "yurd.core.csp.csp_nonce"]
TEMPLATES = [{**TEMPLATES[0], "OPTIONS": _template_options}]  # noqa: F405
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Reconnect transparently when PostgreSQL restarted between two requests.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# Evidence and uploads in an S3-compatible object store (django-storages) when a bucket
# is named; credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY as boto3 reads them.
if env_str("YURD_S3_BUCKET", ""):
    STORAGES: dict[str, dict[str, Any]] = {  # type: ignore[no-redef]
        **STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env_str("YURD_S3_BUCKET"),
                "endpoint_url": env_str("YURD_S3_ENDPOINT_URL", "") or None,
                "region_name": env_str("YURD_S3_REGION", "") or None,
                "location": env_str("YURD_S3_PREFIX", ""),
                # Content addresses are never reused: an existing name is never overwritten.
                "file_overwrite": False,
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 300,
            },
        },
    }
