"""Contract: accounting resources and verbs against the sandbox (in-process and loopback)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest

from fbclient import ConflictError, Money, NotFoundError, PermissionDeniedError


@pytest.fixture
def client_id(books) -> int:
    """A fresh client of the main business, so writes never disturb other tests."""
    email = f"c-{uuid.uuid4().hex[:10]}@example.com"
    return books.clients.create(
        {"organization": "Contract Co", "email": email, "currency_code": "USD"}
    ).id


def new_invoice(books, client_id: int):
    return books.invoices.create(
        {
            "customerid": client_id,
            "create_date": date.today().isoformat(),
            "currency_code": "USD",
            "due_offset_days": 15,
            "discount_value": "10",
            "lines": [
                {
                    "name": "Design",
                    "qty": "4",
                    "unit_cost": {"amount": "5.00", "code": "USD"},
                    "taxName1": "HST",
                    "taxAmount1": "13",
                },
                {"name": "Copy", "qty": "6", "unit_cost": {"amount": "4.00", "code": "USD"}},
            ],
        }
    )


def test_invoice_lifecycle_with_payment(books, client_id):
    invoice = new_invoice(books, client_id)
    assert invoice.v3_status == "draft"
    assert invoice.amount == Money.of("41.94", "USD")  # freshbooks-api.md §3.2 worked example
    assert invoice.discount_total.amount == Decimal("-4.40")
    assert invoice.due_date == date.today() + timedelta(days=15)
    assert [line.amount.amount for line in invoice.lines] == [Decimal("20.00"), Decimal("24.00")]

    updated = books.invoices.update(invoice.id, {"notes": "Thanks!"})
    assert updated.notes == "Thanks!"
    assert len(updated.lines) == 2
    assert books.invoices.mark_as_sent(invoice.id).v3_status == "sent"
    assert books.invoices.send_by_email(
        invoice.id, ["ap@example.com"], subject="Invoice"
    ).status in (2, 3)
    assert books.invoices.share_link(invoice.id).startswith("http")

    payment = books.payments.create(
        {
            "invoiceid": invoice.id,
            "amount": {"amount": "20.00", "code": "USD"},
            "date": date.today().isoformat(),
            "type": "Check",
        }
    )
    after = books.invoices.get(invoice.id)
    assert after.paid == Money.of("20.00", "USD")
    assert after.outstanding == Money.of("21.94", "USD")
    assert after.payment_status == "partial"

    assert books.payments.get(payment.id).amount == Money.of("20.00", "USD")
    assert books.payments.update(payment.id, {"note": "cheque 42"}).note == "cheque 42"
    assert books.payments.delete(payment.id).vis_state == 1
    assert books.invoices.get(invoice.id).outstanding == Money.of("41.94", "USD")

    assert books.invoices.delete(invoice.id) is None
    assert books.invoices.get(invoice.id).vis_state == 1


def test_invoice_rules_enforced(books, client_id):
    invoice = new_invoice(books, client_id)
    with pytest.raises(PermissionDeniedError):
        books.invoices.update(invoice.id, {"due_date": "2030-01-01"})
    with pytest.raises(ConflictError):
        books.invoices.create(
            {
                "customerid": client_id,
                "create_date": date.today().isoformat(),
                "invoice_number": invoice.invoice_number,
            }
        )


def test_invoice_lists_filter_and_page(books):
    everything = books.invoices.list(include=["lines"])
    assert everything.total == len(everything) > 100  # more than one page of 100
    assert all(inv.lines for inv in everything[:20])
    overdue = books.invoices.list(v3_status="overdue")
    assert overdue
    assert all(inv.outstanding.amount > 0 for inv in overdue)
    one_client = everything[0].customerid
    assert {inv.customerid for inv in books.invoices.list(customerid=one_client)} == {one_client}
    start = date.today() - timedelta(days=90)
    recent = books.invoices.list(date_min=start)
    assert recent
    assert all(inv.create_date >= start for inv in recent)


def test_estimates(books, client_id):
    listed = books.estimates.list()
    assert listed
    estimate = books.estimates.create(
        {
            "customerid": client_id,
            "create_date": date.today().isoformat(),
            "lines": [
                {"name": "Audit", "qty": "1", "unit_cost": {"amount": "900.00", "code": "USD"}}
            ],
        }
    )
    assert books.estimates.get(estimate.id).amount == Money.of("900.00", "USD")
    assert books.estimates.update(estimate.id, {"notes": "valid 30 days"}).notes == "valid 30 days"
    books.estimates.send_by_email(estimate.id, ["buyer@example.com"])
    assert books.estimates.delete(estimate.id) is None


def test_expenses_and_categories(books, client_id):
    categories = books.expense_categories.list()
    assert categories
    assert books.expense_categories.get(categories[0].id).id == categories[0].id
    staff = books.staff.list()
    assert staff
    assert books.staff.get(staff[0].id).id == staff[0].id
    expenses = books.expenses.list({"date_min": date.today() - timedelta(days=365)})
    assert expenses
    expense = books.expenses.create(
        {
            "categoryid": categories[0].id,
            "staffid": staff[0].id,
            "date": date.today().isoformat(),
            "amount": {"amount": "12.34", "code": "USD"},
            "vendor": "Contract Cafe",
            "clientid": client_id,
        }
    )
    assert expense.amount == Money.of("12.34", "USD")
    assert expense.clientid == client_id
    assert books.expenses.update(expense.id, {"notes": "team lunch"}).notes == "team lunch"
    assert books.expenses.archive(expense.id).vis_state == 2
    assert books.expenses.delete(expense.id).vis_state == 1


def test_items_and_taxes(books):
    item = books.items.create(
        {
            "name": f"Widget {uuid.uuid4().hex[:6]}",
            "unit_cost": {"amount": "3.50", "code": "USD"},
            "qty": "10",
        }
    )
    assert books.items.get(item.id).unit_cost == Money.of("3.50", "USD")
    assert books.items.update(item.id, {"description": "blue"}).description == "blue"
    assert books.items.delete(item.id).vis_state == 1
    assert any(i.id == item.id for i in books.items.list({"vis_state": 1}))

    tax = books.taxes.create({"name": f"Tax {uuid.uuid4().hex[:6]}", "amount": "7.5"})
    assert books.taxes.get(tax.id).amount == Decimal("7.5")
    assert books.taxes.update(tax.id, {"number": "RT0001"}).number == "RT0001"
    assert books.taxes.delete(tax.id) is None
    assert tax.id not in {t.id for t in books.taxes.list()}


def test_unknown_records_are_not_found(books):
    for resource in (
        books.invoices,
        books.expenses,
        books.payments,
        books.items,
        books.taxes,
        books.estimates,
    ):
        with pytest.raises(NotFoundError):
            resource.get(987654321)
