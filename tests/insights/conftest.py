"""Fixtures for insights tests: a small hand-built business in two currencies."""

from __future__ import annotations

import pytest

from insights.frames import Frames, build_frames

from ..support.model_builders import TODAY, category, client, expense, invoice, payment, snapshot


@pytest.fixture
def two_currency_frames() -> Frames:
    """USD and EUR invoices, payments and expenses that must never be added together."""
    snap = snapshot(
        clients=[client(1, "Acme", "USD"), client(2, "Bureau", "EUR")],
        invoices=[
            invoice(1, "100.00", created="2026-05-01", due="2026-05-31"),
            invoice(
                2, "250.00", currency="EUR", client_id=2, created="2026-04-01", due="2026-05-01"
            ),
            invoice(3, "40.00", created="2026-06-01", due="2026-07-01", paid="10.00"),
            invoice(4, "999.00", state="draft", created="2026-06-10"),
        ],
        payments=[
            payment(1, 3, "10.00", "2026-06-02"),
            payment(2, 2, "0.00", "2026-06-03", currency="EUR", client_id=2),
        ],
        expenses=[
            expense(1, "30.00", "2026-06-05"),
            expense(2, "7.50", "2026-06-06", currency="EUR"),
        ],
        expense_categories=[category(10, "Software")],
    )
    return build_frames(snap, TODAY)
