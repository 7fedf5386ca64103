"""One consistent archive of the database and the stored files, and its restore.

An archive (tar.gz, optionally encrypted, see yurd.core.encryption) holds:

- `database/yurd.sqlite3` (SQLite: the online backup API's snapshot) or
  `database/yurd.pgdump` (PostgreSQL: `pg_dump --format=custom`, when pg_dump exists);
- `database/data.jsonl`: the same snapshot as portable JSON Lines (every model,
  change history included; content types and permissions by natural key), so a
  backup restores into the other database engine too;
- `media/...`: every file of the default storage (evidence originals, uploads);
- `manifest.json` (last): format, engine, applied migrations, row counts, and the
  SHA-256 and size of every other member.

Restore reads and checks the whole archive before it touches anything, refuses a
database that already holds records unless forced, restores natively when the
engines match and from the JSON otherwise, copies the files back and compares
row counts with the manifest.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.test.utils import override_settings
from django.utils import timezone

from yurd.core.encryption import DecryptingReader, DecryptionError, EncryptingWriter, is_encrypted
from yurd.core.models import DerivedKeys
from yurd.core.storage import make_read_only, stored_chunks

FORMAT = "yurd-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATA_JSON = "database/data.jsonl"
SQLITE_FILE = "database/yurd.sqlite3"
PG_DUMP = "database/yurd.pgdump"
MEDIA_PREFIX = "media/"
# Rebuilt by migrate (content types, permissions, the fingerprints of derived keys) or
# worthless elsewhere (sessions, the heartbeats of the workers running now).
EXCLUDED_MODELS = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "core.workerheartbeat",
    "core.derivedkeys",
}
# Work in progress on disk, not data: an ingest's temporary copy.
SKIPPED_MEDIA_PREFIXES = ("evidence-staging/",)
_CHUNK = 1024 * 1024
_SNAPSHOT_ALIAS = "yurd_backup_snapshot"

Say = Callable[[str], None]


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why."""


@dataclass
class BackupSummary:
    path: Path
    engine: str
    rows: int
    files: int
    size: int
    encrypted: bool
    members: dict[str, dict[str, Any]] = field(default_factory=dict)


def engine_of(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


# --- JSON of every model ------------------------------------------------------------


class _ExactEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes to milliseconds; custody hashes need microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def dumped_models() -> list[type[models.Model]]:
    app_list = [(config, None) for config in apps.get_app_configs() if config.models_module is not None]
    ordered = serializers.sort_dependencies(app_list, allow_cycles=True)
    return [
        model
        for model in ordered
        if model._meta.label_lower not in EXCLUDED_MODELS and model._meta.managed and not model._meta.proxy
    ]


def write_json(path: Path, *, using: str) -> dict[str, int]:
    """Stream every model's rows as JSON Lines; returns rows per model label."""
    counts: dict[str, int] = {}
    with path.open("w", encoding="utf-8") as out:
        for model in dumped_models():
            queryset = model._base_manager.using(using).order_by(model._meta.pk.name)
            counts[model._meta.label_lower] = queryset.count()
            serializers.serialize(
                "jsonl",
                queryset.iterator(chunk_size=2000),
                stream=out,
                cls=_ExactEncoder,
                use_natural_foreign_keys=True,
                # Groups are recreated by migrate under other ids; match them by name.
                use_natural_primary_keys=model is Group,
            )
    return counts


def applied_migrations(using: str = "default") -> list[str]:
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.applied_migrations)


# --- Database snapshots -------------------------------------------------------------


@contextmanager
def _extra_connection(path: Path) -> Iterator[str]:
    """A second SQLite connection alias on the snapshot file."""
    config = {**settings.DATABASES["default"], "NAME": str(path)}
    configured = connections.configure_settings({"default": config})["default"]
    connections.settings[_SNAPSHOT_ALIAS] = configured
    try:
        yield _SNAPSHOT_ALIAS
    finally:
        connections[_SNAPSHOT_ALIAS].close()
        local = connections._connections  # type: ignore[attr-defined]
        if hasattr(local, _SNAPSHOT_ALIAS):
            delattr(local, _SNAPSHOT_ALIAS)
        del connections.settings[_SNAPSHOT_ALIAS]


def _sqlite_copy(source: str | Path, destination: str | Path) -> None:
    """SQLite's online backup API: a consistent copy while others keep writing."""
    src = sqlite3.connect(str(source), timeout=30)
    dst = sqlite3.connect(str(destination), timeout=30)
    try:
        with dst:
            src.backup(dst, pages=4096)
    finally:
        dst.close()
        src.close()


