"""Bootstrap intervals: what is resampled, BCa against percentile, and the Wald interval without resampling."""

from pathlib import Path

import numpy as np
import pytest

from yurd.estimation import estimate, read_counts

DATA = Path(__file__).parent / "data"


@pytest.fixture
def western():
    with (DATA / "Western.csv").open(encoding="utf-8") as handle:
        return read_counts(handle)


def test_resampling_the_population_adds_the_chance_of_how_many_are_unseen(western):
    observed = estimate(western, method="fixed", interactions=["A:E"], bootstrap=300, seed=2)
    population = estimate(western, method="fixed", interactions=["A:E"], bootstrap=300, seed=2, resample="population")
    assert (observed.resample, population.resample) == ("observed", "population")
    assert population.estimate == observed.estimate
    assert population.interval is not None and observed.interval is not None
    width = population.interval[1] - population.interval[0]
    assert width > 1.1 * (observed.interval[1] - observed.interval[0])
    assert population.as_dict()["resample"] == "population"
    # Resampled populations may fall short of the people documented; the interval may not.
    assert population.interval[0] >= western.observed


def test_percentile_interval_reads_the_replicates_quantiles(western):
    result = estimate(western, method="fixed", interactions=["A:E"], bootstrap=200, seed=4, interval="percentile")
    assert result.interval_method == "percentile"
    assert result.replicates is not None
    low, high = np.quantile(result.replicates, [0.025, 0.975], method="median_unbiased")
    assert result.interval == pytest.approx((low, high))
    assert "few_bootstrap_samples" not in [caveat.code for caveat in result.caveats]


def test_without_bootstrap_a_chosen_model_gets_a_caveat_and_a_fixed_one_does_not(western):
    chosen = estimate(western, method="stepwise")
    fixed = estimate(western, method="fixed", interactions=["A:E"])
    assert chosen.interval == fixed.interval
    assert chosen.interval_method == "wald-log"
    assert "interval_ignores_selection" in [caveat.code for caveat in chosen.caveats]
    assert not fixed.caveats


def test_a_narrower_level_gives_a_narrower_interval(western):
    wide = estimate(western, method="fixed", level=0.95)
    narrow = estimate(western, method="fixed", level=0.8)
    assert wide.interval is not None and narrow.interval is not None
    assert wide.interval[0] < narrow.interval[0] < narrow.interval[1] < wide.interval[1]
