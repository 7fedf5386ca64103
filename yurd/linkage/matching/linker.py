"""Deduplicate one list or link two lists of people: Splink 5 on DuckDB, then safe clustering."""

from __future__ import annotations

import gc
import logging
import math
import os
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from yurd.linkage.matching import model
from yurd.linkage.matching.clustering import cannot_link, constrained_clusters
from yurd.linkage.matching.explain import apart_reason, explain_pair
from yurd.linkage.matching.namesakes import cap_by_namesakes
from yurd.linkage.matching.reasons import Reason, render_english
from yurd.linkage.matching.records import (
    INTEGER_COLUMNS,
    NormalisedRecord,
    model_columns,
    normalise_record,
    place_blocks,
)
from yurd.names.places import Gazetteer

# Below this many records the data cannot support estimation; the model's starting values are used.
MIN_RECORDS_TO_TRAIN = 300
DEFAULT_THRESHOLD = 0.8
# An estimated prior above this (one pair in ten a match) says the estimate failed, not the data.
MAX_PRIOR = 0.1
REVIEW_THRESHOLD = 0.5
# Other records of the same person per record, at most, on average (a registry lists a person a
# few times across its sources): the prior match probability is at most this over the record count.
MATCHES_PER_RECORD = 2.0
# Pairs are scored down to this probability so that household context can still lift them.
SCORING_FLOOR = 0.02
# DuckDB spills to disk beyond its limit: with the normalised records beside it (about 600 MB at
# 438,000 records) a 50,000-household run peaked at 2.1 GB with 1,500 MB; 1,000 MB keeps it under 2 GB.
DUCKDB_MEMORY_LIMIT = "1000MB"
# Both cores of the reference machine (DuckDB's own default is every core it sees).
DUCKDB_THREADS = max(1, min(2, os.cpu_count() or 1))
# Another pair of members counts as household support from this probability on.
HOUSEHOLD_SUPPORT_THRESHOLD = 0.3
# Two records each listed with at least one other member of its household, where no other member
# of one household matches one of the other: the odds that the two are one person are divided by
# this. A person listed by two sources usually comes with a parent, a spouse or a sibling who is
# listed by both; namesakes of two families do not. Measured (bench/independent, seed 17,
# `yurd link dedupe`): 10,000 households, false pairs 1,376 -> 1,203, missed 4,302 -> 4,351;
# 2,000 households of bench/population.py, false pairs 73 -> 56, missed 602 -> 605.
UNSUPPORTED_HOUSEHOLDS_FACTOR = 10.0
_COMPARISONS = ("surname", "given_name", "patronymic", "birth_date", "sex", "place")


@dataclass(frozen=True)
class ScoredPair:
    left: str
    right: str
    probability: float
    # Why: codes with parameters (reasons.CATALOGUE), rendered in the reader's language at display.
    reasons: tuple[Reason, ...] = ()
    same_cluster: bool = False

    @property
    def explanation(self) -> str:
        """The reasons in English, as `yurd link --pairs` writes them."""
        return render_english(list(self.reasons))


@dataclass
class LinkageResult:
    clusters: dict[str, str] = field(default_factory=dict)  # record id -> cluster id
    pairs: list[ScoredPair] = field(default_factory=list)
    trained: bool = False


def _quiet_splink() -> None:
    logging.getLogger("splink").setLevel(logging.ERROR)


def _levels_by_gamma(identifiers: tuple[str, ...] = ()) -> dict[str, dict[int, str]]:
    """Splink numbers levels from the top (highest gamma) down to 0 (else) and -1 (null)."""
    mapping: dict[str, dict[int, str]] = {}
    for comparison in model.comparisons(identifiers):
        levels = comparison["comparison_levels"]
        non_null = [level for level in levels if not level.get("is_null_level")]
        by_gamma = {-1: "unknown"}
        for index, level in enumerate(non_null):
            by_gamma[len(non_null) - 1 - index] = level["label_for_charts"]
        mapping[comparison["output_column_name"]] = by_gamma
    return mapping