def _pg_env() -> dict[str, str]:
    db: dict[str, Any] = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[variable] = str(db[key])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def _run(command: list[str], *, env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def snapshot_database(workdir: Path, say: Say) -> tuple[dict[str, Path], dict[str, int], list[str]]:
    """Write the database snapshot files into workdir; (archive name → file, row counts, migrations)."""
    engine = engine_of()
    files: dict[str, Path] = {}
    migrations = applied_migrations()
    if engine == "sqlite":
        copy = workdir / "yurd.sqlite3"
        _sqlite_copy(str(settings.DATABASES["default"]["NAME"]), copy)
        files[SQLITE_FILE] = copy
        say("Copied the SQLite database (online backup).")
        with _extra_connection(copy) as alias:
            counts = write_json(workdir / "data.jsonl", using=alias)
    else:
        connection = connections["default"]
        with transaction.atomic(), connection.cursor() as cursor:
            # One snapshot for pg_dump and the JSON: both see the same moment.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            pg_dump = shutil.which("pg_dump")
            if pg_dump:
                dump = workdir / "yurd.pgdump"
                _run(
                    [
                        pg_dump,
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        f"--file={dump}",
                        f"--dbname={settings.DATABASES['default']['NAME']}",
                    ],
                    env=_pg_env(),
                )
                files[PG_DUMP] = dump
                say("Dumped the PostgreSQL database (pg_dump, custom format).")
            else:
                say("pg_dump is not installed: the archive holds the portable JSON only.")
            counts = write_json(workdir / "data.jsonl", using="default")
    files[DATA_JSON] = workdir / "data.jsonl"
    say(f"Wrote {sum(counts.values())} rows of {len(counts)} models as JSON Lines.")
    return files, counts, migrations


# --- Archive writing ----------------------------------------------------------------


class _ChunkReader:
    """A read(size) interface over an iterator of chunks (a stored object's stream)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks
        self.chunk = b""
        self.offset = 0

    def read(self, size: int = -1) -> bytes:
        parts = []
        wanted = size
        while wanted != 0:
            if self.offset >= len(self.chunk):
                self.chunk, self.offset = next(self.chunks, b""), 0
                if not self.chunk:
                    break
            end = len(self.chunk) if wanted < 0 else min(len(self.chunk), self.offset + wanted)
            parts.append(self.chunk[self.offset : end])
            if wanted > 0:
                wanted -= end - self.offset
            self.offset = end
        return b"".join(parts)


class _HashingReader:
    def __init__(self, handle: IO[bytes] | _ChunkReader) -> None:
        self.handle = handle
        self.hash = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.hash.update(data)
        self.size += len(data)
        return data


def _file_digest(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def media_names(storage: Storage | None = None) -> Iterator[str]:
    """Every stored file's name, by walking the storage (local disk or object store)."""
    storage = storage or default_storage

    def walk(prefix: str) -> Iterator[str]:
        try:
            directories, files = storage.listdir(prefix)
        except FileNotFoundError:
            return
        for name in sorted(files):
            yield f"{prefix}{name}"
        for directory in sorted(directories):
            yield from walk(f"{prefix}{directory}/")

    for name in walk(""):
        if not name.startswith(SKIPPED_MEDIA_PREFIXES):
            yield name


def _tar_info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(timezone.now().timestamp())
    return info


def create_backup(output: Path, *, passphrase: str | None = None, say: Say = lambda message: None) -> BackupSummary:
    """Write the archive to `output` (atomically: a .partial file renamed at the end)."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    members: dict[str, dict[str, Any]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="yurd-backup-", dir=output.parent) as tmp:
            db_files, counts, migrations = snapshot_database(Path(tmp), say)
            # Personal data: readable by the owner only.
            with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as raw:
                sink: Any = EncryptingWriter(raw, passphrase) if passphrase else raw
                with tarfile.open(fileobj=sink, mode="w|gz") as tar:
                    for name, path in db_files.items():
                        members[name] = _file_digest(path)
                        with path.open("rb") as handle:
                            tar.addfile(_tar_info(name, members[name]["size"]), handle)
                    media = 0
                    for name in media_names():
                        with stored_chunks(name) as chunks:
                            reader = _HashingReader(_ChunkReader(chunks))
                            tar.addfile(_tar_info(MEDIA_PREFIX + name, default_storage.size(name)), reader)
                        members[MEDIA_PREFIX + name] = {"sha256": reader.hash.hexdigest(), "size": reader.size}
                        media += 1
                    say(f"Added {media} stored files.")
                    manifest = {
                        "format": FORMAT,
                        "version": VERSION,
                        "created_at": timezone.now().isoformat(),
                        "engine": engine_of(),
                        "migrations": migrations,
                        "counts": counts,
                        "members": members,
                    }
                    body = json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8")
                    tar.addfile(_tar_info(MANIFEST, len(body)), _BytesReader(body))
                if passphrase:
                    sink.close()
                raw.flush()
                os.fsync(raw.fileno())
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupSummary(
        path=output,
        engine=engine_of(),
        rows=sum(counts.values()),
        files=media,
        size=output.stat().st_size,
        encrypted=bool(passphrase),
        members=members,
    )


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk = self.data[self.offset : end]
        self.offset += len(chunk)
        return chunk


# --- Reading and checking an archive ------------------------------------------------


def safe_member_name(name: str) -> str:
    """The member's name if it is a plain relative path inside the archive's layout, else BackupError."""
    path = PurePosixPath(name)
    parts = path.parts
    if (
        not parts
        or path.is_absolute()
        or any(part in {"", ".", ".."} for part in parts)
        or "\\" in name
        or "//" in name
        or "\x00" in name
        or not (name == MANIFEST or name.startswith(("database/", MEDIA_PREFIX)))
    ):
        raise BackupError(f"The archive holds a member with an unsafe name: {name!r}.")
    return name


def _unpack(source: IO[bytes], workdir: Path) -> dict[str, dict[str, Any]]:
    """Write every member under workdir, hashing it on the way; returns name → sha256 and size."""
    seen: dict[str, dict[str, Any]] = {}
    with tarfile.open(fileobj=source, mode="r|gz") as tar:
        for member in tar:
            name = safe_member_name(member.name)
            handle = tar.extractfile(member) if member.isfile() else None
            if handle is None:
                raise BackupError(f"The archive member {name!r} is not a regular file.")
            if name in seen:
                raise BackupError(f"The archive holds {name!r} twice.")
            destination = workdir / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            size = 0
            with destination.open("wb") as out:
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            seen[name] = {"sha256": digest.hexdigest(), "size": size}
    return seen


def _check_manifest(workdir: Path, seen: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if MANIFEST not in seen:
        raise BackupError("The archive has no manifest: it is incomplete or not a Yurd backup.")
    manifest: dict[str, Any] = json.loads((workdir / MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError("The archive is not a Yurd backup of a version this Yurd can restore.")
    expected: dict[str, dict[str, Any]] = manifest["members"]
    for name, facts in expected.items():
        got = seen.get(name)
        if got is None:
            raise BackupError(f"{name} is listed in the manifest but missing from the archive.")
        if got != facts:
            raise BackupError(f"{name} does not match its recorded SHA-256 and size: the archive was altered.")
    extra = set(seen) - set(expected) - {MANIFEST}
    if extra:
        raise BackupError(f"The archive holds files its manifest does not list: {', '.join(sorted(extra)[:5])}.")
    if DATA_JSON not in expected:
        raise BackupError("The archive holds no database.")
    return manifest


def read_archive(path: Path, workdir: Path, *, passphrase: str | None) -> dict[str, Any]:
    """Unpack into workdir, checking every member against the manifest; return the manifest."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    with path.open("rb") as raw:
        source: Any = raw
        if is_encrypted(path):
            if not passphrase:
                raise BackupError("This backup is encrypted: give its passphrase with --passphrase-env VARIABLE.")
            source = DecryptingReader(raw, passphrase)
        try:
            seen = _unpack(source, workdir)
        except (tarfile.TarError, EOFError, gzip.BadGzipFile, zlib.error, DecryptionError) as error:
            raise BackupError(f"The archive is damaged or not a Yurd backup ({error}).") from error
    return _check_manifest(workdir, seen)


# --- Restore ------------------------------------------------------------------------


def _record_models() -> list[type[models.Model]]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    chosen = [user_model]
    for config in apps.get_app_configs():
        if config.name.startswith("yurd."):
            chosen.extend(model for model in config.get_models() if model._meta.managed and not model._meta.proxy)
    return chosen


def database_is_empty() -> bool:
    """True when no table of Yurd's holds a row (a fresh or freshly migrated database)."""
    tables = set(connections["default"].introspection.table_names())
    return not any(model._meta.db_table in tables and model._base_manager.exists() for model in _record_models())


def _check_migrations(manifest: dict[str, Any]) -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    unknown = sorted(set(manifest["migrations"]) - known)
    if unknown:
        raise BackupError(
            "The backup comes from a newer Yurd: these migrations are unknown here: " + ", ".join(unknown[:5])
        )


def _restore_sqlite(file: Path) -> None:
    connections.close_all()
    _sqlite_copy(file, str(settings.DATABASES["default"]["NAME"]))


def _restore_pg(file: Path) -> None:
    pg_restore = shutil.which("pg_restore")
    if pg_restore is None:
        raise BackupError("pg_restore is not installed.")
    connections.close_all()
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={settings.DATABASES['default']['NAME']}",
            str(file),
        ],
        env=_pg_env(),
    )


