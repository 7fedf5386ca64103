"""Poisson log-linear models over capture histories, fitted by Newton's method (IRLS).

A model holds the intercept, one main effect per list and a set of two-list
interactions. The log of the expected count of a history is the sum of the
parameters of the terms it contains (a term is contained when all its lists are in
the history), so the expected count of the unobserved history, the dark figure,
is exp(intercept).

Sparse tables follow Chan, Silverman & Vincent (2021) and Fienberg & Rinaldo (2012):
a term of the model whose lists have nobody in common has an extended maximum
likelihood estimate of minus infinity. The histories containing it are then expected
to be empty and are left out of the fit, and the term leaves the design; it still
counts as a parameter in the BIC. A model is fitted only when the extended estimate
exists (a linear program finds a strictly positive table with the observed margins)
and is identifiable (the remaining design has full column rank).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy.optimize import linprog
from scipy.special import gammaln

OK = 0
NOT_EXISTS = 1
NOT_IDENTIFIABLE = 2

# Newton's method converges in well under 25 steps on these designs. R's glm stops
# at a relative change in deviance of 1e-8; this goes further, so that estimates
# agree with the reference to more digits than the comparison needs.
MAX_ITERATIONS = 100
BATCH_ITERATIONS = 30
TOLERANCE = 1e-10


class NoEstimateError(ValueError):
    """The model's estimate does not exist or is not identifiable for these counts."""

    def __init__(self, status: int, model: str):
        self.status = status
        self.model = model
        reasons = []
        if status & NOT_EXISTS:
            reasons.append("the maximum likelihood estimate does not exist (it lies at infinity)")
        if status & NOT_IDENTIFIABLE:
            reasons.append("the model is not identifiable from these lists")
        subject = f"model {model}" if model.startswith("[") else model
        super().__init__(f"{subject}: {' and '.join(reasons) or 'no estimate'}")


@dataclass(frozen=True)
class Basis:
    """The terms a model may hold over k lists and the histories that contain them."""

    k: int
    terms: tuple[int, ...]  # intercept (0), main effects, then pairs (A:B, A:C, …, B:C, …)
    pairs: tuple[int, ...]
    column: dict[int, int]  # term → its column in `design`
    design: np.ndarray  # 2**k histories × terms: 1 where the history contains the term


@cache
def basis(k: int) -> Basis:
    pairs = tuple((1 << i) | (1 << j) for i in range(k) for j in range(i + 1, k))
    terms = (0, *(1 << i for i in range(k)), *pairs)
    cells = np.arange(1 << k)
    design = ((cells[:, None] & np.array(terms)[None, :]) == np.array(terms)[None, :]).astype(np.float64)
    design.flags.writeable = False
    return Basis(k, terms, pairs, {term: index for index, term in enumerate(terms)}, design)


def lists_of(counts: np.ndarray) -> int:
    return len(counts).bit_length() - 1


def margins(counts: np.ndarray) -> np.ndarray:
    """For every term of the basis, how many people are on all its lists (whatever else they are on)."""
    return basis(lists_of(counts)).design.T @ counts


@dataclass(frozen=True)
class Layout:
    """Which histories and terms enter the fit once terms at minus infinity are set aside."""

    k: int
    columns: np.ndarray  # basis columns of the model's terms, intercept first
    estimable: np.ndarray  # bool per entry of `columns`: not at minus infinity
    cells: np.ndarray  # bool per history (index 0 is never kept)

    @property
    def design(self) -> np.ndarray:
        return basis(self.k).design[np.ix_(self.cells, self.columns[self.estimable])]


def layout(counts: np.ndarray, pairs: frozenset[int], margin: np.ndarray | None = None) -> Layout:
    k = lists_of(counts)
    model_basis = basis(k)
    margin = margins(counts) if margin is None else margin
    columns = np.array([*range(k + 1), *sorted(model_basis.column[pair] for pair in pairs)])
    estimable = margin[columns] > 0
    estimable[0] = True
    cells = np.ones(1 << k, dtype=bool)
    cells[0] = False
    for column in columns[~estimable]:
        cells &= model_basis.design[:, column] == 0
    return Layout(k, columns, estimable, cells)


def check(counts: np.ndarray, pairs: frozenset[int], margin: np.ndarray | None = None) -> int:
    """OK, or NOT_EXISTS and/or NOT_IDENTIFIABLE (as bits) for this model and these counts."""
    model = layout(counts, pairs, margin)
    design = model.design
    status = OK if identifiable(design) else NOT_IDENTIFIABLE
    if not exists(design, counts[model.cells].astype(np.float64)):
        status |= NOT_EXISTS
    return status


