"""Backup and restore: the round trip on SQLite, on PostgreSQL, and SQLite into PostgreSQL.

The source is the test database with a household and evidence committed in it; the
targets are scratch databases. `yurd backup`, `yurd restore` and `yurd evidence
verify` run as subprocesses, as an operator would run them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import sqlite3
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from yurd.core.actors import system_actor
from yurd.core.backup import BackupError, read_archive, restore_backup, safe_member_name
from yurd.core.encryption import DecryptingReader, DecryptionError, EncryptingWriter
from yurd.evidence.models import EvidenceItem
from yurd.evidence.services import evidence_ingest
from yurd.registry.models import Household, Wave
from yurd.registry.services import household_register
from yurd.returns.models import Intention
from yurd.returns.services import return_intention_record
from yurd.testing.installations import (
    ON_POSTGRES,
    differing_counts,
    ok,
    required_postgres,
    scratch_postgres_database,
    table_counts,
    yurd,
)
from yurd.testing.personas import Gazetteer

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def scratch_postgres() -> Iterator[str]:
    """A new, empty PostgreSQL database; dropped afterwards. Yields its URL."""
    with scratch_postgres_database(required_postgres(), "yurd_restore") as url:
        yield url


# --- A source installation ---------------------------------------------------------


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media-source"
    return settings.MEDIA_ROOT


@pytest.fixture
def populated(transactional_db: None, gazetteer: Gazetteer, media: Path) -> dict[str, Any]:
    """A household with Azerbaijani and Cyrillic names, and two evidence files, committed."""
    actor = system_actor()
    household = household_register(
        actor=actor,
        household={
            "origin_place": gazetteer.settlement_a1,
            "current_place": gazetteer.settlement_b1,
            "wave": Wave.objects.order_by("pk").first(),
            "displacement_date": "11.1988",
        },
        members=[
            {"surname": "Əliyeva", "given_name": "Gülşən", "sex": "f", "birth_date": "1961", "household_role": "head"},
            {
                "surname": "Алиев",
                "given_name": "Руслан",
                "sex": "m",
                "birth_date": "03.1985",
                "household_role": "child",
            },
        ],
    )
    items = [
        evidence_ingest(actor=actor, stream=io.BytesIO(content), original_name=name, title_en=name).item
        for name, content in [("deed.txt", b"title deed of 1978\n"), ("photo.bin", os.urandom(70_000))]
    ]
    return {"household": household.code, "evidence": sorted(item.sha256 for item in items)}


def sqlite_source(tmp_path: Path) -> str:
    """The in-memory test database, copied to a file a subprocess can open."""
    path = tmp_path / "source.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


def source_url(tmp_path: Path) -> str:
    if not ON_POSTGRES:
        return sqlite_source(tmp_path)
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def restore_and_verify(archive: Path, *, database_url: str, media: Path, passphrase: str | None = None) -> str:
    """Restore, then verify the evidence; an encrypted archive's passphrase is read from the environment."""
    if passphrase is None:
        restored = ok(yurd("restore", str(archive), database_url=database_url, media=media))
    else:
        restored = ok(
            yurd(
                "restore",
                str(archive),
                "--passphrase-env",
                "YURD_BACKUP_PASSPHRASE",
                database_url=database_url,
                media=media,
                YURD_BACKUP_PASSPHRASE=passphrase,
            )
        )
    verified = ok(yurd("evidence", "verify", database_url=database_url, media=media))
    assert verified.startswith("OK"), verified
    return restored


# --- Round trips -------------------------------------------------------------------


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite round trip runs in the SQLite suite")
def test_encrypted_sqlite_backup_restores_onto_a_fresh_machine_and_verifies(
    populated: dict[str, Any], tmp_path: Path, media: Path
) -> None:
    archive = tmp_path / "yurd.backup"
    out = ok(
        yurd(
            "backup",
            "--output",
            str(archive),
            "--encrypt-passphrase-env",
            "YURD_BACKUP_PASSPHRASE",
            database_url=sqlite_source(tmp_path),
            media=media,
            YURD_BACKUP_PASSPHRASE=PASSPHRASE,
        )
    )
    assert "encrypted" in out
    assert archive.stat().st_mode & 0o077 == 0, "a backup holds personal data: owner-only permissions"
    assert b"deed" not in archive.read_bytes()

    fresh_media = tmp_path / "media-restored"
    restored = restore_and_verify(
        archive,
        database_url=f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        media=fresh_media,
        passphrase=PASSPHRASE,
    )
    assert "(sqlite backup)" in restored
    assert sorted(p.name for p in (fresh_media / "evidence").rglob("*") if p.is_file()) == populated["evidence"]

    # Onto the populated source database, a restore refuses before touching anything.
    with pytest.raises(BackupError, match="already holds records"):
        restore_backup(archive, passphrase=PASSPHRASE)
    assert Household.objects.filter(code=populated["household"]).exists()


