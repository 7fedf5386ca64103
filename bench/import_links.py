"""Calibrating the import's automatic-link threshold (yurd.linkage.importing.CERTAIN_THRESHOLD).

    python -m bench import_links                    # bench/independent, 2,000 households, seed 17
    python -m bench import_links --households 10000

An import links each incoming row to its best match in the registry when the pair is clustered
together and at least CERTAIN_THRESHOLD probable; below that it goes to the adjudication queue.
This replays that decision on bench/independent's data (written without knowledge of the engine):
the registry is the `registry_az` source, each other source is imported against it in turn with
`link()`, and every row's best pair is checked against the truth. For each candidate threshold it
prints how many rows would be linked automatically, how many of those are wrong, and the share of
rows that truly have a record in the registry that would be linked.

The threshold is the lowest one at which at most one automatic link in 400 is wrong (with at
least 100 automatic links to judge by): every automatic link is a user's merge that can be
undone, and the rest wait in the queue for a person. Exits 1 when CERTAIN_THRESHOLD is below it,
so that a change to the engine that makes its probabilities less reliable shows here.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict

from bench import django_setup, require_setup
from bench.linkage import independent_files

REGISTRY_SOURCE = "registry_az"
THRESHOLDS = (0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 0.9999)
MAX_WRONG = 0.0025
MIN_LINKS = 100


def main(argv: list[str] | None = None) -> int:
    django_setup()  # the threshold lives beside the import's hook, which uses the ORM
    from yurd.linkage.files import read_gazetteer
    from yurd.linkage.importing import CERTAIN_THRESHOLD
    from yurd.linkage.matching.linker import link

    parser = argparse.ArgumentParser(description="Calibrate the import's automatic-link threshold.")
    parser.add_argument("--households", type=int, default=2000)
    arguments = parser.parse_args(argv)
    folder = independent_files(arguments.households)
    with (folder / "INPUT.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with (folder / "TRUTH.csv").open(encoding="utf-8") as handle:
        person = {row["record_id"]: row["person_id"] for row in csv.DictReader(handle)}
    gazetteer = read_gazetteer(folder / "PLACES.csv")
    registry = [row for row in rows if row["source"] == REGISTRY_SOURCE]
    in_registry = {person[row["record_id"]] for row in registry}
    require_setup(len(registry), "registry records")
    # (probability, right?) of each incoming row's best clustered pair
    best: list[tuple[float, bool]] = []
    findable = 0
    started = time.perf_counter()
    by_source: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        if row["source"] != REGISTRY_SOURCE:
            by_source[row["source"]].append(row)
    for source in sorted(by_source):
        incoming = by_source[source]
        findable += sum(1 for row in incoming if person[row["record_id"]] in in_registry)
        result = link(incoming, registry, gazetteer=gazetteer, threshold=0.8)
        top: dict[str, tuple[float, str]] = {}
        for pair in result.pairs:
            if pair.same_cluster and pair.probability > top.get(pair.left, (0.0, ""))[0]:
                top[pair.left] = (pair.probability, pair.right)
        best += [(probability, person[left[2:]] == person[right[2:]]) for left, (probability, right) in top.items()]
    elapsed = time.perf_counter() - started
    print(f"independent-{arguments.households}: {len(registry):,} registry records, "
          f"{sum(len(rows) for rows in by_source.values()):,} imported rows in {len(by_source)} sources "
          f"({findable:,} of them in the registry), {elapsed:.0f} s")  # fmt: skip
    print()
    print("| threshold | automatic links | wrong | wrong per 1,000 | rows in the registry linked |")
    print("|---|---|---|---|---|")
    calibrated = None
    for threshold in THRESHOLDS:
        chosen = [right for probability, right in best if probability >= threshold]
        wrong = sum(1 for right in chosen if not right)
        rate = wrong / len(chosen) if chosen else 0.0
        print(
            f"| {threshold} | {len(chosen):,} | {wrong} | {1000 * rate:.2f} | {(len(chosen) - wrong) / findable:.3f} |"
        )
        if calibrated is None and len(chosen) >= MIN_LINKS and rate <= MAX_WRONG:
            calibrated = threshold
    print()
    print(f"lowest threshold with at most {1000 * MAX_WRONG:g} wrong links per 1,000: {calibrated}; "
          f"CERTAIN_THRESHOLD = {CERTAIN_THRESHOLD}")  # fmt: skip
    return 0 if calibrated is not None and calibrated <= CERTAIN_THRESHOLD else 1


if __name__ == "__main__":
    sys.exit(main())