def identifiable(design: np.ndarray) -> bool:
    return design.shape[0] >= design.shape[1] and np.linalg.matrix_rank(design) == design.shape[1]


def exists(design: np.ndarray, observed: np.ndarray) -> bool:
    """The Fienberg-Rinaldo linear program, as the reference uses it.

    The extended estimate exists when some table with every cell at least t > 0 has
    the observed margins. Writing each cell as t plus a non-negative slack leaves the
    margins as the only constraints.
    """
    if np.all(observed > 0):
        return True
    objective = np.zeros(len(observed) + 1)
    objective[0] = -1.0
    result = linprog(
        objective,
        A_eq=np.hstack([design.sum(axis=0)[:, None], design.T]),
        b_eq=design.T @ (observed / observed.sum()),
        bounds=(0, None),
        method="highs",
    )
    return bool(result.status == 0 and -result.fun > POSITIVE)


# A cell share below this counts as zero, in the linear program and in the certificate.
POSITIVE = 1e-9


def certified(design: np.ndarray, observed: np.ndarray, mean: np.ndarray) -> bool:
    """Whether a converged fit proves the extended estimate exists, sparing the linear program.

    The fitted means nearly have the observed margins; corrected by the least change
    that gives them exactly, they are a strictly positive table with those margins,
    which is what the linear program looks for. When the estimate does not exist,
    Newton's method drives some means towards zero and the corrected table has a
    cell at or below zero, so the answer is left to the linear program.
    """
    if not np.all(np.isfinite(mean)):
        return False
    residual = design.T @ (observed - mean)
    try:
        correction = design @ np.linalg.solve(design.T @ design, residual)
    except np.linalg.LinAlgError:
        return False
    return bool(np.min(mean + correction) > POSITIVE * observed.sum())


@dataclass(frozen=True)
class ModelFit:
    lists: int
    pairs: frozenset[int]  # two-list terms of the model, those at minus infinity included
    at_minus_infinity: tuple[int, ...]  # terms whose lists have nobody in common
    coefficients: dict[int, float]  # estimable term → value
    intercept_variance: float
    observed: int
    log_likelihood: float
    fitted: np.ndarray  # expected count of every history (index 0 = the dark figure)

    @property
    def dark_figure(self) -> float:
        return float(self.fitted[0])

    @property
    def estimate(self) -> float:
        return self.observed + self.dark_figure

    @property
    def parameters(self) -> int:
        """The model's parameters, those at minus infinity included (as the reference counts them)."""
        return 1 + self.lists + len(self.pairs)

    @property
    def bic(self) -> float:
        """BIC with the number of people observed as sample size (the Rcapture convention)."""
        return self.parameters * math.log(self.observed) - 2 * self.log_likelihood


def fit(counts: np.ndarray, pairs: frozenset[int], *, checked: bool = False) -> ModelFit:
    """Fit one model; raises NoEstimateError unless its estimate exists and is identifiable.

    `checked=True` skips the checks when the caller knows the model can be fitted.
    """
    k = lists_of(counts)
    model = layout(counts, pairs)
    design = model.design
    observed = counts[model.cells].astype(np.float64)
    if not checked and not identifiable(design):
        raise NoEstimateError(NOT_IDENTIFIABLE | (0 if exists(design, observed) else NOT_EXISTS), describe(k, pairs))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        beta, information = newton(design, observed)
        mean = np.exp(design @ beta)
    if not checked and not certified(design, observed, mean) and not exists(design, observed):
        raise NoEstimateError(NOT_EXISTS, describe(k, pairs))
    fitted = np.zeros(1 << k)
    fitted[model.cells] = mean
    fitted[0] = math.exp(beta[0])
    try:
        variance = float(np.linalg.inv(information)[0, 0])
    except np.linalg.LinAlgError:
        variance = math.nan
    terms = basis(k).terms
    return ModelFit(
        lists=k,
        pairs=pairs,
        at_minus_infinity=tuple(terms[column] for column in model.columns[~model.estimable]),
        coefficients={
            terms[column]: float(value) for column, value in zip(model.columns[model.estimable], beta, strict=True)
        },
        intercept_variance=variance,
        observed=int(counts.sum()),
        log_likelihood=poisson_log_likelihood(observed, mean),
        fitted=fitted,
    )


