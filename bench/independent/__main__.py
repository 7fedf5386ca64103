"""CLI: ``python -m bench.independent generate|score``; without arguments a quick self-check."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from .generate import generate
from .score import read_clusters, read_truth, render, score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.independent", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    g = sub.add_parser("generate", help="write INPUT.csv, PLACES.csv and TRUTH.csv")
    g.add_argument("--households", type=int, default=2000)
    g.add_argument("--seed", type=int, default=17)
    g.add_argument("--out", type=Path, required=True)
    s = sub.add_parser("score", help="score clusters.csv (record_id,cluster_id) against TRUTH.csv")
    s.add_argument("--truth", type=Path, required=True)
    s.add_argument("--clusters", type=Path, required=True)
    s.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    if args.command == "generate":
        summary = generate(args.households, args.seed, args.out)
        print(json.dumps(summary, ensure_ascii=False))
        return 0
    if args.command == "score":
        result = score(read_truth(args.truth), read_clusters(args.clusters))
        print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else render(result))
        return 0
    # no command: a quick self-check (200 families; the truth scored against itself is perfect)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        summary = generate(200, 1, out)
        truth = read_truth(out / "TRUTH.csv")
        perfect = score(truth, dict(zip(truth["record_id"], truth["person_id"], strict=True)))
        print(json.dumps({"self_check": summary, "pairwise_f1": perfect["pairwise"]["f1"]}, ensure_ascii=False))
        return 0 if perfect["pairwise"]["f1"] == 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
