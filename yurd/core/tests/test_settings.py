"""Settings from the environment: typed helpers, clear refusals, a clean deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import (
    ImproperlyConfiguredError,
    database_config,
    env_bool,
    env_int,
    env_list,
    env_path,
    env_str,
    local_secret_key,
)

ROOT = Path(__file__).resolve().parents[3]
YURD = [sys.executable, "-c", "import sys; from yurd.cli import main; sys.exit(main(['yurd', *sys.argv[1:]]))"]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k7Qx-9vLm2Pz_4RtYw8sNc3JhBf6GdAe1UoXiZqKy5Tr0WbVnM",
    "ALLOWED_HOSTS": "yurd.example.org",
    "DATABASE_URL": "postgres://yurd@db.example.org:5432/yurd",
}


def run_yurd(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    clean["YURD_VAR_DIR"] = str(tmp_path)
    clean.update(env)
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [*YURD, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120, check=False
    )


def test_deploy_check_reports_nothing_with_production_settings(tmp_path: Path) -> None:
    result = run_yurd("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
        ("DATABASE_URL", "mysql://yurd@db/yurd", "scheme 'mysql' is not supported"),
        ("AXES_FAILURE_LIMIT", "abc", "AXES_FAILURE_LIMIT='abc' is not a whole number"),
        ("SESSION_IDLE_SECONDS", "5", "must be at least 60"),
    ],
)
def test_a_bad_setting_stops_the_cli_with_one_clear_line(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    result = run_yurd("check", env={variable: value}, tmp_path=tmp_path)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("yurd: configuration error:")
    assert message in lines[0]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be at least 50 characters"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be at least 50 characters"),
    ],
)
def test_production_refuses_a_weak_secret_key(tmp_path: Path, env: dict[str, str], message: str) -> None:
    result = run_yurd("check", env={**PRODUCTION_ENV, **env}, tmp_path=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_production_requires_a_secret_key(tmp_path: Path) -> None:
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    clean_env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    result = subprocess.run(  # noqa: S603
        [*YURD, "check"],
        cwd=ROOT,
        env={**clean_env, **env, "YURD_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "SECRET_KEY is required but not set" in result.stderr


def test_env_bool_reads_the_usual_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw, expected in [
        ("1", True),
        ("TRUE", True),
        (" yes ", True),
        ("on", True),
        ("0", False),
        ("off", False),
        ("", False),
    ]:
        monkeypatch.setenv("YURD_FLAG", raw)
        assert env_bool("YURD_FLAG", default=not expected) is expected
    monkeypatch.delenv("YURD_FLAG")
    assert env_bool("YURD_FLAG", default=True) is True


def test_env_int_checks_number_and_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_int("YURD_NUMBER", default=7) == 7
    monkeypatch.setenv("YURD_NUMBER", " 42 ")
    assert env_int("YURD_NUMBER", default=7, minimum=1) == 42
    monkeypatch.setenv("YURD_NUMBER", "0")
    with pytest.raises(ImproperlyConfiguredError, match="must be at least 1"):
        env_int("YURD_NUMBER", default=7, minimum=1)
    monkeypatch.setenv("YURD_NUMBER", "4.5")
    with pytest.raises(ImproperlyConfiguredError, match="not a whole number"):
        env_int("YURD_NUMBER", default=7)


def test_env_str_requires_a_value_without_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("YURD_TEXT", raising=False)
    assert env_str("YURD_TEXT", "fallback") == "fallback"
    with pytest.raises(ImproperlyConfiguredError, match="YURD_TEXT is required"):
        env_str("YURD_TEXT")


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_list("YURD_HOSTS", default=["a"]) == ["a"]
    monkeypatch.setenv("YURD_HOSTS", " yurd.example.org, ,localhost ")
    assert env_list("YURD_HOSTS", default=[]) == ["yurd.example.org", "localhost"]


def test_env_path_resolves_and_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert env_path("YURD_SOME_DIR", default=tmp_path) == tmp_path
    monkeypatch.setenv("YURD_SOME_DIR", str(tmp_path / "a" / ".." / "b"))
    assert env_path("YURD_SOME_DIR", default=Path("/nowhere")) == tmp_path / "b"


def test_database_config_accepts_sqlite_and_postgres_only() -> None:
    sqlite = database_config("sqlite:////tmp/yurd.sqlite3")
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3"
    assert sqlite["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    postgres = database_config("postgres://yurd:secret@db.example.org:5433/yurd")
    assert (postgres["ENGINE"], postgres["HOST"], postgres["PORT"], postgres["NAME"]) == (
        "django.db.backends.postgresql",
        "db.example.org",
        5433,
        "yurd",
    )
    for bad in ["mysql://x/y", "yurd.sqlite3", "oracle://a/b"]:
        with pytest.raises(ImproperlyConfiguredError, match="DATABASE_URL"):
            database_config(bad)


def test_local_secret_key_is_created_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "var" / "secret_key"
    first = local_secret_key(path)
    assert len(first) >= 50
    assert local_secret_key(path) == first
    assert path.stat().st_mode & 0o777 == 0o600
