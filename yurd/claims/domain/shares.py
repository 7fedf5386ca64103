"""Claimants' shares as exact fractions, and succession arithmetic.

Shares are fractions (1/2, 1/6 …) because succession divides by the number of heirs
at each generation; decimals would not sum back to one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction


class ShareError(ValueError):
    pass


def parse_share(text: str) -> Fraction:
    """ "1/2", "0.25", "1" → Fraction; refuses zero, negatives and nonsense."""
    cleaned = text.strip().replace(" ", "")
    if not cleaned:
        raise ShareError("A share is required.")
    try:
        value = Fraction(cleaned)
    except (ValueError, ZeroDivisionError):
        raise ShareError(f"{text!r} is not a share; write it as 1/2 or 0.5.") from None
    if value <= 0 or value > 1:
        raise ShareError(f"A share must be more than 0 and at most 1, not {text!r}.")
    return value


def validate_shares(shares: Sequence[Fraction]) -> None:
    if not shares:
        raise ShareError("A claim needs at least one claimant.")
    if any(share <= 0 for share in shares):
        raise ShareError("Every share must be more than zero.")
    total = sum(shares, Fraction(0))
    if total != 1:
        raise ShareError(f"The shares add up to {total}, not 1.")


def equal_shares(count: int) -> list[Fraction]:
    if count <= 0:
        raise ShareError("A claim needs at least one claimant.")
    return [Fraction(1, count)] * count


@dataclass
class Descendant:
    """A node of a succession tree: a person, whether alive, and their children."""

    code: str
    alive: bool
    children: list[Descendant] = field(default_factory=list)


def per_stirpes(children: Sequence[Descendant], share: Fraction = Fraction(1)) -> dict[str, Fraction]:
    """Divide `share` equally between the branches of the deceased's children.

    A child who died before leaving their own heirs drops out (their branch is not
    counted); a deceased child's part passes down to their children, and so on.
    Returns living heirs' codes with their shares, which sum to `share` whenever at
    least one heir is alive.
    """
    branches = [child for child in children if _has_living_heir(child)]
    result: dict[str, Fraction] = {}
    if not branches:
        return result
    part = share / len(branches)
    for child in branches:
        if child.alive:
            result[child.code] = result.get(child.code, Fraction(0)) + part
        else:
            for code, value in per_stirpes(child.children, part).items():
                result[code] = result.get(code, Fraction(0)) + value
    return result


def _has_living_heir(person: Descendant) -> bool:
    return person.alive or any(_has_living_heir(child) for child in person.children)


def split_amount(
    total: Decimal, shares: Mapping[str, Fraction], minor_unit: Decimal = Decimal("0.01")
) -> dict[str, Decimal]:
    """Split a rounded total by shares so that the parts add up exactly to the total.

    Each part is rounded down to the minor unit; the remaining cents go one by one to
    the largest remainders (ties broken by code), so nobody gains or loses more than
    one cent and the letter's parts always sum to its total.
    """
    validate_shares(list(shares.values()))
    cents_total = int((total / minor_unit).to_integral_value())
    exact = {code: Fraction(cents_total) * share for code, share in shares.items()}
    floors = {code: int(value) for code, value in exact.items()}
    left = cents_total - sum(floors.values())
    order = sorted(exact, key=lambda code: (-(exact[code] - floors[code]), code))
    for code in order[:left]:
        floors[code] += 1
    return {
        code: (Decimal(cents) * minor_unit).quantize(minor_unit, rounding=ROUND_DOWN) for code, cents in floors.items()
    }
