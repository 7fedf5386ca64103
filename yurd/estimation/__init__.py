"""Multiple systems estimation: how many people no list names, from how lists overlap.

Free of Django, as the linkage engine's matching is. A capture table (`tables`)
counts the people on each combination of lists; Poisson log-linear models
(`loglinear`) chosen by a fixed list of interactions, stepwise p-values or BIC
(`selection`) estimate the people on none; `inference` adds bootstrap intervals
that repeat the choice of model, and strata summed. docs/estimation.md explains the
methods and their assumptions.
"""

from yurd.estimation import sources
from yurd.estimation.inference import (
    INTERVALS,
    METHODS,
    RESAMPLING,
    Caveat,
    Estimate,
    StratumError,
    estimate,
    estimate_strata,
)
from yurd.estimation.loglinear import NoEstimateError
from yurd.estimation.tables import CaptureTable, TableError, read_counts

__all__ = [
    "INTERVALS",
    "METHODS",
    "RESAMPLING",
    "CaptureTable",
    "Caveat",
    "Estimate",
    "NoEstimateError",
    "StratumError",
    "TableError",
    "estimate",
    "estimate_strata",
    "read_counts",
    "sources",
]
