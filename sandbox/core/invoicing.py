"""Invoice and estimate arithmetic and status rules (pure functions, no storage).

Worked example, as FreshBooks computes it: lines 4×5.00 (HST 13%) and 6×4.00, discount 10%
⇒ discount_total -4.40, tax 18.00×13% = 2.34, amount 41.94; paid 20.00 ⇒ outstanding 21.94,
payment_status "partial".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sandbox.core.wire import cents, dec

ZERO = Decimal("0")
HUNDRED = Decimal("100")

# Sending states a client may write; 4-8 are driven by payments.
WRITABLE_STATUSES = frozenset({0, 1, 2, 3})
SENDING_V3 = {0: "disputed", 1: "draft", 2: "sent", 3: "viewed"}
STATUS_PAID = 4
STATUS_PARTIAL = 8


@dataclass(frozen=True)
class Totals:
    """Computed totals of a document with lines."""

    subtotal: Decimal
    discount_total: Decimal  # negative or zero, as FreshBooks reports it
    tax_total: Decimal
    amount: Decimal


def line_amount(line: Mapping[str, Any]) -> Decimal:
    """qty × unit_cost, rounded to the cent (before discount and tax)."""
    return cents(dec(line.get("qty"), Decimal("1")) * dec(line.get("unit_cost"), ZERO))


def line_tax(line: Mapping[str, Any], taxable: Decimal) -> Decimal:
    """Taxes of one line on its discounted amount; a compounded second tax applies on top."""
    rate1 = dec(line.get("taxAmount1"), ZERO)
    rate2 = dec(line.get("taxAmount2"), ZERO)
    tax1 = taxable * rate1 / HUNDRED
    base2 = taxable + tax1 if line.get("compounded_tax") else taxable
    return tax1 + base2 * rate2 / HUNDRED


def sum_lines(
    lines: Iterable[Mapping[str, Any]],
    discount_value: Any,
    tax_of: Callable[[Mapping[str, Any], Decimal], Decimal],
) -> tuple[Decimal, Decimal, Decimal]:
    """`(subtotal, discount_total, tax)` of lines under a percent discount; `tax` is not rounded.

    `tax_of(line, discounted)` is one line's tax on its amount after the discount. Rounding the
    tax is left to the caller (once on the sum, or per line inside `tax_of`), because servers
    differ there. `discount_total` is zero or negative, as FreshBooks reports it.
    """
    discount = dec(discount_value, ZERO)  # None and "" read as 0, as FreshBooks sends them
    factor = (HUNDRED - discount) / HUNDRED
    subtotal = ZERO
    tax = ZERO
    for line in lines:
        amount = line_amount(line)
        subtotal += amount
        tax += tax_of(line, amount * factor)
    return subtotal, -cents(subtotal * discount / HUNDRED), tax


def totals(lines: list[dict[str, Any]], discount_value: Any) -> Totals:
    """Subtotal, discount, tax and amount of a list of lines and a percent discount.

    The unrounded taxes of all lines are added up and rounded once.
    """
    subtotal, discount_total, tax = sum_lines(lines, discount_value, line_tax)
    tax_total = cents(tax)
    return Totals(subtotal, discount_total, tax_total, subtotal + discount_total + tax_total)


def payment_status(amount: Decimal, paid: Decimal) -> str:
    """unpaid / partial / paid from the invoice amount and the sum of its payments."""
    if paid <= ZERO:
        return "unpaid"
    if paid >= amount:
        return "paid"
    return "partial"


def status_fields(sending_status: int, amount: Decimal, paid: Decimal) -> dict[str, Any]:
    """`status`, `v3_status`, `payment_status`, `display_status` before the overdue rule."""
    pay = payment_status(amount, paid)
    if pay == "paid":
        status, v3, display = STATUS_PAID, "paid", "paid"
    elif pay == "partial":
        status, v3, display = STATUS_PARTIAL, "partial", "outstanding"
    else:  # payments say nothing yet, so the sending state decides
        status = sending_status
        v3 = SENDING_V3.get(sending_status, "sent")
        display = v3 if v3 != "disputed" else "outstanding"
    return {"status": status, "v3_status": v3, "payment_status": pay, "display_status": display}


def is_overdue(invoice: dict[str, Any], today: dt.date) -> bool:
    """Sent (not draft) with money outstanding and a due date before today."""
    if invoice.get("v3_status") in ("draft", "paid") or invoice.get("status") == 1:
        return False
    due = invoice.get("due_date")
    if not due:
        return False
    try:
        owed = dec(invoice.get("outstanding"), ZERO)
    except ValueError:
        return False
    return owed > ZERO and str(due)[:10] < today.isoformat()


def next_number(previous: str | None) -> str:
    """Increment a document number keeping its width: "0005"→"0006", "000D"→"000E"."""
    if not previous:
        return "0000001"
    match = re.search(r"(\d+)$", previous)
    if match:
        digits = match.group(1)
        bumped = str(int(digits) + 1).zfill(len(digits))
        return previous[: match.start()] + bumped
    last = previous[-1]
    if last.isalpha() and last.lower() != "z":
        return previous[:-1] + chr(ord(last) + 1)
    return previous + "1"


def due_date(create_date: str, offset_days: int) -> str:
    """create_date + due_offset_days as YYYY-MM-DD."""
    return (dt.date.fromisoformat(create_date[:10]) + dt.timedelta(days=offset_days)).isoformat()
