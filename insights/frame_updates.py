"""Frames brought up to a newer snapshot by rebuilding only the rows of the records that
changed, when that gives what a whole build would.

A revisit usually changes a few dozen records of tens of thousands. A row of the long frames
depends on its own record, on the short reference lists (clients' names and currencies,
categories, projects, services, rates, team) and on the business's day and home currency; a
payment's row also on its invoice. So when the reference lists read the same, the day is the
same and the home currency did not move, the rows of unchanged records stand, and only the
changed ones are built again (with the payments of changed invoices). Otherwise (or when the
snapshot cannot say what changed) :func:`update_frames` says so and the caller builds whole.

The rows are the same as a whole build's; only their order differs (changed records last, as
the mirror's own order puts records that changed), which no insight depends on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

import pandas as pd

from fbclient.snapshot import Snapshot

from .frames import (
    EXPENSE_ROWS,
    HOME_SAMPLE,
    INVOICE_ROWS,
    PAYMENT_ROWS,
    TIME_ROWS,
    Frames,
    InvoiceRef,
    _most_common_currency,
    business_timezone,
    clients_frame,
    expenses_frame,
    invoices_frame,
    payments_frame,
    projects_frame,
    time_frame,
)

__all__ = ["update_frames"]

LONG = {"invoices", "payments", "expenses", "time_entries"}


def _same_clients(previous: Frames, snapshot: Snapshot, changed: frozenset[str]) -> bool:
    """Whether the changed clients read as before where the long frames look: a live client
    with the same name and currency (edits of notes, phones, addresses change nothing)."""
    before = previous.clients.set_index("client_id")
    for c in snapshot.clients:
        if str(c.id) not in changed:
            continue
        if c.vis_state == 1 or c.id not in before.index:
            return False
        row = before.loc[c.id]
        code = c.currency_code
        if code != (code.upper() if code else code):
            return False  # the frames read this one's currency both ways: build whole
        if row["client"] != c.display_name or (code or None) != (
            row["currency"] if isinstance(row["currency"], str) else None
        ):
            return False
    found = {str(c.id) for c in snapshot.clients}
    return changed <= found  # a client gone from the list changes names: build whole


def _ids(frame: pd.DataFrame, column: str) -> set[str]:
    return {str(v) for v in frame[column].dropna().tolist()}


def _spliced(
    old: pd.DataFrame, column: str, changed: Iterable[str], new: pd.DataFrame
) -> pd.DataFrame:
    keep = ~old[column].astype("string").isin(list(changed)).fillna(False)
    kept = old[keep.to_numpy(dtype=bool)]
    if new.empty:
        return kept.reset_index(drop=True)
    return pd.concat([kept, new], ignore_index=True)


def update_frames(
    previous: Frames, older: Snapshot, snapshot: Snapshot, today: date
) -> Frames | None:
    """``previous`` (the frames of ``older`` on ``today``) brought up to ``snapshot``, or None
    when only a whole build gives the right frames."""
    if previous.today != today or previous.timezone != str(
        business_timezone(snapshot.business.timezone)
    ):
        return None
    changes = snapshot.changes_since(older)
    if changes is None:
        return None
    if set(changes) - LONG - {"clients", "estimates", "invoice_profiles"}:
        return None  # a reference list changed (or the scopes did)
    if "clients" in changes and not _same_clients(previous, snapshot, changes["clients"]):
        return None
    clients = snapshot.clients
    invoice_ids = changes.get("invoices", frozenset())
    invoices = previous.invoices
    if invoice_ids:
        rows = snapshot.rows_of("invoices", invoice_ids, INVOICE_ROWS)
        invoices = _spliced(
            invoices, "invoice_id", invoice_ids, invoices_frame(rows, clients, today)
        )
        newest = invoices.sort_values(["create_date", "invoice_id"], na_position="first")
        home = _most_common_currency(
            newest.tail(HOME_SAMPLE)["currency"].dropna().tolist(), clients
        )
        if home != previous.home_currency:
            return None  # the time and project frames read it: build whole
    payments = previous.payments
    payment_ids = set(changes.get("payments", frozenset()))
    if invoice_ids:  # their payments read the invoice's number, client and currency
        touched = previous.payments["invoice_id"].astype("string").isin(list(invoice_ids))
        payment_ids |= _ids(
            previous.payments[touched.fillna(False).to_numpy(dtype=bool)], "payment_id"
        )
    if payment_ids:
        rows = snapshot.rows_of("payments", payment_ids, PAYMENT_ROWS)
        wanted = {str(p.invoiceid) for p in rows if p.invoiceid is not None}
        refs = [
            InvoiceRef(i.id, i.invoice_number, i.customerid, i.client_name, i.currency)
            for i in snapshot.rows_of("invoices", wanted, INVOICE_ROWS)
        ]
        payments = _spliced(
            payments, "payment_id", payment_ids, payments_frame(rows, refs, clients)
        )
    expenses = previous.expenses
    if "expenses" in changes:
        ids = changes["expenses"]
        rows = snapshot.rows_of("expenses", ids, EXPENSE_ROWS)
        new = expenses_frame(rows, snapshot.expense_categories, clients)
        expenses = _spliced(expenses, "expense_id", ids, new)
    time = previous.time
    if "time_entries" in changes:
        ids = changes["time_entries"]
        rows = snapshot.rows_of("time_entries", ids, TIME_ROWS)
        new = time_frame(
            rows,
            projects=snapshot.projects,
            clients=clients,
            services=snapshot.services,
            service_rates=snapshot.service_rates,
            team_members=snapshot.team_members,
            timezone=snapshot.business.timezone,
            home=previous.home_currency,
        )
        time = _spliced(time, "entry_id", ids, new)
    return replace(
        previous,
        invoices=invoices,
        payments=payments,
        expenses=expenses,
        time=time,
        clients=clients_frame(clients),
        projects=projects_frame(snapshot.projects, clients, previous.home_currency),
        fetched_at=snapshot.fetched_at,
        business_name=snapshot.business.name,
    )