def identifiers_in(records: Iterable[NormalisedRecord]) -> tuple[str, ...]:
    """The optional comparisons (document number, address) that some record has data for."""
    document = address = False
    for record in records:
        document = document or bool(record.document_key)
        address = address or bool(record.address_key)
        if document and address:
            break
    return tuple(name for name, present in (("document", document), ("address", address)) if present)


def _fill(tables: list[list[NormalisedRecord]]) -> dict[str, float]:
    """Share of records with each optional training field filled in."""
    records = [record for table in tables for record in table]
    if not records:
        return {}
    return {
        "patronymic_key": sum(1 for record in records if record.patronymic_key) / len(records),
        "place_key": sum(1 for record in records if record.place_key) / len(records),
    }


def prior_ceiling(record_count: int) -> float:
    """The highest credible prior match probability for a list of this many records: a record has
    at most MATCHES_PER_RECORD other records of its person on average, out of N - 1 others."""
    return min(MAX_PRIOR, MATCHES_PER_RECORD / max(record_count - 1, 1))


def _train(linker: object, record_count: int, *, link: bool, fill: dict[str, float] | None = None) -> bool:
    training = linker.training  # type: ignore[attr-defined]
    settings_object = linker._settings_obj  # type: ignore[attr-defined]
    before = settings_object._probability_two_random_records_match
    try:
        training.estimate_probability_two_random_records_match(model.DETERMINISTIC_RULES, recall=0.7)
    except Exception:
        logging.getLogger(__name__).info("prior match probability kept at its default")
    estimated = settings_object._probability_two_random_records_match
    if not 0.0 < estimated <= MAX_PRIOR:
        # Too few or too many deterministic matches to mean anything (a prior of 0 or 1 has no
        # match weight at all): keep the starting value.
        logging.getLogger(__name__).info("prior match probability %s not credible, kept at %s", estimated, before)
        settings_object._probability_two_random_records_match = before
    # Calibrated to the registry's size: a record has at most a few other records of the same person,
    # so the share of pairs that match falls as 1/N. The estimate from deterministic rules does not
    # fall so fast (those rules also catch more namesakes as the registry grows), which let precision
    # sink with size; it is capped here.
    size_prior = prior_ceiling(record_count)
    if settings_object._probability_two_random_records_match > size_prior:
        logging.getLogger(__name__).info(
            "prior match probability %s capped at %s for %s records",
            settings_object._probability_two_random_records_match,
            size_prior,
            record_count,
        )
        settings_object._probability_two_random_records_match = size_prior
    training.estimate_u_using_random_sampling(max_pairs=min(5e6, max(1e5, record_count * 20.0)), seed=7)
    rules = model.training_rules(fill) if fill is not None else model.TRAINING_RULES
    for rule in rules:
        # Splink's EM session takes the comparisons its rule blocks on out of the linker's own
        # model and puts them back only when the session succeeds. A rule that finds no pairs (a
        # registry without duplicates, as the demo's was) left the model without its name and place
        # comparisons, and scoring then failed on the missing gamma columns: restore the model.
        model_before = settings_object.core_model_settings.copy()
        try:
            training.estimate_parameters_using_expectation_maximisation(rule, fix_u_probabilities=True, max_pairs=2e6)
        except Exception:
            settings_object.core_model_settings = model_before
            logging.getLogger(__name__).info("EM skipped for %s", rule)
    return True


# Columns of a scored pair as `_score` returns them (plain tuples: a few hundred thousand pairs
# as dicts or pandas rows cost gigabytes). Match weights follow the gammas, one per comparison.
LEFT, RIGHT, PROBABILITY, GAMMAS = 0, 1, 2, 3
MATCH_WEIGHTS = GAMMAS + len(_COMPARISONS)  # without optional comparisons
ScoredRow = tuple  # (left, right, probability, *gammas, *match weights)


