"""create_expense_from_receipt on the in-process sandbox: the card, the upload, the expense
read back with its attachment, the file served back, the duplicate flag and undo."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.receipt_corpus import corpus
from receipts import ReceiptFile
from receipts.staging import hold

from ..support.sandbox_tools import Env, card_text, sandbox_env


@pytest.fixture(scope="module")
def env() -> Iterator[Env]:
    with sandbox_env() as opened:
        yield opened


def _meals_id(env: Env) -> int:
    categories = env.books.expense_categories.list()
    return next(c.id for c in categories if c.name.startswith("Meals"))


def test_receipt_becomes_an_expense_with_its_file_attached(env: Env) -> None:
    sample = next(s for s in corpus(env.ctx.today) if s.kind == "pdf" and s.currency == "EUR")
    receipt_id = hold(ReceiptFile.of(sample.name, sample.content))
    given = {
        "receipt_id": receipt_id,
        "amount": str(sample.total),
        "currency_code": "EUR",
        "category_id": _meals_id(env),
        "expense_date": sample.day.isoformat() if sample.day else None,
        "vendor": sample.vendor,
        "tax_amount": str(sample.tax),
        "tax_name": "TVA",
    }
    card = env.propose("create_expense_from_receipt", **given)
    shown = card_text(card)
    assert str(sample.total) in shown
    assert "EUR" in shown
    assert sample.name in shown
    assert "application/pdf" in shown
    assert not any("duplicate" in w for w in card.warnings)

    result = env.call("create_expense_from_receipt", **given)
    expense_id = result["record_ids"]["expense"][0]
    expense = env.books.expenses.get(expense_id, include=["attachment"])
    assert expense.amount is not None
    assert expense.amount.amount == sample.total
    assert expense.amount.code == "EUR"
    assert expense.taxAmount1 is not None
    assert expense.taxAmount1.amount == sample.tax
    assert expense.attachment is not None
    assert expense.attachment.jwt
    assert expense.attachment.media_type == "application/pdf"
    assert expense.has_receipt is True
    plain = env.books.expenses.get(expense_id)
    assert plain.attachment is None  # only with the include, as FreshBooks answers

    # The stored file comes back byte for byte.
    served = env.books.scope.http._client.get(
        env.books.uploads.download_path(expense.attachment.jwt)
    )
    assert served.status_code == 200
    assert served.content == sample.content

    # The same receipt again: the card flags the expense just made.
    again = env.propose("create_expense_from_receipt", **given)
    assert any(f"expense {expense_id}" in w and "duplicate" in w for w in again.warnings)

    undone = env.undo("create_expense_from_receipt", result)
    assert undone["record_ids"]["expense"] == [expense_id]
    assert env.books.expenses.get(expense_id).vis_state == 1


def test_a_receipt_no_longer_held_is_a_clear_error(env: Env) -> None:
    with pytest.raises(ValueError, match="drop the file again"):
        env.propose(
            "create_expense_from_receipt",
            receipt_id="rcpt_" + "x" * 20,
            amount="1.00",
            currency_code="USD",
            category_id=_meals_id(env),
            expense_date=env.ctx.today.isoformat(),
        )


def test_an_upload_of_an_unknown_kind_is_refused_by_the_sandbox(env: Env) -> None:
    from fbclient.errors import FreshBooksError

    with pytest.raises(FreshBooksError):
        env.books.uploads.upload_attachment("notes.txt", b"just text", "text/plain")


def test_a_confirmed_receipt_is_carried_out_once_and_audited(env: Env) -> None:
    from agent.writes import carry_out
    from copilot.receipts import chat_note
    from receipts import read_receipt

    from ..support.audit import MemoryAudit

    sample = next(s for s in corpus(env.ctx.today) if s.variant == "pdf" and s.vendor == "Staples")
    categories = {c.id: c.name for c in env.books.expense_categories.list()}
    reading = read_receipt(
        sample.name,
        sample.content,
        expenses=list(env.books.expenses.list({"vendor": "Staples"})),
        categories=categories,
        default_currency="USD",
        today=env.ctx.today,
    )
    assert reading.category is not None
    assert reading.category.basis == "history"  # the demo business filed Staples before
    receipt_id = hold(ReceiptFile.of(sample.name, sample.content))
    note = chat_note(reading, receipt_id)
    assert receipt_id in note
    assert f"total: {sample.total} USD" in note

    audit = MemoryAudit()
    arguments = {
        "receipt_id": receipt_id,
        "amount": str(reading.fields.total),
        "currency_code": reading.fields.currency,
        "category_id": reading.category.category_id,
        "expense_date": reading.fields.date.isoformat() if reading.fields.date else None,
        "vendor": reading.fields.vendor,
        "tax_amount": str(reading.fields.tax),
        "tax_name": reading.fields.tax_name,
        "notes": None,
    }
    outcome = carry_out(
        env.tool("create_expense_from_receipt"),
        env.ctx,
        arguments,
        title="Record a receipt",
        audit=audit,
    )
    assert outcome.ok, outcome.summary
    assert outcome.record_ids["expense"]
    assert [(e["action"], e["outcome"]) for e in audit.entries] == [
        ("create_expense_from_receipt", "ok")
    ]
