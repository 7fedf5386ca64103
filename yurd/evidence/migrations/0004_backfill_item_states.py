"""Record the state of every item the custody chain holds no state for (issue 15, finding 15).

Items ingested before states were recorded were skipped by `yurd evidence verify`: a
change of their sensitivity, links or metadata made in the database went unnoticed. This
appends one "metadata" entry per such item to the chain, carrying the state as found now
(marked as a back-fill), so that verify checks every item from here on.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.utils import timezone

from yurd.evidence.chain import GENESIS_HASH, ChainEntry, item_state

# evidence.services.STATE_FIELDS as it stands for this migration.
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
NOTE = "state recorded by migration evidence.0004 for an item ingested before states were"


def backfill_states(apps: Any, schema_editor: Any) -> None:
    item_model = apps.get_model("evidence", "EvidenceItem")
    link_model = apps.get_model("evidence", "EvidenceLink")
    entry_model = apps.get_model("evidence", "CustodyEntry")
    head_model = apps.get_model("evidence", "CustodyHead")
    recorded = {
        sha256
        for sha256, details in entry_model.objects.values_list("item_sha256", "details").iterator(chunk_size=2000)
        if (details or {}).get("state")
    }
    missing = item_model.objects.exclude(sha256__in=recorded).order_by("pk").values_list("pk", flat=True)
    ids = list(missing)
    if not ids:
        return
    head = head_model.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = head_model.objects.create(pk=1, seq=0, entry_hash="")
    for item_id in ids:
        values = item_model.objects.filter(pk=item_id).values("sha256", *STATE_FIELDS).get()
        sha256 = values.pop("sha256")
        captured = values["captured"]
        values["captured"] = "" if captured is None else getattr(captured, "to_storage", lambda: captured)()
        links = link_model.objects.filter(item_id=item_id).values_list("target_type", "target_code", "relation", "note")
        entry = ChainEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            actor="system",
            channel="cli",
            action="metadata",
            item_sha256=sha256,
            details={"state": item_state(values, links), "backfill": NOTE},
            prev_hash=head.entry_hash or GENESIS_HASH,
        )
        entry_hash = entry.compute_hash()
        entry_model.objects.create(
            seq=entry.seq,
            at=entry.at,
            actor=entry.actor,
            channel=entry.channel,
            action=entry.action,
            item_sha256=entry.item_sha256,
            details=entry.details,
            prev_hash=entry.prev_hash,
            entry_hash=entry_hash,
        )
        head.seq, head.entry_hash = entry.seq, entry_hash
    head.save(update_fields=["seq", "entry_hash"])


class Migration(migrations.Migration):
    dependencies = [("evidence", "0003_custody_action_metadata")]

    operations = [migrations.RunPython(backfill_states, migrations.RunPython.noop)]
