"""Expense tools: search, categories, create, update and archive."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import Field

from agent.queries import ExpenseQuery
from agent.results import rows_result
from agent.tool import FoundRecord, ProposedChange, Tool, ToolContext
from fbclient import Money
from fbclient.models.expenses import Expense, ExpenseInput, ExpenseUpdate

from ._args import (
    Amount,
    Args,
    CurrencyCode,
    Note,
    PeriodArgs,
    RecordId,
    ShortText,
    UpdateArgs,
    today_of,
)
from ._cards import display, read_back, record_ids, written, written_id
from ._lookup import LIST_PAGES, category_names, client_names
from ._recent import FOUND_PAGE, first_day, made_since, same_text
from ._rows import amount_totals, compact, expense_row, money_text, text

__all__ = ["TOOLS"]

TOP_CATEGORIES = 10


# --- search_expenses --------------------------------------------------------------------


class SearchExpensesArgs(PeriodArgs):
    """Filters for an expense search; the dates are expense dates."""

    category_id: RecordId | None = Field(default=None, description="Only this category")
    client_id: RecordId | None = Field(default=None, description="Only expenses for this client")
    project_id: RecordId | None = Field(default=None, description="Only this project's expenses")
    vendor: ShortText | None = Field(default=None, description="Part of the vendor's name")


def _by_category(expenses: list[Expense], names: dict[int, str]) -> list[dict[str, str]]:
    sums: dict[tuple[str, str], Decimal] = {}
    for e in expenses:
        if e.amount is None:
            continue
        key = (names.get(e.categoryid or 0, "Uncategorized"), e.amount.code)
        sums[key] = sums.get(key, Decimal(0)) + e.amount.amount
    top = sorted(sums.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_CATEGORIES]
    return [{"category": c, "amount": format(a, "f"), "currency": cur} for (c, cur), a in top]


def search_expenses(ctx: ToolContext, args: SearchExpensesArgs) -> dict[str, Any]:
    """Matching expenses, newest first, with totals per currency and the top categories."""
    start, end = args.bounds(ctx)
    found = ctx.reads.expenses(
        ExpenseQuery(
            pages=LIST_PAGES,
            categoryid=args.category_id,
            clientid=args.client_id,
            projectid=args.project_id,
            vendor_like=args.vendor,
            date_min=start,
            date_max=end,
        )
    )
    expenses = sorted(
        (e for e in found if e.vis_state != 1),
        key=lambda e: (e.date or date.min, e.id),
        reverse=True,
    )
    categories = category_names(ctx)
    clients = client_names(ctx) if any(e.clientid for e in expenses[:25]) else {}
    return rows_result(
        [expense_row(e, categories, clients) for e in expenses],
        totals={
            "amount": amount_totals(expenses),
            "by_category": _by_category(expenses, categories),
        },
        note="More expenses exist than were read; narrow the search." if found.truncated else None,
    )


# --- list_expense_categories ------------------------------------------------------------


class ListCategoriesArgs(Args):
    """An optional name filter."""

    name: ShortText | None = Field(
        default=None, description="Part of the category name, e.g. travel; null for all"
    )


def list_expense_categories(ctx: ToolContext, args: ListCategoriesArgs) -> dict[str, Any]:
    """Expense categories with their parent, so an expense can be filed under the right one."""
    categories = list(ctx.reads.expense_categories(pages=LIST_PAGES))
    names = {c.id: c.name for c in categories}
    if args.name:
        wanted = args.name.casefold()
        categories = [
            c
            for c in categories
            if wanted in c.name.casefold() or wanted in names.get(c.parentid or 0, "").casefold()
        ]
    rows = [
        compact({"id": c.id, "name": c.name, "parent": names.get(c.parentid or 0)})
        for c in categories
        if c.vis_state == 0
    ]
    return rows_result(rows)


# --- shared by create and update --------------------------------------------------------


def _check_category(ctx: ToolContext, category_id: int) -> str:
    names = category_names(ctx)
    if category_id not in names:
        raise ValueError(
            f"expense category {category_id} does not exist; list_expense_categories gives "
            "the valid ids"
        )
    return names[category_id]


def _client_name(ctx: ToolContext, client_id: int | None) -> str | None:
    return ctx.books.clients.get(client_id).display_name if client_id else None


def _default_staff(ctx: ToolContext) -> int:
    staff = sorted(ctx.books.staff.list(max_pages=1), key=lambda s: s.id)
    if not staff:
        raise ValueError("this business has no staff member to file the expense under")
    return staff[0].id


# --- create_expense ---------------------------------------------------------------------


class CreateExpenseArgs(Args):
    """A new expense."""

    amount: Amount = Field(description="Total spent as a decimal string, e.g. '42.50'")
    currency_code: CurrencyCode = Field(description="Currency of the amount, ISO 4217")
    category_id: RecordId = Field(description="Expense category id from list_expense_categories")
    expense_date: date | None = Field(
        default=None, description="Day of the expense, YYYY-MM-DD; null for today"
    )
    vendor: ShortText | None = Field(default=None, description="Who was paid, e.g. a shop")
    notes: Note | None = Field(default=None, description="Private note, or null")
    client_id: RecordId | None = Field(
        default=None, description="Client to bill it to, or null for an internal expense"
    )
    project_id: RecordId | None = Field(default=None, description="Project it belongs to, or null")


def propose_create_expense(ctx: ToolContext, args: CreateExpenseArgs) -> ProposedChange:
    """The card: amount, date, category, vendor, client; warnings for future dates and twins."""
    category = _check_category(ctx, args.category_id)
    client = _client_name(ctx, args.client_id)
    today = today_of(ctx)
    day = args.expense_date or today
    warnings = []
    if day > today:
        warnings.append(f"The expense date {day} is in the future.")
    twins = ctx.books.expenses.list_page(
        1, 100, {"date_min": day, "date_max": day, "amount_min": args.amount}
    ).items
    for twin in twins:
        if twin.amount is not None and twin.amount.amount == args.amount and twin.vis_state != 1:
            warnings.append(
                f"An expense of the same amount on the same day already exists (id {twin.id}, "
                f"{text(twin.vendor, 60) or 'no vendor'}): is this a duplicate?"
            )
            break
    fields = [
        ("Amount", money_text(args.amount, args.currency_code)),
        ("Date", day.isoformat()),
        ("Category", f"{category} (id {args.category_id})"),
        ("Vendor", display(args.vendor)),
    ]
    if client:
        fields.append(("Client", f"{client} (id {args.client_id})"))
    if args.project_id:
        fields.append(("Project id", str(args.project_id)))
    if args.notes:
        fields.append(("Notes", args.notes))
    return ProposedChange(
        title=f"Record an expense of {money_text(args.amount, args.currency_code)}",
        fields=fields,
        client=client,
        amounts=[money_text(args.amount, args.currency_code)],
        warnings=warnings,
    )


def create_expense(ctx: ToolContext, args: CreateExpenseArgs) -> dict[str, Any]:
    """Create the expense (filed under the first staff member, the owner), then read it back."""
    _check_category(ctx, args.category_id)
    data = ExpenseInput(
        categoryid=args.category_id,
        staffid=_default_staff(ctx),
        date=args.expense_date or today_of(ctx),
        amount=Money.of(args.amount, args.currency_code),
        vendor=args.vendor,
        notes=args.notes,
        clientid=args.client_id,
        projectid=args.project_id,
    )
    created = ctx.books.expenses.create(data)
    return read_back(
        lambda: written(
            "created expense",
            record_ids(expense=created.id),
            expense=expense_row(ctx.books.expenses.get(created.id), category_names(ctx), {}),
        ),
        written(
            "created expense", record_ids(expense=created.id), expense=expense_row(created, {}, {})
        ),
    )


def find_created_expense(
    ctx: ToolContext, args: CreateExpenseArgs, since: datetime
) -> list[FoundRecord]:
    """Expenses with the same category, day, amount and vendor, made since ``since``."""
    day = args.expense_date or today_of(ctx)
    search = {
        "categoryid": args.category_id,
        "date_min": day,
        "date_max": day,
        "updated_min": first_day(since),
    }
    page = ctx.books.expenses.list_page(1, FOUND_PAGE, search)
    return [
        FoundRecord(
            "expense",
            expense.id,
            f"expense of {money_text(args.amount, args.currency_code)}"
            + (f" at {expense.vendor}" if expense.vendor else "")
            + f", dated {expense.date}",
        )
        for expense in page.items
        if expense.amount is not None
        and (expense.amount.amount, expense.amount.code) == (args.amount, args.currency_code)
        and expense.date in (None, day)
        and same_text(args.vendor, expense.vendor)
        and made_since(since, expense.updated)
    ]


def undo_create_expense(ctx: ToolContext, result: dict[str, Any]) -> dict[str, Any]:
    """Delete the created expense (FreshBooks keeps it restorable)."""
    expense_id = written_id(result, "expense")
    ctx.books.expenses.delete(expense_id)
    return written("deleted expense", record_ids(expense=expense_id))


# --- update_expense ---------------------------------------------------------------------

UPDATE_LABELS = {
    "amount": "Amount",
    "date": "Date",
    "categoryid": "Category id",
    "vendor": "Vendor",
    "notes": "Notes",
    "clientid": "Client id",
    "projectid": "Project id",
}


class UpdateExpenseArgs(UpdateArgs):
    """Which expense and what to change; null leaves a field unchanged."""

    id_field = "expense_id"

    expense_id: RecordId = Field(description="FreshBooks id of the expense to change")
    amount: Amount | None = Field(default=None, description="New total as a decimal string")
    currency_code: CurrencyCode | None = Field(
        default=None, description="New currency, ISO 4217; null keeps the current one"
    )
    category_id: RecordId | None = Field(default=None, description="New expense category id")
    expense_date: date | None = Field(default=None, description="New day, YYYY-MM-DD")
    vendor: ShortText | None = Field(default=None, description="New vendor")
    notes: Note | None = Field(default=None, description="New private note")
    client_id: RecordId | None = Field(default=None, description="New client to bill it to")
    project_id: RecordId | None = Field(default=None, description="New project")


def _expense_changes(current: Expense, args: UpdateExpenseArgs) -> dict[str, Any]:
    changes: dict[str, Any] = {
        "date": args.expense_date,
        "categoryid": args.category_id,
        "vendor": args.vendor,
        "notes": args.notes,
        "clientid": args.client_id,
        "projectid": args.project_id,
    }
    if args.amount is not None or args.currency_code is not None:
        code = args.currency_code or (current.amount.code if current.amount else None)
        amount = args.amount if args.amount is not None else current.amount
        if code is None or amount is None:
            raise ValueError("give both amount and currency_code")
        value = amount.amount if isinstance(amount, Money) else amount
        changes["amount"] = Money.of(value, code)
    return {k: v for k, v in changes.items() if v is not None}


def propose_update_expense(ctx: ToolContext, args: UpdateExpenseArgs) -> ProposedChange:
    """The card: each changed field, old → new."""
    current = ctx.books.expenses.get(args.expense_id)
    changes = _expense_changes(current, args)
    if args.category_id is not None:
        _check_category(ctx, args.category_id)
    fields = [("Expense", f"id {current.id}, {display(current.date)}, {current.amount}")]
    for name, label in UPDATE_LABELS.items():
        if name in changes:
            fields.append((label, f"{display(getattr(current, name))} → {display(changes[name])}"))
    warnings = []
    if current.invoiceid:
        warnings.append(f"This expense is already billed on invoice id {current.invoiceid}.")
    amounts = [str(changes["amount"])] if "amount" in changes else []
    return ProposedChange(
        title=f"Update expense {current.id}",
        fields=fields,
        client=_client_name(ctx, changes.get("clientid") or current.clientid),
        amounts=amounts,
        warnings=warnings,
    )


def update_expense(ctx: ToolContext, args: UpdateExpenseArgs) -> dict[str, Any]:
    """Change the expense, then read it back."""
    current = ctx.books.expenses.get(args.expense_id)
    if args.category_id is not None:
        _check_category(ctx, args.category_id)
    changes = _expense_changes(current, args)
    ctx.books.expenses.update(args.expense_id, ExpenseUpdate(**changes))
    expense = ctx.books.expenses.get(args.expense_id)
    return written(
        "updated expense",
        record_ids(expense=expense.id),
        changed=sorted(changes),
        expense=expense_row(expense, category_names(ctx), {}),
    )


# --- archive_expense --------------------------------------------------------------------


class ExpenseIdArgs(Args):
    """Which expense."""

    expense_id: RecordId = Field(description="FreshBooks id of the expense")


def propose_archive_expense(ctx: ToolContext, args: ExpenseIdArgs) -> ProposedChange:
    """The card: the expense's date, amount, vendor and category."""
    expense = ctx.books.expenses.get(args.expense_id)
    categories = category_names(ctx)
    warnings = ["This expense is already archived."] if expense.vis_state == 2 else []
    return ProposedChange(
        title=f"Archive expense {expense.id}",
        fields=[
            ("Date", display(expense.date)),
            ("Amount", display(expense.amount)),
            ("Vendor", display(text(expense.vendor, 80))),
            ("Category", categories.get(expense.categoryid or 0, "—")),
        ],
        client=_client_name(ctx, expense.clientid),
        amounts=[str(expense.amount)] if expense.amount else [],
        warnings=warnings,
    )


