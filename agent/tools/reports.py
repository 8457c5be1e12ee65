"""FreshBooks' accounting reports: profit and loss, accounts aging, payments collected, taxes.

Each report is in one currency (FreshBooks reports per currency, the business's own by
default); the result says which, and amounts are never converted or added across currencies.

These always ask FreshBooks, even in the app: the server computes the reports (its ledger,
taxes, aging as of a day), and the local mirror (:mod:`agent.tools._mirror`) only holds records.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal, Self

from pydantic import Field, model_validator

from agent.results import money, rows_result
from agent.tool import Tool, ToolContext
from fbclient.models.reports import AgingBuckets, ProfitLossEntry

from ._args import Args, CurrencyCode, PeriodArgs, RecordId, today_of
from ._rows import compact, text
from .dates import PeriodName, resolve_period

__all__ = ["TOOLS"]

MAX_LINES = 15
CURRENCY_NOTE = "Amounts are in {currency} only; ask again with currency_code for another currency."


def _entries(entries: list[ProfitLossEntry]) -> list[dict[str, Any]]:
    ordered = sorted(entries, key=lambda e: -(e.total.amount if e.total else Decimal(0)))
    return [{"name": text(e.description, 80), "total": money(e.total)} for e in ordered][:MAX_LINES]


# --- profit_and_loss --------------------------------------------------------------------


class ProfitLossArgs(PeriodArgs):
    """The period (null means this year) and currency of a profit and loss report."""

    currency_code: CurrencyCode | None = Field(
        default=None, description="Report currency, ISO 4217; null for the business's own"
    )
    basis: Literal["accrual", "cash"] | None = Field(
        default=None, description="accrual (invoiced; the default when null) or cash (paid)"
    )


def profit_and_loss(ctx: ToolContext, args: ProfitLossArgs) -> dict[str, Any]:
    """Income, expenses by category and net profit over the period, in one currency."""
    span = args.date_range(ctx, "this_year")
    report = ctx.books.reports.profit_loss(
        span.start,
        span.end,
        currency_code=args.currency_code,
        cash_based=args.basis == "cash" if args.basis else None,
    )
    currency = report.currency_code or args.currency_code or ""
    return compact(
        {
            "report": "profit and loss",
            **span.as_dict(),
            "currency": currency,
            "basis": "cash" if report.cash_based else "accrual",
            "total_income": money(report.total_income.total) if report.total_income else None,
            "total_expenses": (
                money(report.total_expenses.total) if report.total_expenses else None
            ),
            "net_profit": money(report.net_profit.total) if report.net_profit else None,
            "income": _entries(report.income),
            "expenses": _entries(report.expenses),
            "expense_lines": len(report.expenses),
            "note": CURRENCY_NOTE.format(currency=currency),
        }
    )


# --- accounts_aging ---------------------------------------------------------------------


class AgingArgs(Args):
    """The day the aging is taken on."""

    as_of: date | None = Field(
        default=None, description="Day to age on, YYYY-MM-DD; null for today"
    )
    period: PeriodName | None = Field(
        default=None, description="Age as of the last day of this period (not after today)"
    )
    currency_code: CurrencyCode | None = Field(
        default=None, description="Report currency, ISO 4217; null for the business's own"
    )

    @model_validator(mode="after")
    def _one(self) -> Self:
        if self.as_of is not None and self.period is not None:
            raise ValueError("give as_of or period, not both")
        return self


def _buckets(row: AgingBuckets) -> dict[str, Any]:
    """The non-zero buckets of a row, and its total."""
    buckets = {
        "0-30": row.days_0_30,
        "31-60": row.days_31_60,
        "61-90": row.days_61_90,
        "91+": row.days_91_plus,
    }
    shown = {k: money(v) for k, v in buckets.items() if v is not None and v.amount}
    return {**shown, "total": money(row.total)}


def accounts_aging(ctx: ToolContext, args: AgingArgs) -> dict[str, Any]:
    """What each client owes, by days past due (0-30, 31-60, 61-90, 91+), largest first."""
    today = today_of(ctx)
    as_of = args.as_of or today
    if args.period is not None:
        as_of = min(resolve_period(args.period, today).end, today)
    report = ctx.books.reports.accounts_aging(as_of, currency_code=args.currency_code)
    accounts = sorted(report.accounts, key=lambda a: -(a.total.amount if a.total else 0))
    rows = [
        {"client_id": a.userid, "client": text(a.display_name, 80), **_buckets(a)} for a in accounts
    ]
    currency = report.currency_code or args.currency_code or ""
    result = rows_result(
        rows,
        totals=_buckets(report.totals) if report.totals else None,
        note=CURRENCY_NOTE.format(currency=currency),
    )
    return {"report": "accounts aging", "as_of": as_of.isoformat(), "currency": currency, **result}


# --- payments_collected -----------------------------------------------------------------


class PaymentsCollectedArgs(PeriodArgs):
    """The period (null means this month) and an optional client."""

    client_id: RecordId | None = Field(default=None, description="Only this client's payments")
    currency_code: CurrencyCode | None = Field(
        default=None, description="Only payments in this currency, ISO 4217; null for all"
    )


def payments_collected(ctx: ToolContext, args: PaymentsCollectedArgs) -> dict[str, Any]:
    """Payments received in the period, newest first, with one total per currency."""
    span = args.date_range(ctx, "this_month")
    report = ctx.books.reports.payments_collected(
        span.start,
        span.end,
        currency_code=args.currency_code,
        clientids=[args.client_id] if args.client_id else None,
    )
    payments = sorted(report.payments, key=lambda p: p.date or date.min, reverse=True)
    rows = [
        compact(
            {
                "date": p.date.isoformat() if p.date else None,
                "amount": money(p.amount),
                "client_id": p.clientid,
                "client": text(p.client, 80),
                "invoice": p.invoice_number,
                "method": p.method,
            }
        )
        for p in payments
    ]
    totals = {m.code: format(m.amount, "f") for m in report.totals}
    return {"report": "payments collected", **span.as_dict(), **rows_result(rows, totals=totals)}


# --- tax_summary ------------------------------------------------------------------------


class TaxSummaryArgs(PeriodArgs):
    """The period (null means this year) and currency of a tax summary."""

    currency_code: CurrencyCode | None = Field(
        default=None, description="Report currency, ISO 4217; null for the business's own"
    )


def tax_summary(ctx: ToolContext, args: TaxSummaryArgs) -> dict[str, Any]:
    """Per tax: collected on invoices, paid on expenses, and the net owed."""
    span = args.date_range(ctx, "this_year")
    report = ctx.books.reports.tax_summary(span.start, span.end, currency_code=args.currency_code)
    rows = [
        compact(
            {
                "tax": text(t.tax_name, 60),
                "collected": money(t.tax_collected),
                "paid": money(t.tax_paid),
                "net": money(t.net_tax),
                "taxable_sales": money(t.taxable_amount_collected),
            }
        )
        for t in report.taxes
    ]
    currency = report.currency_code or args.currency_code or ""
    return {
        "report": "tax summary",
        **span.as_dict(),
        "currency": currency,
        "total_invoiced": money(report.total_invoiced),
        **rows_result(rows, note=CURRENCY_NOTE.format(currency=currency)),
    }


TOOLS: list[Tool[Any]] = [
    Tool(
        name="profit_and_loss",
        description=(
            "FreshBooks' profit and loss report for a period (a relative period or explicit "
            "dates; null means this year): income, expenses by category and net profit, in "
            "one currency."
        ),
        args=ProfitLossArgs,
        handler=profit_and_loss,
    ),
    Tool(
        name="accounts_aging",
        description=(
            "FreshBooks' accounts aging report: what each client owes by days past due "
            "(0-30, 31-60, 61-90, 91+) as of a day (null means today), in one currency."
        ),
        args=AgingArgs,
        handler=accounts_aging,
    ),
    Tool(
        name="payments_collected",
        description=(
            "FreshBooks' payments collected report for a period (null means this month), "
            "optionally for one client, with a total per currency."
        ),
        args=PaymentsCollectedArgs,
        handler=payments_collected,
    ),
    Tool(
        name="tax_summary",
        description=(
            "FreshBooks' tax summary for a period (null means this year): tax collected, "
            "paid and net per tax, in one currency."
        ),
        args=TaxSummaryArgs,
        handler=tax_summary,
    ),
]
