"""Quality-control sample size and draw for a batch of decisions.

Cochran's formula for a proportion with the finite population correction:
    n0 = z² · p(1 − p) / e²,   n = n0 / (1 + (n0 − 1) / N),   rounded up.
p = 0.5 (the most conservative assumption: the error rate is unknown).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from statistics import NormalDist
from typing import TypeVar

T = TypeVar("T")


def qc_sample_size(population: int, *, confidence: float, margin: float, proportion: float = 0.5) -> int:
    if population < 0:
        raise ValueError("The population cannot be negative.")
    if not 0 < confidence < 1:
        raise ValueError("Confidence must be between 0 and 1 (e.g. 0.95).")
    if not 0 < margin < 1:
        raise ValueError("The margin must be between 0 and 1 (e.g. 0.05).")
    if population == 0:
        return 0
    z = NormalDist().inv_cdf((1 + confidence) / 2)
    n0 = z * z * proportion * (1 - proportion) / (margin * margin)
    n = n0 / (1 + (n0 - 1) / population)
    # Float noise must not push an exact result (e.g. 385.0000000001) up by one.
    return min(population, max(1, math.ceil(round(n, 9))))


def draw_sample(items: Sequence[T], size: int, *, seed: int) -> list[T]:
    """A reproducible random sample: the seed is recorded with the batch."""
    generator = random.Random(seed)  # noqa: S311 - QC sampling, not cryptography
    return generator.sample(list(items), min(size, len(items)))
