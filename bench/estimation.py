"""Multiple systems estimation: the reference's figures, BIC timing, and interval coverage.

    python -m bench estimation                        # all three parts
    python -m bench estimation --part timing --repeat 5
    python -m bench estimation --part coverage --simulations 200 --bootstrap 200

reference: the published tables (yurd/estimation/tests/data, from /work/shared/estimation)
against R's MultipleSystemsEstimation 1.2.0 (main effects, stepwise at 0.02, BIC); fails
when an estimate is off by more than 0.5 %.
timing: BIC over every two-list model of the five-list tables, without and with a
1,000-sample bootstrap (the BIC choice repeated on each resample); the issue's reference
took 14-26 s in R. Target: seconds, not minutes.
coverage: populations of known size caught by independent lists; how often the 95 %
interval covers the true size (stepwise with bootstrap BCa and percentile, resampling
the observed people as the reference does or the estimated population; the fixed
main-effects model's Wald interval alongside). Target: the population bootstrap's BCa
interval covers at least 91 % of 200.
No database, no Django.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from bench import require_setup
from yurd.estimation import CaptureTable, NoEstimateError, estimate, read_counts

DATA = Path(__file__).resolve().parents[1] / "yurd" / "estimation" / "tests" / "data"
REFERENCE = {
    ("NewOrl", "fixed"): 949.47,
    ("NewOrl", "stepwise"): 1110.49,
    ("NewOrl_5", "fixed"): 981.43,
    ("NewOrl_5", "stepwise"): 981.43,
    ("NewOrl_5", "bic"): 981.43,
    ("Western", "fixed"): 2007.14,
    ("Western", "stepwise"): 2483.38,
    ("Western", "bic"): 2483.38,
}
PUBLISHED_BCA = {"NewOrl": (717, 1657), "NewOrl_5": (589, 1703), "Western": (1293, 3670)}


def table(name: str) -> CaptureTable:
    with (DATA / f"{name}.csv").open(encoding="utf-8") as handle:
        counts = read_counts(handle)
    require_setup(counts.observed, f"people observed in {name}.csv")
    return counts


def reference(bootstrap: int, seed: int) -> bool:
    print("| table | method | reference (R 1.2.0) | Yurd | difference | model |")
    print("|---|---|---|---|---|---|")
    ok = True
    for (name, method), expected in REFERENCE.items():
        result = estimate(table(name), method=method)
        difference = result.estimate / expected - 1
        ok &= abs(difference) <= 0.005
        model = ", ".join(result.interactions) or "main effects"
        print(f"| {name} | {method} | {expected:.2f} | {result.estimate:.2f} | {difference:+.4%} | {model} |")
    if bootstrap:
        print(f"\nStepwise BCa intervals, {bootstrap} bootstrap samples, seed {seed}, against the 2021 paper's:")
        print("| table | paper (point) | paper's BCa 95 % | Yurd (point) | Yurd BCa 95 % | width ratio |")
        print("|---|---|---|---|---|---|")
        paper_points = {"NewOrl": 1184, "NewOrl_5": 1034, "Western": 2483}
        for name, (low, high) in PUBLISHED_BCA.items():
            result = estimate(table(name), method="stepwise", bootstrap=bootstrap, seed=seed)
            ours_low, ours_high = result.interval or (float("nan"), float("nan"))
            ratio = (ours_high - ours_low) / (high - low)
            print(
                f"| {name} | {paper_points[name]} | ({low}, {high}) | {result.estimate:.0f} | "
                f"({ours_low:.0f}, {ours_high:.0f}) | {ratio:.2f} |"
            )
    return ok


def timing(repeat: int, bootstrap: int, seed: int) -> bool:
    """Wall time, and the process's CPU time beside it (the shared machine's load inflates wall time)."""
    print(
        f"BLAS threads: OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}; load {os.getloadavg()}"
    )
    print(
        "| table | lists | models | BIC, no bootstrap (median wall / CPU) "
        "| BIC + bootstrap (wall / CPU) | stepwise + bootstrap (wall / CPU) |"
    )
    print("|---|---|---|---|---|---|")
    ok = True
    for name in ("NewOrl_5", "Western"):
        capture = table(name)
        walls, cpus = [], []
        for _ in range(repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            estimate(capture, method="bic")
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        wall, cpu = time.perf_counter(), time.process_time()
        with_bootstrap = estimate(capture, method="bic", bootstrap=bootstrap, seed=seed)
        bic_bootstrap = (time.perf_counter() - wall, time.process_time() - cpu)
        wall, cpu = time.perf_counter(), time.process_time()
        estimate(capture, method="stepwise", bootstrap=bootstrap, seed=seed)
        stepwise_bootstrap = (time.perf_counter() - wall, time.process_time() - cpu)
        ok &= statistics.median(walls) < 14
        low, high = with_bootstrap.interval or (float("nan"), float("nan"))
        print(
            f"| {name} | {capture.k} | {2 ** (capture.k * (capture.k - 1) // 2)} | "
            f"{statistics.median(walls):.2f} / {statistics.median(cpus):.2f} s | "
            f"{bic_bootstrap[0]:.1f} / {bic_bootstrap[1]:.1f} s ({bootstrap} samples; BCa {low:.0f}-{high:.0f}) | "
            f"{stepwise_bootstrap[0]:.1f} / {stepwise_bootstrap[1]:.1f} s |"
        )
    print(f"load after: {os.getloadavg()}")
    return ok


def simulate(generator: np.random.Generator, population: int, probabilities: list[float]) -> CaptureTable:
    on_lists = generator.random((population, len(probabilities))) < np.array(probabilities)
    masks = on_lists @ (1 << np.arange(len(probabilities)))
    counts = np.bincount(masks, minlength=1 << len(probabilities)).astype(np.int64)
    counts[0] = 0
    return CaptureTable(tuple("ABCDEFGH"[: len(probabilities)]), counts)


def coverage(simulations: int, bootstrap: int, seed: int, population: int, probabilities: list[float]) -> bool:
    generator = np.random.default_rng(seed)
    kinds = [
        "stepwise, BCa, observed resampled (reference)",
        "stepwise, percentile, observed resampled",
        "stepwise, BCa, population resampled",
        "stepwise, percentile, population resampled",
        "main effects, Wald (log scale)",
    ]
    covered = dict.fromkeys(kinds, 0)
    widths: dict[str, list[float]] = {kind: [] for kind in kinds}
    refused = 0
    started = time.perf_counter()
    for simulation in range(simulations):
        capture = simulate(generator, population, probabilities)
        intervals: dict[str, tuple[float, float] | None] = {}
        try:
            for whole in ("observed", "population"):
                result = estimate(
                    capture, method="stepwise", bootstrap=bootstrap, seed=seed + simulation, resample=whole
                )
                replicates = result.replicates[np.isfinite(result.replicates)]
                low, high = np.quantile(replicates, [0.025, 0.975], method="median_unbiased")
                label = "observed resampled" if whole == "observed" else "population resampled"
                intervals[f"stepwise, BCa, {label}" + (" (reference)" if whole == "observed" else "")] = result.interval
                intervals[f"stepwise, percentile, {label}"] = (float(low), float(high))
            intervals["main effects, Wald (log scale)"] = estimate(capture, method="fixed").interval
        except NoEstimateError:
            refused += 1
            continue
        for kind, bounds in intervals.items():
            if bounds is None:
                continue
            covered[kind] += bounds[0] <= population <= bounds[1]
            widths[kind].append(bounds[1] - bounds[0])
    elapsed = time.perf_counter() - started
    done = simulations - refused
    print(
        f"{simulations} populations of {population}, independent lists with capture probabilities "
        f"{probabilities}, {bootstrap} bootstrap samples each, seed {seed}; {refused} without estimate; "
        f"{elapsed:.0f} s"
    )
    print("| interval (95 % nominal) | coverage | median width |")
    print("|---|---|---|")
    ok = True
    for kind, hits in covered.items():
        share = hits / done if done else float("nan")
        if "population" in kind and "BCa" in kind:
            # 200 draws at 95 % fall below 91 % once in a hundred.
            ok &= share >= 0.91
        width = statistics.median(widths[kind]) if widths[kind] else float("nan")
        print(f"| {kind} | {hits}/{done} = {share:.1%} | {width:.0f} |")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=["reference", "timing", "coverage", "all"], default="all")
    parser.add_argument("--repeat", type=int, default=5, help="Timing: runs of BIC without bootstrap.")
    parser.add_argument("--bootstrap", type=int, default=1000, help="Bootstrap samples for reference and timing.")
    parser.add_argument("--simulations", type=int, default=200)
    parser.add_argument("--coverage-bootstrap", type=int, default=200, help="Bootstrap samples per simulation.")
    parser.add_argument("--population", type=int, default=500)
    parser.add_argument("--probabilities", default="0.2,0.25,0.3,0.35")
    parser.add_argument("--seed", type=int, default=1234)
    arguments = parser.parse_args()
    ok = True
    if arguments.part in {"reference", "all"}:
        print("== Reference estimates")
        ok &= reference(arguments.bootstrap, arguments.seed)
    if arguments.part in {"timing", "all"}:
        print("\n== BIC over five lists")
        ok &= timing(arguments.repeat, arguments.bootstrap, arguments.seed)
    if arguments.part in {"coverage", "all"}:
        print("\n== Coverage")
        probabilities = [float(value) for value in arguments.probabilities.split(",")]
        ok &= coverage(
            arguments.simulations, arguments.coverage_bootstrap, arguments.seed, arguments.population, probabilities
        )
    print("\nresult:", "ok" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
