"""Population estimates with intervals that account for choosing the model.

The interval comes from the bootstrap of the reference (Chan, Silverman & Vincent
2021, section 3.3; Silverman, Chan & Vincent 2024): the observed people are
resampled (a multinomial draw of the same total over the observed histories), the
whole selection is repeated on each resample, and the BCa interval (bias from the
share of resamples below the estimate, acceleration from a delete-one jackknife
weighted by the count of each history) or the percentile interval is read from the
resampled estimates. Without resampling, a fixed model's interval is the Wald
interval of the log dark figure, which ignores any choice of model.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

import numpy as np

from yurd.estimation import loglinear, selection
from yurd.estimation.loglinear import NoEstimateError
from yurd.estimation.tables import CaptureTable

METHODS = ("fixed", "stepwise", "bic")
INTERVALS = ("bca", "percentile")
# What the bootstrap resamples: the observed people, as the reference does (the interval
# then reflects the uncertainty of the expected number unseen), or the estimated whole
# population, the unseen included (Buckland & Garthwaite 1991), which adds the chance
# variation of how many are actually unseen.
RESAMPLING = ("observed", "population")
# Models kept for the BIC bootstrap, ranked on the original data, as the reference does:
# all of them up to three lists, 20 at four, 100 at five.
BIC_BOOTSTRAP_MODELS = {2: None, 3: None, 4: 20, 5: 100}
# Below this many people observed a stratum's estimate is fragile.
SMALL_STRATUM = 50
FEW_BOOTSTRAP_SAMPLES = 200
NORMAL = NormalDist()


@dataclass(frozen=True)
class Caveat:
    """A warning to print beside the estimate; `code` lets a caller word it in its language."""

    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Estimate:
    lists: tuple[str, ...]
    observed: int
    estimate: float
    interval: tuple[float, float] | None
    level: float
    interval_method: str  # bca, percentile, wald-log, or none
    bootstrap_samples: int
    bootstrap_failures: int
    resample: str  # observed (the reference's) or population
    method: str
    pthresh: float | None
    seed: int | None
    interactions: tuple[str, ...]  # two-list terms of the chosen model
    at_minus_infinity: tuple[str, ...]  # of those, pairs with nobody in common
    bic: float | None
    caveats: tuple[Caveat, ...] = ()
    replicates: np.ndarray | None = field(default=None, repr=False, compare=False)
    jackknife: np.ndarray | None = field(default=None, repr=False, compare=False)  # per observed person
    strata: Mapping[str, Estimate] = field(default_factory=dict)

    @property
    def dark_figure(self) -> float:
        return self.estimate - self.observed

    @property
    def model(self) -> tuple[str, ...]:
        """The terms kept: every list's main effect, then the interactions."""
        return (*self.lists, *self.interactions)

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "observed": self.observed,
            "estimate": round(self.estimate, 2),
            "dark_figure": round(self.dark_figure, 2),
            "interval": [round(self.interval[0], 2), round(self.interval[1], 2)] if self.interval else None,
            "level": self.level,
            "interval_method": self.interval_method,
            "bootstrap_samples": self.bootstrap_samples,
            "bootstrap_failures": self.bootstrap_failures,
            "resample": self.resample,
            "seed": self.seed,
            "method": self.method,
            "pthresh": self.pthresh,
            "lists": list(self.lists),
            "model": list(self.model),
            "interactions": list(self.interactions),
            "at_minus_infinity": list(self.at_minus_infinity),
            "bic": round(self.bic, 4) if self.bic is not None else None,
            "caveats": [{"code": caveat.code, "message": caveat.message, **caveat.params} for caveat in self.caveats],
        }
        if self.strata:
            result["strata"] = {name: stratum.as_dict() for name, stratum in self.strata.items()}
        return result


