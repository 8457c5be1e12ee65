"""Exact invoice arithmetic, shared by the demo-data generator and the sandbox server.

FreshBooks computes an invoice from its lines: each line is qty × unit_cost; a percent discount
applies to the subtotal; each line's taxes apply to that line's discounted amount. Every step is
rounded half-up to the cent. Worked example (freshbooks-api.md §3.2): 4 × 5.00 with HST 13 and
6 × 4.00 untaxed, discount 10 ⇒ subtotal 44.00, discount -4.40, tax 18.00 × 13 % = 2.34,
amount 41.94.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal("0.00")
TAX_KEYS = ("taxAmount1", "taxAmount2")


def q2(value: Decimal) -> Decimal:
    """Round half-up to the cent."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money(amount: Decimal, code: str) -> dict[str, str]:
    """A FreshBooks money object: `{"amount": "41.94", "code": "CAD"}`."""
    return {"amount": str(q2(amount)), "code": code}


def to_decimal(value: Any) -> Decimal:
    """Read a wire number: a money object, a decimal string, an int or a Decimal.

    None and "" read as 0 (FreshBooks sends empty tax percentages that way). Floats, which only
    arrive from parsed JSON bodies, go through their shortest repr so 0.1 stays 0.1.
    """
    if isinstance(value, Mapping):
        value = value.get("amount")
    if value is None or value == "":
        return Decimal(0)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    return Decimal(str(value))


def line_amount(line: Mapping[str, Any]) -> Decimal:
    """qty × unit_cost of one line, rounded to the cent (before discount and tax)."""
    return q2(to_decimal(line.get("qty")) * to_decimal(line.get("unit_cost")))


def invoice_totals(
    lines: Iterable[Mapping[str, Any]], discount_value: Any
) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """Return `(subtotal, discount_total, tax_total, amount)` of an invoice or estimate.

    `lines` are wire dicts (`qty`, `unit_cost`, `taxAmount1`, `taxAmount2` as percent strings);
    `discount_value` is the percent discount ("10", "0", None). `discount_total` is zero or
    negative, as FreshBooks reports it, so `amount = subtotal + discount_total + tax_total`.
    Compound taxes are not modelled: the demo data never sets `compounded_tax`.
    """
    rate = to_decimal(discount_value)
    keep = (HUNDRED - rate) / HUNDRED
    subtotal = ZERO
    tax_total = ZERO
    for line in lines:
        amount = line_amount(line)
        subtotal += amount
        discounted = q2(amount * keep)
        for key in TAX_KEYS:
            percent = to_decimal(line.get(key))
            if percent:
                tax_total += q2(discounted * percent / HUNDRED)
    discount_total = -q2(subtotal * rate / HUNDRED)
    return subtotal, discount_total, tax_total, subtotal + discount_total + tax_total


def rounding_exact(lines: Iterable[Mapping[str, Any]], discount_value: Any) -> bool:
    """True when no discount or tax step of these lines needs rounding.

    Seeded invoices are kept exact so that any server rounding convention (per line or once per
    invoice) yields the same totals, and payments seeded "in full" never overshoot by a cent.
    """
    rate = to_decimal(discount_value)
    for line in lines:
        percents = [p for p in (to_decimal(line.get(key)) for key in TAX_KEYS) if p]
        if not percents:
            continue  # an untaxed line is only rounded once, in the discount total
        discounted = line_amount(line) * (HUNDRED - rate) / HUNDRED
        if discounted != q2(discounted):
            return False
        if any(discounted * p / HUNDRED != q2(discounted * p / HUNDRED) for p in percents):
            return False
    return True
