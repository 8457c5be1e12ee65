"""The invoice arithmetic the demo plans are checked with, built on the server's own helpers.

The server (`sandbox.core.invoicing.totals`) adds up the unrounded tax of every line and
rounds once; `invoice_totals` rounds each line's tax instead, the other convention a server may
use. `rounding_exact` keeps every seeded document free of rounding steps, so both conventions
give the same totals for the demo data. Worked example, as FreshBooks computes it:
4 × 5.00 with HST 13 and 6 × 4.00 untaxed, discount 10 ⇒ subtotal 44.00, discount -4.40,
tax 18.00 × 13 % = 2.34, amount 41.94.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from sandbox.core.invoicing import HUNDRED, ZERO, line_amount, sum_lines
from sandbox.core.wire import cents, dec

TAX_KEYS = ("taxAmount1", "taxAmount2")


def invoice_totals(
    lines: Iterable[Mapping[str, Any]], discount_value: Any
) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """Return `(subtotal, discount_total, tax_total, amount)` of an invoice or estimate.

    `lines` are wire dicts (`qty`, `unit_cost`, `taxAmount1`, `taxAmount2` as percent strings);
    `discount_value` is the percent discount ("10", "0", None). Each line's taxes apply to that
    line's discounted amount and are rounded half-up to the cent per line. `discount_total` is
    zero or negative, as FreshBooks reports it, so `amount = subtotal + discount_total +
    tax_total`. Compound taxes are not modelled: the demo data never sets `compounded_tax`.
    """
    subtotal, discount_total, tax_total = sum_lines(lines, discount_value, _tax_rounded_per_line)
    return subtotal, discount_total, tax_total, subtotal + discount_total + tax_total


def _tax_rounded_per_line(line: Mapping[str, Any], discounted: Decimal) -> Decimal:
    # Each tax of each line is rounded half-up to the cent before it joins the sum.
    taxable = cents(discounted)
    percents = (dec(line.get(key), ZERO) for key in TAX_KEYS)
    return sum((cents(taxable * percent / HUNDRED) for percent in percents if percent), ZERO)


def rounding_exact(lines: Iterable[Mapping[str, Any]], discount_value: Any) -> bool:
    """True when no discount or tax step of these lines needs rounding.

    Seeded invoices are kept exact so that any server rounding convention (per line or once per
    invoice) yields the same totals, and payments seeded "in full" never overshoot by a cent.
    """
    rate = dec(discount_value, ZERO)
    for line in lines:
        percents = [p for p in (dec(line.get(key), ZERO) for key in TAX_KEYS) if p]
        if not percents:
            continue  # an untaxed line is only rounded once, in the discount total
        discounted = line_amount(line) * (HUNDRED - rate) / HUNDRED
        if discounted != cents(discounted):
            return False
        if any(discounted * p / HUNDRED != cents(discounted * p / HUNDRED) for p in percents):
            return False
    return True
