"""Writes to the evidence vault: ingest, custody appends, links, derivatives, access changes."""

from __future__ import annotations

import io
import logging
import mimetypes
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from yurd.core.access import log_access
from yurd.core.actors import Actor
from yurd.core.models import AccessAction
from yurd.evidence import storage
from yurd.evidence.chain import GENESIS_HASH, ChainEntry, item_state
from yurd.evidence.models import (
    CustodyAction,
    CustodyEntry,
    CustodyHead,
    Derivative,
    DerivativeRole,
    EvidenceItem,
    EvidenceKind,
    EvidenceLink,
    LinkRelation,
    Sensitivity,
)
from yurd.places.models import Place

THUMBNAIL_SIZE = (480, 480)

logger = logging.getLogger("yurd.evidence")

_MEDIA_TYPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,62}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,62}")


# What an item's recorded state covers (chain.item_state): everything but the derived EXIF
# and the timestamps; the file's own bytes are checked against sha256 by verify_files.
STATE_FIELDS = (
    "sha512",
    "size",
    "storage_name",
    "original_name",
    "media_type",
    "title_en",
    "title_az",
    "title_ru",
    "kind",
    "captured",
    "place_id",
    "source",
    "source_reference",
    "author",
    "method",
    "licence",
    "sensitivity",
)


def item_state_digest(item_id: int) -> str:
    """The item's state as stored now (read from the database, not from an instance)."""
    values = EvidenceItem.objects.filter(pk=item_id).values(*STATE_FIELDS).get()
    values["captured"] = "" if values["captured"] is None else values["captured"].to_storage()
    links = EvidenceLink.objects.filter(item_id=item_id).values_list("target_type", "target_code", "relation", "note")
    return item_state(values, links)


def custody_append(
    *, actor: Actor, action: str, item_sha256: str, details: dict[str, Any] | None = None
) -> CustodyEntry:
    """Append one entry to the chain. The head row is locked, so concurrent appends queue."""
    with transaction.atomic():
        head = CustodyHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head, _created = CustodyHead.objects.get_or_create(pk=1, defaults={"seq": 0, "entry_hash": ""})
            head = CustodyHead.objects.select_for_update().get(pk=1)
        chain_entry = ChainEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            actor=actor.username,
            channel=actor.channel,
            action=action,
            item_sha256=item_sha256,
            details=details or {},
            prev_hash=head.entry_hash or GENESIS_HASH,
        )
        entry_hash = chain_entry.compute_hash()
        entry = CustodyEntry.objects.create(
            seq=chain_entry.seq,
            at=chain_entry.at,
            actor=chain_entry.actor,
            channel=chain_entry.channel,
            action=action,
            item_sha256=item_sha256,
            details=chain_entry.details,
            prev_hash=chain_entry.prev_hash,
            entry_hash=entry_hash,
        )
        head.seq, head.entry_hash = entry.seq, entry_hash
        head.save(update_fields=["seq", "entry_hash"])
    return entry


@dataclass(frozen=True)
class IngestResult:
    item: EvidenceItem
    created: bool


def can_ingest(actor: Actor) -> bool:
    return actor.user is None or actor.user.has_perm("evidence.add_evidenceitem")


