"""The pure arithmetic: valuation, shares, QC sample size, property keys (no database)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from yurd.claims.domain.keys import property_key
from yurd.claims.domain.sampling import draw_sample, qc_sample_size
from yurd.claims.domain.shares import (
    Descendant,
    ShareError,
    equal_shares,
    parse_share,
    per_stirpes,
    split_amount,
    validate_shares,
)
from yurd.claims.domain.valuation import IndexStep, canonical_json, value_loss


def test_value_is_quantity_times_unit_value_times_indices_rounded_once_half_up() -> None:
    valuation = value_loss(
        quantity=Decimal("120"),
        unit="m2",
        unit_value=Decimal("85"),
        rate_currency="SUR",
        indices=[IndexStep("SUR to AZN", Decimal("0.0002")), IndexStep("Inflation", Decimal("4350"))],
        currency="AZN",
    )
    # 120 × 85 = 10200; × 0.0002 = 2.04; × 4350 = 8874
    assert valuation.amount == Decimal("8874.00")
    assert valuation.lines[0] == "120 m2 × 85 SUR = 10200 SUR"
    assert "× 4350 (Inflation) = 8874" in valuation.lines[2]


def test_rounding_happens_once_at_the_end() -> None:
    # Rounding after each step would give 0.01 × 3 = 0.03; exact then rounded gives 0.02.
    valuation = value_loss(
        quantity=Decimal("1"),
        unit="item",
        unit_value=Decimal("0.005"),
        rate_currency="AZN",
        indices=[IndexStep("x3", Decimal("3"))],
        currency="AZN",
    )
    assert valuation.amount == Decimal("0.02")
    half = value_loss(
        quantity=Decimal("1"), unit="item", unit_value=Decimal("0.125"), rate_currency="AZN", currency="AZN"
    )
    assert half.amount == Decimal("0.13")


def test_valuation_is_identical_however_the_inputs_are_written() -> None:
    first = value_loss(
        quantity=Decimal("120.0000"), unit="m2", unit_value=Decimal("85.0000"), rate_currency="SUR", currency="AZN"
    )
    second = value_loss(
        quantity=Decimal("120"), unit="m2", unit_value=Decimal("85"), rate_currency="SUR", currency="AZN"
    )
    assert canonical_json(first.as_dict()) == canonical_json(second.as_dict())


def test_negative_quantities_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        value_loss(quantity=Decimal("-1"), unit="m2", unit_value=Decimal("1"), rate_currency="AZN", currency="AZN")


def test_shares_parse_and_must_sum_to_one() -> None:
    assert parse_share("1/2") == Fraction(1, 2)
    assert parse_share("0.25") == Fraction(1, 4)
    validate_shares([Fraction(1, 2), Fraction(1, 3), Fraction(1, 6)])
    with pytest.raises(ShareError, match="add up to 5/6"):
        validate_shares([Fraction(1, 2), Fraction(1, 3)])
    for bad in ("0", "-1/2", "3/2", "half", ""):
        with pytest.raises(ShareError):
            parse_share(bad)
    assert sum(equal_shares(3)) == 1


def test_per_stirpes_passes_a_predeceased_childs_part_to_their_children() -> None:
    tree = [
        Descendant("A", alive=True),
        Descendant("B", alive=False, children=[Descendant("B1", alive=True), Descendant("B2", alive=True)]),
        Descendant("C", alive=False),  # died without heirs: the branch drops out
    ]
    shares = per_stirpes(tree)
    assert shares == {"A": Fraction(1, 2), "B1": Fraction(1, 4), "B2": Fraction(1, 4)}
    assert sum(shares.values()) == 1


def test_split_amount_parts_add_up_exactly_to_the_total() -> None:
    parts = split_amount(Decimal("100.00"), {"A": Fraction(1, 3), "B": Fraction(1, 3), "C": Fraction(1, 3)})
    assert sum(parts.values()) == Decimal("100.00")
    assert sorted(parts.values()) == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]


@pytest.mark.parametrize(
    ("population", "confidence", "margin", "expected"),
    [
        (1_000_000, 0.95, 0.05, 384),
        (1000, 0.95, 0.05, 278),
        (100, 0.95, 0.05, 80),
        (1000, 0.99, 0.05, 400),
        (1000, 0.90, 0.10, 64),
        (5, 0.95, 0.05, 5),
        (0, 0.95, 0.05, 0),
    ],
)
def test_qc_sample_size_uses_the_finite_population_correction(
    population: int, confidence: float, margin: float, expected: int
) -> None:
    assert qc_sample_size(population, confidence=confidence, margin=margin) == expected


def test_qc_sample_size_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        qc_sample_size(10, confidence=1.5, margin=0.05)
    with pytest.raises(ValueError):
        qc_sample_size(10, confidence=0.95, margin=0)


def test_sample_draw_is_reproducible_from_its_seed() -> None:
    items = list(range(1000))
    assert draw_sample(items, 20, seed=7) == draw_sample(items, 20, seed=7)
    assert len(set(draw_sample(items, 20, seed=7))) == 20


def test_property_key_meets_for_spellings_of_the_same_property() -> None:
    first = property_key(category="dwelling", place="TST-S11", owner="P-1", reference="House 12, Lenin street")
    second = property_key(category="dwelling", place="tst-s11", owner="p-1", reference="house №12  lenin st.")
    assert first == second
    assert first != property_key(category="dwelling", place="TST-S11", owner="P-2", reference="House 12, Lenin street")
