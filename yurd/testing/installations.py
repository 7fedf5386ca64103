"""Installations outside the test database, for tests that run `yurd` as an operator does.

A test gets scratch databases (a SQLite file, or a new PostgreSQL database dropped
afterwards), runs `yurd …` commands against them as subprocesses, and compares what
they hold table by table.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings

YURD = str(Path(sys.executable).with_name("yurd"))
ON_POSTGRES = str(settings.DATABASES["default"]["ENGINE"]).endswith("postgresql")

# Tables a backup leaves out on purpose (rebuilt by migrate, or worthless elsewhere).
NOT_BACKED_UP = {"django_content_type", "auth_permission", "django_session", "core_workerheartbeat", "core_derivedkeys"}


def yurd_env(*, database_url: str, media: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": database_url,
        "YURD_MEDIA_ROOT": str(media),
        **extra,
    }


def yurd(
    *args: str, database_url: str, media: Path, timeout: float = 300, **extra_env: str
) -> subprocess.CompletedProcess[str]:
    """`yurd <args>` as a separate process on the given database and media directory."""
    env = yurd_env(database_url=database_url, media=media, **extra_env)
    return subprocess.run([YURD, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603


def ok(result: subprocess.CompletedProcess[str]) -> str:
    if result.returncode != 0:
        raise AssertionError(f"{result.args}: {result.stdout}\n{result.stderr}")
    return result.stdout


def pg_admin_conninfo() -> dict[str, Any] | None:
    """How to reach the PostgreSQL server (the suite's own when it runs there); None when unreachable."""
    if ON_POSTGRES:
        db = settings.DATABASES["default"]
        info: dict[str, Any] = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
        if db.get("PASSWORD"):
            info["password"] = db["PASSWORD"]
    else:
        info = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
    try:
        psycopg.connect(dbname="postgres", connect_timeout=3, **info).close()
    except Exception:
        return None
    return info


def required_postgres() -> dict[str, Any]:
    """pg_admin_conninfo(), or the test skipped when PostgreSQL is unreachable; in CI (CI=true) it must be."""
    info = pg_admin_conninfo()
    if info is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is not reachable on 127.0.0.1:5432, and CI needs it")
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432 (CI runs this)")
    return info


@contextmanager
def scratch_postgres_database(info: dict[str, Any], prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards; yields its URL."""
    name = f"{prefix}{os.environ.get('YURD_TEST_DB_SUFFIX', '')}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **info) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{info['password']}" if info.get("password") else ""
    try:
        yield f"postgres://{info['user']}{password}@{info['host']}:{info['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **info) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def table_counts(database_url: str) -> dict[str, int]:
    """Rows in every table of the database at `database_url`, read without Django."""
    if database_url.startswith("sqlite:"):
        connection = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        try:
            names = [
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}  # noqa: S608
        finally:
            connection.close()

    with psycopg.connect(database_url) as postgres:
        names = [
            name
            for (name,) in postgres.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            )
        ]
        counts = {}
        for name in names:
            row = postgres.execute(f'SELECT count(*) FROM "{name}"').fetchone()  # noqa: S608
            counts[name] = row[0] if row else 0
        return counts


def differing_counts(source: dict[str, int], target: dict[str, int]) -> dict[str, tuple[int | None, int | None]]:
    """Tables whose row counts differ (a backup's deliberate omissions aside)."""
    return {
        name: (source.get(name), target.get(name))
        for name in sorted(set(source) | set(target))
        if name not in NOT_BACKED_UP and source.get(name) != target.get(name)
    }
