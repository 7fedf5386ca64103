"""The custody hash chain, free of Django: canonical entry hashing and chain checks.

entry_hash = SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8) of every
field of the entry, prev_hash included, so editing, removing or reordering any entry
breaks either its own hash or the link from the entry after it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class ChainEntry:
    seq: int
    at: dt.datetime
    actor: str
    channel: str
    action: str
    item_sha256: str
    details: dict[str, Any]
    prev_hash: str
    entry_hash: str = ""

    def canonical(self, *, seq: int | None = None) -> bytes:
        payload = {
            "seq": self.seq if seq is None else seq,
            "at": self.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "actor": self.actor,
            "channel": self.channel,
            "action": self.action,
            "item_sha256": self.item_sha256,
            "details": self.details,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    def compute_hash(self, *, seq: int | None = None) -> str:
        return hashlib.sha256(self.canonical(seq=seq)).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    kind: str  # altered | missing | reordered | broken_link | head_mismatch | head_missing
    message: str


def walk(entries: Iterable[ChainEntry]) -> Iterator[ChainProblem]:
    """Check entries in ascending seq order, one pass, constant memory.

    A swapped pair shows as two entries whose hashes match the other one's number;
    it is reported once, as a reordering, rather than as two alterations.
    """
    previous: ChainEntry | None = None
    expected_seq = 1
    pending_swap: ChainEntry | None = None
    for entry in entries:
        if entry.seq > expected_seq:
            missing = str(expected_seq) if entry.seq == expected_seq + 1 else f"{expected_seq}–{entry.seq - 1}"
            yield ChainProblem(expected_seq, "missing", f"custody entry {missing} is missing (deleted)")
        intact = entry.compute_hash() == entry.entry_hash
        if not intact:
            if pending_swap is not None and entry.compute_hash(seq=pending_swap.seq) == entry.entry_hash:
                yield ChainProblem(
                    pending_swap.seq,
                    "reordered",
                    f"custody entries {pending_swap.seq} and {entry.seq} are in the wrong order (reordered)",
                )
                pending_swap = None
                previous, expected_seq = entry, entry.seq + 1
                continue
            if entry.compute_hash(seq=entry.seq + 1) == entry.entry_hash:
                # Its content belongs one place later: wait for its partner.
                pending_swap = entry
                previous, expected_seq = entry, entry.seq + 1
                continue
            yield ChainProblem(entry.seq, "altered", f"custody entry {entry.seq} was altered (hash mismatch)")
        elif previous is not None and entry.seq == previous.seq + 1 and entry.prev_hash != previous.entry_hash:
            if pending_swap is None and previous.compute_hash() == previous.entry_hash:
                yield ChainProblem(
                    entry.seq,
                    "broken_link",
                    f"custody entry {entry.seq} does not follow entry {previous.seq} (broken link)",
                )
        elif previous is None and entry.seq == 1 and entry.prev_hash != GENESIS_HASH:
            yield ChainProblem(entry.seq, "broken_link", "custody entry 1 does not start the chain")
        if pending_swap is not None and pending_swap is not entry:
            yield ChainProblem(
                pending_swap.seq, "altered", f"custody entry {pending_swap.seq} was altered (hash mismatch)"
            )
            pending_swap = None
        previous, expected_seq = entry, entry.seq + 1
    if pending_swap is not None:
        yield ChainProblem(pending_swap.seq, "altered", f"custody entry {pending_swap.seq} was altered (hash mismatch)")


def item_state(values: dict[str, Any], links: Iterable[tuple[str, str, str, str]]) -> str:
    """SHA-256 of an item's recorded state: its metadata and sensitivity (`values`, plain
    text and numbers) and its links (record type, code, relation, note) in any order.

    Every service that changes any of them appends a custody entry carrying this digest,
    so `yurd evidence verify` can tell a change made outside Yurd (in the database, or a
    form that skipped the services) from one the chain recorded."""
    payload = {"values": values, "links": sorted([list(link) for link in links])}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
