"""Sparse tables: pairs of lists with nobody in common, empty histories, and refusals."""

import io

import numpy as np
import pytest

from yurd.estimation import NoEstimateError, estimate, read_counts
from yurd.estimation.loglinear import NOT_EXISTS, NOT_IDENTIFIABLE, fit

# A and B never name the same person; C overlaps both.
NO_AB = "A,B,C,count\n1,0,0,30\n0,1,0,40\n0,0,1,50\n1,0,1,5\n0,1,1,6\n"


def read(text):
    return read_counts(io.StringIO(text))


def test_two_lists_with_nobody_in_common_have_no_estimate():
    with pytest.raises(NoEstimateError) as raised:
        estimate(read("A,B,count\n1,0,10\n0,1,20\n"), method="fixed")
    assert raised.value.status & NOT_EXISTS


def test_a_pair_with_no_overlap_is_set_to_minus_infinity_and_its_histories_leave_the_fit():
    table = read(NO_AB)
    result = estimate(table, method="fixed", interactions=["A:B"])
    assert result.at_minus_infinity == ("A:B",)
    assert "minus_infinity" in [caveat.code for caveat in result.caveats]
    model = fit(table.counts, frozenset([table.term_mask("A:B")]))
    # Nobody is expected on both A and B, and the other margins are matched exactly.
    assert model.fitted[0b011] == model.fitted[0b111] == 0
    for term in (0b001, 0b010, 0b100):
        on_list = [cell for cell in range(1, 8) if cell & term]
        assert model.fitted[on_list].sum() == pytest.approx(table.counts[on_list].sum())
    assert model.fitted[1:].sum() == pytest.approx(table.observed)
    # Under independence the empty overlap says the lists cover little of the population;
    # with the pair it is put down to the lists avoiding each other, and the estimate is lower.
    assert result.observed < result.estimate < estimate(table, method="fixed").estimate


def test_a_model_that_cannot_be_identified_is_refused():
    with pytest.raises(NoEstimateError) as raised:
        estimate(read(NO_AB), method="fixed", interactions=["A:B", "A:C", "B:C"])
    assert raised.value.status & NOT_IDENTIFIABLE
    assert "not identifiable" in str(raised.value)


def test_histories_listed_with_count_zero_change_nothing():
    plain = estimate(read(NO_AB), method="stepwise")
    with_zeros = estimate(read(NO_AB + "1,1,0,0\n1,1,1,0\n"), method="stepwise")
    assert with_zeros.estimate == plain.estimate


def test_stepwise_adds_a_pair_with_no_overlap_when_independence_expects_many_in_common():
    table = read("A,B,C,count\n1,0,0,100\n0,1,0,100\n0,0,1,100\n1,0,1,20\n0,1,1,20\n")
    result = estimate(table, method="stepwise", pthresh=0.02)
    assert "A:B" in result.interactions
    assert "A:B" in result.at_minus_infinity


def test_bic_skips_models_that_cannot_be_fitted_and_still_chooses():
    result = estimate(read(NO_AB), method="bic")
    assert result.estimate >= result.observed
    assert "A:B:C" not in result.model


@pytest.mark.parametrize("method", ["fixed", "stepwise", "bic"])
def test_a_list_naming_everyone_leaves_no_one_to_estimate(method):
    # Everyone is on D: nothing tells how many D missed.
    table = read("A,B,C,D,count\n0,0,0,1,4\n1,0,0,1,2\n0,1,0,1,4\n1,0,1,1,5\n")
    with pytest.raises(NoEstimateError) as raised:
        estimate(table, method=method, bootstrap=10, seed=1)
    assert raised.value.status & NOT_EXISTS


def test_interactions_must_name_two_known_lists():
    table = read(NO_AB)
    for bad in (["A:Z"], ["A"], ["A:B:C"], ["A:A"]):
        with pytest.raises(ValueError, match="interaction"):
            estimate(table, method="fixed", interactions=bad)
    with pytest.raises(ValueError, match="fixed method"):
        estimate(table, method="stepwise", interactions=["A:C"])


def test_counts_are_not_modified():
    table = read(NO_AB)
    before = table.counts.copy()
    estimate(table, method="bic", bootstrap=20, seed=1)
    assert np.array_equal(table.counts, before)
