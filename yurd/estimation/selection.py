"""Choosing the model: fixed, stepwise by Poisson p-values, or by BIC.

The rules follow the reference implementation, R's MultipleSystemsEstimation
(Chan, Silverman & Vincent 2021; Silverman, Chan & Vincent 2024):

- stepwise: start from main effects; for every two-list interaction not yet in the
  model, the number of people on both lists is compared with its Poisson
  distribution under the current fit, taking min(P(X <= n), P(X >= n)) as p-value.
  The interaction with the smallest p-value is added if that p-value is below the
  threshold and the enlarged model's estimate exists and is identifiable; otherwise
  the next smallest is tried. Selection stops when none qualifies. A pair of lists
  with nobody in common can thus be added (its effect is then minus infinity) when
  the current fit expects many in common.
- BIC: every hierarchical model with two-list interactions (each set of pairs) whose
  estimate exists and is identifiable, as far as five lists; beyond five, a search
  that adds or removes one interaction at a time while the BIC falls.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.special import pdtr, pdtrc

from yurd.estimation import loglinear
from yurd.estimation.loglinear import NOT_EXISTS, OK, ModelFit, NoEstimateError

# Exhaustive BIC search up to this many lists (2**10 = 1024 models at five).
BIC_EXHAUSTIVE_LISTS = 5


class Models:
    """Fits models to tables, remembering which models can be fitted at all.

    Whether a model's estimate exists and is identifiable depends only on which
    histories are empty, so resamples with the same empty cells share the answer.
    Among models with the same pairs at minus infinity (the same histories in the
    fit), one without some overlapping pair has a subset of the other's constraints
    and columns: if the larger can be fitted, so can the smaller; if the smaller
    cannot, neither can the larger. A converged fit usually proves by itself that
    its estimate exists (`loglinear.certified`); the linear program runs only when it
    does not.
    """

    def __init__(self) -> None:
        self._lattices: dict[tuple[bytes, frozenset[int]], _Lattice] = {}
        self._last: tuple[bytes, frozenset[int], ModelFit] | None = None

    def _lattice(
        self, counts: np.ndarray, pairs: frozenset[int], margin: np.ndarray
    ) -> tuple[_Lattice, frozenset[int]]:
        column = loglinear.basis(loglinear.lists_of(counts)).column
        empty = frozenset(pair for pair in pairs if margin[column[pair]] == 0)
        key = ((counts > 0).tobytes(), empty)
        lattice = self._lattices.get(key)
        if lattice is None:
            lattice = self._lattices[key] = _Lattice()
        return lattice, pairs - empty

    def status(self, counts: np.ndarray, pairs: frozenset[int], margin: np.ndarray | None = None) -> int:
        margin = loglinear.margins(counts) if margin is None else margin
        lattice, overlapping = self._lattice(counts, pairs, margin)
        status = lattice.known(overlapping)
        if status is None:
            try:
                model = loglinear.fit(counts, pairs)
            except NoEstimateError as refusal:
                status = refusal.status
            else:
                status = OK
                self._last = (counts.tobytes(), pairs, model)
            lattice.record(overlapping, status)
        return status

    def fit(self, counts: np.ndarray, pairs: frozenset[int], margin: np.ndarray | None = None) -> ModelFit:
        """The fitted model; raises NoEstimateError when it cannot be fitted."""
        status = self.status(counts, pairs, margin)
        if status != OK:
            raise NoEstimateError(status, loglinear.describe(loglinear.lists_of(counts), pairs))
        if self._last is not None and self._last[1] == pairs and self._last[0] == counts.tobytes():
            return self._last[2]
        return loglinear.fit(counts, pairs, checked=True)

    def rank(
        self, counts: np.ndarray, models: list[frozenset[int]], margin: np.ndarray
    ) -> tuple[list[frozenset[int]], np.ndarray, np.ndarray]:
        """The models that can be fitted, with their estimates and BICs, fitted together."""
        k = loglinear.lists_of(counts)
        model_basis = loglinear.basis(k)
        known = []
        pending = []
        for pairs in models:
            lattice, overlapping = self._lattice(counts, pairs, margin)
            status = lattice.known(overlapping)
            if status is None:
                pending.append(pairs)
            elif status == OK:
                known.append(pairs)
        candidates = known + pending
        if not candidates:
            return [], np.empty(0), np.empty(0)
        cells = np.empty((len(candidates), 1 << k), dtype=bool)
        columns = np.zeros((len(candidates), len(model_basis.terms)), dtype=bool)
        for row, pairs in enumerate(candidates):
            model = loglinear.layout(counts, pairs, margin)
            cells[row] = model.cells
            columns[row, model.columns[model.estimable]] = True
        observed = np.broadcast_to(counts.astype(np.float64), cells.shape)
        fits = loglinear.fit_many(model_basis.design, observed, cells, columns)
        keep = np.ones(len(candidates), dtype=bool)
        for row in range(len(known), len(candidates)):
            pairs = candidates[row]
            lattice, overlapping = self._lattice(counts, pairs, margin)
            if fits.identifiable[row] and fits.certified[row]:
                status = OK
            else:
                status = self.status(counts, pairs, margin)
                if status == OK:
                    # Newton's method in the batch fell short where a single fit did not.
                    single = self.fit(counts, pairs, margin)
                    fits.intercepts[row] = np.log(single.dark_figure)
                    fits.log_likelihoods[row] = single.log_likelihood
            lattice.record(overlapping, status)
            keep[row] = status == OK
        total = int(counts.sum())
        parameters = np.array([1 + k + len(pairs) for pairs in candidates])
        estimates = total + np.exp(fits.intercepts)
        bics = parameters * np.log(total) - 2 * fits.log_likelihoods
        kept = [pairs for pairs, keeping in zip(candidates, keep, strict=True) if keeping]
        return kept, estimates[keep], bics[keep]


class _Lattice:
    def __init__(self) -> None:
        self.fitting: list[frozenset[int]] = []
        self.failing: list[tuple[frozenset[int], int]] = []

    def known(self, pairs: frozenset[int]) -> int | None:
        if any(pairs <= larger for larger in self.fitting):
            return OK
        for smaller, status in self.failing:
            if smaller <= pairs:
                return status
        return None

    def record(self, pairs: frozenset[int], status: int) -> None:
        if status == OK:
            self.fitting.append(pairs)
        else:
            self.failing.append((pairs, status))


@dataclass
class Selection:
    estimate: float
    fit: ModelFit | None  # None when only the estimate was asked for (bootstrap resamples)
    # For BIC: the models that could be fitted, best first, as (BIC, pairs, estimate).
    ranking: list[tuple[float, frozenset[int], float]] = field(default_factory=list)


Selector = Callable[[np.ndarray], Selection]


def fixed(pairs: Iterable[int], models: Models | None = None) -> Selector:
    chosen = frozenset(pairs)
    memo = models or Models()

    def select(counts: np.ndarray) -> Selection:
        model = memo.fit(counts, chosen)
        return Selection(model.estimate, model)

    return select


def stepwise(pthresh: float = 0.02, models: Models | None = None) -> Selector:
    memo = models or Models()

    def select(counts: np.ndarray) -> Selection:
        k = loglinear.lists_of(counts)
        model_basis = loglinear.basis(k)
        pairs = model_basis.pairs
        margin = loglinear.margins(counts)
        current: frozenset[int] = frozenset()
        model = memo.fit(counts, current, margin)
        if pthresh <= 0:
            return Selection(model.estimate, model)
        if pthresh >= 1 and memo.status(counts, frozenset(pairs), margin) == OK:
            model = memo.fit(counts, frozenset(pairs), margin)
            return Selection(model.estimate, model)
        pair_columns = [model_basis.column[pair] for pair in pairs]
        containment = model_basis.design[1:, pair_columns]
        seen = margin[pair_columns]
        while len(current) < len(pairs):
            expected = model.fitted[1:] @ containment
            lower = pdtr(seen, expected)
            upper = np.where(seen > 0, pdtrc(np.maximum(seen - 1, 0), expected), 1.0)
            p_values = np.minimum(lower, upper)
            chosen = None
            # Smallest p-value first, the first pair in list order among equals.
            for index in np.lexsort((np.arange(len(pairs)), p_values)):
                if pairs[index] in current:
                    continue
                if p_values[index] >= pthresh:
                    break
                if memo.status(counts, current | {pairs[index]}, margin) == OK:
                    chosen = pairs[index]
                    break
            if chosen is None:
                break
            current = current | {chosen}
            model = memo.fit(counts, current, margin)
        return Selection(model.estimate, model)

    return select


def bic(
    models: Models | None = None, candidates: list[frozenset[int]] | None = None, *, fit_best: bool = True
) -> Selector:
    """Lowest BIC among `candidates` (default: every model, or the search beyond five lists).

    `fit_best=False` returns only the estimate, as the bootstrap needs.
    """
    memo = models or Models()

    def select(counts: np.ndarray) -> Selection:
        k = loglinear.lists_of(counts)
        if candidates is None and k > BIC_EXHAUSTIVE_LISTS:
            return _bic_search(counts, memo)
        margin = loglinear.margins(counts)
        fitted, estimates, bics = memo.rank(counts, candidates if candidates is not None else all_models(k), margin)
        if not fitted:
            raise NoEstimateError(NOT_EXISTS, "no model with two-list interactions")
        # The first of equal BICs wins: smaller models come first.
        order = np.argsort(bics, kind="stable")
        best = memo.fit(counts, fitted[order[0]], margin) if fit_best else None
        ranking = [(float(bics[i]), fitted[i], float(estimates[i])) for i in order]
        return Selection(float(estimates[order[0]]), best, ranking)

    return select


def bic_estimates(tables: np.ndarray, candidates: list[frozenset[int]], models: Models | None = None) -> np.ndarray:
    """The BIC choice's estimate for many tables (rows) over the same candidate models.

    The bootstrap's way: each candidate is fitted to every resample at once, and each
    resample keeps the estimate of its lowest BIC, the first candidate winning ties
    (candidates come ranked on the original data, as in the reference). A resample
    that no candidate fits gets NaN.
    """
    memo = models or Models()
    k = loglinear.lists_of(tables[0])
    model_basis = loglinear.basis(k)
    observed = tables.astype(np.float64)
    margin = observed @ model_basis.design
    totals = tables.sum(axis=1)
    best_bic = np.full(len(tables), np.inf)
    best_estimate = np.full(len(tables), np.nan)
    for pairs in candidates:
        columns = np.array([*range(k + 1), *sorted(model_basis.column[pair] for pair in pairs)])
        estimable = margin[:, columns] > 0
        estimable[:, 0] = True
        # Histories containing a term at minus infinity leave the fit.
        cells: np.ndarray = (~estimable).astype(np.float64) @ model_basis.design[:, columns].T == 0
        cells[:, 0] = False
        used = np.zeros((len(tables), len(model_basis.terms)), dtype=bool)
        used[:, columns] = estimable
        # Newton's method starts every resample from the fit to their mean, a few steps away.
        average = loglinear.fit_many(
            model_basis.design,
            observed.mean(axis=0)[None, :],
            np.asarray(cells.any(axis=0))[None, :],
            np.asarray(used.any(axis=0))[None, :],
        )
        start = None
        if average.identifiable[0] and np.all(np.isfinite(average.means)):
            start = np.where(cells, np.maximum(average.means, 0.1), 0.0)
        fits = loglinear.fit_many(model_basis.design, observed, cells, used, start=start)
        fitted = fits.identifiable & fits.certified
        for row in np.flatnonzero(~fitted):
            # Not certified in the batch: the linear program decides, once per pattern of empty cells.
            if memo.status(tables[row], pairs, margin[row]) == OK:
                model = memo.fit(tables[row], pairs, margin[row])
                fits.intercepts[row] = np.log(model.dark_figure)
                fits.log_likelihoods[row] = model.log_likelihood
                fitted[row] = True
        bics = np.where(fitted, (1 + k + len(pairs)) * np.log(totals) - 2 * fits.log_likelihoods, np.inf)
        better = bics < best_bic
        best_bic = np.where(better, bics, best_bic)
        best_estimate = np.where(better, totals + np.exp(fits.intercepts), best_estimate)
    return best_estimate


def all_models(k: int) -> list[frozenset[int]]:
    """Every set of two-list interactions, smallest first."""
    pairs = loglinear.basis(k).pairs
    return [frozenset(chosen) for size in range(len(pairs) + 1) for chosen in itertools.combinations(pairs, size)]


def _bic_search(counts: np.ndarray, memo: Models) -> Selection:
    k = loglinear.lists_of(counts)
    pairs = loglinear.basis(k).pairs
    margin = loglinear.margins(counts)
    current: frozenset[int] = frozenset()
    best = memo.fit(counts, current, margin)
    seen = {current: (best.bic, best.estimate)}
    while True:
        fitted, estimates, bics = memo.rank(
            counts, [current ^ {pair} for pair in pairs if current ^ {pair} not in seen], margin
        )
        for neighbour, estimate, value in zip(fitted, estimates, bics, strict=True):
            seen[neighbour] = (float(value), float(estimate))
        if not fitted:
            break
        index = int(np.argmin(bics))
        if bics[index] >= best.bic:
            break
        current = fitted[index]
        best = memo.fit(counts, current, margin)
    ranking = sorted(((value, model, estimate) for model, (value, estimate) in seen.items()), key=lambda e: e[0])
    return Selection(best.estimate, best, ranking)
