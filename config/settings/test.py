"""Test settings: the same as base, with fast hashing and isolated paths.

DATABASE_URL selects the database as everywhere else; `make test` runs the suite
once on SQLite and once on PostgreSQL.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
_test_dir = Path(tempfile.mkdtemp(prefix="yurd-test-"))
MEDIA_ROOT = _test_dir / "media"
YURD_TEST_DIR = _test_dir
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks run inline in tests unless a test selects the database backend itself.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "db": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# Parallel runs (several developers, or CI's two databases) must not share a test database.
if str(DATABASES["default"]["ENGINE"]).endswith("postgresql"):
    suffix = os.environ.get("YURD_TEST_DB_SUFFIX", "")
    DATABASES["default"]["TEST"] = {"NAME": f"test_yurd{suffix}"}
AXES_ENABLED = True
STATIC_ROOT = _test_dir / "static"
STATIC_ROOT.mkdir()
WHITENOISE_USE_FINDERS = True
# Browser tests serve pages from the live server's threads: a file database gives each
# thread its own connection instead of one in-memory connection shared across threads.
if str(DATABASES["default"]["ENGINE"]).endswith("sqlite3") and os.environ.get("YURD_TEST_SQLITE_FILE") == "true":
    DATABASES["default"]["TEST"] = {"NAME": str(_test_dir / "test.sqlite3")}