def _input_table(
    table: list[NormalisedRecord], identifiers: tuple[str, ...] = (), blocks: Mapping[str, str] | None = None
) -> object:
    """The records as an Arrow table, built column by column: DuckDB reads it without a copy per
    value, and it holds each value once (a pandas frame of Python objects cost 9 s and 300 MB
    at 438,000 records). `blocks`: place key -> blocking key (records.place_blocks) of the whole run."""
    import pyarrow as pa  # noqa: PLC0415 - heavy; only a matching run needs it

    columns = {}
    for name, value in model_columns(identifiers):
        kind = pa.int64() if name in INTEGER_COLUMNS else pa.string()
        columns[name] = pa.array([value(record) for record in table], type=kind)
    if blocks is None:
        blocks = place_blocks(record.place_key for record in table)
    columns["place_block"] = pa.array([blocks.get(record.place_key) or None for record in table], type=pa.string())
    return pa.table(columns)


def _score(
    tables: list[list[NormalisedRecord]],
    *,
    link: bool,
    floor: float,
    identifiers: tuple[str, ...] = (),
    with_levels: bool = True,
) -> tuple[list[ScoredRow], bool]:
    """Score candidate pairs; only pairs from `floor` on ever leave DuckDB, and only the columns
    clustering and explanations need. `identifiers`: optional comparisons to add (identifiers_in)."""
    import duckdb  # noqa: PLC0415 - heavy; only a matching run needs it
    from splink import DuckDBAPI, Linker  # noqa: PLC0415 - heavy; only a matching run needs it

    _quiet_splink()
    # DuckDB spills to disk beyond this, keeping a large registry within a few GB.
    connection = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY_LIMIT, "threads": DUCKDB_THREADS})
    db_api = DuckDBAPI(connection=connection)
    frames = []
    blocks = place_blocks(record.place_key for table in tables for record in table)
    for index, table in enumerate(tables):
        frame = _input_table(table, identifiers, blocks)
        connection.register(f"input_{index}", frame)
        connection.execute(f"CREATE TABLE records_{index} AS SELECT * FROM input_{index}")  # noqa: S608
        connection.unregister(f"input_{index}")
        del frame
        frames.append(db_api.register(f"records_{index}", table_name=f"records_{index}"))
    record_count = sum(len(table) for table in tables)
    large = record_count >= MIN_RECORDS_TO_TRAIN
    # Linking a small batch (one registration, a short list) against a large registry: the batch
    # cannot support estimation (Splink's prior from so few pairs came out near 1, or 0), so the
    # model's starting values are used, as for any small input.
    trainable = large and (not link or min(len(table) for table in tables) >= MIN_RECORDS_TO_TRAIN)
    settings = model.settings("link_only" if link else "dedupe_only", term_frequencies=large, identifiers=identifiers)
    linker = Linker(frames if link else frames[0], settings, log_level=None)
    trained = False
    if trainable:
        trained = _train(linker, record_count, link=link, fill=_fill(tables))
    predictions = linker.inference.predict(threshold_match_probability=floor)
    columns = ["unique_id_l", "unique_id_r", "match_probability"]
    names = model.comparison_names(identifiers)
    if with_levels:  # only explanations read them: 3 columns instead of 15 for a 50k run's 1.5 million pairs
        columns += [f"gamma_{name}" for name in names] + [f"mw_{name}" for name in names]
    selected = ", ".join(f'"{column}"' for column in columns)
    rows = connection.execute(f"SELECT {selected} FROM {predictions.physical_name}").fetchall()  # noqa: S608
    predictions.drop_table_from_database_and_remove_from_cache()
    connection.close()
    return rows, trained


def compared_pairs(normalised: list[NormalisedRecord]) -> set[tuple[str, str]]:
    """Every pair of records some blocking rule brings together (ids ordered), whatever its score:
    the pairs the engine compares at all. For tests and for finding the pairs it never compares."""
    rows, _ = _score([normalised], link=False, floor=0.0, identifiers=identifiers_in(normalised), with_levels=False)
    return {_unordered(row[LEFT], row[RIGHT]) for row in rows}


def _unordered(first: str, second: str) -> tuple[str, str]:
    return (first, second) if first < second else (second, first)


