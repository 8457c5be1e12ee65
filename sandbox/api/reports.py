"""Accounting reports computed from the books: P&L, tax summary, payments collected, aging.

Parameters are **bare** (`start_date=2024-01-01`); `search[start_date]` is not read, so a client
sending filters the accounting way gets FreshBooks' default period: the current month to today.
"""

from __future__ import annotations

import base64
import bisect
import datetime as dt
import hashlib
import hmac
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox.api.accounting import account, context
from sandbox.api.clients import client_name
from sandbox.api.plumbing import require, sandbox_of
from sandbox.api.recurring import catch_up
from sandbox.core import invoicing as calc
from sandbox.core.errors import ApiError, Problem, validation
from sandbox.core.kinds import Ctx, Record
from sandbox.core.query import TRUE_WORDS
from sandbox.core.wire import dec, money

ZERO = Decimal(0)
MAX_PERIODS = 400
REPORT_KEYS = {
    "profitloss_entity": "profitloss",
    "profitloss": "profitloss",
    "taxsummary": "taxsummary",
    "payments_collected": "payments_collected",
    "accounts_aging": "accounts_aging",
}


# Parameters ------------------------------------------------------------------------------------
def _date(request: Request, name: str, default: dt.date) -> dt.date:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        return dt.date.fromisoformat(raw.strip()[:10])
    except ValueError:
        raise validation(
            [Problem(1033, f"field '{name}' must be a date (YYYY-MM-DD)", name, "report", raw)]
        ) from None


def period(request: Request, ctx: Ctx) -> tuple[dt.date, dt.date]:
    """start_date / end_date; end defaults to today, start to the first of end's month."""
    today = ctx.today
    end = _date(request, "end_date", today)
    start = _date(request, "start_date", end.replace(day=1))
    if start > end:
        raise validation(
            [Problem(1007, "start_date must not be after end_date.", "start_date", "report")]
        )
    return start, end


def _list_param(request: Request, name: str) -> list[str]:
    values = request.query_params.getlist(name) + request.query_params.getlist(f"{name}[]")
    return [v.strip() for raw in values for v in raw.split(",") if v.strip()]


