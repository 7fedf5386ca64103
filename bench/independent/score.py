"""Score a clustering (``record_id,cluster_id``) against TRUTH.csv.

Pairwise precision/recall/F1 and B-cubed precision/recall/F1, all from group counts (a
cluster of n records holds n(n-1)/2 pairs), so the cost is linear in the number of records
even for one giant cluster. Records missing from the clustering are singletons.

False merges (pairs put together that are different people) are split by what the two
people have in common; missed links (pairs of one person's records left apart) by the
scripts and sources of the two records. Every category is a pair count.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def _c2(n: int) -> int:
    return n * (n - 1) // 2


def _pairs(keys: Iterable[object]) -> int:
    return sum(_c2(n) for n in Counter(keys).values())


def _prf(tp: float, pred: float, true: float) -> dict[str, float]:
    p = tp / pred if pred else 1.0
    r = tp / true if true else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 6), "recall": round(r, 6), "f1": round(f, 6)}


def read_truth(path: Path) -> dict[str, list[str]]:
    """TRUTH.csv as columns (repeated values shared, so 400k rows stay small)."""
    pool: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        cols: list[list[str]] = [[] for _ in header]
        for row in reader:
            for i, v in enumerate(row):
                cols[i].append(pool.setdefault(v, v) if i > 1 else v)
    return dict(zip(header, cols, strict=True))


def read_clusters(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        ri, ci = header.index("record_id"), header.index("cluster_id")
        return {row[ri]: row[ci] for row in reader}


def _codes(values: Iterable[str]) -> tuple[list[int], int]:
    """Dense integer codes for a column (and how many distinct values it has)."""
    index: dict[str, int] = {}
    codes = [index.setdefault(v, len(index)) for v in values]
    return codes, len(index)


def _keys(*columns: tuple[list[int], int]) -> list[int]:
    """One integer per record combining several coded columns (mixed radix)."""
    first, _ = columns[0]
    keys = list(first)
    for codes, size in columns[1:]:
        keys = [k * size + c for k, c in zip(keys, codes, strict=True)]
    return keys


def _source_pairs(groups: list[int], sources: list[int], n_sources: int) -> list[list[int]]:
    """Pairs per (source a, source b), a <= b, of records sharing a group: matrix[a][b]."""
    out = [[0] * n_sources for _ in range(n_sources)]
    counts = Counter(g * n_sources + s for g, s in zip(groups, sources, strict=True))
    current, row = -1, [0] * n_sources

    def flush(row: list[int]) -> None:
        present = [(a, na) for a, na in enumerate(row) if na]
        for i, (a, na) in enumerate(present):
            out[a][a] += _c2(na)
            for b, nb in present[i + 1 :]:
                out[a][b] += na * nb

    for key in sorted(counts):
        g, src = divmod(key, n_sources)
        if g != current:
            flush(row)
            current, row = g, [0] * n_sources
        row[src] = counts[key]
    flush(row)
    return out


def score(truth: dict[str, list[str]], clusters: dict[str, str]) -> dict[str, Any]:
    rids = truth["record_id"]
    n = len(rids)
    known = set(rids)
    unknown = sum(1 for rid in clusters if rid not in known)
    del known
    cl = _codes(clusters.get(rid, "\x00" + rid) for rid in rids)
    pe = _codes(truth["person_id"])
    fam_c, gen_c, unit_c = _codes(truth["family_id"]), _codes(truth["generation"]), _codes(truth["birth_unit"])
    nk_c, year_c, vil_c = _codes(truth["name_key"]), _codes(truth["birth_year"]), _codes(truth["village_id"])
    src_c, script_c = _codes(truth["source"]), _codes(truth["script"])
    sex = truth["sex"]

    def in_cluster(*cols: tuple[list[int], int]) -> int:
        return _pairs(_keys(cl, *cols))

    def overall(*cols: tuple[list[int], int]) -> int:
        return _pairs(_keys(*cols))

    cid, pid = cl[0], pe[0]
    cluster_size = Counter(cid)
    person_size = Counter(pid)
    cells = Counter(_keys(cl, pe))
    tp = sum(_c2(v) for v in cells.values())
    pred = sum(_c2(v) for v in cluster_size.values())
    true = sum(_c2(v) for v in person_size.values())
    pairwise = _prf(tp, pred, true)
    bp = br = 0.0
    for key, v in cells.items():
        c, p = divmod(key, pe[1])
        bp += v * v / cluster_size[c]
        br += v * v / person_size[p]
    bp, br = (bp / n, br / n) if n else (1.0, 1.0)
    bf = 2 * bp * br / (bp + br) if bp + br else 0.0
    del cells

    # false merges by relation between the two people
    fam = in_cluster(fam_c)
    fam_gen = in_cluster(fam_c, gen_c)
    fam_gen_unit = in_cluster(fam_c, gen_c, unit_c)
    namesakes = in_cluster(nk_c, year_c) - in_cluster(nk_c, year_c, fam_c)
    village_namesakes = in_cluster(vil_c, nk_c, year_c) - in_cluster(vil_c, nk_c, year_c, fam_c)
    same_village = (in_cluster(vil_c) - fam) - village_namesakes
    false_merges = {
        "total": pred - tp,
        "same_household_siblings": fam_gen_unit - tp,
        "same_household_cousins_or_in_laws": fam_gen - fam_gen_unit,
        "same_household_other_generation": fam - fam_gen,
        "namesakes_same_birth_year_other_household": namesakes,
        "same_village_other_household": same_village,
        "other": (pred - fam) - namesakes - same_village,
    }

    # missed links by scripts, sources and sex
    true_src, linked_src = overall(pe, src_c), in_cluster(pe, src_c)
    true_scr, linked_scr = overall(pe, script_c), in_cluster(pe, script_c)
    women = [i for i in range(n) if sex[i] == "f"]
    true_f = _pairs(pid[i] for i in women)
    linked_f = _pairs((cid[i], pid[i]) for i in women)
    missed = {
        "total": true - tp,
        "within_one_source_duplicates": true_src - linked_src,
        "cross_script": (true - true_scr) - (tp - linked_scr),
        "same_script_other_source": (true_scr - true_src) - (linked_scr - linked_src),
        "women": true_f - linked_f,
        "men": (true - tp) - (true_f - linked_f),
    }

    # per source pair: true pairs, found pairs, false pairs
    names = list(dict.fromkeys(truth["source"]))
    ns = src_c[1]
    t_ab = _source_pairs(pid, src_c[0], ns)
    l_ab = _source_pairs(_keys(cl, pe), src_c[0], ns)
    c_ab = _source_pairs(cid, src_c[0], ns)
    by_pair = {}
    order = sorted(range(ns), key=lambda i: names[i])
    for x, a in enumerate(order):
        for b in order[x:]:
            i, j = min(a, b), max(a, b)
            t, found, together = t_ab[i][j], l_ab[i][j], c_ab[i][j]
            if t or together:
                by_pair[f"{names[a]}|{names[b]}"] = {
                    "true_pairs": t,
                    "found": found,
                    "false": together - found,
                    "recall": round(found / t, 4) if t else None,
                }
    return {
        "records": n,
        "persons": len(person_size),
        "clusters": len(cluster_size),
        "records_not_in_truth": unknown,
        "pairs": {"true": true, "predicted": pred, "true_positive": tp},
        "pairwise": pairwise,
        "bcubed": {"precision": round(bp, 6), "recall": round(br, 6), "f1": round(bf, 6)},
        "false_merges": false_merges,
        "missed_links": missed,
        "by_source_pair": by_pair,
    }


def render(result: dict[str, Any]) -> str:
    pw, b3 = result["pairwise"], result["bcubed"]
    lines = [
        f"records {result['records']}  persons {result['persons']}  clusters {result['clusters']}"
        f"  (records in clusters.csv not in truth: {result['records_not_in_truth']})",
        f"pairs: true {result['pairs']['true']}  predicted {result['pairs']['predicted']}"
        f"  correct {result['pairs']['true_positive']}",
        f"pairwise  precision {pw['precision']:.4f}  recall {pw['recall']:.4f}  F1 {pw['f1']:.4f}",
        f"B-cubed   precision {b3['precision']:.4f}  recall {b3['recall']:.4f}  F1 {b3['f1']:.4f}",
        "false merges (pairs of different people put together):",
    ]
    lines += [f"  {k:45s} {v}" for k, v in result["false_merges"].items()]
    lines.append("missed links (pairs of one person's records left apart):")
    lines += [f"  {k:45s} {v}" for k, v in result["missed_links"].items()]
    lines.append("by source pair: true pairs, found, recall, false pairs")
    for k, v in result["by_source_pair"].items():
        rec = "-" if v["recall"] is None else f"{v['recall']:.3f}"
        lines.append(f"  {k:40s} {v['true_pairs']:9d} {v['found']:9d} {rec:>7s} {v['false']:9d}")
    return "\n".join(lines)