def _household_support(
    rows: list[ScoredRow], records: Mapping[str, NormalisedRecord], threshold: float
) -> dict[tuple[str, str], int]:
    """For each pair, how many other members of the two households also match each other."""
    by_households: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for row in rows:
        if row[PROBABILITY] < threshold:
            continue
        left, right = row[LEFT], row[RIGHT]
        left_household, right_household = records[left].household, records[right].household
        if left_household and right_household and left_household != right_household:
            by_households[_unordered(left_household, right_household)].add((left, right))
    # Per pair of households: how many matching pairs, and how many of them each record is in, so
    # that "pairs of other members" is a subtraction, not a walk over the pairs (the walk made
    # this quadratic in the size of a household pair).
    involving: dict[tuple[str, str], dict[str, int]] = {}
    for households, pairs in by_households.items():
        per_record: dict[str, int] = defaultdict(int)
        for left, right in pairs:
            per_record[left] += 1
            per_record[right] += 1
        involving[households] = per_record
    support: dict[tuple[str, str], int] = {}
    for row in rows:
        left, right = row[LEFT], row[RIGHT]
        left_household, right_household = records[left].household, records[right].household
        if left_household and right_household and left_household != right_household:
            households = _unordered(left_household, right_household)
            matched = by_households.get(households)
            if not matched:
                continue
            counts = involving[households]
            both = ((left, right) in matched) + ((right, left) in matched)
            with_either = counts.get(left, 0) + counts.get(right, 0) - both
            others = len(matched) - with_either
            if others:
                support[(left, right)] = others
    return support


def _household_sizes(records: Mapping[str, NormalisedRecord]) -> dict[str, int]:
    sizes: dict[str, int] = defaultdict(int)
    for record in records.values():
        if record.household:
            sizes[record.household] += 1
    return sizes


def _households_disagree(first: NormalisedRecord, second: NormalisedRecord, sizes: Mapping[str, int]) -> bool:
    """Two records of two households that both list someone else (the caller has found that no
    one else of the two matches)."""
    one, other = first.household, second.household
    return bool(one and other and one != other and sizes.get(one, 0) >= 2 and sizes.get(other, 0) >= 2)


def _finish(
    rows: list[ScoredRow],
    records: Mapping[str, NormalisedRecord],
    *,
    threshold: float,
    review_threshold: float,
    trained: bool,
    identifiers: tuple[str, ...] = (),
    with_pairs: bool = True,
) -> LinkageResult:
    levels_by_gamma = _levels_by_gamma(identifiers)
    names = model.comparison_names(identifiers)
    weights_at = GAMMAS + len(names)
    support = _household_support(rows, records, HOUSEHOLD_SUPPORT_THRESHOLD)
    sizes = _household_sizes(records)
    unsupported: set[tuple[str, str]] = set()
    edges: list[tuple[str, str, float]] = []
    for row in rows:
        left, right = row[LEFT], row[RIGHT]
        probability = float(row[PROBABILITY])
        members = support.get((left, right), 0)
        if members:
            # Other members of the two households match each other: a family seen twice.
            odds = probability / max(1e-12, 1 - probability) * 10 ** min(members, 2)
            probability = odds / (1 + odds)
        elif _households_disagree(records[left], records[right], sizes):
            # Both listed with their families, and nobody else of the two families matches.
            odds = probability / max(1e-12, 1 - probability) / UNSUPPORTED_HOUSEHOLDS_FACTOR
            probability = odds / (1 + odds)
            unsupported.add((left, right))
        edges.append((left, right, probability))
    edges, namesakes = cap_by_namesakes(edges, records, floor=min(review_threshold, threshold), supported=set(support))
    clusters = constrained_clusters(list(records), edges, records, threshold)
    if not with_pairs:
        return LinkageResult(clusters=clusters, trained=trained)
    floor = min(review_threshold, threshold)
    pairs = []
    for row, (left, right, probability) in zip(rows, edges, strict=True):
        if probability < floor:
            continue
        levels = {
            name: levels_by_gamma[name].get(int(row[GAMMAS + index]), "unknown") for index, name in enumerate(names)
        }
        weights = {name: _float(row[weights_at + index]) for index, name in enumerate(names)}
        reasons = explain_pair(records[left], records[right], levels, weights)
        members = support.get((left, right), 0)
        if members:
            reasons.append({"code": "household.support", "count": str(members)})
        if (left, right) in namesakes:
            reasons.append({"code": "namesakes", "count": str(namesakes[(left, right)])})
        conflict = cannot_link(records[left], records[right])
        if conflict:
            reasons.append(apart_reason(conflict))
        pairs.append(ScoredPair(left, right, round(probability, 6), tuple(reasons), clusters[left] == clusters[right]))
    pairs.sort(key=lambda pair: -pair.probability)
    return LinkageResult(clusters=clusters, pairs=pairs, trained=trained)