def _download_token(request: Request, report: str, start: dt.date, end: dt.date) -> str:
    """A JWT-shaped token naming the report; signed with the app secret (opaque to clients)."""
    box = sandbox_of(request)

    def part(value: dict[str, Any]) -> str:
        raw = json.dumps(value, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    head = part({"alg": "HS256", "typ": "JWT"})
    body = part(
        {
            "report": report,
            "account_id": request.path_params["account_id"],
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "iat": int(box.now().timestamp()),
        }
    )
    mac = hmac.new(box.config.client_secret.encode(), f"{head}.{body}".encode(), hashlib.sha256)
    signature = base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()
    return f"{head}.{body}.{signature}"


def _live(records: list[Record]) -> list[Record]:
    return [r for r in records if r.get("vis_state") != 1]


def _sent_invoices(ctx: Ctx) -> list[Record]:
    # FreshBooks leaves drafts out of accounting reports: nothing was billed yet.
    return [i for i in _live(ctx.biz.col("invoices").values()) if i.get("v3_status") != "draft"]


def _expenses_in(
    ctx: Ctx, code: str, start: dt.date, end: dt.date
) -> Iterator[tuple[Record, Record, dt.date]]:
    """Live expenses in `code` dated within start..end, with their amount and day."""
    for expense in _live(ctx.biz.col("expenses").values()):
        amount = expense.get("amount") or {}
        day = dt.date.fromisoformat(str(expense["date"])[:10])
        if amount.get("code") == code and start <= day <= end:
            yield expense, amount, day


def _currency(request: Request, ctx: Ctx) -> str:
    return request.query_params.get("currency_code") or ctx.biz.currency_code


def _cash_based(request: Request) -> bool:
    return (request.query_params.get("cash_based") or "").lower() in TRUE_WORDS


def _head(
    ctx: Ctx, code: str, start: dt.date, end: dt.date, cash: bool | None = None
) -> dict[str, Any]:
    """The fields a report result opens with (`cash_based` only where the report has one)."""
    head: dict[str, Any] = {"company_name": ctx.biz.name, "currency_code": code}
    if cash is not None:
        head["cash_based"] = cash
    head.update({"start_date": start.isoformat(), "end_date": end.isoformat()})
    return head


# Periods ---------------------------------------------------------------------------------------
def _step(resolution: str) -> Callable[[dt.date], dt.date]:
    match = re.fullmatch(r"(\d*)([dwmy])", resolution.strip().lower())
    if not match:
        raise validation(
            [Problem(1004, "resolution must look like m, 3m, y, w or d.", "resolution", "report")]
        )
    count = int(match.group(1) or 1)
    unit = match.group(2)
    if count < 1:
        raise validation([Problem(1004, "resolution must be positive.", "resolution", "report")])

    def advance(day: dt.date) -> dt.date:
        if unit == "d":
            return day + dt.timedelta(days=count)
        if unit == "w":
            return day + dt.timedelta(weeks=count)
        months = count * (12 if unit == "y" else 1)
        index = day.month - 1 + months
        return dt.date(day.year + index // 12, index % 12 + 1, 1)

    return advance


def periods(start: dt.date, end: dt.date, resolution: str) -> list[tuple[dt.date, dt.date]]:
    """Consecutive periods covering start..end (month-like steps snap to the 1st)."""
    advance = _step(resolution)
    result = []
    cursor = start
    while cursor <= end:
        following = advance(cursor)
        result.append((cursor, min(following - dt.timedelta(days=1), end)))
        cursor = following
        if len(result) > MAX_PERIODS:
            raise validation(
                [Problem(1004, "Too many periods for this resolution.", "resolution", "report")]
            )
    return result


class Series:
    """Money per period for one P&L line."""

    def __init__(self, description: str, entry_type: str, starts: list[dt.date]) -> None:
        self.description = description
        self.entry_type = entry_type
        self.starts = starts
        self.values = [ZERO] * len(starts)

    def add(self, day: dt.date, value: Decimal) -> None:
        """Add a value on a date inside the report range."""
        self.values[bisect.bisect_right(self.starts, day) - 1] += value

    @property
    def total(self) -> Decimal:
        """Sum over the periods."""
        return sum(self.values, ZERO)

    def entry(self, code: str, children: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """The wire entry `{description, entry_type, total, data, children}`."""
        return {
            "description": self.description,
            "entry_type": self.entry_type,
            "total": money(self.total, code),
            "data": [money(v, code) for v in self.values],
            "children": children or [],
        }

    @classmethod
    def combine(
        cls,
        description: str,
        entry_type: str,
        starts: list[dt.date],
        parts: list[Series],
        sign: int,
    ) -> Series:
        """First part plus (sign = 1) or minus (sign = -1) the others."""
        out = cls(description, entry_type, starts)
        for index, part in enumerate(parts):
            factor = 1 if index == 0 else sign
            out.values = [a + factor * b for a, b in zip(out.values, part.values, strict=True)]
        return out


# Reports ---------------------------------------------------------------------------------------
def _net_revenue(invoice: Record) -> Decimal:
    return dec(invoice.get("amount"), ZERO) - dec(invoice.get("_tax_total"), ZERO)


def profit_loss(request: Request, ctx: Ctx) -> dict[str, Any]:
    """Income (invoices, or payments when cash based) against expenses by category."""
    start, end = period(request, ctx)
    code = _currency(request, ctx)
    cash = _cash_based(request)
    resolution = request.query_params.get("resolution") or "m"
    spans = periods(start, end, resolution)
    starts = [s for s, _ in spans]
    sales = Series("Sales", "credit", starts)
    invoices = {i["id"]: i for i in _sent_invoices(ctx) if i.get("currency_code") == code}
    if cash:
        for pay in _live(ctx.biz.col("payments").values()):
            invoice = invoices.get(pay.get("invoiceid"))
            day = dt.date.fromisoformat(str(pay["date"])[:10])
            if invoice is None or not start <= day <= end:
                continue
            billed = dec(invoice.get("amount"), ZERO)
            share = _net_revenue(invoice) / billed if billed else Decimal(1)
            sales.add(day, dec(pay.get("amount"), ZERO) * share)
    else:
        for invoice in invoices.values():
            day = dt.date.fromisoformat(invoice["create_date"])
            if start <= day <= end:
                sales.add(day, _net_revenue(invoice))
    categories = ctx.biz.col("categories")
    by_category: dict[str, Series] = {}
    cogs = Series("Cost of Goods Sold", "debit", starts)
    for expense, amount, day in _expenses_in(ctx, code, start, end):
        category = categories.get(int(expense.get("categoryid") or 0)) or {}
        name = category.get("category") or "Uncategorized"
        series = by_category.setdefault(name, Series(name, "debit", starts))
        series.add(day, dec(amount, ZERO))
        if category.get("is_cogs"):
            cogs.add(day, dec(amount, ZERO))
    expenses = [by_category[name] for name in sorted(by_category)]
    total_expenses = Series.combine("Total Expenses", "debit", starts, expenses, 1)
    total_income = Series.combine("Total Income", "credit", starts, [sales], 1)
    gross = Series.combine("Gross Margin", "credit", starts, [sales, cogs], -1)
    net = Series.combine("Net Profit", "credit", starts, [sales, total_expenses], -1)
    return {
        **_head(ctx, code, start, end, cash),
        "resolution": resolution,
        "labels": [s.isoformat() for s in starts],
        "dates": [{"start_date": s.isoformat(), "end_date": e.isoformat()} for s, e in spans],
        "income": [sales.entry(code)],
        "expenses": [s.entry(code) for s in expenses],
        "total_income": total_income.entry(code),
        "total_expenses": total_expenses.entry(code),
        "gross_margin": gross.entry(code),
        "net_profit": net.entry(code),
        "download_token": _download_token(request, "profitloss", start, end),
    }


def tax_summary(request: Request, ctx: Ctx) -> dict[str, Any]:
    """Taxes collected on invoice lines and paid on expenses, by tax name."""
    start, end = period(request, ctx)
    code = _currency(request, ctx)
    cash = _cash_based(request)
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    total_invoiced = ZERO
    for invoice in _sent_invoices(ctx):
        day = dt.date.fromisoformat(invoice["create_date"])
        if invoice.get("currency_code") != code or not start <= day <= end:
            continue
        total_invoiced += dec(invoice.get("amount"), ZERO)
        factor = (Decimal(100) - dec(invoice.get("discount_value"), ZERO)) / Decimal(100)
        for line in invoice.get("lines") or []:
            taxable = calc.line_amount(line) * factor
            for index in ("1", "2"):
                name = line.get(f"taxName{index}")
                rate = dec(line.get(f"taxAmount{index}"), ZERO)
                if name and rate:
                    sums[name]["collected"] += taxable * rate / Decimal(100)
                    sums[name]["taxable_collected"] += taxable
    for expense, amount, _ in _expenses_in(ctx, code, start, end):
        for index in ("1", "2"):
            name = expense.get(f"taxName{index}")
            paid = expense.get(f"taxAmount{index}")
            if name and paid:
                sums[name]["paid"] += dec(paid, ZERO)
                sums[name]["taxable_paid"] += dec(amount, ZERO)
    taxes = []
    for name in sorted(sums):
        s = sums[name]
        taxes.append(
            {
                "tax_name": name,
                "tax_collected": money(s["collected"], code),
                "tax_paid": money(s["paid"], code),
                "net_tax": money(s["collected"] - s["paid"], code),
                "taxable_amount_collected": money(s["taxable_collected"], code),
                "taxable_amount_paid": money(s["taxable_paid"], code),
                "net_taxable_amount": money(s["taxable_collected"] - s["taxable_paid"], code),
            }
        )
    return {
        **_head(ctx, code, start, end, cash),
        "taxes": taxes,
        "total_invoiced": money(total_invoiced, code),
        "download_token": _download_token(request, "taxsummary", start, end),
    }


def payments_collected(request: Request, ctx: Ctx) -> dict[str, Any]:
    """Payments received in the period, with totals per currency."""
    start, end = period(request, ctx)
    code = request.query_params.get("currency_code")
    clientids = {int(v) for v in _list_param(request, "clientids") if v.isdigit()}
    methods = set(_list_param(request, "payment_method"))
    clients = ctx.biz.col("clients")
    invoices = ctx.biz.col("invoices")
    rows = []
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for pay in sorted(_live(ctx.biz.col("payments").values()), key=lambda p: (p["date"], p["id"])):
        day = dt.date.fromisoformat(str(pay["date"])[:10])
        amount = pay.get("amount") or {}
        if not start <= day <= end or (code and amount.get("code") != code):
            continue
        if (clientids and pay.get("clientid") not in clientids) or (
            methods and pay.get("type") not in methods
        ):
            continue
        invoice = invoices.get(int(pay.get("invoiceid") or 0)) or {}
        rows.append(
            {
                "amount": amount,
                "client": client_name(clients.get(int(pay.get("clientid") or 0))),
                "clientid": pay.get("clientid"),
                "invoiceid": pay.get("invoiceid"),
                "invoice_number": invoice.get("invoice_number"),
                "creditid": None,
                "credit_number": None,
                "date": pay["date"],
                "description": pay.get("note") or "",
                "from_credit": bool(pay.get("from_credit")),
                "method": pay.get("type"),
            }
        )
        totals[amount.get("code", ctx.biz.currency_code)] += dec(amount, ZERO)
    return {
        "company_name": ctx.biz.name,
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "currency_code": code or ctx.biz.currency_code,
        "payments": rows,
        "totals": [money(v, c) for c, v in sorted(totals.items())],
        "clientids": sorted(clientids),
        "currency_codes": sorted(totals),
        "payment_methods": sorted(methods),
        "summary_only": False,
        "download_token": _download_token(request, "payments_collected", start, end),
    }


BUCKETS = ("0-30", "31-60", "61-90", "91+")


def _bucket(days_late: int) -> str:
    if days_late <= 30:
        return "0-30"
    if days_late <= 60:
        return "31-60"
    if days_late <= 90:
        return "61-90"
    return "91+"


def accounts_aging(request: Request, ctx: Ctx) -> dict[str, Any]:
    """What each client owed at end_date, by days past the due date."""
    start, end = period(request, ctx)
    code = _currency(request, ctx)
    payments = ctx.biz.col("payments").group_by("invoiceid")
    per_client: dict[int, dict[str, Decimal]] = {}
    for invoice in _sent_invoices(ctx):
        if invoice.get("currency_code") != code or invoice["create_date"] > end.isoformat():
            continue
        paid = sum(
            (
                dec(p.get("amount"), ZERO)
                for p in payments.get(invoice["id"], [])
                if p.get("vis_state") != 1 and str(p.get("date"))[:10] <= end.isoformat()
            ),
            ZERO,
        )
        owed = dec(invoice.get("amount"), ZERO) - paid
        if owed <= ZERO:
            continue
        late = (end - dt.date.fromisoformat(invoice["due_date"])).days
        buckets = per_client.setdefault(int(invoice.get("customerid") or 0), {})
        buckets[_bucket(late)] = buckets.get(_bucket(late), ZERO) + owed
    clients = ctx.biz.col("clients")
    accounts = []
    grand = dict.fromkeys((*BUCKETS, "total"), ZERO)
    for client_id in sorted(per_client):
        buckets = per_client[client_id]
        client = clients.get(client_id) or {}
        row: dict[str, Any] = {
            "userid": client_id,
            "fname": client.get("fname", ""),
            "lname": client.get("lname", ""),
            "organization": client.get("organization", ""),
            "email": client.get("email", ""),
        }
        total = ZERO
        for name in BUCKETS:
            value = buckets.get(name, ZERO)
            row[name] = money(value, code)
            grand[name] += value
            total += value
        row["total"] = money(total, code)
        grand["total"] += total
        accounts.append(row)
    return {
        **_head(ctx, code, start, end),
        "accounts": accounts,
        "totals": {k: money(v, code) for k, v in grand.items()},
        "download_token": _download_token(request, "accounts_aging", start, end),
    }


BUILDERS: dict[str, Callable[[Request, Ctx], dict[str, Any]]] = {
    "profitloss": profit_loss,
    "taxsummary": tax_summary,
    "payments_collected": payments_collected,
    "accounts_aging": accounts_aging,
}


async def report(request: Request) -> Response:
    """GET `/accounting/account/{a}/reports/accounting/{name}`."""
    require(request, "user:reports:read")
    ctx = context(request, account(request))
    catch_up(ctx)  # the reports count the recurring invoices due by now
    name = request.path_params["name"]
    key = REPORT_KEYS.get(name)
    if key is None:
        raise ApiError(404, [Problem(1012, f"Unknown report '{name}'.")], kind="not_found")
    return JSONResponse({"response": {"result": {key: BUILDERS[key](request, ctx)}}})


ROUTES = [
    Route("/accounting/account/{account_id}/reports/accounting/{name}", report, methods=["GET"])
]