@pytest.mark.skipif(ON_POSTGRES, reason="runs once, in the SQLite suite, against the local PostgreSQL")
def test_sqlite_backup_restores_into_postgresql(
    populated: dict[str, Any], tmp_path: Path, media: Path, scratch_postgres: str
) -> None:
    archive = tmp_path / "yurd.tar.gz"
    ok(yurd("backup", "--output", str(archive), database_url=sqlite_source(tmp_path), media=media))

    restored = restore_and_verify(archive, database_url=scratch_postgres, media=tmp_path / "media-pg")
    assert "(json)" in restored

    with psycopg.connect(scratch_postgres) as target:
        names = target.execute("SELECT given_name FROM registry_person ORDER BY given_name").fetchall()
        waves = target.execute("SELECT count(*) FROM registry_wave").fetchone()
    assert [name for (name,) in names] == ["Gülşən", "Руслан"]
    # The target holds what the backup holds, not what its own migrations seeded.
    assert waves == (Wave.objects.count(),)


@pytest.mark.skipif(not ON_POSTGRES, reason="the PostgreSQL round trip runs in the PostgreSQL suite")
def test_postgresql_backup_restores_onto_a_fresh_postgresql(
    populated: dict[str, Any], tmp_path: Path, media: Path, scratch_postgres: str
) -> None:
    archive = tmp_path / "yurd.tar.gz"
    ok(yurd("backup", "--output", str(archive), database_url=source_url(tmp_path), media=media))
    with tarfile.open(archive) as tar:
        assert {"database/yurd.pgdump", "database/data.jsonl", "manifest.json"} <= set(tar.getnames())

    restored = restore_and_verify(archive, database_url=scratch_postgres, media=tmp_path / "media-pg")
    assert "(pg_restore)" in restored
    assert EvidenceItem.objects.count() == 2


# What a newcomer does next on the restored installation: register a household and
# record its return intention. Every table written here (households, people, their
# history, return intentions and the history of their members) must take new ids past
# the restored ones.
REGISTER_AFTER_RESTORE = """
import datetime as dt
from yurd.core.actors import system_actor
from yurd.places.models import Place
from yurd.registry.models import Wave
from yurd.registry.services import household_register
from yurd.returns.models import Intention
from yurd.returns.services import return_intention_record
from yurd.returns.services import return_intention_record
place = Place.objects.filter(kind="settlement").order_by("pk").first()
household = household_register(
    actor=system_actor(),
    household={"origin_place": place, "wave": Wave.objects.order_by("pk").first()},
    members=[{"surname": "Yeni", "given_name": "Aysu", "sex": "f", "birth_date": "1990", "household_role": "head"}],
)
return_intention_record(
    actor=system_actor(), household=household, survey_date=dt.date(2026, 12, 7), intention="yes",
    preferred_place=place, returning_members=list(household.members.all()),
)
print(household.code)
"""


@pytest.fixture
def populated_with_history(populated: dict[str, Any], gazetteer: Gazetteer) -> dict[str, Any]:
    """The household's return intentions (two answers, members named in the later one), as
    the demo records them: each writes history rows, and so does setting the members."""
    household = Household.objects.get(code=populated["household"])
    members = list(household.members.order_by("pk"))
    for survey_date, intention, returning in [
        (dt.date(2023, 10, 1), Intention.UNDECIDED, []),
        (dt.date(2025, 3, 1), Intention.YES, members),
    ]:
        return_intention_record(
            actor=system_actor(),
            household=household,
            survey_date=survey_date,
            intention=intention,
            preferred_place=gazetteer.settlement_a1,
            returning_members=returning,
        )
    return populated


