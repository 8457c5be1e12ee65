"""Recurring invoice tools (FreshBooks invoice profiles): search, create, update, stop.

Each write's card shows the client, the amount of each invoice with its currency, how often
and the next date; nothing changes before the user confirms. Stopping sets the profile's
``disable`` flag (FreshBooks' field; that it is the way to stop one is unverified [?]): the
profile and the invoices it made stay, and undo starts it again.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from agent.results import rows_result
from agent.tool import FoundRecord, ProposedChange, Tool, ToolContext
from fbclient.models.frequency import Frequency
from fbclient.models.invoice_profiles import (
    InvoiceProfile,
    InvoiceProfileInput,
    InvoiceProfileUpdate,
)

from ._args import Args, CurrencyCode, LongText, RecordId, ShortText, UpdateArgs, changed_fields
from ._cards import change_rows, display, read_back, record_ids, written, written_id
from ._recent import FOUND_PAGE, made_since
from ._rows import money_text
from .invoices import LineArgs, line_card_rows, line_inputs, total_rows

__all__ = ["TOOLS"]

FrequencyCode = Literal["w", "2w", "4w", "m", "2m", "3m", "6m", "y", "2y"]
FREQUENCY_TEXT = (
    "How often: w weekly, 2w every 2 weeks, 4w every 4 weeks, m monthly, 2m every 2 months, "
    "3m quarterly, 6m every 6 months, y yearly, 2y every 2 years"
)
StateFilter = Literal["active", "stopped", "finished", "all"]


def _label(code: str | None) -> str:
    schedule = Frequency.parse(code)
    return schedule.label if schedule is not None else display(code)


def _amount(profile: InvoiceProfile) -> str:
    currency = profile.currency or "USD"
    value = profile.amount.amount if profile.amount is not None else Decimal(0)
    return money_text(value, currency)


def profile_row(profile: InvoiceProfile) -> dict[str, Any]:
    """A profile as the model reads it: client, amount, frequency, next date, state."""
    monthly = profile.monthly_amount()
    return {
        "id": profile.id,
        "client": profile.client_name,
        "client_id": profile.customerid,
        "what": profile.lines[0].name if profile.lines else None,
        "amount": _amount(profile),
        "frequency": _label(profile.frequency),
        "per_month": money_text(monthly, profile.currency or "USD") if monthly else None,
        "next_date": display(profile.next_date),
        "state": profile.state,
        "issued": profile.issued,
        "remaining": "no end" if profile.remaining is None else profile.remaining,
    }


def _profiles(ctx: ToolContext) -> list[InvoiceProfile]:
    """Every profile: from the app's mirror when it has one, else from FreshBooks."""
    if ctx.snapshot is not None:
        return list(ctx.snapshot().invoice_profiles)
    return list(ctx.books.invoice_profiles.list())


# --- search_recurring_invoices ------------------------------------------------------------


class SearchRecurringArgs(Args):
    """Filters for recurring invoices."""

    client_id: RecordId | None = Field(default=None, description="Only this client's")
    state: StateFilter | None = Field(
        default=None, description="active (makes more invoices), stopped, finished; null: all"
    )
    currency_code: CurrencyCode | None = Field(default=None, description="Only this currency")


def search_recurring(ctx: ToolContext, args: SearchRecurringArgs) -> dict[str, Any]:
    """Matching profiles (active first, soonest next date first) with monthly recurring
    revenue per currency over the active ones."""
    found = [
        p
        for p in _profiles(ctx)
        if p.vis_state != 1
        and (args.client_id is None or p.customerid == args.client_id)
        and (args.state in (None, "all") or p.state == args.state)
        and (args.currency_code is None or p.currency == args.currency_code)
    ]
    found.sort(key=lambda p: (not p.is_active, p.next_date or date.max, p.id))
    mrr: dict[str, Decimal] = {}
    for profile in found:
        monthly = profile.monthly_amount() if profile.is_active else None
        if monthly is not None and profile.currency:
            mrr[profile.currency] = mrr.get(profile.currency, Decimal(0)) + monthly
    return rows_result(
        [profile_row(p) for p in found],
        totals={"monthly_recurring_revenue": {c: money_text(v, c) for c, v in mrr.items()}},
    )


