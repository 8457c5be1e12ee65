"""create_expense_from_receipt: a dropped receipt becomes an expense with the file attached.

The file is staged (:mod:`receipts.staging`) when it is dropped; the model only passes its id
and the fields read from it. The card shows the fields, the category and why, and any expense
it would duplicate; on Confirm the file is uploaded to FreshBooks and the expense created
pointing at it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import Field

from agent.queries import ExpenseQuery
from agent.tool import FoundRecord, ProposedChange, Tool, ToolContext
from fbclient import Money
from fbclient.models.expenses import ExpenseInput
from fbclient.models.uploads import Attachment
from receipts import choose_category, find_duplicates
from receipts.staging import held

from ._args import Amount, Args, CurrencyCode, Note, RecordId, ShortText, today_of
from ._cards import display, read_back, record_ids, written
from ._lookup import LIST_PAGES, category_names
from ._rows import expense_row, money_text, text
from .expenses import (
    CreateExpenseArgs,
    _check_category,
    _default_staff,
    find_created_expense,
    undo_create_expense,
)

__all__ = ["TOOLS"]

RECEIPT_ID = r"^rcpt_[A-Za-z0-9_-]{8,64}$"


class ReceiptExpenseArgs(Args):
    """A new expense from a dropped receipt, with the receipt attached."""

    receipt_id: str = Field(
        pattern=RECEIPT_ID, description="Id of the dropped receipt, as given in the message"
    )
    amount: Amount = Field(description="Total paid as a decimal string, e.g. '42.50'")
    currency_code: CurrencyCode = Field(description="Currency of the total, ISO 4217")
    category_id: RecordId = Field(description="Expense category id from list_expense_categories")
    expense_date: date = Field(description="Day on the receipt, YYYY-MM-DD")
    vendor: ShortText | None = Field(default=None, description="Who was paid, as on the receipt")
    tax_amount: Amount | None = Field(
        default=None, description="Tax included in the total as a decimal string, or null"
    )
    tax_name: ShortText | None = Field(
        default=None, description="Name of the tax, e.g. 'VAT' or 'GST'; null for none"
    )
    notes: Note | None = Field(default=None, description="Private note, or null")


def _receipt(args: ReceiptExpenseArgs) -> Any:
    found = held(args.receipt_id)
    if found is None:
        raise ValueError(
            "that receipt is no longer held by the app; ask the person to drop the file again"
        )
    return found


def _as_create(args: ReceiptExpenseArgs) -> CreateExpenseArgs:
    return CreateExpenseArgs(
        amount=args.amount,
        currency_code=args.currency_code,
        category_id=args.category_id,
        expense_date=args.expense_date,
        vendor=args.vendor,
        notes=args.notes,
    )


def propose_receipt_expense(ctx: ToolContext, args: ReceiptExpenseArgs) -> ProposedChange:
    """The card: the receipt's fields, the category and how sure it is, duplicates flagged."""
    receipt = _receipt(args)
    category = _check_category(ctx, args.category_id)
    warnings = []
    if args.expense_date > today_of(ctx):
        warnings.append(f"The receipt's date {args.expense_date} is in the future.")
    same_day = ctx.books.expenses.list_page(
        1,
        100,
        {"date_min": args.expense_date, "date_max": args.expense_date, "amount_min": args.amount},
    ).items
    for twin in find_duplicates(
        same_day, args.vendor, args.expense_date, args.amount, args.currency_code
    )[:3]:
        warnings.append(
            f"Possible duplicate: expense {twin.id} ({text(twin.vendor, 60) or 'no vendor'}, "
            f"{twin.date}, {twin.amount}) has the same vendor, date and amount."
        )
    why = ""
    if args.vendor:
        past = ctx.reads.expenses(ExpenseQuery(pages=LIST_PAGES, vendor_like=args.vendor))
        names = category_names(ctx)
        choice = choose_category(args.vendor, "", [(e.vendor, e.categoryid) for e in past], names)
        if choice.basis == "history":
            why = (
                f" ({choice.reason})"
                if choice.category_id == args.category_id
                else f" (this vendor is usually filed under {choice.name}: {choice.reason})"
            )
    fields = [
        ("Vendor", display(args.vendor)),
        ("Date", args.expense_date.isoformat()),
        ("Total", money_text(args.amount, args.currency_code)),
        (
            "Tax",
            f"{args.tax_name or 'Tax'} {money_text(args.tax_amount, args.currency_code)}"
            if args.tax_amount is not None
            else "—",
        ),
        ("Category", f"{category} (id {args.category_id}){why}"),
        ("Receipt", f"{receipt.name} ({receipt.media_type}, {len(receipt.content):,} bytes)"),
    ]
    if args.notes:
        fields.append(("Notes", args.notes))
    return ProposedChange(
        title=f"Record an expense of {money_text(args.amount, args.currency_code)} with its receipt",
        fields=fields,
        amounts=[money_text(args.amount, args.currency_code)],
        warnings=warnings,
    )


def create_expense_from_receipt(ctx: ToolContext, args: ReceiptExpenseArgs) -> dict[str, Any]:
    """Upload the receipt, create the expense pointing at it, then read it back."""
    receipt = _receipt(args)
    _check_category(ctx, args.category_id)
    upload = ctx.books.uploads.upload_attachment(receipt.name, receipt.content, receipt.media_type)
    tax = Money.of(args.tax_amount, args.currency_code) if args.tax_amount is not None else None
    data = ExpenseInput(
        categoryid=args.category_id,
        staffid=_default_staff(ctx),
        date=args.expense_date,
        amount=Money.of(args.amount, args.currency_code),
        vendor=args.vendor,
        notes=args.notes,
        taxName1=(args.tax_name or "Tax") if tax is not None else None,
        taxAmount1=tax,
        attachment=Attachment(jwt=upload.jwt, media_type=upload.media_type or receipt.media_type),
    )
    created = ctx.books.expenses.create(data)
    return read_back(
        lambda: written(
            "created expense",
            record_ids(expense=created.id),
            expense=expense_row(ctx.books.expenses.get(created.id), category_names(ctx), {}),
            receipt=receipt.name,
        ),
        written(
            "created expense",
            record_ids(expense=created.id),
            expense=expense_row(created, {}, {}),
            receipt=receipt.name,
        ),
    )


def find_created_receipt_expense(
    ctx: ToolContext, args: ReceiptExpenseArgs, since: datetime
) -> list[FoundRecord]:
    """Expenses like the one asked for, made since ``since`` (see create_expense)."""
    return find_created_expense(ctx, _as_create(args), since)


TOOLS: list[Tool[Any]] = [
    Tool(
        name="create_expense_from_receipt",
        description=(
            "Record an expense from a receipt the person dropped (its receipt_id from the "
            "message), with the file attached in FreshBooks. Pass the fields read from it; "
            "correct them only where the receipt's text clearly says otherwise. The user "
            "confirms first."
        ),
        args=ReceiptExpenseArgs,
        handler=create_expense_from_receipt,
        permission="write",
        propose=propose_receipt_expense,
        undo=undo_create_expense,
        find_created=find_created_receipt_expense,
    ),
]
