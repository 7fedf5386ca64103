"""Tests of the independent data set: scorer arithmetic, determinism, completeness, scripts."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from bench.independent.__main__ import main
from bench.independent.generate import TRUTH_FIELDS, generate
from bench.independent.score import score
from bench.independent.sources import FIELDS, SOURCES
from bench.independent.translit import az_to_cyrl, az_to_mrz, az_to_ru, hy_to_latn, ru_to_latin


def _truth(rows: list[tuple[str, str, str, str, str]]) -> dict[str, list[str]]:
    """Hand-made truth: (record, person, family, source, script); other columns fixed."""
    cols: dict[str, list[str]] = {k: [] for k in TRUTH_FIELDS}
    for rid, pid, fam, source, script in rows:
        row = {
            "record_id": rid,
            "person_id": pid,
            "family_id": fam,
            "birth_unit": fam + "-1",
            "generation": "2",
            "sex": "m",
            "name_key": pid,
            "birth_year": "1950",
            "village_id": "V1",
            "source": source,
            "script": script,
        }
        for k in TRUTH_FIELDS:
            cols[k].append(row[k])
    return cols


def test_scorer_on_a_hand_made_example():
    # person A: a1 a2 a3; person B: b1 b2; person C: c1 (A and B are brothers)
    truth = _truth(
        [
            ("a1", "A", "F1", "reg", "latn"),
            ("a2", "A", "F1", "ru", "cyrl"),
            ("a3", "A", "F1", "reg", "latn"),
            ("b1", "B", "F1", "reg", "latn"),
            ("b2", "B", "F1", "ru", "cyrl"),
            ("c1", "C", "F2", "ru", "cyrl"),
        ]
    )
    # clusters: {a1, a2, b1}, {a3}, {b2, c1}
    clusters = {"a1": "x", "a2": "x", "b1": "x", "a3": "y", "b2": "z", "c1": "z"}
    r = score(truth, clusters)
    # true pairs: A 3 + B 1 = 4; predicted: 3 + 0 + 1 = 4; correct: a1-a2 only
    assert r["pairs"] == {"true": 4, "predicted": 4, "true_positive": 1}
    assert r["pairwise"]["precision"] == pytest.approx(0.25)
    assert r["pairwise"]["recall"] == pytest.approx(0.25)
    # B-cubed precision: a1,a2: 2/3; b1: 1/3; a3: 1; b2, c1: 1/2 -> (2/3+2/3+1/3+1+1/2+1/2)/6
    assert r["bcubed"]["precision"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 0.5 + 0.5) / 6, abs=1e-6)
    # B-cubed recall: a1,a2: 2/3; a3: 1/3; b1, b2: 1/2; c1: 1
    assert r["bcubed"]["recall"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 0.5 + 0.5 + 1) / 6, abs=1e-6)
    fm = r["false_merges"]
    assert fm["total"] == 3
    assert fm["same_household_siblings"] == 2  # a1-b1, a2-b1
    assert fm["same_village_other_household"] == 1  # b2-c1
    missed = r["missed_links"]
    assert missed["total"] == 3  # a1-a3, a2-a3, b1-b2
    assert missed["within_one_source_duplicates"] == 1  # a1-a3 (both reg)
    assert missed["cross_script"] == 2  # a2-a3, b1-b2
    # reg-ru pairs: a1-a2, a2-a3, b1-b2 true; a1-a2 found; a2-b1 false. ru-ru: b2-c1 false
    assert r["by_source_pair"]["reg|ru"] == {"true_pairs": 3, "found": 1, "false": 1, "recall": 0.3333}
    assert r["by_source_pair"]["ru|ru"] == {"true_pairs": 0, "found": 0, "false": 1, "recall": None}


def test_records_absent_from_clusters_are_singletons():
    truth = _truth([("a1", "A", "F1", "reg", "latn"), ("a2", "A", "F1", "ru", "cyrl")])
    r = score(truth, {"zz": "q"})
    assert r["pairwise"]["recall"] == 0.0
    assert r["clusters"] == 2
    assert r["records_not_in_truth"] == 1


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    generate(300, 5, out)
    return out


def test_generator_is_deterministic_per_seed(small, tmp_path):
    generate(300, 5, tmp_path / "again")
    generate(300, 6, tmp_path / "other")
    for name in ("INPUT.csv", "TRUTH.csv", "PLACES.csv"):
        assert _digest(small / name) == _digest(tmp_path / "again" / name)
    assert _digest(small / "INPUT.csv") != _digest(tmp_path / "other" / "INPUT.csv")


def test_every_record_is_in_truth_and_the_truth_scores_perfectly(small):
    with (small / "INPUT.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == FIELDS
    with (small / "TRUTH.csv").open(encoding="utf-8", newline="") as fh:
        truth = list(csv.reader(fh))
    assert truth[0] == TRUTH_FIELDS
    assert [r[0] for r in rows[1:]] == [t[0] for t in truth[1:]]
    assert len({r[0] for r in rows[1:]}) == len(rows) - 1
    assert {r[1] for r in rows[1:]} == set(SOURCES)
    assert all(len(r) == len(FIELDS) for r in rows)
    cols = {k: [t[i] for t in truth[1:]] for i, k in enumerate(TRUTH_FIELDS)}
    r = score(cols, dict(zip(cols["record_id"], cols["person_id"], strict=True)))
    assert r["pairwise"]["f1"] == 1.0
    assert r["bcubed"]["f1"] == 1.0
    # the data set contains the hard cases it claims to
    assert r["pairs"]["true"] > 0
    assert r["by_source_pair"]["aid_list|aid_list"]["true_pairs"] > 0  # duplicates within a source


def test_places_have_every_form(small):
    with (small / "PLACES.csv").open(encoding="utf-8", newline="") as fh:
        places = list(csv.DictReader(fh))
    villages = [p for p in places if p["place_id"].startswith("V")]
    assert len(villages) >= 200
    assert all(p["name_az_latn"] and p["name_az_cyrl"] and p["name_ru"] and p["name_hy"] for p in villages)
    assert sum(p["name_hy"] != p["name_hy_old"] for p in villages) > len(villages) // 2  # mostly renamed


def test_transliteration_follows_names_md():
    assert az_to_cyrl("Məmmədov Əli Həsən oğlu") == "Мәммәдов Әли Һәсән оғлу"
    assert az_to_cyrl("Yusif", 1950) == "Йусиф" and az_to_cyrl("Yusif", 1970) == "Јусиф"
    assert az_to_ru("Quliyev") == "Гулиев" and az_to_ru("Quliyev", q_as_k=True) == "Кулиев"
    assert az_to_ru("Qarabulaq", place=True) == "Гарабулах"
    assert az_to_ru("Elçin") == "Эльчин"
    assert ru_to_latin("Гусейнов", "icao") == "Guseinov"
    assert ru_to_latin("Джафарова", "mvd_fr") == "Djafarova"
    assert az_to_mrz("Hüseynova") == "HUESEYNOVA"
    assert hy_to_latn("Երնջատափ") == "Yernjatap'"


def test_cli_self_check(capsys):
    assert main([]) == 0
    assert '"pairwise_f1": 1.0' in capsys.readouterr().out


def test_one_giant_cluster_is_counted_not_enumerated(small):
    with (small / "TRUTH.csv").open(encoding="utf-8", newline="") as fh:
        truth = list(csv.reader(fh))
    cols = {k: [t[i] for t in truth[1:]] for i, k in enumerate(TRUTH_FIELDS)}
    n = len(cols["record_id"])
    r = score(cols, dict.fromkeys(cols["record_id"], "all"))
    assert r["pairs"]["predicted"] == n * (n - 1) // 2
    assert r["pairwise"]["recall"] == 1.0
    fm = r["false_merges"]
    parts = sum(v for k, v in fm.items() if k != "total")
    assert parts == fm["total"] == r["pairs"]["predicted"] - r["pairs"]["true_positive"]
    assert fm["namesakes_same_birth_year_other_household"] >= 0
    assert sum(v["false"] for v in r["by_source_pair"].values()) == fm["total"]


def test_household_ids_are_ids_within_their_source(small):
    with (small / "INPUT.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with (small / "TRUTH.csv").open(encoding="utf-8", newline="") as fh:
        family = {t["record_id"]: t["family_id"] for t in csv.DictReader(fh)}
    families: dict[tuple[str, str], set[str]] = {}
    for r in rows:
        if r["household_id"]:
            families.setdefault((r["source"], r["household_id"]), set()).add(family[r["record_id"]])
    assert families
    assert all(len(f) == 1 for f in families.values())  # one id never covers two families
