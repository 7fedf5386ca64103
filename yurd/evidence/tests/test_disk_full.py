"""The disk fills during an evidence ingest: the upload is refused with a message, nothing
is kept (no item, no custody entry, no partial file), and `yurd evidence verify` passes.

Two ways to run out of room: a 2 MiB tmpfs as the store (needs mount, as root; CI runs
as root), and a file size limit (RLIMIT_FSIZE) on a `yurd evidence add` subprocess,
which needs nothing special.
"""

from __future__ import annotations

import io
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client

from yurd.accounts.models import User
from yurd.evidence.models import CustodyEntry, EvidenceItem
from yurd.evidence.tests.conftest import ingest_bytes
from yurd.testing.installations import ON_POSTGRES

YURD = str(Path(sys.executable).with_name("yurd"))
MESSAGE = "The evidence store has no room left for this file; nothing was saved."


def files_under(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.fixture
def tiny_store(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """MEDIA_ROOT on a 2 MiB tmpfs."""
    root = tmp_path / "tiny"
    root.mkdir()
    mounted = subprocess.run(  # noqa: S603
        ["/usr/bin/mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(root)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.decode().strip()}); the RLIMIT test covers this")
    settings.MEDIA_ROOT = root
    try:
        yield root
    finally:
        subprocess.run(["/usr/bin/umount", "-l", str(root)], check=False)  # noqa: S603


@pytest.mark.django_db
def test_an_upload_that_fills_the_disk_is_refused_and_nothing_is_kept(
    client: Client, archivist: User, tiny_store: Path
) -> None:
    kept = ingest_bytes(b"a small deed, synthetic\n", name="deed.txt")
    before = (files_under(tiny_store), CustodyEntry.objects.count())
    client.force_login(archivist)

    big = io.BytesIO(os.urandom(3 * 1024 * 1024))
    big.name = "scan.tif"
    form = {"file": big, "title_en": "Scan", "kind": "other", "sensitivity": "internal"}
    response = client.post("/evidence/add/", form)

    assert response.status_code == 507
    assert MESSAGE in response.content.decode()
    assert list(EvidenceItem.objects.values_list("pk", flat=True)) == [kept.pk]
    assert (files_under(tiny_store), CustodyEntry.objects.count()) == before, "a partial copy or entry was kept"
    call_command("evidence", "verify", stdout=io.StringIO())

    # The store works again as soon as the file fits.
    assert ingest_bytes(b"another small file\n", name="note.txt").pk != kept.pk


def _no_bigger_than(limit: int) -> None:
    # SIGXFSZ would kill the process; ignored, the write fails with EFBIG instead.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.django_db(transaction=True)
def test_a_file_larger_than_the_process_may_write_is_refused_by_the_command(tmp_path: Path) -> None:
    media = tmp_path / "media"
    if ON_POSTGRES:
        db = settings.DATABASES["default"]
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        database_url = f"postgres://{db['USER']}{password}@{host}/{db['NAME']}"
    else:
        path = tmp_path / f"{uuid.uuid4().hex}.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        database_url = f"sqlite:///{path}"
        # The database file must stay writable under the limit.
        assert path.stat().st_size < 24 * 1024 * 1024
    scan = tmp_path / "scan.bin"
    scan.write_bytes(os.urandom(1024 * 1024) * 32)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": database_url,
        "YURD_MEDIA_ROOT": str(media),
    }

    def yurd(*args: str, limit: int | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - the limit is set in the child before exec
            [YURD, "evidence", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            preexec_fn=(lambda: _no_bigger_than(limit)) if limit else None,
        )

    refused = yurd("add", str(scan), limit=24 * 1024 * 1024)
    assert refused.returncode != 0
    assert MESSAGE in refused.stderr, refused.stderr
    assert not media.exists() or files_under(media) == [], "a partial copy was kept"
    verified = yurd("verify")
    assert verified.returncode == 0 and verified.stdout.startswith("OK"), verified.stdout + verified.stderr
    if ON_POSTGRES:
        assert not EvidenceItem.objects.exists()
    else:
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as check:
            assert check.execute("SELECT count(*) FROM evidence_evidenceitem").fetchone() == (0,)
