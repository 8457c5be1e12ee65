"""Invoice and estimate plans written out: numbers, sending states, payments, wire dicts.

Payment behaviour belongs to the client: prompt payers pay within terms, average ones around the
due date, slow ones weeks late, "partial" ones in two instalments, and a delinquent client has
stopped paying its recent invoices. Payments dated after today have not happened yet, which is
what leaves recent invoices unpaid, slow payers overdue and instalment plans partial.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sandbox.core.invoicing import ZERO
from sandbox.core.wire import cents, money
from sandbox.seed.billing import (
    Catalog,
    EstimateSpec,
    InvoiceSpec,
    Line,
    phase_lines,
    wire_lines,
)
from sandbox.seed.catalog import INVOICE_NOTES, PAYMENT_NOTES
from sandbox.seed.common import Ctx, eastern_stamp, make_uuid
from sandbox.seed.money import invoice_totals
from sandbox.seed.parties import METHODS, Client, Parties
from sandbox.seed.work import convert

SPLITS = (Decimal("0.4"), Decimal("0.5"), Decimal("0.6"))
# Chance an invoice is paid in two instalments, by payer profile.
INSTALMENTS = {"prompt": 0.02, "average": 0.05, "slow": 0.12, "partial": 1.0, "delinquent": 0.1}


@dataclass
class Ledger:
    """Invoices, payments and estimates of one business in wire format."""

    invoices: list[dict[str, Any]]
    payments: list[dict[str, Any]]
    estimates: list[dict[str, Any]]


def write_ledger(
    ctx: Ctx,
    parties: Parties,
    catalog: Catalog,
    invoices: list[InvoiceSpec],
    estimates: list[EstimateSpec],
) -> Ledger:
    """Number everything, decide what was sent and paid, and write the wire records."""
    rng = ctx.rng("ledger")
    estimates = sorted(estimates + _open_estimates(ctx, rng, parties), key=lambda e: e.create)
    for n, estimate in enumerate(estimates, 1):
        estimate.id, estimate.number = ctx.ids.take("estimate"), f"{n:04d}"
    for n, spec in enumerate(invoices, 1):
        spec.id, spec.number = ctx.ids.take("invoice"), f"{n:04d}"
    sums = [invoice_totals(wire_lines(s.lines, catalog.rates), s.discount) for s in invoices]
    totals = [amounts[3] for amounts in sums]
    for spec, total in zip(invoices, totals, strict=True):
        _send_and_collect(ctx, rng, spec, total)
    _keep_some_drafts(ctx, rng, invoices)
    _keep_a_partial(ctx, rng, invoices, totals)
    owner = parties.owner.staff_id or 0
    invoice_wires = [
        _invoice_wire(ctx, rng, spec, catalog, owner, amounts)
        for spec, amounts in zip(invoices, sums, strict=True)
    ]
    _settle_rebilled_expenses(ctx, rng, invoices, totals)
    _count_project_billing(invoices)
    return Ledger(
        invoice_wires,
        _payment_wires(ctx, rng, invoices),
        [_estimate_wire(ctx, rng, e, catalog) for e in estimates],
    )


# -- sending and payment ----------------------------------------------------------------------
def _send_and_collect(ctx: Ctx, rng: random.Random, spec: InvoiceSpec, total: Decimal) -> None:
    if (ctx.today - spec.create).days <= 6 and rng.random() < 0.5:
        spec.draft, spec.viewed = True, False  # prepared this week, not sent yet
        return
    spec.viewed = rng.random() < 0.85
    plan = _payment_plan(ctx, rng, spec, total)
    spec.payments = [(max(day, spec.create), amount) for day, amount in plan if amount > ZERO]
    spec.payments = [(day, amount) for day, amount in spec.payments if day <= ctx.today]
    if spec.payments:
        spec.viewed = True


def _payment_plan(
    ctx: Ctx, rng: random.Random, spec: InvoiceSpec, total: Decimal
) -> list[tuple[dt.date, Decimal]]:
    payer = spec.client.seed.payer
    days = dt.timedelta
    due, terms = spec.due, spec.client.seed.terms
    stopped = (spec.client.end or ctx.today) - days(150)  # stopped paying months before leaving
    if payer == "delinquent" and spec.create >= stopped:
        if rng.random() < 0.3:  # a token payment, then silence
            return [(due + days(rng.randint(10, 40)), cents(total / 4))]
        return []
    if rng.random() < INSTALMENTS[payer]:
        first = cents(total * rng.choice(SPLITS))
        when = due + days(rng.randint(-3, 10))
        return [(when, first), (when + days(rng.randint(45, 100)), total - first)]
    if payer == "prompt":
        return [(spec.create + days(rng.randint(1, max(3, terms))), total)]
    if payer == "average":
        return [(due + days(rng.randint(-6, 12)), total)]
    return [(due + days(rng.randint(15, 75)), total)]  # slow, and delinquent in better days


def _keep_some_drafts(ctx: Ctx, rng: random.Random, invoices: list[InvoiceSpec]) -> None:
    """At least two recent unsent drafts, and one long-forgotten draft in bigger books."""
    recent = [s for s in reversed(invoices) if (ctx.today - s.create).days <= 45]
    for spec in sorted(recent, key=lambda s: bool(s.payments)):  # unpaid ones first
        if sum(s.draft for s in recent) >= 2:
            break
        if not spec.draft and spec.kind != "retainer":
            spec.draft, spec.viewed, spec.payments = True, False, []
    old = [s for s in invoices if s.kind == "misc" and (ctx.today - s.create).days > 200]
    if len(invoices) > 100 and old:
        stale = rng.choice(old)
        stale.draft, stale.viewed, stale.payments = True, False, []


def _keep_a_partial(
    ctx: Ctx, rng: random.Random, invoices: list[InvoiceSpec], totals: list[Decimal]
) -> None:
    """At least one invoice is part-paid today: if chance left none, the instalment payer's
    (else a slow payer's) latest past-due invoice got its first instalment only."""
    for spec, total in zip(invoices, totals, strict=True):
        if ZERO < sum((a for _, a in spec.payments), ZERO) < total:
            return
    rank = {"partial": 0, "delinquent": 1, "slow": 2, "average": 3, "prompt": 4}
    due = [(rank[s.client.seed.payer], -n, s, t)
           for n, (s, t) in enumerate(zip(invoices, totals, strict=True))
           if not s.draft and s.due < ctx.today]  # fmt: skip
    if due:
        _, _, spec, total = min(due, key=lambda row: row[:2])
        when = min(ctx.today, max(spec.create, spec.due + dt.timedelta(rng.randint(-3, 10))))
        spec.payments, spec.viewed = [(when, cents(total * rng.choice(SPLITS)))], True


def _payment_wires(
    ctx: Ctx, rng: random.Random, invoices: list[InvoiceSpec]
) -> list[dict[str, Any]]:
    rows = [
        (day, spec.id, k, spec, amount)
        for spec in invoices
        for k, (day, amount) in enumerate(spec.payments)
    ]
    rows.sort(key=lambda row: row[:3])
    out = []
    for day, _, k, spec, amount in rows:
        pid = ctx.ids.take("payment")
        client = spec.client
        method = client.seed.pay_method if rng.random() < 0.85 else rng.choice(METHODS)
        partial = len(spec.payments) > 1 and k == 0
        out.append({
            "id": pid, "logid": pid, "invoiceid": spec.id, "clientid": client.id,
            "amount": money(amount, client.seed.currency), "date": day.isoformat(),
            "type": method, "note": "Partial payment, balance to follow" if partial
            else _payment_note(rng, method),
            "gateway": None, "from_credit": False, "creditid": None, "overpaymentid": None,
            "orderid": None, "transactionid": None, "bulk_paymentid": None,
            "send_client_notification": False, "accounting_systemid": ctx.account_id,
            "updated": eastern_stamp(rng, day), "vis_state": 0,
        })  # fmt: skip
    return out


def _payment_note(rng: random.Random, method: str) -> str:
    template = rng.choice(PAYMENT_NOTES.get(method, ("",)))
    return template.format(ref=rng.randint(1000, 999999), ref4=rng.randint(1000, 9999))


# -- invoices -----------------------------------------------------------------------------------
def _statuses(
    ctx: Ctx, spec: InvoiceSpec, amount: Decimal, paid: Decimal
) -> tuple[int, str, str, str]:
    """(status, v3_status, payment_status, display_status); `status` stays the sending state
    (1 draft, 2 sent, 3 viewed) and the server derives the rest from payments."""
    sending = 1 if spec.draft else 3 if spec.viewed else 2
    if spec.draft:
        return sending, "draft", "unpaid", "draft"
    if paid >= amount:
        return sending, "paid", "paid", "paid"
    if paid > ZERO:
        return sending, "partial", "partial", "outstanding"
    if spec.due < ctx.today:
        return sending, "overdue", "unpaid", "outstanding"
    state = "viewed" if spec.viewed else "sent"
    return sending, state, "unpaid", state


def _terms_text(ctx: Ctx, days: int) -> str:
    how = "e-Transfer or cheque" if ctx.biz.currency == "CAD" else "bank transfer or ACH"
    lead = "Due on receipt." if days == 0 else f"Net {days}."
    return f"{lead} Please pay by {how}; details are on the invoice."


def _line_wires(
    ctx: Ctx, lines: list[Line], currency: str, catalog: Catalog, parent: dict[str, int],
    stamp: str,
) -> list[dict[str, Any]]:  # fmt: skip
    out: list[dict[str, Any]] = []
    for n, line in enumerate(lines, 1):
        out.append({
            "lineid": ctx.ids.take("line"), **parent, "type": 0, "name": line.name,
            "description": line.description, "qty": format(line.qty.normalize(), "f"),
            "unit_cost": money(line.unit_cost, currency),
            "amount": money(line.qty * line.unit_cost, currency),
            "taxName1": line.tax, "taxAmount1": catalog.rates.get(line.tax, "0"),
            "taxName2": "", "taxAmount2": "0",
            "taxNumber1": catalog.numbers.get(line.tax), "taxNumber2": None,
            "compounded_tax": False,
            "expenseid": line.expense["id"] if line.expense else 0,
            "date": None, "updated": stamp, "retainer_id": None, "retainer_period_id": None,
            "modern_project_id": line.project.id if line.project else None,
            "modern_time_entries": [], "taskno": n, "basecampid": 0,
        })  # fmt: skip
    return out


def _invoice_wire(
    ctx: Ctx,
    rng: random.Random,
    spec: InvoiceSpec,
    catalog: Catalog,
    owner: int,
    amounts: tuple[Decimal, Decimal, Decimal, Decimal],
) -> dict[str, Any]:
    client, currency = spec.client, spec.client.seed.currency
    created = eastern_stamp(rng, spec.create)
    lines = _line_wires(ctx, spec.lines, currency, catalog, {"invoiceid": spec.id}, created)
    _, discount_total, _, amount = amounts
    paid = sum((amount for _, amount in spec.payments), ZERO)
    last_paid = max((day for day, _ in spec.payments), default=None)
    status, v3, payment_status, display = _statuses(ctx, spec, amount, paid)
    archived = v3 == "paid" and (ctx.today - spec.create).days > 540 and rng.random() < 0.03
    po = client.seed.po_prefix
    return {
        "id": spec.id, "invoiceid": spec.id, "accountid": ctx.account_id,
        "accounting_systemid": ctx.account_id, "customerid": client.id,
        "invoice_number": spec.number, "create_date": spec.create.isoformat(),
        "created_at": created, "due_offset_days": client.seed.terms,
        "due_date": spec.due.isoformat(),
        "date_paid": last_paid.isoformat() if last_paid and v3 == "paid" else None,
        "updated": eastern_stamp(rng, last_paid) if last_paid else created,
        "currency_code": currency, "language": client.wire["language"],
        "amount": money(amount, currency), "paid": money(paid, currency),
        "outstanding": money(amount - paid, currency),
        "discount_value": spec.discount, "discount_total": money(discount_total, currency),
        "deposit_amount": None, "deposit_percentage": None, "deposit_status": "none",
        "status": status, "v3_status": v3, "payment_status": payment_status,
        "display_status": display, "autobill_status": None, "auto_bill": False,
        "dispute_status": None, "estimateid": spec.estimate.id if spec.estimate else 0,
        "parent": 0, "ownerid": owner, "sentid": 0 if spec.draft else owner,
        "template": "clean-grouped", "notes": _invoice_notes(rng, spec),
        "terms": _terms_text(ctx, client.seed.terms),
        "po_number": f"{po}{rng.randint(1000, 9999)}" if po else None,
        "vat_name": client.wire["vat_name"], "vat_number": client.wire["vat_number"],
        **_address(client), "uuid": make_uuid(rng), "vis_state": 2 if archived else 0,
        "lines": lines,
    }  # fmt: skip


def _invoice_notes(rng: random.Random, spec: InvoiceSpec) -> str:
    if spec.kind == "hourly":
        return "Hours as logged; detailed time report available on request."
    if spec.kind == "retainer":
        return "Retainer billed in advance; unused hours do not roll over."
    return rng.choice(INVOICE_NOTES)


def _address(client: Client) -> dict[str, Any]:
    c = client.wire
    return {
        "fname": c["fname"], "lname": c["lname"], "organization": c["organization"],
        "current_organization": c["organization"] or f"{c['fname']} {c['lname']}",
        "email": c["email"], "street": c["p_street"], "street2": c["p_street2"],
        "city": c["p_city"], "province": c["p_province"], "code": c["p_code"],
        "country": c["p_country"], "address": "",
    }  # fmt: skip


def _settle_rebilled_expenses(
    ctx: Ctx, rng: random.Random, invoices: list[InvoiceSpec], totals: list[Decimal]
) -> None:
    """Expense status follows its invoice: 2 invoiced, 4 recouped once the invoice is paid."""
    for spec, total in zip(invoices, totals, strict=True):
        paid = sum((amount for _, amount in spec.payments), ZERO)
        for line in spec.lines:
            if line.expense is not None:
                line.expense["invoiceid"] = spec.id
                line.expense["status"] = 4 if spec.payments and paid >= total else 2
                line.expense["updated"] = eastern_stamp(rng, spec.payments[-1][0] if
                                                        spec.payments else spec.create)  # fmt: skip


def _count_project_billing(invoices: list[InvoiceSpec]) -> None:
    for spec in invoices:
        for line in spec.lines:
            if line.project is not None:
                line.project.billed += cents(line.qty * line.unit_cost)


# -- estimates ----------------------------------------------------------------------------------
def _open_estimates(ctx: Ctx, rng: random.Random, parties: Parties) -> list[EstimateSpec]:
    """Quotes that are not (yet) projects: pending, accepted, a draft, and a few lost ones."""
    quoted = sum(c.seed.work == "fixed" for c in parties.clients)
    scale = max(1, ctx.scale.invoices // 60)
    current = [
        c
        for c in parties.clients
        if c.active(ctx.today - dt.timedelta(60), ctx.today) and not c.seed.archived
    ]
    plans = ([(2, 1, 25)] * (scale + 1) + [(3, 1, 25)] * scale + [(5, 3, 30)] * max(1, scale // 2)
             + [(1, 0, 4)] + [(2, 90, 900)] * max(1, scale // 2 + quoted // 4))  # fmt: skip
    out = []
    for status, lo, hi in plans:
        day = ctx.today - dt.timedelta(days=rng.randint(lo, hi))
        pool = current if hi < 90 else [c for c in parties.clients if c.active(day, day)]
        if not pool or day < ctx.start:
            continue
        client = rng.choices(pool, [c.seed.weight for c in pool])[0]
        title, low, high = rng.choice(ctx.biz.fixed_titles)
        step = 100 if ctx.biz.key == "consulting" else 50
        price = convert(ctx, Decimal(round(rng.randint(low, high) / step) * step),
                        client.seed.currency, step)  # fmt: skip
        lines = phase_lines(ctx, price, client)
        out.append(EstimateSpec(client, day, lines, status, client.seed.discount, title))
    return out


def _estimate_wire(
    ctx: Ctx, rng: random.Random, spec: EstimateSpec, catalog: Catalog
) -> dict[str, Any]:
    client, currency = spec.client, spec.client.seed.currency
    created = eastern_stamp(rng, spec.create)
    lines = _line_wires(ctx, spec.lines, currency, catalog, {}, created)
    _, discount_total, _, amount = invoice_totals(lines, spec.discount)
    label = {1: "draft", 2: "sent", 3: "viewed", 5: "accepted", 6: "invoiced"}[spec.status]
    lost = spec.status in (2, 3) and (ctx.today - spec.create).days > 365
    return {
        "id": spec.id, "estimateid": spec.id, "accountid": ctx.account_id,
        "accounting_systemid": ctx.account_id, "customerid": client.id,
        "estimate_number": spec.number, "create_date": spec.create.isoformat(),
        "created_at": created, "updated": created, "currency_code": currency,
        "language": client.wire["language"], "description": spec.title,
        "amount": money(amount, currency), "discount_value": spec.discount,
        "discount_total": money(discount_total, currency),
        "status": spec.status, "ui_status": label, "display_status": label,
        "accepted": spec.status in (5, 6), "invoiced": spec.status == 6,
        "notes": f"Quote for {spec.title.lower()}. Valid for 30 days.",
        "terms": "50% deposit on acceptance, balance on delivery.", "po_number": None,
        "template": "clean-grouped", **_address(client), "uuid": make_uuid(rng),
        "vis_state": 2 if lost and rng.random() < 0.5 else 0, "lines": lines,
    }  # fmt: skip
