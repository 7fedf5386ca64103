"""Why `yurd link dedupe` leaves two records of one person apart: the missed pairs by cause.

    python -m bench.linkage_misses --dir /tmp/independent-10k [--samples 5] [--cause never_compared]

Reads a bench/independent directory (INPUT.csv, PLACES.csv, TRUTH.csv), runs the engine as
`yurd link dedupe` does (same code, same threshold), keeping what each step said about every
pair, and sorts each missed pair (one person's two records in two clusters) by the first step
that lost it:

* same_household: two rows of one household of one source (the cannot-link rule keeps them apart);
* never_compared: no blocking rule brings the pair together (split by which keys differ);
* below_floor: compared, scored under linker.SCORING_FLOOR;
* low / queue: final probability under the review threshold / between review and match threshold;
* household_discount / namesake_cap: the model's own probability cleared the threshold, the
  family discount or the namesake cap took it below;
* refused_direct / refused_cluster: the pair clears the threshold but clustering refused the join
  (a cannot-link between the two records themselves, or with another record of the two clusters).

The truth is read only to find the missed pairs; the engine never sees it. Not a benchmark
(nothing is timed): a tool for finding what to fix next.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
from collections import Counter, defaultdict
from pathlib import Path

BENCHMARK = False


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _blocked(records: list, pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """The pairs some blocking rule of the model brings together (evaluated by DuckDB, as Splink does)."""
    import duckdb
    import pyarrow as pa

    from yurd.linkage.matching import linker, model

    identifiers = linker.identifiers_in(records)
    connection = duckdb.connect()
    connection.register("records_in", linker._input_table(records, identifiers))
    connection.execute("CREATE TABLE records AS SELECT * FROM records_in")
    connection.register("pairs_in", pa.table({"a": [p[0] for p in pairs], "b": [p[1] for p in pairs]}))
    connection.execute("CREATE TABLE pairs AS SELECT * FROM pairs_in")
    found: set[tuple[str, str]] = set()
    for rule in model.blocking_rules(identifiers):
        rows = connection.execute(
            "SELECT p.a, p.b FROM pairs p JOIN records l ON l.unique_id = p.a "  # noqa: S608
            f"JOIN records r ON r.unique_id = p.b WHERE {rule}"
        ).fetchall()
        found.update((a, b) for a, b in rows)
    connection.close()
    return found


def _why_not_blocked(first, second) -> str:
    """Which of the keys the blocking rules use the two records share."""

    def same(attribute: str) -> str:
        one, other = getattr(first, attribute), getattr(second, attribute)
        if not one or not other:
            return "-"
        return "=" if one == other else "x"

    year_one, year_other = first.birth.year, second.birth.year
    year = "-" if not year_one or not year_other else ("=" if year_one == year_other else "x")
    return (
        f"given{same('given_key')} stem{same('surname_stem')} father{same('patronymic_key')} "
        f"year{year} place{same('place_key')}"
    )


def _shown(record, row: dict[str, str]) -> str:
    """One record as the source wrote it, then its keys [given|stem|father|year|place|sex]."""
    name = row.get("full_name") or record.display_name
    place = (row.get("origin_place") or row.get("birth_place") or "")[:28]
    keys = "|".join(
        str(value)
        for value in (
            record.given_key,
            record.surname_stem,
            record.patronymic_key,
            record.birth.year,
            record.place_key,
            record.sex,
        )
    )
    return f"{record.record_id} {record.source:15} {name[:45]:45} {row.get('birth_date', ''):12} {place:28} [{keys}]"


def analyse(directory: Path, samples: int, only: str | None, dump: Path | None = None) -> None:
    from yurd.linkage.files import read_gazetteer, read_records
    from yurd.linkage.matching import linker
    from yurd.linkage.matching.clustering import cannot_link, soft_conflict

    table = read_records(directory / "INPUT.csv")
    gazetteer = read_gazetteer(directory / "PLACES.csv")
    rows_by_id = {row["record_id"]: row for row in table.rows}
    normalised = linker.normalise_all(table.rows, gazetteer)
    records = {record.record_id: record for record in normalised}
    truth = {row["record_id"]: row for row in _read(directory / "TRUTH.csv")}

    captured: dict[str, object] = {}
    score, cap, cluster = linker._score, linker.cap_by_namesakes, linker.constrained_clusters

    def capture_score(*args, **kwargs):
        rows, trained = score(*args, **kwargs)
        captured["rows"] = {(row[0], row[1]): float(row[2]) for row in rows}
        return rows, trained

    def capture_cap(edges, *args, **kwargs):
        captured["adjusted"] = {(left, right): probability for left, right, probability in edges}
        capped, namesakes = cap(edges, *args, **kwargs)
        captured["capped"] = {(left, right): probability for left, right, probability in capped}
        return capped, namesakes

    linker._score, linker.cap_by_namesakes = capture_score, capture_cap
    try:
        result = linker.dedupe_records(normalised, with_pairs=False)
    finally:
        linker._score, linker.cap_by_namesakes, linker.constrained_clusters = score, cap, cluster
    clusters = result.clusters
    members: dict[str, list[str]] = defaultdict(list)
    for record_id, cluster_id in clusters.items():
        members[cluster_id].append(record_id)

    by_person: dict[str, list[str]] = defaultdict(list)
    for record_id, row in truth.items():
        by_person[row["person_id"]].append(record_id)
    true_pairs = 0
    missed: list[tuple[str, str]] = []
    for ids in by_person.values():
        for a, b in itertools.combinations(sorted(ids), 2):
            true_pairs += 1
            if clusters[a] != clusters[b]:
                missed.append((a, b))
    blocked = _blocked(normalised, missed)
    raw: dict = captured["rows"]  # type: ignore[assignment]
    adjusted: dict = captured["adjusted"]  # type: ignore[assignment]
    capped: dict = captured["capped"]  # type: ignore[assignment]
    threshold, review = linker.DEFAULT_THRESHOLD, linker.REVIEW_THRESHOLD

    def probability(table: dict, a: str, b: str) -> float | None:
        value = table.get((a, b))
        return table.get((b, a)) if value is None else value

    causes: Counter[str] = Counter()
    sub_causes: Counter[str] = Counter()
    detail: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    dumped: list[list[object]] = []
    for a, b in missed:
        first, second = records[a], records[b]
        scripts = "/".join(sorted((truth[a]["script"], truth[b]["script"])))
        sources = "/".join(sorted((first.source, second.source)))
        final = probability(capped, a, b)
        if first.household and first.household == second.household:
            cause, sub = "same_household", first.source
        elif (a, b) not in blocked:
            cause, sub = "never_compared", _why_not_blocked(first, second)
        elif final is None:
            cause, sub = "below_floor", sources
        elif final < threshold:
            model_p = probability(raw, a, b) or 0.0
            family_p = probability(adjusted, a, b) or 0.0
            if model_p >= threshold and family_p < threshold:
                cause, sub = "household_discount", sources
            elif family_p >= threshold:
                cause, sub = "namesake_cap", sources
            else:
                cause, sub = ("queue" if final >= review else "low"), sources
        else:
            direct = cannot_link(first, second)
            if direct:
                cause, sub = "refused_direct", direct
            else:
                reason = ""
                for x in members[clusters[a]]:
                    for y in members[clusters[b]]:
                        reason = cannot_link(records[x], records[y]) or soft_conflict(records[x], records[y])
                        if reason:
                            break
                    if reason:
                        break
                cause, sub = "refused_cluster", reason or "?"
        causes[cause] += 1
        dumped.append([a, b, cause, sub, "" if final is None else round(final, 4)])
        sub_causes[f"{cause} | {sub}"] += 1
        detail[f"{cause} | {sub} | {scripts}"] += 1
        if len(examples[cause]) < samples * 20:
            shown = "\n    ".join(_shown(record, rows_by_id[record.record_id]) for record in (first, second))
            p = "" if final is None else f" p={final:.3f} raw={probability(raw, a, b) or 0.0:.3f}"
            examples[cause].append(f"  {sub}{p}\n    {shown}")

    if dump:
        with dump.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["record_id_1", "record_id_2", "cause", "detail", "probability"])
            writer.writerows(dumped)
    found_pairs = sum(len(ids) * (len(ids) - 1) // 2 for ids in members.values())
    print(f"records {len(records):,}; true pairs {true_pairs:,}; clustered pairs {found_pairs:,}", end="")
    print(f"; missed {len(missed):,}")
    for cause, count in causes.most_common():
        print(f"{cause:20} {count:6}")
    print()
    for key, count in sub_causes.most_common(40):
        if only and not key.startswith(only):
            continue
        print(f"{count:6}  {key}")
    print()
    for key, count in detail.most_common(60):
        if only and not key.startswith(only):
            continue
        print(f"{count:6}  {key}")
    for cause in causes:
        if only and cause != only:
            continue
        print(f"\n== {cause}")
        for line in examples[cause][:: max(1, len(examples[cause]) // samples)][:samples]:
            print(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", required=True, type=Path, help="A bench.independent output directory.")
    parser.add_argument("--samples", type=int, default=5, help="Examples shown per cause.")
    parser.add_argument("--cause", help="Show only this cause's details and examples.")
    parser.add_argument("--dump", type=Path, help="Write every missed pair with its cause to this CSV.")
    arguments = parser.parse_args(argv)
    analyse(arguments.dir, arguments.samples, arguments.cause, arguments.dump)
    return 0


if __name__ == "__main__":
    sys.exit(main())