def _float(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def normalise_all(rows: Iterable[Mapping[str, str]], gazetteer: Gazetteer | None) -> list[NormalisedRecord]:
    """Every row normalised. Names, dates and places are folded once per distinct value (the
    caches in yurd.names and records.py): at 438,000 rows this took 27 s of CPU where two forked
    processes folding every row took 36 s, and 51 s of wall clock to send the records back."""
    gazetteer = gazetteer or Gazetteer()
    # The cyclic collector would walk the growing list again and again; records hold no cycles.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return [normalise_record(row, gazetteer) for row in rows]
    finally:
        if collecting:
            gc.enable()


def dedupe(
    rows: Sequence[Mapping[str, str]],
    *,
    gazetteer: Gazetteer | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    review_threshold: float = REVIEW_THRESHOLD,
    with_pairs: bool = True,
) -> LinkageResult:
    """Cluster the records of one list so that each cluster is one person. Without `with_pairs`
    only the clusters are returned: explaining every scored pair costs a tenth of a large run."""
    return dedupe_records(
        normalise_all(rows, gazetteer),
        threshold=threshold,
        review_threshold=review_threshold,
        with_pairs=with_pairs,
    )


def dedupe_records(
    normalised: list[NormalisedRecord],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    review_threshold: float = REVIEW_THRESHOLD,
    with_pairs: bool = True,
) -> LinkageResult:
    """`dedupe` of records already normalised (the caller may then let go of the raw rows: at
    400,000 records they hold 600 MB)."""
    records = {record.record_id: record for record in normalised}
    if len(normalised) < 2:
        return LinkageResult(clusters={record_id: record_id for record_id in records})
    identifiers = identifiers_in(normalised)
    scored_rows, trained = _score(
        [normalised], link=False, floor=SCORING_FLOOR, identifiers=identifiers, with_levels=with_pairs
    )
    return _finish(
        scored_rows,
        records,
        threshold=threshold,
        review_threshold=review_threshold,
        trained=trained,
        identifiers=identifiers,
        with_pairs=with_pairs,
    )


def link(
    rows_a: Sequence[Mapping[str, str]],
    rows_b: Sequence[Mapping[str, str]],
    *,
    gazetteer: Gazetteer | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    review_threshold: float = REVIEW_THRESHOLD,
) -> LinkageResult:
    """Pairs of records, one from each list, that are the same person (ids of `rows_b` prefixed "b:")."""
    first = normalise_all(rows_a, gazetteer)
    second = [_prefixed(record) for record in normalise_all(rows_b, gazetteer)]
    first = [_prefixed(record, "a:") for record in first]
    records = {record.record_id: record for record in [*first, *second]}
    if not first or not second:
        return LinkageResult(clusters={record_id: record_id for record_id in records})
    identifiers = identifiers_in(records.values())
    scored_rows, trained = _score([first, second], link=True, floor=SCORING_FLOOR, identifiers=identifiers)
    return _finish(
        scored_rows,
        records,
        threshold=threshold,
        review_threshold=review_threshold,
        trained=trained,
        identifiers=identifiers,
    )


def _prefixed(record: NormalisedRecord, prefix: str = "b:") -> NormalisedRecord:
    return replace(record, record_id=prefix + record.record_id)