def _restore_json(file: Path, *, force: bool) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    # Data migrations seed rows (waves, categories) the backup holds as they were,
    # perhaps edited or deleted: empty every table, then load exactly what was saved.
    # Flush re-creates content types, permissions and role groups.
    call_command("flush", interactive=False, verbosity=0)
    # The backup holds the change history as it was. Loading a model with a tracked
    # many-to-many field (a return intention's returning members) sets that field, and
    # django-simple-history records every such change as a new history row, numbered
    # from the start of its sequence: the saved history rows then clash with them
    # (IntegrityError on the history's primary key), or on SQLite the restored history
    # would hold rows that never existed. History is off while the saved rows load.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        call_command("loaddata", str(file), verbosity=0)


def restore_files(workdir: Path, manifest: dict[str, Any], *, force: bool) -> int:
    restored = 0
    for member, facts in manifest["members"].items():
        if not member.startswith(MEDIA_PREFIX):
            continue
        name = member[len(MEDIA_PREFIX) :]
        source = workdir / member
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                current = _HashingReader(handle)
                while current.read(_CHUNK):
                    pass
            if current.hash.hexdigest() == facts["sha256"]:
                continue
            if not force:
                raise BackupError(f"The stored file {name} exists with other content; restore with --force.")
            default_storage.delete(name)
        with source.open("rb") as handle:
            saved = default_storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"The storage saved {name} as {saved}.")
        if name.startswith("evidence/"):
            make_read_only(name)
        restored += 1
    return restored