def estimate(
    table: CaptureTable,
    *,
    method: str = "stepwise",
    interactions: tuple[str, ...] | list[str] = (),
    pthresh: float = 0.02,
    bootstrap: int = 0,
    seed: int | None = None,
    resample: str = "observed",
    interval: str = "bca",
    level: float = 0.95,
) -> Estimate:
    """Estimate the population from one table; raises NoEstimateError when no estimate exists.

    `interactions` (`"A:B"`) are for the fixed method; bad names raise ValueError.
    """
    _check_settings(method, interval, level, bootstrap, interactions)
    if resample not in RESAMPLING:
        raise ValueError(f"unknown resampling {resample!r}; one of {', '.join(RESAMPLING)}")
    memo = selection.Models()
    select = _selector(table, method, interactions, pthresh, memo)
    chosen = select(table.counts)
    model = chosen.fit
    if model is None:
        raise RuntimeError("the selection returned no fitted model")
    caveats: list[Caveat] = []
    at_minus_infinity = tuple(table.term_name(term) for term in model.at_minus_infinity)
    if at_minus_infinity:
        caveats.append(
            Caveat(
                "minus_infinity",
                "the model holds pairs of lists with nobody in common; their effects are minus infinity",
                {"pairs": list(at_minus_infinity)},
            )
        )
    replicates = jackknife = None
    failures = 0
    if bootstrap:
        estimates = _one_by_one(select)
        if method == "bic" and table.k <= selection.BIC_EXHAUSTIVE_LISTS:
            estimates = _bic_resampler(chosen, table.k, memo)
        replicates, jackknife = _resample(
            table.counts, estimates, bootstrap, seed, dark_figure=chosen.estimate - table.observed, whole=resample
        )
        failures = int(np.isnan(replicates).sum())
        bounds, interval_method, interval_caveats = _interval(replicates, jackknife, chosen.estimate, level, interval)
        if bounds is not None:
            # A resampled population can fall short of the people documented; the true one cannot.
            bounds = (max(bounds[0], table.observed), max(bounds[1], table.observed))
        caveats += interval_caveats + _bootstrap_caveats(bootstrap, failures)
    else:
        bounds = _wald(model, level)
        interval_method = "wald-log" if bounds else "none"
        if method != "fixed":
            caveats.append(
                Caveat(
                    "interval_ignores_selection",
                    "without bootstrap samples the interval treats the chosen model as known",
                )
            )
    return Estimate(
        lists=table.lists,
        observed=table.observed,
        estimate=chosen.estimate,
        interval=bounds,
        level=level,
        interval_method=interval_method,
        bootstrap_samples=bootstrap,
        bootstrap_failures=failures,
        resample=resample,
        method=method,
        pthresh=pthresh if method == "stepwise" else None,
        seed=seed,
        interactions=tuple(table.term_name(pair) for pair in loglinear.basis(table.k).pairs if pair in model.pairs),
        at_minus_infinity=at_minus_infinity,
        bic=model.bic,
        caveats=tuple(caveats),
        replicates=replicates,
        jackknife=jackknife,
    )


def _check_settings(
    method: str, interval: str, level: float, bootstrap: int, interactions: tuple[str, ...] | list[str]
) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; one of {', '.join(METHODS)}")
    if interval not in INTERVALS:
        raise ValueError(f"unknown interval {interval!r}; one of {', '.join(INTERVALS)}")
    if not 0 < level < 1:
        raise ValueError("the level must lie between 0 and 1")
    if bootstrap < 0:
        raise ValueError("the number of bootstrap samples cannot be negative")
    if interactions and method != "fixed":
        raise ValueError("interactions are chosen by the method; name them only with the fixed method")


def _selector(
    table: CaptureTable,
    method: str,
    interactions: tuple[str, ...] | list[str],
    pthresh: float,
    memo: selection.Models,
) -> selection.Selector:
    if method == "fixed":
        return selection.fixed(frozenset(_pair(table, name) for name in interactions), memo)
    if method == "stepwise":
        return selection.stepwise(pthresh, memo)
    return selection.bic(memo)


def _bic_resampler(
    chosen: selection.Selection, lists: int, memo: selection.Models
) -> Callable[[np.ndarray], np.ndarray]:
    # The resamples choose among the models ranked best on the original data, as in the reference.
    ranked = [pairs for _bic, pairs, _estimate in chosen.ranking][: BIC_BOOTSTRAP_MODELS[lists]]

    def estimates(tables: np.ndarray) -> np.ndarray:
        return selection.bic_estimates(tables, ranked, memo)

    return estimates