def poisson_log_likelihood(observed: np.ndarray, mean: np.ndarray) -> float:
    positive = observed > 0
    return float(np.sum(observed[positive] * np.log(mean[positive])) - mean.sum() - gammaln(observed + 1).sum())


def newton(design: np.ndarray, observed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Poisson maximum likelihood by Newton's method; the coefficients and the information matrix."""
    mean = observed + 0.1
    eta = np.log(mean)
    deviance = math.inf
    beta = np.zeros(design.shape[1])
    for _ in range(MAX_ITERATIONS):
        weighted = design.T * mean
        try:
            beta = np.linalg.solve(weighted @ design, weighted @ (eta + (observed - mean) / mean))
        except np.linalg.LinAlgError:
            break
        eta = design @ beta
        mean = np.exp(eta)
        previous, deviance = deviance, _deviance(observed, mean)
        if abs(deviance - previous) <= TOLERANCE * (abs(deviance) + 0.1):
            break
    return beta, (design.T * mean) @ design


def _deviance(observed: np.ndarray, mean: np.ndarray) -> float:
    positive = observed > 0
    return float(
        2 * (np.sum(observed[positive] * np.log(observed[positive] / mean[positive])) - np.sum(observed - mean))
    )


@dataclass(frozen=True)
class ManyFits:
    intercepts: np.ndarray  # log of each fit's dark figure
    log_likelihoods: np.ndarray
    identifiable: np.ndarray  # bool per fit
    certified: np.ndarray  # bool per fit: a strictly positive table with its margins was found
    means: np.ndarray  # expected count per history (0 outside the fit)


def fit_many(
    design: np.ndarray,
    observed: np.ndarray,
    cells: np.ndarray,
    columns: np.ndarray,
    start: np.ndarray | None = None,
) -> ManyFits:
    """Newton's method for many fits at once, each a subset of one design.

    Row r of `observed` (counts per history), `cells` (histories kept) and `columns`
    (terms estimated) describes fit r. `start`, expected counts per history near the
    answers (a fit to the resamples' mean), saves Newton steps. A fit that is not identifiable, or whose
    estimate could not be certified to exist (see `certified`), is flagged; its
    numbers mean nothing until the linear program has its say. The BIC search fits
    a thousand models this way, the bootstrap a hundred models to each resample.
    """
    fits = observed.shape[0]
    weight = cells.astype(np.float64)
    observed = observed * weight
    terms = design.shape[1]
    full_rank = _full_rank(design, cells, columns)
    outside = ~columns
    eye = np.eye(terms)
    # information[b] = sum over histories c of mean[b, c] * outer(design[c], design[c]): one matrix product.
    outer = (design[:, :, None] * design[:, None, :]).reshape(design.shape[0], terms * terms)

    def solve(weights: np.ndarray, right: np.ndarray, outside: np.ndarray) -> np.ndarray:
        matrix = (weights @ outer).reshape(-1, terms, terms)
        # Terms outside a fit get an identity row and column, so they solve to zero.
        matrix[outside] = 0.0
        matrix.transpose(0, 2, 1)[outside] = 0.0
        matrix += eye[None] * outside[:, None, :]
        right = np.where(outside, 0.0, right)
        try:
            return np.linalg.solve(matrix, right[..., None])[..., 0]
        except np.linalg.LinAlgError:
            # A fit whose means collapsed to zero; solve one by one, the others unharmed.
            return np.stack([_least_squares(m, r) for m, r in zip(matrix, right, strict=True)])

    intercepts = np.full(fits, np.nan)
    log_likelihoods = np.full(fits, np.nan)
    certified_fits = np.zeros(fits, dtype=bool)
    means = np.zeros(observed.shape)
    rows = np.flatnonzero(full_rank)
    if len(rows) == 0:
        return ManyFits(intercepts, log_likelihoods, full_rank, certified_fits, means)
    outside = outside[rows]
    observed, cells, weight = observed[rows], cells[rows], weight[rows]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        mean = (observed + 0.1 if start is None else start[rows]) * weight
        beta, mean, converged = _newton_rows(
            design, observed, cells=cells, weight=weight, mean=mean, outside=outside, solve=solve
        )
        finite = converged & np.all(np.isfinite(mean), axis=1) & np.all(np.isfinite(beta), axis=1)
        mean = np.where(finite[:, None], mean, 0.0)
        # The certificate of `certified`, for every fit at once.
        correction = solve(weight, (observed - mean) @ design, outside) @ design.T * weight
        corrected = np.where(cells, mean + correction, np.inf)
        certified_fits[rows] = finite & (corrected.min(axis=1) > POSITIVE * observed.sum(axis=1))
        log_terms = np.where(observed > 0, observed * np.log(np.where(cells, mean, 1.0)), 0.0)
    intercepts[rows] = beta[:, 0]
    log_likelihoods[rows] = log_terms.sum(axis=1) - mean.sum(axis=1) - gammaln(observed + 1).sum(axis=1)
    means[rows] = mean
    return ManyFits(intercepts, log_likelihoods, full_rank, certified_fits, means)


def _newton_rows(
    design: np.ndarray,
    observed: np.ndarray,
    *,
    cells: np.ndarray,
    weight: np.ndarray,
    mean: np.ndarray,
    outside: np.ndarray,
    solve: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The Newton steps of `fit_many`: coefficients, means, and which fits converged."""
    mean = mean.copy()
    rows, terms = observed.shape[0], design.shape[1]
    eta = np.log(np.where(cells, mean, 1.0))
    deviance = np.full(rows, np.inf)
    beta = np.zeros((rows, terms))
    converged = np.zeros(rows, dtype=bool)
    # Only fits still moving take another step. A fit whose estimate does not exist
    # never converges; it stops after BATCH_ITERATIONS and goes to the linear
    # program, uncertified.
    active = np.arange(rows)
    for _ in range(BATCH_ITERATIONS):
        step_cells, step_mean, step_observed = cells[active], mean[active], observed[active]
        working = np.where(
            step_cells, eta[active] + (step_observed - step_mean) / np.where(step_cells, step_mean, 1.0), 0.0
        )
        beta[active] = solve(step_mean, (step_mean * working) @ design, outside[active])
        eta[active] = beta[active] @ design.T
        step_mean = mean[active] = np.exp(eta[active]) * weight[active]
        ratio = np.where(
            step_observed > 0, step_observed * np.log(step_observed / np.where(step_cells, step_mean, 1.0)), 0.0
        )
        step_deviance = 2 * (ratio.sum(axis=1) - (step_observed - step_mean).sum(axis=1))
        settled = np.abs(step_deviance - deviance[active]) <= TOLERANCE * (np.abs(step_deviance) + 0.1)
        deviance[active] = step_deviance
        converged[active] = settled
        active = active[~settled]
        if len(active) == 0:
            break
    return beta, mean, converged


def _least_squares(matrix: np.ndarray, right: np.ndarray) -> np.ndarray:
    """A singular or non-finite step gives NaN, which leaves the fit uncertified."""
    if not (np.all(np.isfinite(matrix)) and np.all(np.isfinite(right))):
        return np.full(right.shape, np.nan)
    try:
        return np.linalg.lstsq(matrix, right, rcond=None)[0]
    except np.linalg.LinAlgError:
        return np.full(right.shape, np.nan)


def _full_rank(design: np.ndarray, cells: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """Whether each fit's design has full column rank, computed once per pattern of histories and terms."""
    combined = np.hstack([cells, columns])
    first: dict[bytes, int] = {}
    inverse = np.array([first.setdefault(row.tobytes(), len(first)) for row in combined])
    patterns = combined[_firsts(inverse)]
    pattern_cells, pattern_columns = patterns[:, : cells.shape[1]], patterns[:, cells.shape[1] :]
    masked = design[None, :, :] * pattern_cells[:, :, None] * pattern_columns[:, None, :]
    return (np.linalg.matrix_rank(masked) == pattern_columns.sum(axis=1))[inverse]


def _firsts(inverse: np.ndarray) -> np.ndarray:
    """For each pattern number 0, 1, …, the first row carrying it."""
    _values, first_rows = np.unique(inverse, return_index=True)
    return first_rows


def describe(k: int, pairs: frozenset[int] | set[int], lists: tuple[str, ...] | None = None) -> str:
    """`[A, B, C, A:C]`: the model's terms by list name."""
    names = lists or tuple(chr(ord("A") + i) for i in range(k))
    order = basis(k).column
    interactions = [
        ":".join(name for i, name in enumerate(names) if pair >> i & 1) for pair in sorted(pairs, key=order.__getitem__)
    ]
    return f"[{', '.join([*names, *interactions])}]"