# --- create_recurring_invoice -------------------------------------------------------------


class CreateRecurringArgs(Args):
    """A new recurring invoice for one client."""

    client_id: RecordId = Field(description="FreshBooks id of the client billed")
    currency_code: CurrencyCode | None = Field(
        default=None, description="Currency, ISO 4217; null for the client's currency"
    )
    lines: list[LineArgs] = Field(min_length=1, max_length=50, description="Each invoice's lines")
    frequency: FrequencyCode = Field(description=FREQUENCY_TEXT)
    first_date: date | None = Field(
        default=None, description="Date of the first invoice, YYYY-MM-DD; null for today"
    )
    occurrences: int | None = Field(
        default=None, ge=1, le=1000, description="How many invoices in all; null for no end"
    )
    send_email: bool | None = Field(
        default=None, description="Email each invoice to the client when made; null: drafts"
    )
    due_offset_days: int | None = Field(
        default=None, ge=0, le=365, description="Days after each invoice's date it is due"
    )
    notes: LongText | None = Field(default=None, description="Notes printed on each invoice")


def _plan(ctx: ToolContext, args: CreateRecurringArgs) -> tuple[str, str, date, list[str]]:
    """(client name, currency, first date, warnings) of a new profile."""
    client = ctx.books.clients.get(args.client_id)
    client_currency = (client.currency_code or "").upper() or None
    currency = args.currency_code or client_currency
    if currency is None:
        raise ValueError(f"{client.display_name} has no currency set; give currency_code")
    warnings = []
    if client_currency and currency != client_currency:
        warnings.append(f"{client.display_name} is billed in {client_currency}, not {currency}.")
    if client.vis_state == 2:
        warnings.append(f"{client.display_name} is archived.")
    first = args.first_date or ctx.today
    if first < ctx.today:
        warnings.append(
            f"The first date {first} is past: FreshBooks may make the invoices due since then."
        )
    return client.display_name, currency, first, warnings


def propose_create_recurring(ctx: ToolContext, args: CreateRecurringArgs) -> ProposedChange:
    """The card: client, amount with currency, frequency, first dates, lines, end."""
    name, currency, first, warnings = _plan(ctx, args)
    totals, total = total_rows(args.lines, currency)
    schedule = Frequency.parse(args.frequency)
    assert schedule is not None  # the Literal allows only readable codes
    upcoming = schedule.dates(first, min(3, args.occurrences or 3))
    fields = [
        ("Client", f"{name} (id {args.client_id})"),
        ("Amount of each invoice", money_text(total, currency)),
        ("Frequency", schedule.label),
        ("Next date", first.isoformat()),
        ("Then", ", ".join(d.isoformat() for d in upcoming[1:]) or "—"),
        ("Invoices in all", str(args.occurrences) if args.occurrences else "no end"),
        ("Each invoice", "emailed to the client" if args.send_email else "saved as a draft"),
        *line_card_rows(args.lines, currency),
        *totals,
    ]
    if args.notes:
        fields.append(("Notes", args.notes))
    if total == 0:
        warnings.append("Each invoice's total is zero.")
    return ProposedChange(
        title=f"Create a recurring invoice for {name}: {money_text(total, currency)}, "
        f"{schedule.label.lower()}",
        fields=fields,
        client=name,
        amounts=[money_text(total, currency)],
        warnings=warnings,
    )


def create_recurring(ctx: ToolContext, args: CreateRecurringArgs) -> dict[str, Any]:
    """Create the profile, then read it back."""
    _, currency, first, _ = _plan(ctx, args)
    data = InvoiceProfileInput(
        customerid=args.client_id,
        create_date=first,
        frequency=args.frequency,
        currency_code=currency,
        numberRecurring=args.occurrences or 0,
        lines=line_inputs(args.lines, currency),
        **changed_fields(
            args, {"client_id", "currency_code", "lines", "frequency", "first_date", "occurrences"}
        ),
    )
    created = ctx.books.invoice_profiles.create(data)
    profile = read_back(lambda: ctx.books.invoice_profiles.get(created.id), created)
    return written(
        "created recurring invoice",
        record_ids(invoice_profile=profile.id),
        profile=profile_row(profile),
    )