def _bootstrap_caveats(samples: int, failures: int) -> list[Caveat]:
    caveats = []
    if failures:
        caveats.append(
            Caveat(
                "bootstrap_failures",
                "some resamples had no estimate and were left out of the interval",
                {"failures": failures, "samples": samples},
            )
        )
    if samples < FEW_BOOTSTRAP_SAMPLES:
        caveats.append(
            Caveat(
                "few_bootstrap_samples", "few bootstrap samples: the interval's ends are rough", {"samples": samples}
            )
        )
    return caveats


def estimate_strata(
    tables: Mapping[str, CaptureTable],
    *,
    method: str = "stepwise",
    interactions: tuple[str, ...] | list[str] = (),
    pthresh: float = 0.02,
    bootstrap: int = 0,
    seed: int | None = None,
    resample: str = "observed",
    interval: str = "bca",
    level: float = 0.95,
) -> Estimate:
    """Estimate each stratum separately and add them up.

    The total's interval adds the strata's bootstrap replicates sample by sample
    (each stratum resampled independently, its seed drawn from `seed`); its BCa
    acceleration comes from the strata's jackknife estimates, deleting one person at
    a time from the whole population. A stratum with no estimate stops the total,
    naming the stratum.
    """
    if not tables:
        raise ValueError("no strata to estimate")
    seeds = np.random.SeedSequence(seed).spawn(len(tables))
    strata: dict[str, Estimate] = {}
    for (name, table), stratum_seed in zip(tables.items(), seeds, strict=True):
        try:
            strata[name] = estimate(
                table,
                method=method,
                interactions=interactions,
                pthresh=pthresh,
                bootstrap=bootstrap,
                seed=int(stratum_seed.generate_state(1)[0]),
                resample=resample,
                interval=interval,
                level=level,
            )
        except NoEstimateError as refusal:
            raise StratumError(name, refusal) from refusal
    observed = sum(stratum.observed for stratum in strata.values())
    total = sum(stratum.estimate for stratum in strata.values())
    caveats: list[Caveat] = []
    small = [name for name, stratum in strata.items() if stratum.observed < SMALL_STRATUM]
    if small:
        caveats.append(
            Caveat(
                "small_strata",
                "strata with few people observed: their estimates, and so the total, are fragile",
                {"strata": small, "threshold": SMALL_STRATUM},
            )
        )
    bounds: tuple[float, float] | None = None
    interval_method = "none"
    replicates = None
    if bootstrap:
        replicates = np.sum(
            [stratum.replicates for stratum in strata.values() if stratum.replicates is not None], axis=0
        )
        # Deleting one person changes only that person's stratum.
        jackknife = np.concatenate(
            [
                stratum.jackknife + (total - stratum.estimate)
                for stratum in strata.values()
                if stratum.jackknife is not None
            ]
        )
        bounds, interval_method, interval_caveats = _interval(replicates, jackknife, total, level, interval)
        caveats += interval_caveats
    else:
        caveats.append(Caveat("total_needs_bootstrap", "the total's interval needs bootstrap samples"))
    return Estimate(
        lists=next(iter(strata.values())).lists,
        observed=observed,
        estimate=total,
        interval=bounds,
        level=level,
        interval_method=interval_method,
        bootstrap_samples=bootstrap,
        bootstrap_failures=int(np.isnan(replicates).sum()) if replicates is not None else 0,
        resample=resample,
        method=method,
        pthresh=pthresh if method == "stepwise" else None,
        seed=seed,
        interactions=(),
        at_minus_infinity=(),
        bic=None,
        caveats=tuple(caveats),
        replicates=replicates,
        strata=strata,
    )


class StratumError(NoEstimateError):
    def __init__(self, stratum: str, refusal: NoEstimateError):
        self.stratum = stratum
        self.status = refusal.status
        self.model = refusal.model
        ValueError.__init__(self, f"stratum {stratum}: {refusal}")


def _pair(table: CaptureTable, name: str) -> int:
    parts = [part.strip() for part in name.split(":")]
    if len(parts) != 2 or parts[0] == parts[1]:
        raise ValueError(f"interaction {name!r} must name two different lists, as A:B")
    try:
        return table.term_mask(name)
    except KeyError as missing:
        raise ValueError(f"interaction {name!r}: no list named {missing.args[0]!r}") from None


