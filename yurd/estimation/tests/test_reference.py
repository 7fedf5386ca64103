"""The published tables give the reference implementation's estimates (R MultipleSystemsEstimation 1.2.0).

Figures from /work/shared/estimation/README.md: main effects, stepwise with threshold
0.02, and BIC, each within 0.5 %; and Western's BCa interval of similar width to the
2021 paper's (1293, 3670) with 1,000 bootstrap samples.
"""

from pathlib import Path

import pytest

from yurd.estimation import estimate, read_counts

DATA = Path(__file__).parent / "data"


def table(name):
    with (DATA / f"{name}.csv").open(encoding="utf-8") as handle:
        return read_counts(handle)


@pytest.mark.parametrize(
    ("name", "method", "expected", "interactions"),
    [
        ("NewOrl", "fixed", 949.47, ()),
        ("NewOrl", "stepwise", 1110.49, ("D:E",)),
        ("NewOrl_5", "fixed", 981.43, ()),
        ("NewOrl_5", "stepwise", 981.43, ()),
        ("NewOrl_5", "bic", 981.43, ()),
        ("Western", "fixed", 2007.14, ()),
        ("Western", "stepwise", 2483.38, ("A:E",)),
        ("Western", "bic", 2483.38, ("A:E",)),
    ],
)
def test_estimates_agree_with_the_reference_within_half_a_percent(name, method, expected, interactions):
    result = estimate(table(name), method=method, pthresh=0.02)
    assert result.estimate == pytest.approx(expected, rel=0.005)
    # In fact to the reference's two decimals.
    assert round(result.estimate, 2) == expected
    assert result.interactions == interactions


def test_fixed_model_with_the_interaction_stepwise_chose_gives_the_stepwise_estimate():
    result = estimate(table("Western"), method="fixed", interactions=["A:E"])
    assert round(result.estimate, 2) == 2483.38
    assert result.model == ("A", "B", "C", "D", "E", "A:E")


def test_western_bca_interval_has_the_width_of_the_published_one():
    result = estimate(table("Western"), method="stepwise", bootstrap=1000, seed=1234)
    assert result.interval is not None
    low, high = result.interval
    assert (result.interval_method, result.bootstrap_samples, result.bootstrap_failures) == ("bca", 1000, 0)
    published = 3670 - 1293
    assert 0.8 * published < high - low < 1.25 * published
    assert 1100 < low < 1450
    assert 3300 < high < 4300
    assert low < result.estimate < high


def test_the_same_seed_gives_the_same_interval_and_another_seed_a_different_one():
    first = estimate(table("NewOrl_5"), method="stepwise", bootstrap=100, seed=7)
    again = estimate(table("NewOrl_5"), method="stepwise", bootstrap=100, seed=7)
    other = estimate(table("NewOrl_5"), method="stepwise", bootstrap=100, seed=8)
    assert first.interval == again.interval
    assert first.interval != other.interval
