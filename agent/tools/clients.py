"""Client tools: search, get, find by name, create and update."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, Self

from pydantic import Field, model_validator

from agent.queries import ClientQuery
from agent.results import rows_result, totals_by_currency
from agent.tool import FoundRecord, ProposedChange, Tool, ToolContext
from fbclient.models.clients import Client, ClientInput

from ._args import (
    Args,
    CurrencyCode,
    Email,
    Note,
    RecordId,
    ShortText,
    UpdateArgs,
    changed_fields,
)
from ._cards import change_rows, display, read_back, record_ids, written, written_id
from ._lookup import (
    LIST_PAGES,
    client_search_names,
    find_by_name,
    match_payload,
)
from ._recent import FOUND_PAGE, first_day, made_since, same_text
from ._rows import client_row, text

__all__ = ["TOOLS"]

BALANCES = ("outstanding_balance", "overdue_balance")
LABELS = {
    "organization": "Organization",
    "fname": "First name",
    "lname": "Last name",
    "email": "Email",
    "currency_code": "Currency",
    "bus_phone": "Phone",
    "p_street": "Street",
    "p_city": "City",
    "p_province": "Province/state",
    "p_code": "Postal code",
    "p_country": "Country",
    "note": "Private note",
}


def client_detail(client: Client) -> dict[str, Any]:
    """A client with contact details and balances (text fields are data)."""
    address = ", ".join(
        p for p in (client.p_street, client.p_city, client.p_province, client.p_code) if p
    )
    return {
        **client_row(client),
        **{
            k: v
            for k, v in {
                "phone": client.bus_phone or client.mob_phone,
                "address": text(address, 200) or None,
                "country": client.p_country,
                "note": text(client.note, 300),
            }.items()
            if v
        },
    }


# --- search_clients ---------------------------------------------------------------------


class SearchClientsArgs(Args):
    """Filters for a client search."""

    query: ShortText | None = Field(
        default=None,
        description="Part of the client's name, organization or email; null for every client",
    )
    balance: Literal["outstanding", "overdue"] | None = Field(
        default=None,
        description="Only clients who owe money (outstanding) or are overdue; null for all",
    )


def search_clients(ctx: ToolContext, args: SearchClientsArgs) -> dict[str, Any]:
    """Clients matching the filters, by name, with what each owes per currency."""
    search: dict[str, Any] = {}
    if args.query:
        search["email_like" if "@" in args.query else "user_like"] = args.query.strip()
    found = ctx.reads.clients(
        ClientQuery(pages=LIST_PAGES, has=args.balance, balances=BALANCES, **search)
    )
    clients = sorted(found, key=lambda c: c.display_name.casefold())
    owed = [(m.code, m.amount) for c in clients for m in c.outstanding_balance]
    overdue = [(m.code, m.amount) for c in clients for m in c.overdue_balance]
    return rows_result(
        [client_row(c) for c in clients],
        totals={"outstanding": totals_by_currency(owed), "overdue": totals_by_currency(overdue)},
    )


# --- get_client -------------------------------------------------------------------------


class GetClientArgs(Args):
    """Which client."""

    client_id: RecordId = Field(description="FreshBooks id of the client")


def get_client(ctx: ToolContext, args: GetClientArgs) -> dict[str, Any]:
    """One client with contact details and balances."""
    client = ctx.reads.client(args.client_id)
    detail = client_detail(client)
    if client.draft_balance:
        detail["draft"] = [
            {"amount": format(m.amount, "f"), "currency": m.code} for m in client.draft_balance
        ]
    return {"client": detail}


# --- find_client ------------------------------------------------------------------------


class FindClientArgs(Args):
    """A name to look up."""

    name: ShortText = Field(description="The client's name, organization or email as said")


def find_client(ctx: ToolContext, args: FindClientArgs) -> dict[str, Any]:
    """The client called ``name``; several candidates when the name is ambiguous."""
    clients = ctx.reads.clients(ClientQuery(pages=LIST_PAGES))
    match = find_by_name(args.name, clients, client_search_names)
    return match_payload(match, [client_row(c) for c in match.matches], "client")


# --- create_client ----------------------------------------------------------------------


class ClientFields(Args):
    """Client fields; null leaves a field out (create) or unchanged (update)."""

    organization: ShortText | None = Field(default=None, description="Company name")
    fname: ShortText | None = Field(default=None, description="Contact's first name")
    lname: ShortText | None = Field(default=None, description="Contact's last name")
    email: Email | None = Field(default=None, description="Contact's email address")
    currency_code: CurrencyCode | None = Field(
        default=None, description="Currency the client is billed in, ISO 4217 such as USD"
    )
    bus_phone: ShortText | None = Field(default=None, description="Phone number")
    p_street: ShortText | None = Field(default=None, description="Billing street address")
    p_city: ShortText | None = Field(default=None, description="Billing city")
    p_province: ShortText | None = Field(default=None, description="Billing province or state")
    p_code: ShortText | None = Field(default=None, description="Billing postal code")
    p_country: ShortText | None = Field(default=None, description="Billing country")
    note: Note | None = Field(default=None, description="Private note about the client")


class CreateClientArgs(ClientFields):
    """A new client: at least a name, organization or email."""

    @model_validator(mode="after")
    def _named(self) -> Self:
        if not (self.organization or self.fname or self.lname or self.email):
            raise ValueError("a client needs an organization, a first or last name, or an email")
        return self


def _new_client_name(args: ClientFields) -> str:
    person = " ".join(p for p in (args.fname, args.lname) if p)
    return args.organization or person or args.email or "new client"


def propose_create_client(ctx: ToolContext, args: CreateClientArgs) -> ProposedChange:
    """The card: every field of the new client; a warning if a similar client exists."""
    values = changed_fields(args, set())
    warnings = []
    if args.email:
        same = ctx.books.clients.list_page(1, 5, {"email": args.email}).items
        if same:
            warnings.append(
                f"A client with this email already exists: {same[0].display_name} "
                f"(id {same[0].id})."
            )
    name = _new_client_name(args)
    clients = ctx.books.clients.list(max_pages=LIST_PAGES)
    match = find_by_name(name, clients, client_search_names)
    if match.exact:
        twin = match.matches[0]
        warnings.append(f"A client named {twin.display_name} already exists (id {twin.id}).")
    if not args.currency_code:
        warnings.append("No currency given: FreshBooks will use the business's default.")
    return ProposedChange(
        title=f"Create client {name}",
        fields=[(LABELS[k], display(v)) for k, v in values.items()],
        client=name,
        warnings=warnings,
    )


def create_client(ctx: ToolContext, args: CreateClientArgs) -> dict[str, Any]:
    """Create the client, then read it back."""
    created = ctx.books.clients.create(ClientInput(**changed_fields(args, set())))
    client = read_back(lambda: ctx.books.clients.get(created.id), created)
    return written("created client", record_ids(client=client.id), client=client_detail(client))


def find_created_client(
    ctx: ToolContext, args: CreateClientArgs, since: datetime
) -> list[FoundRecord]:
    """Clients changed since ``since`` with the new client's email and names."""
    if args.email:
        search: dict[str, Any] = {"email": args.email}
    else:
        search = {"user_like": args.organization or args.lname or args.fname}
    search["updated_min"] = first_day(since)
    page = ctx.books.clients.list_page(1, FOUND_PAGE, search)
    return [
        FoundRecord(
            "client",
            client.id,
            f"client {client.display_name}" + (f" <{client.email}>" if client.email else ""),
        )
        for client in page.items
        if all(
            same_text(getattr(args, name), getattr(client, name))
            for name in ("organization", "fname", "lname", "email")
        )
        and made_since(since, client.updated, client.signup_date)
    ]