def evidence_ingest(
    *,
    actor: Actor,
    stream: IO[bytes] | Iterable[bytes],
    original_name: str = "",
    media_type: str = "",
    title_en: str = "",
    title_az: str = "",
    title_ru: str = "",
    kind: str = EvidenceKind.OTHER,
    captured: str = "",
    place: Place | None = None,
    source: str = "",
    source_reference: str = "",
    author: str = "",
    method: str = "",
    licence: str = "",
    sensitivity: str = Sensitivity.INTERNAL,
) -> IngestResult:
    """Store a file by its content. The same bytes a second time give back the same item."""
    if not can_ingest(actor):
        raise PermissionDenied("This user may not add evidence.")
    # NUL and control characters: PostgreSQL refuses NUL in text, and no header or file name may carry them.
    original_name = "".join(character for character in original_name if character.isprintable())
    # A client's content type is only taken when it looks like one (type/subtype, no NUL or spaces).
    if not _MEDIA_TYPE.fullmatch(media_type or ""):
        media_type = ""
    media_type = media_type or mimetypes.guess_type(original_name)[0] or "application/octet-stream"
    with storage.staged_copy(stream) as (digest, staged):
        existing = EvidenceItem.objects.filter(sha256=digest.sha256).first()
        if existing is not None:
            custody_append(
                actor=actor,
                action=CustodyAction.INGEST,
                item_sha256=digest.sha256,
                details={"again": True, "original_name": original_name},
            )
            return IngestResult(existing, created=False)
        exif = read_exif(staged) if media_type.startswith("image/") else {}
        try:
            with transaction.atomic():
                name = storage.store_original(staged, digest)
                item = EvidenceItem(
                    sha256=digest.sha256,
                    sha512=digest.sha512,
                    size=digest.size,
                    storage_name=name,
                    original_name=original_name[:255],
                    media_type=media_type,
                    title_en=title_en,
                    title_az=title_az,
                    title_ru=title_ru,
                    kind=kind,
                    captured=captured,
                    place=place,
                    source=source,
                    source_reference=source_reference,
                    author=author,
                    method=method,
                    licence=licence,
                    sensitivity=sensitivity,
                    exif=exif,
                    ingested_by=actor.user,
                )
                # Uniqueness is the database's job here (the sha256 constraint), saving two queries per file.
                item.full_clean(validate_unique=False, validate_constraints=False)
                item.save()
                custody_append(
                    actor=actor,
                    action=CustodyAction.INGEST,
                    item_sha256=item.sha256,
                    details={
                        "original_name": original_name,
                        "size": digest.size,
                        "sha512": digest.sha512,
                        "state": item_state_digest(item.pk),
                    },
                )
        except IntegrityError:
            # The same bytes arrived at the same moment through another request: same item.
            existing = EvidenceItem.objects.get(sha256=digest.sha256)
            return IngestResult(existing, created=False)
    if item.is_image:
        try:
            derivative_make_thumbnail(item=item)
        except storage.StorageFullError:
            # The original is stored and logged; a thumbnail can be made again later.
            logger.warning("No room for the thumbnail of %s.", item.sha256)
    return IngestResult(item, created=True)


def read_exif(path: Path) -> dict[str, str]:
    """EXIF tags as text, read from the staged copy; the original is opened read-only."""
    try:
        with Image.open(path) as image:
            exif = image.getexif()
    except (UnidentifiedImageError, OSError):
        return {}
    result: dict[str, str] = {}
    for tag, value in exif.items():
        name = ExifTags.TAGS.get(tag, str(tag))
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        result[name] = text.replace("\x00", "")[:500]
    return result


def derivative_make_thumbnail(*, item: EvidenceItem) -> Derivative | None:
    try:
        with default_storage.open(item.storage_name, "rb") as handle, Image.open(handle) as image:
            thumbnail = ImageOps.exif_transpose(image).convert("RGB")
            thumbnail.thumbnail(THUMBNAIL_SIZE)
            buffer = io.BytesIO()
            thumbnail.save(buffer, format="JPEG", quality=82)
    except (UnidentifiedImageError, OSError):
        return None
    content = buffer.getvalue()
    name = storage.store_derivative(storage.derivative_name(item.sha256, DerivativeRole.THUMBNAIL, "jpg"), content)
    derivative, _created = Derivative.objects.update_or_create(
        item=item,
        role=DerivativeRole.THUMBNAIL,
        defaults={
            "storage_name": name,
            "sha256": storage.digest_chunks([content], sha512=False).sha256,
            "media_type": "image/jpeg",
        },
    )
    return derivative


