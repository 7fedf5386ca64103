"""Properties: no estimate below the number observed; intervals cover the truth at about their rate.

bench/estimation.py runs the full coverage study (200 simulated populations, bootstrap
intervals); the check here is a quick one with the fixed model's Wald interval.
"""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yurd.estimation import CaptureTable, NoEstimateError, estimate

LISTS = ("A", "B", "C")


def table_from(cells):
    counts = np.array([0, *cells], dtype=np.int64)
    return CaptureTable(LISTS, counts)


cells_of_three_lists = st.lists(st.integers(min_value=0, max_value=40), min_size=7, max_size=7).filter(
    lambda cells: sum(cells) > 0
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=cells_of_three_lists, method=st.sampled_from(["fixed", "stepwise", "bic"]))
def test_an_estimate_is_never_below_the_number_observed(cells, method):
    table = table_from(cells)
    try:
        result = estimate(table, method=method, bootstrap=10, seed=1)
    except NoEstimateError:
        return
    assert result.estimate >= result.observed == sum(cells)
    if result.interval is not None:
        assert result.observed <= result.interval[0] <= result.interval[1]


def simulate(generator, population, probabilities):
    on_lists = generator.random((population, len(probabilities))) < probabilities
    masks = on_lists @ (1 << np.arange(len(probabilities)))
    counts = np.bincount(masks, minlength=1 << len(probabilities)).astype(np.int64)
    counts[0] = 0
    return CaptureTable(LISTS, counts)


def test_with_independent_lists_the_interval_covers_the_truth_at_about_its_rate():
    generator = np.random.default_rng(20)
    population, simulations = 400, 80
    covered = 0
    for _ in range(simulations):
        result = estimate(simulate(generator, population, [0.3, 0.4, 0.5]), method="fixed")
        assert result.interval is not None
        low, high = result.interval
        covered += low <= population <= high
    # 95 % nominal: 80 draws land between 0.85 and 1.0 unless the interval is wrong.
    assert 0.85 <= covered / simulations <= 1.0
