"""Workflow: invoice a client's unbilled time, then mark exactly those entries billed.

One draft invoice gets a line per project and service: hours × the rate FreshBooks would bill
(see :mod:`insights.rates`). When any of the time has no known rate the tool refuses, naming
the hours concerned, rather than guess a price.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import Field

from agent.tool import FoundRecord, ProposedChange, Tool, ToolContext
from fbclient import Money
from fbclient.models.clients import Client
from fbclient.models.invoices import InvoiceInput, InvoiceLineInput
from fbclient.models.projects import Project
from fbclient.models.time_entries import TimeEntry
from insights.rates import hourly_rate

from ._args import LongText, PeriodArgs, RecordId, today_of
from ._cards import read_back, record_ids, written, written_id
from ._lookup import LIST_PAGES, service_names, service_rates
from ._rows import hours_text, money_text, seconds_to_hours, text
from .dates import day_window, local_day
from .invoices import invoice_detail, invoices_made

__all__ = ["TOOLS", "UnbilledPlan", "plan_unbilled"]

CENT = Decimal("0.01")


@dataclass
class UnbilledLine:
    """The entries of one project and service, and what they bill to."""

    name: str
    description: str
    seconds: int
    rate: Decimal | None
    rate_source: str
    entries: list[TimeEntry] = field(default_factory=list)

    @property
    def qty(self) -> Decimal:
        """Hours on the invoice line (two places)."""
        return seconds_to_hours(self.seconds)

    @property
    def amount(self) -> Decimal:
        """qty × rate to the cent (0 when the rate is unknown)."""
        return (self.qty * (self.rate or 0)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class UnbilledPlan:
    """The invoice the unbilled time makes, and the entries it bills."""

    client: Client
    currency: str
    first: date
    last: date
    lines: list[UnbilledLine]

    @property
    def entry_ids(self) -> list[int]:
        """Every entry the invoice bills, in line order."""
        return [e.id for line in self.lines for e in line.entries]

    @property
    def seconds(self) -> int:
        """All the time billed."""
        return sum(line.seconds for line in self.lines)

    @property
    def total(self) -> Decimal:
        """The invoice total (no taxes are added)."""
        return sum((line.amount for line in self.lines), Decimal(0))


class InvoiceUnbilledArgs(PeriodArgs):
    """Whose unbilled time to invoice, and which days (null dates mean up to today)."""

    client_id: RecordId = Field(description="FreshBooks id of the client to invoice")
    project_id: RecordId | None = Field(
        default=None, description="Only this project's time, or null for all the client's time"
    )
    due_offset_days: int | None = Field(
        default=None, ge=0, le=365, description="Days after today the invoice is due, or null"
    )
    notes: LongText | None = Field(default=None, description="Notes printed on the invoice")


def _client_entries(
    entries: Iterable[TimeEntry], client_id: int, projects: dict[int, Project]
) -> list[TimeEntry]:
    def owner(entry: TimeEntry) -> int | None:
        project = projects.get(entry.project_id or 0)
        return entry.client_id or (project.client_id if project else None)

    return [
        e
        for e in entries
        if e.active and e.is_logged and e.duration and e.started_at and owner(e) == client_id
    ]


def _span_text(count: int, first: date, last: date) -> str:
    """E.g. "3 time entries, 2026-11-02 to 2026-11-20"; a single day is shown once."""
    entries = "1 time entry" if count == 1 else f"{count} time entries"
    return f"{entries}, {first}" if first == last else f"{entries}, {first} to {last}"


def _group(
    ctx: ToolContext, entries: list[TimeEntry], projects: dict[int, Project]
) -> list[UnbilledLine]:
    rates = service_rates(ctx)
    services = service_names(ctx)
    tz = ctx.business.timezone
    groups: dict[tuple[int, int], list[TimeEntry]] = {}
    for entry in sorted(entries, key=lambda e: (e.started_at, e.id)):
        groups.setdefault((entry.project_id or 0, entry.service_id or 0), []).append(entry)
    lines = []
    for (project_id, service_id), group in groups.items():
        project = projects.get(project_id)
        rate = hourly_rate(project, service_id or None, rates)
        title = project.title if project and project.title else "Time"
        service = services.get(service_id)
        days = [d for d in (local_day(e.started_at, tz) for e in group) if d]
        lines.append(
            UnbilledLine(
                name=f"{title} — {service}" if service else title,
                description=_span_text(len(group), min(days), max(days)),
                seconds=sum(e.duration or 0 for e in group),
                rate=rate.rate,
                rate_source=rate.source,
                entries=group,
            )
        )
    return lines


def plan_unbilled(ctx: ToolContext, args: InvoiceUnbilledArgs) -> UnbilledPlan:
    """The invoice to make; a clear ValueError when there is nothing to bill or no rate."""
    client = ctx.books.clients.get(args.client_id)
    if not client.currency_code:
        raise ValueError(f"{client.display_name} has no currency set: set one first")
    today = today_of(ctx)
    start, end = args.bounds(ctx)
    end = min(end or today, today)
    window = day_window(start or date(2000, 1, 1), end, ctx.business.timezone)
    projects = {p.id: p for p in ctx.books.projects.list(max_pages=LIST_PAGES)}
    found = ctx.books.time_entries.list(
        started_from=window[0] if start else None,
        started_to=window[1],
        billable=True,
        billed=False,
        team=True,
        max_pages=LIST_PAGES,
    )
    entries = [
        e
        for e in _client_entries(found, client.id, projects)
        if args.project_id is None or e.project_id == args.project_id
    ]
    if not entries:
        raise ValueError(
            f"{client.display_name} has no unbilled billable time"
            + (f" between {start} and {end}" if start else f" up to {end}")
            + (f" on project {args.project_id}" if args.project_id else "")
        )
    lines = _group(ctx, entries, projects)
    unpriced = [line for line in lines if line.rate is None]
    if unpriced:
        detail = "; ".join(
            f"{hours_text(line.seconds)} h on {text(line.name, 80)} ({line.rate_source})"
            for line in unpriced
        )
        raise ValueError(
            f"cannot invoice {client.display_name}'s time: no hourly rate is known for {detail}. "
            "Set a project or service rate, or create the invoice with explicit lines."
        )
    days = [local_day(e.started_at, ctx.business.timezone) or today for e in entries]
    return UnbilledPlan(client, client.currency_code.upper(), min(days), max(days), lines)


def _line_text(line: UnbilledLine, currency: str) -> str:
    return (
        f"{hours_text(line.seconds)} h × {money_text(line.rate or Decimal(0), currency)} = "
        f"{money_text(line.amount, currency)} ({line.description}, {line.rate_source})"
    )


def propose_invoice_unbilled(ctx: ToolContext, args: InvoiceUnbilledArgs) -> ProposedChange:
    """The card: client, days, entry count, hours, each line, total, then marking billed."""
    plan = plan_unbilled(ctx, args)
    name = plan.client.display_name
    fields = [
        ("Client", f"{name} (id {plan.client.id})"),
        ("Time worked", f"{plan.first} to {plan.last}"),
        ("Entries", str(len(plan.entry_ids))),
        ("Hours", hours_text(plan.seconds)),
    ]
    fields += [
        (f"Line: {text(line.name, 80)}", _line_text(line, plan.currency)) for line in plan.lines
    ]
    fields.append(("Total", money_text(plan.total, plan.currency)))
    fields.append(("Then", f"mark these {len(plan.entry_ids)} time entries as billed"))
    warnings = []
    if plan.client.vis_state == 2:
        warnings.append(f"{name} is archived.")
    if (today_of(ctx) - plan.first).days > 90:
        warnings.append(f"Some of this time is from {plan.first}, over 90 days ago.")
    return ProposedChange(
        title=f"Invoice {hours_text(plan.seconds)} h of unbilled time for {name}",
        fields=fields,
        client=name,
        amounts=[money_text(plan.total, plan.currency)],
        warnings=warnings,
    )


def invoice_unbilled_time(ctx: ToolContext, args: InvoiceUnbilledArgs) -> dict[str, Any]:
    """Create the draft invoice, mark exactly its entries billed, and read both back."""
    plan = plan_unbilled(ctx, args)
    optional: dict[str, Any] = {"due_offset_days": args.due_offset_days, "notes": args.notes}
    data = InvoiceInput(
        customerid=plan.client.id,
        create_date=today_of(ctx),
        currency_code=plan.currency,
        lines=[
            InvoiceLineInput(
                name=line.name[:200],
                description=line.description,
                qty=line.qty,
                unit_cost=Money.of(line.rate or 0, plan.currency),
            )
            for line in plan.lines
        ],
        **{k: v for k, v in optional.items() if v is not None},
    )
    created = ctx.books.invoices.create(data)
    marked = ctx.books.time_entries.mark_billed(plan.entry_ids)
    invoice = read_back(lambda: ctx.books.invoices.get(created.id), created)
    result = written(
        "invoiced unbilled time",
        record_ids(invoice=invoice.id, time_entry=[e.id for e in marked.updated]),
        invoice=invoice_detail(invoice, today_of(ctx)),
        entries_billed=len(marked.updated),
        hours=hours_text(plan.seconds),
    )
    if marked.failed:
        result["not_marked_billed"] = sorted(marked.failed)
        result["warning"] = (
            f"{len(marked.failed)} entries could not be marked billed; they are on the invoice "
            "but still show as unbilled."
        )
    return result


def find_created_unbilled(
    ctx: ToolContext, args: InvoiceUnbilledArgs, since: datetime
) -> list[FoundRecord]:
    """The client's invoices dated today and made since ``since``.

    The time entries are marked billed only after the invoice is confirmed: when one is found
    here, its entries may still show as unbilled.
    """
    return [
        FoundRecord(f.kind, f.id, f"{f.text} (its time may still show as unbilled)")
        for f in invoices_made(ctx, args.client_id, today_of(ctx), since, notes=args.notes)
    ]


def undo_invoice_unbilled(ctx: ToolContext, result: dict[str, Any]) -> dict[str, Any]:
    """Delete the invoice (unless paid since) and mark its entries unbilled again."""
    invoice_id = written_id(result, "invoice")
    entry_ids = result["record_ids"].get("time_entry", [])
    invoice = ctx.books.invoices.get(invoice_id, include=())
    if invoice.paid is not None and invoice.paid.amount > 0:
        raise ValueError(f"invoice {invoice.invoice_number} has payments; delete them first")
    ctx.books.invoices.delete(invoice_id)
    marked = ctx.books.time_entries.mark_billed(entry_ids, billed=False)
    return written(
        "deleted invoice and marked its time unbilled",
        record_ids(invoice=invoice_id, time_entry=[e.id for e in marked.updated]),
        not_restored=sorted(marked.failed) or None,
    )


TOOLS: list[Tool[Any]] = [
    Tool(
        name="invoice_unbilled_time",
        description=(
            "Invoice a client's unbilled billable time: one draft invoice with a line per "
            "project and service (hours × the known hourly rate), then those time entries are "
            "marked billed. Optionally only some days or one project. Refuses when a rate is "
            "unknown. The user confirms first."
        ),
        args=InvoiceUnbilledArgs,
        handler=invoice_unbilled_time,
        permission="write",
        propose=propose_invoice_unbilled,
        undo=undo_invoice_unbilled,
        find_created=find_created_unbilled,
    ),
]