def _one_by_one(select: selection.Selector) -> Callable[[np.ndarray], np.ndarray]:
    def estimates(tables: np.ndarray) -> np.ndarray:
        result = np.full(len(tables), np.nan)
        for row, counts in enumerate(tables):
            with contextlib.suppress(NoEstimateError):
                result[row] = select(counts).estimate
        return result

    return estimates


def _resample(
    counts: np.ndarray,
    estimates: Callable[[np.ndarray], np.ndarray],
    samples: int,
    seed: int | None,
    *,
    dark_figure: float,
    whole: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Estimates from `samples` multinomial resamples, and the delete-one jackknife per observed person."""
    generator = np.random.default_rng(seed)
    cells = np.flatnonzero(counts)
    total = int(counts.sum())
    resampled = np.zeros((samples, len(counts)), dtype=counts.dtype)
    if whole == "population":
        # Draw the estimated population, the unseen (history 0) included, and forget the unseen.
        population = round(total + dark_figure)
        shares = np.append(counts[cells], dark_figure) / (total + dark_figure)
        resampled[:, cells] = generator.multinomial(population, shares, size=samples)[:, :-1]
    else:
        resampled[:, cells] = generator.multinomial(total, counts[cells] / total, size=samples)
    replicates = np.full(samples, np.nan)
    seen = resampled.sum(axis=1) > 0
    replicates[seen] = estimates(resampled[seen])
    reduced = np.repeat(counts[None, :], len(cells), axis=0)
    reduced[np.arange(len(cells)), cells] -= 1
    # One estimate per person: deleting any one of a history's people gives the same table.
    jackknife = np.repeat(estimates(reduced), counts[cells])
    return replicates, jackknife


def _interval(
    replicates: np.ndarray, jackknife: np.ndarray, point: float, level: float, kind: str
) -> tuple[tuple[float, float] | None, str, list[Caveat]]:
    usable = replicates[np.isfinite(replicates)]
    if len(usable) < 2:
        return None, "none", [Caveat("no_interval", "too few resamples had an estimate to give an interval")]
    alphas = np.array([(1 - level) / 2, (1 + level) / 2])
    caveats: list[Caveat] = []
    if kind == "bca":
        levels = bca_levels(usable, jackknife, point, alphas)
        if levels is not None:
            return _quantiles(usable, levels), "bca", caveats
        caveats.append(
            Caveat(
                "bca_unavailable",
                "the BCa correction could not be computed (every resample on one side of the estimate, "
                "or a jackknife estimate missing); the percentile interval is given",
            )
        )
    return _quantiles(usable, alphas), "percentile", caveats


def bca_levels(replicates: np.ndarray, jackknife: np.ndarray, point: float, alphas: np.ndarray) -> np.ndarray | None:
    """The percentiles BCa reads instead of `alphas`, or None where it is undefined.

    Bias z0 is the normal quantile of the share of replicates below the estimate; the
    acceleration is the skewness of the jackknife estimates (one per observed person)
    over six, as in Efron (1987) and the reference's bcaconfvalues.
    """
    below = float(np.mean(replicates < point))
    if not 0 < below < 1 or len(jackknife) == 0 or not np.all(np.isfinite(jackknife)):
        return None
    deviation = jackknife.mean() - jackknife
    spread = float(np.sum(deviation**2))
    acceleration = float(np.sum(deviation**3)) / (6 * spread**1.5) if spread > 0 else 0.0
    bias = NORMAL.inv_cdf(below)
    result = []
    for alpha in alphas:
        shifted = bias + NORMAL.inv_cdf(float(alpha))
        result.append(NORMAL.cdf(bias + shifted / (1 - acceleration * shifted)))
    return np.array(result)


def _quantiles(values: np.ndarray, levels: np.ndarray) -> tuple[float, float]:
    # Hyndman & Fan's type 8, R's choice in the reference.
    low, high = np.quantile(values, levels, method="median_unbiased")
    return float(low), float(high)


def _wald(model: loglinear.ModelFit, level: float) -> tuple[float, float] | None:
    if not math.isfinite(model.intercept_variance) or model.intercept_variance < 0:
        return None
    z = NORMAL.inv_cdf(0.5 + level / 2)
    log_dark = math.log(model.dark_figure)
    spread = z * math.sqrt(model.intercept_variance)
    return model.observed + math.exp(log_dark - spread), model.observed + math.exp(log_dark + spread)
