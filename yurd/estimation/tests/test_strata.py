"""Strata estimated separately and summed, the interval from summed bootstrap replicates."""

import io

import numpy as np
import pytest

from yurd.estimation import StratumError, estimate, estimate_strata, read_counts

NORTH = "A,B,C,count\n1,0,0,60\n0,1,0,70\n0,0,1,50\n1,1,0,12\n1,0,1,9\n0,1,1,11\n1,1,1,3\n"
SOUTH = "A,B,C,count\n1,0,0,15\n0,1,0,12\n0,0,1,9\n1,1,0,4\n1,0,1,2\n0,1,1,3\n"


def read(text):
    return read_counts(io.StringIO(text))


def test_the_total_is_the_sum_of_the_strata_and_its_interval_sums_their_replicates():
    tables = {"north": read(NORTH), "south": read(SOUTH)}
    total = estimate_strata(tables, method="stepwise", bootstrap=200, seed=3)
    north, south = total.strata["north"], total.strata["south"]
    assert total.replicates is not None and north.replicates is not None and south.replicates is not None
    assert total.interval is not None and south.interval is not None
    assert total.observed == north.observed + south.observed
    assert total.estimate == pytest.approx(north.estimate + south.estimate)
    assert np.allclose(total.replicates, north.replicates + south.replicates)
    low, high = total.interval
    assert total.observed <= low < total.estimate < high
    # The sum is relatively narrower than its noisier part.
    assert (high - low) / total.estimate < (south.interval[1] - south.interval[0]) / south.estimate
    assert total.interval_method == "bca"
    assert total.as_dict()["strata"]["south"]["observed"] == south.observed


def test_a_stratum_alone_gives_the_same_estimate_as_estimated_on_its_own():
    total = estimate_strata({"north": read(NORTH)}, method="bic")
    assert total.estimate == estimate(read(NORTH), method="bic").estimate


def test_small_strata_are_named_in_a_caveat():
    total = estimate_strata({"north": read(NORTH), "south": read(SOUTH)}, method="fixed")
    [caveat] = [caveat for caveat in total.caveats if caveat.code == "small_strata"]
    assert caveat.params["strata"] == ["south"]


def test_a_stratum_without_estimate_is_named():
    tables = {"north": read(NORTH), "empty overlap": read("A,B,C,count\n1,0,0,10\n0,1,0,20\n0,0,1,5\n")}
    with pytest.raises(StratumError) as raised:
        estimate_strata(tables, method="fixed")
    assert raised.value.stratum == "empty overlap"
    assert "empty overlap" in str(raised.value)