def find_created_recurring(
    ctx: ToolContext, args: CreateRecurringArgs, since: datetime
) -> list[FoundRecord]:
    """The client's profiles with the same frequency made since ``since``."""
    page = ctx.books.invoice_profiles.list_page(1, FOUND_PAGE, customerid=args.client_id)
    found = [
        p
        for p in page.items
        if p.customerid in (None, args.client_id)
        and p.frequency == args.frequency
        and made_since(since, p.updated)
    ]
    found.sort(key=lambda p: p.id, reverse=True)
    return [
        FoundRecord(
            "invoice_profile",
            p.id,
            f"recurring invoice for {p.client_name}, {_amount(p)}, {_label(p.frequency).lower()}",
        )
        for p in found
    ]


def undo_create_recurring(ctx: ToolContext, result: dict[str, Any]) -> dict[str, Any]:
    """Delete the profile made (vis_state 1); the invoices it made already stay."""
    key = written_id(result, "invoice_profile")
    ctx.books.invoice_profiles.delete(key)
    return written("deleted recurring invoice", record_ids(invoice_profile=key))


# --- update_recurring_invoice -------------------------------------------------------------

UPDATE_LABELS = {
    "frequency": "Frequency",
    "create_date": "Next date",
    "numberRecurring": "Invoices in all",
    "send_email": "Email each invoice",
    "due_offset_days": "Due (days after date)",
    "notes": "Notes",
    "po_number": "PO number",
}


class UpdateRecurringArgs(UpdateArgs):
    """Which recurring invoice and what to change; null leaves a field unchanged."""

    id_field = "profile_id"

    profile_id: RecordId = Field(description="FreshBooks id of the recurring invoice")
    frequency: FrequencyCode | None = Field(default=None, description=FREQUENCY_TEXT)
    next_date: date | None = Field(default=None, description="New date of the next invoice")
    occurrences: int | None = Field(
        default=None, ge=0, le=1000, description="Invoices in all (0: no end)"
    )
    send_email: bool | None = Field(default=None, description="Email each invoice when made")
    due_offset_days: int | None = Field(
        default=None, ge=0, le=365, description="Days after each invoice's date it is due"
    )
    notes: LongText | None = Field(default=None, description="New notes on each invoice")
    po_number: ShortText | None = Field(default=None, description="New client PO number")
    lines: list[LineArgs] | None = Field(
        default=None, min_length=1, max_length=50, description="Replacement for all lines"
    )


def _changes(args: UpdateRecurringArgs) -> dict[str, Any]:
    changes = changed_fields(args, {"profile_id", "lines", "next_date", "occurrences"})
    if args.next_date is not None:
        changes["create_date"] = args.next_date
    if args.occurrences is not None:
        changes["numberRecurring"] = args.occurrences
    return changes


def propose_update_recurring(ctx: ToolContext, args: UpdateRecurringArgs) -> ProposedChange:
    """The card: the profile (client, amount, frequency, next date), then old → new."""
    profile = ctx.books.invoice_profiles.get(args.profile_id)
    currency = profile.currency or "USD"
    changes = _changes(args)
    current = {**profile.model_dump(), "frequency": _label(profile.frequency)}
    shown = {**changes}
    if "frequency" in shown:
        shown["frequency"] = _label(shown["frequency"])
    fields = [
        ("Recurring invoice", f"{profile.client_name} (id {profile.id})"),
        ("Amount of each invoice", _amount(profile)),
        ("Frequency", _label(profile.frequency)),
        ("Next date", display(profile.next_date)),
        *change_rows(current, shown, UPDATE_LABELS),
    ]
    amounts = [_amount(profile)]
    warnings = []
    if args.lines is not None:
        fields += line_card_rows(args.lines, currency)
        _, total = total_rows(args.lines, currency)
        fields.append(
            ("New amount of each invoice", f"{_amount(profile)} → {money_text(total, currency)}")
        )
        amounts = [money_text(total, currency)]
        warnings.append(f"The {len(profile.lines)} current lines are replaced by these.")
    if not profile.is_active:
        warnings.append(
            f"This recurring invoice is {profile.state}: the change does not restart it."
        )
    return ProposedChange(
        title=f"Update the recurring invoice for {profile.client_name}",
        fields=fields,
        client=profile.client_name,
        amounts=amounts,
        warnings=warnings,
    )


