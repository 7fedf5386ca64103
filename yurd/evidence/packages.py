"""Evidence packages: a BagIt (RFC 8493) bag of originals, their metadata, custody entries and the chain head."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import bagit
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from yurd.core.access import log_access
from yurd.core.actors import Actor
from yurd.core.models import AccessAction
from yurd.core.uploads import safe_filename
from yurd.evidence import integrity
from yurd.evidence.models import CustodyAction, CustodyEntry, EvidenceItem
from yurd.evidence.services import custody_append


class PackageError(Exception):
    pass


def item_metadata(item: EvidenceItem) -> dict[str, Any]:
    return {
        "public_code": str(item.public_code),
        "sha256": item.sha256,
        "sha512": item.sha512,
        "size": item.size,
        "original_name": item.original_name,
        "media_type": item.media_type,
        "title": {"en": item.title_en, "az": item.title_az, "ru": item.title_ru},
        "kind": item.kind,
        "captured": EvidenceItem._meta.get_field("captured").value_to_string(item) or None,
        "place": item.place.code if item.place else None,
        "source": item.source,
        "source_reference": item.source_reference,
        "author": item.author,
        "method": item.method,
        "licence": item.licence,
        "sensitivity": item.sensitivity,
        "exif": item.exif,
        "links": [
            {"target_type": link.target_type, "target_code": link.target_code, "relation": link.relation}
            for link in item.links.all()
        ],
        "ingested_at": item.created_at.isoformat(),
    }


def _entry_json(entry: CustodyEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "channel": entry.channel,
        "action": entry.action,
        "item_sha256": entry.item_sha256,
        "details": entry.details,
        "prev_hash": entry.prev_hash,
        "entry_hash": entry.entry_hash,
    }


def evidence_package(
    *, actor: Actor, items: QuerySet[EvidenceItem], output: Path, purpose: str, selection: str
) -> bagit.Bag:
    """Write the bag to `output` (which must not exist or be empty). Logs an export per item."""
    if actor.user is not None and not actor.user.has_perm("evidence.export_evidence"):
        raise PackageError("This user may not export evidence packages.")
    if output.exists() and any(output.iterdir()):
        raise PackageError(f"{output} is not empty")
    items = items.select_related("place").prefetch_related("links").order_by("sha256")
    output.mkdir(parents=True, exist_ok=True)
    hashes = []
    for item in items:
        folder = output / "items" / item.sha256
        folder.mkdir(parents=True)
        # The name came from whoever uploaded the file: one plain component, and never
        # the metadata file's name, so that unpacking the bag anywhere stays in its folder.
        name = safe_filename(item.original_name, default="original")
        if name == "metadata.json":
            name = "original-metadata.json"
        with default_storage.open(item.storage_name, "rb") as source, (folder / name).open("wb") as target:
            shutil.copyfileobj(source, target, length=1024 * 1024)
        (folder / "metadata.json").write_text(
            json.dumps(item_metadata(item), ensure_ascii=False, indent=2), encoding="utf-8"
        )
        hashes.append(item.sha256)
    with transaction.atomic():
        for sha256 in hashes:
            custody_append(
                actor=actor,
                action=CustodyAction.EXPORT,
                item_sha256=sha256,
                details={"package": selection, "purpose": purpose},
            )
        log_access(
            actor,
            AccessAction.EXPORT,
            EvidenceItem,
            purpose=purpose,
            detail={"selection": selection, "items": len(hashes)},
        )
    with (output / "custody.jsonl").open("w", encoding="utf-8") as handle:
        for entry in CustodyEntry.objects.filter(item_sha256__in=hashes).order_by("seq").iterator():
            handle.write(json.dumps(_entry_json(entry), ensure_ascii=False) + "\n")
    (output / "chain-head.json").write_text(json.dumps(integrity.current_head(), indent=2), encoding="utf-8")
    return bagit.make_bag(
        str(output),
        bag_info={
            "Source-Organization": "Yurd",
            "Bagging-Date": timezone.localdate().isoformat(),
            "External-Description": f"Yurd evidence package: {selection}",
            "Yurd-Purpose": purpose,
            "Yurd-Item-Count": str(len(hashes)),
        },
        checksums=["sha256", "sha512"],
    )