def compare_counts(manifest: dict[str, Any]) -> list[str]:
    problems = []
    for label, expected in sorted(manifest["counts"].items()):
        try:
            model = apps.get_model(label)
        except LookupError:
            problems.append(f"{label}: the model no longer exists")
            continue
        actual = model._base_manager.count()
        # Role groups are recreated by migrate, so there may be more than were saved.
        if actual != expected and not (label == "auth.group" and actual >= expected):
            problems.append(f"{label}: {actual} rows, the backup holds {expected}")
    return problems


def restore_backup(
    path: Path, *, passphrase: str | None = None, force: bool = False, say: Say = lambda message: None
) -> dict[str, Any]:
    """Restore an archive onto this installation's database and storage; returns a summary."""
    with tempfile.TemporaryDirectory(prefix="yurd-restore-") as tmp:
        workdir = Path(tmp)
        manifest = read_archive(path, workdir, passphrase=passphrase)
        say(f"The archive is complete: {len(manifest['members'])} files match their SHA-256.")
        _check_migrations(manifest)
        if not force and not database_is_empty():
            raise BackupError("The database already holds records; restore onto an empty one, or use --force.")
        target = engine_of()
        members = manifest["members"]
        if target == manifest["engine"] == "sqlite" and SQLITE_FILE in members:
            _restore_sqlite(workdir / SQLITE_FILE)
            method = "sqlite backup"
        elif target == manifest["engine"] == "postgresql" and PG_DUMP in members and shutil.which("pg_restore"):
            _restore_pg(workdir / PG_DUMP)
            method = "pg_restore"
        else:
            _restore_json(workdir / DATA_JSON, force=force)
            method = "json"
        # The restored rows' search and sort keys were computed by the rules of the release
        # that wrote the backup: the migrate below recomputes them all (yurd.core.derived).
        DerivedKeys.objects.all().delete()
        call_command("migrate", interactive=False, verbosity=0)
        say(f"Restored the database ({method}).")
        files = restore_files(workdir, manifest, force=force)
        say(f"Restored {files} stored files.")
        problems = compare_counts(manifest)
        if problems:
            raise BackupError("Row counts differ after the restore: " + "; ".join(problems[:10]))
    return {"method": method, "files": files, "rows": sum(manifest["counts"].values())}
