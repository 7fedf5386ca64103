"""Typed readers for settings taken from the environment.

Each helper fails loudly with the variable's name and what was wrong, so that a
mistyped deployment stops at start-up instead of running with a silent default.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url


class ImproperlyConfiguredError(Exception):
    """A setting read from the environment has a value that cannot be used."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfiguredError(f"Environment variable {name} is required but not set.")
        return default
    return value


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfiguredError(
        f"Environment variable {name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name: str, *, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfiguredError(f"Environment variable {name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfiguredError(f"Environment variable {name}={value} must be at least {minimum}.")
    return value


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, *, default: Path) -> Path:
    raw = os.environ.get(name)
    return Path(raw).expanduser().resolve() if raw else default


def database_config(url: str) -> dict[str, Any]:
    """Turn DATABASE_URL into Django's DATABASES entry, accepting only engines Yurd supports."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfiguredError(
            f"DATABASE_URL scheme {scheme or '(none)'!r} is not supported; "
            "use sqlite:///path/to/db.sqlite3 or postgres://user@host:port/name."
        )
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as error:
        raise ImproperlyConfiguredError(f"DATABASE_URL could not be parsed: {error}") from None
    if scheme == "sqlite":
        # Kept open like PostgreSQL's: a fresh SQLite connection per request re-reads the
        # schema and runs the PRAGMAs, and closing the last one checkpoints the WAL, which
        # together cost more than a whole API list request (issue 8 benchmark).
        config["CONN_MAX_AGE"] = 60
        # WAL lets the worker write while the web process reads; busy timeout waits
        # for a lock instead of failing at once.
        config["OPTIONS"] = {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    return config


def local_secret_key(path: Path) -> str:
    """Read the development secret key from var/, creating it on first use."""
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key, encoding="utf-8")
    path.chmod(0o600)
    return key
