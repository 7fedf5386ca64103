from __future__ import annotations

import hashlib
import io
import os
import stat
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.management import call_command

from yurd.accounts.models import User
from yurd.core.actors import Actor
from yurd.evidence.models import CustodyEntry, Derivative, DerivativeRole, EvidenceItem
from yurd.evidence.services import derivative_add, evidence_ingest
from yurd.evidence.storage import original_name
from yurd.evidence.tests.conftest import ingest_bytes, photo_bytes

pytestmark = pytest.mark.django_db


def test_same_bytes_twice_give_the_same_item() -> None:
    first = ingest_bytes(b"synthetic bytes", name="a.txt")
    second = ingest_bytes(b"synthetic bytes", name="copy-of-a.txt")
    assert first.pk == second.pk
    assert EvidenceItem.objects.count() == 1
    assert first.sha256 == hashlib.sha256(b"synthetic bytes").hexdigest()
    assert first.sha512 == hashlib.sha512(b"synthetic bytes").hexdigest()
    # Both submissions are in the custody log.
    assert CustodyEntry.objects.filter(item_sha256=first.sha256, action="ingest").count() == 2


def test_original_is_stored_read_only_under_its_content_address() -> None:
    item = ingest_bytes(b"original", name="o.txt")
    assert item.storage_name == original_name(item.sha256)
    assert item.storage_name == f"evidence/{item.sha256[:2]}/{item.sha256[2:4]}/{item.sha256}"
    path = Path(default_storage.path(item.storage_name))
    assert path.read_bytes() == b"original"
    assert not os.stat(path).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def test_photo_exif_is_read_and_a_thumbnail_is_a_separate_file() -> None:
    content = photo_bytes()
    item = ingest_bytes(content, name="site.jpg")
    assert item.media_type == "image/jpeg"
    assert item.exif["Make"] == "SyntheticCam"
    thumbnail = Derivative.objects.get(item=item, role=DerivativeRole.THUMBNAIL)
    assert thumbnail.storage_name != item.storage_name
    with default_storage.open(item.storage_name, "rb") as handle:
        assert handle.read() == content


def test_outsider_may_not_ingest(outsider: User) -> None:
    with pytest.raises(PermissionDenied):
        evidence_ingest(actor=Actor(user=outsider), stream=io.BytesIO(b"x"), original_name="x.txt")


def test_cli_add_prints_each_sha256(tmp_path: Path) -> None:
    first = tmp_path / "one.txt"
    first.write_bytes(b"one")
    second = tmp_path / "two.txt"
    second.write_bytes(b"two")
    out = io.StringIO()
    call_command(
        "evidence", "add", str(first), str(second), "--source", "Synthetic archive", "--captured", "11.1988", stdout=out
    )
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(hashlib.sha256(b"one").hexdigest())
    assert lines[1].startswith(hashlib.sha256(b"two").hexdigest())
    item = EvidenceItem.objects.get(sha256=hashlib.sha256(b"one").hexdigest())
    assert item.source == "Synthetic archive"
    assert str(item.captured) == "11.1988"


def test_redacted_copy_is_a_separate_file_and_the_original_is_untouched(archivist: User) -> None:
    item = ingest_bytes(b"name: synthetic person; address: synthetic street", name="letter.txt")
    derivative = derivative_add(
        actor=Actor(user=archivist),
        item=item,
        role=DerivativeRole.REDACTED,
        stream=[b"name: [redacted]; address: [redacted]"],
        extension="txt",
        media_type="text/plain",
    )
    assert derivative.storage_name != item.storage_name
    with default_storage.open(item.storage_name, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == item.sha256
    assert CustodyEntry.objects.filter(item_sha256=item.sha256, action="derive").exists()
