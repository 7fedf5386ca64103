"""`yurd evidence verify`: re-hash every original, walk the custody chain, compare with a published head."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage

from yurd.evidence import chain, storage
from yurd.evidence.models import CustodyAction, CustodyEntry, CustodyHead, EvidenceItem
from yurd.evidence.services import item_state_digest

BATCH = 2000


@dataclass(frozen=True)
class Problem:
    subject: str  # an item's SHA-256 or "entry N"
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


def verify_files() -> Iterator[Problem]:
    rows = EvidenceItem.objects.order_by("pk").values_list("sha256", "storage_name", "size")
    for sha256, name, size in rows.iterator(chunk_size=BATCH):
        if not default_storage.exists(name):
            yield Problem(sha256, "file is missing from storage")
            continue
        digest = storage.digest_stored(name)
        if digest.sha256 != sha256:
            yield Problem(sha256, f"file was altered (its bytes now hash to {digest.sha256})")
        elif digest.size != size:
            yield Problem(sha256, "file size differs from the recorded size")


def verify_items() -> Iterator[Problem]:
    """Every item the chain ingested still has its row, and each item's metadata,
    sensitivity and links are as the chain's last recorded state says.

    Items ingested before states were recorded (no "state" in their entries) are checked
    from their first change through the services on."""
    recorded: dict[str, str] = {}
    ingested: set[str] = set()
    entries = CustodyEntry.objects.order_by("seq").values_list("action", "item_sha256", "details")
    for action, sha256, details in entries.iterator(chunk_size=BATCH):
        if action == CustodyAction.INGEST and not (details or {}).get("again"):
            ingested.add(sha256)
        state = (details or {}).get("state")
        if state:
            recorded[sha256] = state
    present = dict(EvidenceItem.objects.values_list("sha256", "pk").iterator(chunk_size=BATCH))
    for sha256 in sorted(ingested - present.keys()):
        yield Problem(sha256, "the item's row was deleted (the chain ingested it)")
    for sha256, pk in present.items():
        if sha256 in recorded and item_state_digest(pk) != recorded[sha256]:
            yield Problem(
                sha256,
                "the item's metadata, sensitivity or links were changed without a custody entry",
            )


def _entries() -> Iterator[chain.ChainEntry]:
    fields = ("seq", "at", "actor", "channel", "action", "item_sha256", "details", "prev_hash", "entry_hash")
    for row in CustodyEntry.objects.order_by("seq").values_list(*fields).iterator(chunk_size=BATCH):
        yield chain.ChainEntry(*row)


class _LastSeen:
    """Passes entries through while remembering the last one, so the walk stays one pass."""

    def __init__(self, entries: Iterator[chain.ChainEntry]) -> None:
        self.entries = entries
        self.last: tuple[int, str] | None = None

    def __iter__(self) -> Iterator[chain.ChainEntry]:
        for entry in self.entries:
            self.last = (entry.seq, entry.entry_hash)
            yield entry


def verify_chain() -> Iterator[Problem]:
    seen = _LastSeen(_entries())
    for problem in chain.walk(seen):
        yield Problem(f"entry {problem.seq}", problem.message)
    last = seen.last
    head = CustodyHead.objects.filter(pk=1).first()
    if head is None:
        if last is not None:
            yield Problem("head", "the custody chain head is missing")
        return
    if last is None or last[0] < head.seq:
        first_missing = (last[0] + 1) if last else 1
        yield Problem(f"entry {first_missing}", f"custody entries {first_missing}–{head.seq} are missing (deleted)")
    elif last != (head.seq, head.entry_hash):
        yield Problem(f"entry {head.seq}", "the chain head does not match the last entry")


def current_head() -> dict[str, Any]:
    head = CustodyHead.objects.filter(pk=1).first()
    return {"seq": head.seq if head else 0, "entry_hash": head.entry_hash if head else ""}


def verify_since_head(published: dict[str, Any]) -> Iterator[Problem]:
    """The published entry must still exist with the same hash: the log has only grown since."""
    seq = int(published.get("seq", 0))
    if seq == 0:
        return
    entry = CustodyEntry.objects.filter(seq=seq).values_list("entry_hash", flat=True).first()
    if entry is None:
        yield Problem(f"entry {seq}", "the published head entry no longer exists")
    elif entry != published.get("entry_hash"):
        yield Problem(f"entry {seq}", "the published head entry has a different hash now (history rewritten)")