def test_a_backup_restores_on_the_other_engine_exactly_and_takes_new_records(
    populated_with_history: dict[str, Any], tmp_path: Path, media: Path, request: pytest.FixtureRequest
) -> None:
    """SQLite into PostgreSQL in the SQLite suite, PostgreSQL into SQLite in the PostgreSQL one."""
    source = source_url(tmp_path)
    saved = table_counts(source)  # before the backup, which logs itself
    archive = tmp_path / "yurd.tar.gz"
    ok(yurd("backup", "--output", str(archive), database_url=source, media=media))
    if ON_POSTGRES:
        target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    else:
        target = request.getfixturevalue("scratch_postgres")
    restored_media = tmp_path / "media-restored"

    restored = restore_and_verify(archive, database_url=target, media=restored_media)

    assert "(json)" in restored
    assert saved["returns_historicalreturnintention"] >= 2
    assert saved["returns_historicalreturnintention_returning_members"] >= 2
    assert differing_counts(saved, table_counts(target)) == {}
    shell = ok(yurd("shell", "-c", REGISTER_AFTER_RESTORE, database_url=target, media=restored_media))
    code = shell.strip().splitlines()[-1]
    assert code.startswith("HH-")
    after = table_counts(target)
    assert after["registry_household"] == saved["registry_household"] + 1
    assert after["returns_historicalreturnintention"] > saved["returns_historicalreturnintention"]


# --- Damaged and hostile archives (in process, fast) --------------------------------


def _tar_with(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name", ["../etc/passwd", "/etc/passwd", "media/../../x", "media/a\\..\\b", "other/file", "media//x", ""]
)
def test_restore_refuses_member_names_that_escape_the_archive(name: str) -> None:
    with pytest.raises(BackupError, match="unsafe name"):
        safe_member_name(name)


def test_restore_refuses_a_path_traversal_archive_before_writing(tmp_path: Path) -> None:
    archive = tmp_path / "evil.tar.gz"
    archive.write_bytes(_tar_with({"media/../../escaped.txt": b"x"}))
    with pytest.raises(BackupError, match="unsafe name"):
        read_archive(archive, tmp_path / "work", passphrase=None)
    assert not (tmp_path / "escaped.txt").exists()


def test_restore_refuses_an_archive_whose_file_does_not_match_its_hash(tmp_path: Path) -> None:
    manifest = {
        "format": "yurd-backup",
        "version": 1,
        "members": {
            "database/data.jsonl": {"sha256": hashlib.sha256(b"[]").hexdigest(), "size": 2},
            "media/evidence/a": {"sha256": hashlib.sha256(b"original").hexdigest(), "size": 8},
        },
    }
    archive = tmp_path / "altered.tar.gz"
    archive.write_bytes(
        _tar_with(
            {
                "database/data.jsonl": b"[]",
                "media/evidence/a": b"altered!",
                "manifest.json": json.dumps(manifest).encode(),
            }
        )
    )
    with pytest.raises(BackupError, match="media/evidence/a does not match"):
        read_archive(archive, tmp_path / "work", passphrase=None)


def test_restore_refuses_garbage_and_a_truncated_archive(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage"
    garbage.write_bytes(b"not a backup at all" * 10)
    with pytest.raises(BackupError, match="damaged"):
        read_archive(garbage, tmp_path / "w1", passphrase=None)
    whole = _tar_with({"database/data.jsonl": os.urandom(50_000)})
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(BackupError):
        read_archive(truncated, tmp_path / "w2", passphrase=None)


def _encrypt(data: bytes, passphrase: str) -> bytes:
    sink = io.BytesIO()
    writer = EncryptingWriter(sink, passphrase)
    writer.write(data)
    writer.close()
    return sink.getvalue()


def test_encryption_round_trips_and_detects_a_wrong_passphrase_truncation_and_tampering() -> None:
    data = os.urandom(2 * 1024 * 1024 + 123)
    sealed = _encrypt(data, PASSPHRASE)
    assert DecryptingReader(io.BytesIO(sealed), PASSPHRASE).read() == data
    with pytest.raises(DecryptionError, match="Wrong passphrase"):
        DecryptingReader(io.BytesIO(sealed), "wrong").read()
    with pytest.raises(DecryptionError, match="truncated"):
        DecryptingReader(io.BytesIO(sealed[: -len(sealed) // 3]), PASSPHRASE).read()
    # Dropping the last whole chunk must not pass for a complete file either.
    last_chunk = 4 + 12 + 123 + 16
    with pytest.raises(DecryptionError, match="truncated"):
        DecryptingReader(io.BytesIO(sealed[:-last_chunk]), PASSPHRASE).read()
    tampered = bytearray(sealed)
    tampered[200] ^= 1
    with pytest.raises(DecryptionError):
        DecryptingReader(io.BytesIO(bytes(tampered)), PASSPHRASE).read()
