from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image
from pytest_django import Settings

from yurd.core.actors import system_actor
from yurd.evidence.models import EvidenceItem, EvidenceKind, Sensitivity
from yurd.evidence.services import evidence_ingest


def photo_bytes(colour: str = "red", size: tuple[int, int] = (64, 48)) -> bytes:
    """A synthetic JPEG with an EXIF block (camera make and a capture time)."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x010F] = "SyntheticCam"  # Make
    exif[0x0132] = "2021:08:14 10:00:00"  # DateTime
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def ingest_bytes(
    content: bytes, *, name: str = "file.bin", sensitivity: str = Sensitivity.INTERNAL, **extra: Any
) -> EvidenceItem:
    return evidence_ingest(
        actor=system_actor(),
        stream=io.BytesIO(content),
        original_name=name,
        sensitivity=sensitivity,
        **extra,
    ).item


@pytest.fixture
def photo_item(db: None) -> EvidenceItem:
    return ingest_bytes(photo_bytes(), name="mosque.jpg", kind=EvidenceKind.PHOTO, title_en="Mosque, north wall")


@pytest.fixture
def restricted_item(db: None) -> EvidenceItem:
    return ingest_bytes(
        b"witness statement, synthetic",
        name="statement.txt",
        sensitivity=Sensitivity.RESTRICTED,
        title_en="Restricted statement",
    )


@pytest.fixture
def public_item(db: None) -> EvidenceItem:
    return ingest_bytes(
        b"public archival note, synthetic", name="note.txt", sensitivity=Sensitivity.PUBLIC, title_en="Public note"
    )


@pytest.fixture(autouse=True)
def isolated_media(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test gets its own empty store, since the database is rolled back between tests."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
