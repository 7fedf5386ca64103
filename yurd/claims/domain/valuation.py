"""Valuation arithmetic: quantity × unit value × conversion indices, in Decimal.

Rounding rule (documented in docs/claims.md): every intermediate product is kept
exact (a 50-digit context, far beyond any real quantity × price × index chain);
the final amount alone is rounded once, to the currency's minor unit (0.01),
half away from zero (ROUND_HALF_UP), the way a payment order is written. Rounding
once means the same inputs always give the same total whatever order the indices
were entered in.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

MINOR_UNIT = Decimal("0.01")
_PRECISION = 50


def decimal_text(value: Decimal) -> str:
    """A Decimal as plain text without exponent or trailing zeros ("12750", "0.0002")."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


@dataclass(frozen=True)
class IndexStep:
    """One conversion: a currency change or an inflation index, as a factor."""

    label: str
    factor: Decimal


@dataclass(frozen=True)
class Valuation:
    quantity: Decimal
    unit: str
    unit_value: Decimal
    rate_currency: str
    indices: tuple[IndexStep, ...]
    currency: str
    exact_amount: Decimal
    amount: Decimal
    lines: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready and canonical: every number as text, so hashing is stable across databases."""
        return {
            "quantity": decimal_text(self.quantity),
            "unit": self.unit,
            "unit_value": decimal_text(self.unit_value),
            "rate_currency": self.rate_currency,
            "indices": [{"label": step.label, "factor": decimal_text(step.factor)} for step in self.indices],
            "currency": self.currency,
            "exact_amount": decimal_text(self.exact_amount),
            "amount": format(self.amount, "f"),
            "lines": list(self.lines),
        }


def value_loss(
    *,
    quantity: Decimal,
    unit: str,
    unit_value: Decimal,
    rate_currency: str,
    indices: Sequence[IndexStep] = (),
    currency: str,
) -> Valuation:
    """The value of one loss item, with the arithmetic as human-readable lines."""
    if quantity < 0:
        raise ValueError("A quantity cannot be negative.")
    if unit_value < 0:
        raise ValueError("A unit value cannot be negative.")
    with localcontext() as context:
        context.prec = _PRECISION
        running = quantity * unit_value
        lines = [
            f"{decimal_text(quantity)} {unit} × {decimal_text(unit_value)} {rate_currency} = "
            f"{decimal_text(running)} {rate_currency}"
        ]
        for step in indices:
            before = running
            running = running * step.factor
            lines.append(
                f"{decimal_text(before)} × {decimal_text(step.factor)} ({step.label}) = {decimal_text(running)}"
            )
        amount = running.quantize(MINOR_UNIT, rounding=ROUND_HALF_UP)
        lines.append(f"≈ {format(amount, 'f')} {currency}")
    return Valuation(
        quantity=quantity,
        unit=unit,
        unit_value=unit_value,
        rate_currency=rate_currency,
        indices=tuple(indices),
        currency=currency,
        exact_amount=running,
        amount=amount,
        lines=tuple(lines),
    )


def total_amount(amounts: Sequence[Decimal]) -> Decimal:
    """Sum of already-rounded item amounts (so the letter's items add up to its total)."""
    return sum(amounts, Decimal("0.00")).quantize(MINOR_UNIT)


def canonical_json(payload: Any) -> str:
    """Sorted keys, no spaces, UTF-8 text: the bytes a decision's content hash is taken of."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
