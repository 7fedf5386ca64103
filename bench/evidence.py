"""Evidence vault benchmark: ingest and verify against `sha256sum` over the same files, in the same run.

    python -m bench evidence                               # 10,000 files of 1 MB, 100,000 custody entries
    python -m bench evidence --files 500 --entries 10000   # a quick run

Steps: write N random files under /tmp; `sha256sum` them (the physical limit: read + hash);
ingest them through evidence_ingest (hash SHA-256 and SHA-512, write the original once, database
row and custody entry); top the custody log up to E entries (bulk, with real chained hashes);
`yurd evidence verify` (re-hash every stored file, walk the chain) against `sha256sum` over the
stored files. Scratch SQLite database and media directory; everything is deleted at the end.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import require_setup

WORK = Path("/tmp/yurd-bench-evidence")  # noqa: S108 - a scratch directory, deleted at the end


def sha256sum_seconds(directory: Path) -> float:
    started = time.perf_counter()
    finder = subprocess.Popen(["find", str(directory), "-type", "f", "-print0"], stdout=subprocess.PIPE)
    subprocess.run(["xargs", "-0", "sha256sum"], stdin=finder.stdout, stdout=subprocess.DEVNULL, check=True)
    finder.wait()
    return time.perf_counter() - started


def write_files(directory: Path, count: int, size: int) -> None:
    """Distinct, incompressible files: a window into one random pool, stamped with the file's number.

    Drawing 10 GB from os.urandom would dominate the run on a shared machine; this keeps the
    generation disk-bound while every file still has its own hash.
    """
    pool = os.urandom(64 * 1024 * 1024 + size)
    step = 4099  # a prime, so windows rarely repeat
    for index in range(count):
        folder = directory / f"{index // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        offset = (index * step) % (len(pool) - size)
        stamp = index.to_bytes(8, "big")
        (folder / f"file-{index:06d}.bin").write_bytes(stamp + pool[offset + len(stamp) : offset + size])


def run(files: int, size_mb: float, entries: int) -> dict[str, float]:
    shutil.rmtree(WORK, ignore_errors=True)
    source = WORK / "source"
    media = WORK / "media"
    os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    WORK.mkdir(parents=True)
    import django

    django.setup()
    from django.conf import settings

    settings.MEDIA_ROOT = media
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from yurd.core.actors import system_actor
    from yurd.evidence.chain import ChainEntry
    from yurd.evidence.models import CustodyEntry, CustodyHead
    from yurd.evidence.services import evidence_ingest

    size = int(size_mb * 1024 * 1024)
    total_mb = files * size / 1024 / 1024
    print(f"Writing {files} files of {size_mb} MB ({total_mb:,.0f} MB)…", flush=True)
    write_files(source, files, size)
    subprocess.run(["sync"], check=True)
    # Both sides read the files just written, from the page cache where memory allows.
    source_sum = sha256sum_seconds(source)
    print(f"sha256sum over the source files: {source_sum:.1f} s", flush=True)

    actor = system_actor()
    paths = sorted(source.rglob("*.bin"))
    require_setup(len(paths), "files written", expected=files)
    started = time.perf_counter()
    for path in paths:
        with path.open("rb") as handle:
            evidence_ingest(actor=actor, stream=handle, original_name=path.name, source="benchmark")
    ingest = time.perf_counter() - started
    from yurd.evidence.models import EvidenceItem

    require_setup(EvidenceItem.objects.count(), "evidence items ingested", expected=files)
    print(f"ingest: {ingest:.1f} s", flush=True)
    shutil.rmtree(source)  # free the disk before the next step

    head = CustodyHead.objects.get(pk=1)
    batch: list[CustodyEntry] = []
    previous_hash, seq = head.entry_hash, head.seq
    from django.utils import timezone

    now = timezone.now()
    started = time.perf_counter()
    item_hashes = list(CustodyEntry.objects.values_list("item_sha256", flat=True)[:1000])
    while seq < entries:
        seq += 1
        entry = ChainEntry(seq, now, "bench", "cli", "view", item_hashes[seq % len(item_hashes)], {}, previous_hash)
        previous_hash = entry.compute_hash()
        batch.append(
            CustodyEntry(
                seq=seq,
                at=now,
                actor="bench",
                channel="cli",
                action="view",
                item_sha256=entry.item_sha256,
                details={},
                prev_hash=entry.prev_hash,
                entry_hash=previous_hash,
            )
        )
        if len(batch) >= 5000:
            CustodyEntry.objects.bulk_create(batch)
            batch = []
    CustodyEntry.objects.bulk_create(batch)
    CustodyHead.objects.filter(pk=1).update(seq=seq, entry_hash=previous_hash)
    fill = time.perf_counter() - started

    stored = media / "evidence"
    subprocess.run(["sync"], check=True)
    stored_sum = sha256sum_seconds(stored)
    print(f"sha256sum over the stored originals: {stored_sum:.1f} s", flush=True)
    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        call_command("evidence", "verify", stdout=sink)
    verify = time.perf_counter() - started
    print(f"verify: {verify:.1f} s", flush=True)
    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        call_command("evidence", "verify", "--skip-files", stdout=sink)
    chain_only = time.perf_counter() - started
    shutil.rmtree(WORK, ignore_errors=True)
    return {
        "files": files,
        "megabytes": total_mb,
        "entries": seq,
        "sha256sum_source": source_sum,
        "ingest": ingest,
        "fill": fill,
        "sha256sum_stored": stored_sum,
        "verify": verify,
        "chain_only": chain_only,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--size-mb", type=float, default=1.0)
    parser.add_argument("--entries", type=int, default=100_000)
    options = parser.parse_args()
    try:
        result = run(options.files, options.size_mb, options.entries)
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    megabytes = result["megabytes"]
    rows = [
        ("`sha256sum` over the source files", result["sha256sum_source"], 1.0),
        (
            "Ingest (SHA-256 + SHA-512, write-once copy, row, custody entry)",
            result["ingest"],
            result["ingest"] / result["sha256sum_source"],
        ),
        ("`sha256sum` over the stored originals", result["sha256sum_stored"], 1.0),
        (
            f"`yurd evidence verify` (files + {result['entries']:,.0f} custody entries)",
            result["verify"],
            result["verify"] / result["sha256sum_stored"],
        ),
        (f"`yurd evidence verify --skip-files` ({result['entries']:,.0f} entries)", result["chain_only"], float("nan")),
    ]
    print(
        f"\n{result['files']:,.0f} files, {megabytes:,.0f} MB; "
        f"custody log filled to {result['entries']:,.0f} entries in {result['fill']:.1f} s\n"
    )
    print("| Step | Seconds | MB/s | × sha256sum |")
    print("|---|---:|---:|---:|")
    for label, seconds, ratio in rows:
        ratio_text = "—" if math.isnan(ratio) else f"{ratio:.2f}"
        print(f"| {label} | {seconds:.1f} | {megabytes / seconds:,.0f} | {ratio_text} |")
    ok = rows[1][2] <= 2 and rows[3][2] <= 2
    print(f"\nTargets (ingest ≤ 2×, verify ≤ 2× sha256sum): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
