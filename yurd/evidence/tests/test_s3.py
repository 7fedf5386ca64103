"""Evidence in an S3-compatible object store, against moto's S3 server on loopback.

In process: ingest into a bucket, verify, and find a replaced or deleted object.
As an operator would: `yurd backup` of an installation whose evidence is in one
bucket, `yurd restore` onto a fresh database and an empty bucket, `yurd evidence
verify` there; all three with the production settings and YURD_S3_* variables of
docs/deployment.md.
"""

from __future__ import annotations

import functools
import io
import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from yurd.core.actors import system_actor
from yurd.evidence.models import EvidenceItem
from yurd.evidence.services import evidence_ingest
from yurd.evidence.storage import original_name
from yurd.testing.installations import ON_POSTGRES

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

YURD = str(Path(sys.executable).with_name("yurd"))
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
SECRET = "s3-test-" + "k3y-Z7" * 10


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Any:
    """A client on the emulator, with fresh source and target buckets named for the test."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    stem = request.node.name.replace("_", "-")[:40].strip("-").lower()
    client.buckets = {"source": f"{stem}-src", "target": f"{stem}-dst"}
    for bucket in client.buckets.values():
        client.create_bucket(Bucket=bucket)
    return client


@pytest.fixture
def s3_storage(s3: Any, s3_endpoint: str, settings: Any) -> Any:
    """The default storage is the source bucket, configured as production does."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": s3.buckets["source"],
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }
    return s3


def keys(client: Any, bucket: str) -> list[str]:
    listing = client.list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def verify() -> tuple[bool, str]:
    out = io.StringIO()
    try:
        call_command("evidence", "verify", stdout=out)
    except CommandError:
        return False, out.getvalue()
    return True, out.getvalue()


def ingest(content: bytes, name: str) -> EvidenceItem:
    return evidence_ingest(actor=system_actor(), stream=io.BytesIO(content), original_name=name, title_en=name).item


@pytest.mark.django_db
def test_evidence_ingested_into_a_bucket_verifies_and_a_replaced_object_is_named(s3_storage: Any) -> None:
    bucket = s3_storage.buckets["source"]
    deed = ingest(b"title deed of 1978, synthetic\n", "deed.txt")
    photo = ingest(os.urandom(3 * 1024 * 1024 + 17), "scan.bin")  # several streamed chunks
    assert keys(s3_storage, bucket) == sorted([original_name(deed.sha256), original_name(photo.sha256)])
    assert not any(key.startswith("evidence-staging/") for key in keys(s3_storage, bucket))
    assert ingest(b"title deed of 1978, synthetic\n", "again.txt").pk == deed.pk

    ok, output = verify()
    assert ok, output

    # Someone with the bucket's keys replaces an original (object lock would refuse this).
    s3_storage.put_object(Bucket=bucket, Key=deed.storage_name, Body=b"title deed of 1987, synthetic\n")
    ok, output = verify()
    assert not ok
    assert output.startswith(f"{deed.sha256}: file was altered"), output

    s3_storage.delete_object(Bucket=bucket, Key=photo.storage_name)
    ok, output = verify()
    assert f"{photo.sha256}: file is missing from storage" in output


def _source_database_url(tmp_path: Path) -> str:
    if ON_POSTGRES:
        db = settings.DATABASES["default"]
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"

    path = tmp_path / "source.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


def yurd(*args: str, database_url: str, bucket: str, endpoint: str, tmp_path: Path) -> str:
    env = {
        **os.environ,
        **CREDENTIALS,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "yurd.example.org",
        "YURD_VAR_DIR": str(tmp_path / "var"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "YURD_S3_BUCKET": bucket,
        "YURD_S3_ENDPOINT_URL": endpoint,
        "YURD_S3_REGION": "us-east-1",
    }
    result = subprocess.run([YURD, *args], env=env, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_backup_of_a_bucket_restores_into_an_empty_bucket_and_verifies(
    s3_storage: Any, s3_endpoint: str, tmp_path: Path
) -> None:
    items = [ingest(b"statement, synthetic\n", "statement.txt"), ingest(os.urandom(200_000), "photo.bin")]
    source, target = s3_storage.buckets["source"], s3_storage.buckets["target"]
    archive = tmp_path / "yurd.backup"
    run = functools.partial(yurd, endpoint=s3_endpoint, tmp_path=tmp_path)

    out = run("backup", "--output", str(archive), database_url=_source_database_url(tmp_path), bucket=source)
    assert "2 files)" in out, out

    restored_db = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    run("restore", str(archive), database_url=restored_db, bucket=target)
    assert keys(s3_storage, target) == keys(s3_storage, source) == sorted(item.storage_name for item in items)
    assert run("evidence", "verify", database_url=restored_db, bucket=target).startswith("OK")

    # The restored pair is checked, not trusted: a replaced object in the new bucket is found.
    s3_storage.put_object(Bucket=target, Key=items[0].storage_name, Body=b"another statement\n")
    with pytest.raises(AssertionError, match="file was altered"):
        run("evidence", "verify", database_url=restored_db, bucket=target)