def update_recurring(ctx: ToolContext, args: UpdateRecurringArgs) -> dict[str, Any]:
    """Change the profile, then read it back."""
    profile = ctx.books.invoice_profiles.get(args.profile_id)
    changes = _changes(args)
    if args.lines is not None:
        changes["lines"] = line_inputs(args.lines, profile.currency or "USD")
    ctx.books.invoice_profiles.update(args.profile_id, InvoiceProfileUpdate(**changes))
    after = ctx.books.invoice_profiles.get(args.profile_id)
    return written(
        "updated recurring invoice",
        record_ids(invoice_profile=after.id),
        changed=sorted(changes),
        profile=profile_row(after),
    )


# --- stop_recurring_invoice ---------------------------------------------------------------


class StopRecurringArgs(Args):
    """Which recurring invoice to stop."""

    profile_id: RecordId = Field(description="FreshBooks id of the recurring invoice")


def propose_stop_recurring(ctx: ToolContext, args: StopRecurringArgs) -> ProposedChange:
    """The card: client, amount, frequency and the next date that will not come."""
    profile = ctx.books.invoice_profiles.get(args.profile_id)
    warnings = [] if profile.is_active else [f"It is already {profile.state}."]
    return ProposedChange(
        title=f"Stop the recurring invoice for {profile.client_name}",
        fields=[
            ("Recurring invoice", f"{profile.client_name} (id {profile.id})"),
            ("Amount of each invoice", _amount(profile)),
            ("Frequency", _label(profile.frequency)),
            ("Next date", f"{display(profile.next_date)} → no more invoices"),
            ("Invoices made so far", str(profile.issued)),
        ],
        client=profile.client_name,
        amounts=[_amount(profile)],
        warnings=warnings,
    )


def stop_recurring(ctx: ToolContext, args: StopRecurringArgs) -> dict[str, Any]:
    """Stop the profile (it and its invoices are kept), then read it back."""
    ctx.books.invoice_profiles.stop(args.profile_id)
    after = ctx.books.invoice_profiles.get(args.profile_id)
    return written(
        "stopped recurring invoice",
        record_ids(invoice_profile=after.id),
        profile=profile_row(after),
    )


def undo_stop_recurring(ctx: ToolContext, result: dict[str, Any]) -> dict[str, Any]:
    """Start the stopped profile again."""
    key = written_id(result, "invoice_profile")
    ctx.books.invoice_profiles.resume(key)
    return written("resumed recurring invoice", record_ids(invoice_profile=key))


TOOLS: list[Tool[Any]] = [
    Tool(
        name="search_recurring_invoices",
        description=(
            "List recurring invoices (FreshBooks invoice profiles) by client, state or currency: "
            "amount, frequency, next date, with monthly recurring revenue per currency."
        ),
        args=SearchRecurringArgs,
        handler=search_recurring,
    ),
    Tool(
        name="create_recurring_invoice",
        description=(
            "Set up a recurring invoice for a client: lines, how often, first date, how many. "
            "The user confirms first."
        ),
        args=CreateRecurringArgs,
        handler=create_recurring,
        permission="write",
        propose=propose_create_recurring,
        undo=undo_create_recurring,
        find_created=find_created_recurring,
    ),
    Tool(
        name="update_recurring_invoice",
        description=(
            "Change a recurring invoice's frequency, next date, count, emailing, due days, "
            "notes or lines; null fields stay unchanged. The user confirms first."
        ),
        args=UpdateRecurringArgs,
        handler=update_recurring,
        permission="write",
        propose=propose_update_recurring,
    ),
    Tool(
        name="stop_recurring_invoice",
        description=(
            "Stop a recurring invoice: no more invoices are made from it; it and its invoices "
            "are kept. The user confirms first."
        ),
        args=StopRecurringArgs,
        handler=stop_recurring,
        permission="write",
        propose=propose_stop_recurring,
        undo=undo_stop_recurring,
    ),
]