def archive_expense(ctx: ToolContext, args: ExpenseIdArgs) -> dict[str, Any]:
    """Archive the expense, then read it back."""
    ctx.books.expenses.archive(args.expense_id)
    expense = ctx.books.expenses.get(args.expense_id)
    return written(
        "archived expense",
        record_ids(expense=expense.id),
        expense=expense_row(expense, category_names(ctx), {}),
    )


def undo_archive_expense(ctx: ToolContext, result: dict[str, Any]) -> dict[str, Any]:
    """Bring the archived expense back."""
    expense_id = written_id(result, "expense")
    ctx.books.expenses.restore(expense_id)
    return written("restored expense", record_ids(expense=expense_id))


TOOLS: list[Tool[Any]] = [
    Tool(
        name="search_expenses",
        description=(
            "Search expenses by category, client, project, vendor or expense date (a relative "
            "period or explicit dates). Newest first, at most 25, with totals per currency "
            "and the largest categories over every match."
        ),
        args=SearchExpensesArgs,
        handler=search_expenses,
    ),
    Tool(
        name="list_expense_categories",
        description="Expense categories (id, name, parent), optionally filtered by name.",
        args=ListCategoriesArgs,
        handler=list_expense_categories,
    ),
    Tool(
        name="create_expense",
        description=(
            "Record an expense (amount as a decimal string with its currency, a category id "
            "from list_expense_categories). The user confirms first."
        ),
        args=CreateExpenseArgs,
        handler=create_expense,
        permission="write",
        propose=propose_create_expense,
        undo=undo_create_expense,
        find_created=find_created_expense,
    ),
    Tool(
        name="update_expense",
        description="Change an expense; null fields stay unchanged. The user confirms first.",
        args=UpdateExpenseArgs,
        handler=update_expense,
        permission="write",
        idempotent=True,
        propose=propose_update_expense,
    ),
    Tool(
        name="archive_expense",
        description=(
            "Archive an expense (hidden from default lists, can be restored). The user "
            "confirms first."
        ),
        args=ExpenseIdArgs,
        handler=archive_expense,
        permission="delete",
        idempotent=True,
        propose=propose_archive_expense,
        undo=undo_archive_expense,
    ),
]