def undo_create_client(ctx: ToolContext, result: dict[str, Any]) -> dict[str, Any]:
    """Delete the created client (FreshBooks keeps it restorable)."""
    client_id = written_id(result, "client")
    ctx.books.clients.delete(client_id)
    return written("deleted client", record_ids(client=client_id))


# --- update_client ----------------------------------------------------------------------


class UpdateClientArgs(ClientFields, UpdateArgs):
    """Which client and the fields to change."""

    id_field = "client_id"

    client_id: RecordId = Field(description="FreshBooks id of the client to change")


def propose_update_client(ctx: ToolContext, args: UpdateClientArgs) -> ProposedChange:
    """The card: each changed field, old value → new value."""
    current = ctx.books.clients.get(args.client_id)
    changes = changed_fields(args, {"client_id"})
    warnings = []
    if "currency_code" in changes and changes["currency_code"] != current.currency_code:
        warnings.append("Existing invoices keep their currency; only new ones use the new one.")
    if current.vis_state == 2:
        warnings.append("This client is archived.")
    return ProposedChange(
        title=f"Update client {current.display_name}",
        fields=change_rows(current.model_dump(), changes, LABELS),
        client=current.display_name,
        warnings=warnings,
    )


def update_client(ctx: ToolContext, args: UpdateClientArgs) -> dict[str, Any]:
    """Change the fields, then read the client back."""
    changes = changed_fields(args, {"client_id"})
    ctx.books.clients.update(args.client_id, ClientInput(**changes))
    client = ctx.books.clients.get(args.client_id)
    return written(
        "updated client",
        record_ids(client=client.id),
        changed=sorted(changes),
        client=client_detail(client),
    )


TOOLS: list[Tool[Any]] = [
    Tool(
        name="search_clients",
        description=(
            "Search clients by name, organization or email; optionally only those who owe "
            "money. Returns at most 25 clients with their outstanding and overdue balances "
            "per currency."
        ),
        args=SearchClientsArgs,
        handler=search_clients,
    ),
    Tool(
        name="get_client",
        description="One client's contact details, currency and balances per currency.",
        args=GetClientArgs,
        handler=get_client,
    ),
    Tool(
        name="find_client",
        description=(
            "Find a client by the name the user said. Returns the client when exactly one "
            "matches, or candidates when several match: then ask the user which one."
        ),
        args=FindClientArgs,
        handler=find_client,
    ),
    Tool(
        name="create_client",
        description=(
            "Create a client. Needs an organization, a name or an email. The user confirms "
            "before anything is created."
        ),
        args=CreateClientArgs,
        handler=create_client,
        permission="write",
        propose=propose_create_client,
        undo=undo_create_client,
        find_created=find_created_client,
    ),
    Tool(
        name="update_client",
        description=(
            "Change a client's details; fields left null stay unchanged. The user confirms first."
        ),
        args=UpdateClientArgs,
        handler=update_client,
        permission="write",
        idempotent=True,
        propose=propose_update_client,
    ),
]