def derivative_add(
    *, actor: Actor, item: EvidenceItem, role: str, stream: IO[bytes] | Iterable[bytes], extension: str, media_type: str
) -> Derivative:
    """Store a working copy made from an original (a redacted copy, a transcript). The original stays as it is."""
    if actor.user is not None and not actor.user.has_perm("evidence.change_evidenceitem"):
        raise PermissionDenied("This user may not add derivatives.")
    if role not in DerivativeRole.values:
        raise ValueError(f"Unknown derivative role {role!r}")
    with storage.staged_copy(stream) as (digest, staged):
        content = staged.read_bytes()
    name = storage.store_derivative(storage.derivative_name(item.sha256, role, extension), content)
    with transaction.atomic():
        derivative, _created = Derivative.objects.update_or_create(
            item=item, role=role, defaults={"storage_name": name, "sha256": digest.sha256, "media_type": media_type}
        )
        custody_append(
            actor=actor,
            action=CustodyAction.DERIVE,
            item_sha256=item.sha256,
            details={"derivative": role, "derivative_sha256": digest.sha256},
        )
    return derivative


def evidence_link(
    *, actor: Actor, item: EvidenceItem, target_type: str, target_code: str, relation: str = LinkRelation.DOCUMENTS
) -> EvidenceLink:
    with transaction.atomic():
        link, created = EvidenceLink.objects.update_or_create(
            item=item, target_type=target_type, target_code=target_code, defaults={"relation": relation}
        )
        # The chain records every link, so a link added or removed in the database is found by verify.
        custody_append(
            actor=actor,
            action=CustodyAction.METADATA,
            item_sha256=item.sha256,
            details={
                "linked": f"{target_type}:{target_code}",
                "relation": relation,
                "new": created,
                "state": item_state_digest(item.pk),
            },
        )
    return link


def evidence_record_view(*, actor: Actor, item: EvidenceItem) -> None:
    with transaction.atomic():
        custody_append(actor=actor, action=CustodyAction.VIEW, item_sha256=item.sha256)
        log_access(actor, AccessAction.VIEW, item)


def evidence_record_download(
    *, actor: Actor, item: EvidenceItem, derivative: str = "", byte_range: tuple[int, int] | None = None
) -> None:
    """A download, whole or a byte range of it (a player seeking), in custody and access logs."""
    with transaction.atomic():
        details: dict[str, Any] = {"derivative": derivative} if derivative else {}
        if byte_range is not None:
            details["bytes"] = f"{byte_range[0]}-{byte_range[1]}"
        custody_append(actor=actor, action=CustodyAction.DOWNLOAD, item_sha256=item.sha256, details=details)
        log_access(actor, AccessAction.DOWNLOAD, item, detail=details)


def evidence_record_transfer(*, actor: Actor, item: EvidenceItem, recipient: str, note: str = "") -> CustodyEntry:
    return custody_append(
        actor=actor,
        action=CustodyAction.TRANSFER,
        item_sha256=item.sha256,
        details={"recipient": recipient, "note": note},
    )


def evidence_change_sensitivity(*, actor: Actor, item: EvidenceItem, sensitivity: str, reason: str) -> EvidenceItem:
    if actor.user is not None and not actor.user.has_perm("evidence.change_sensitivity"):
        raise PermissionDenied("This user may not change the sensitivity of evidence.")
    if sensitivity not in Sensitivity.values:
        raise ValueError(f"Unknown sensitivity {sensitivity!r}")
    with transaction.atomic():
        locked = EvidenceItem.objects.select_for_update().get(pk=item.pk)
        before = locked.sensitivity
        locked.sensitivity = sensitivity
        locked.full_clean()
        locked.save(update_fields=["sensitivity", "updated_at"])
        custody_append(
            actor=actor,
            action=CustodyAction.ACCESS_CHANGE,
            item_sha256=locked.sha256,
            details={"from": before, "to": sensitivity, "reason": reason, "state": item_state_digest(locked.pk)},
        )
    return locked
