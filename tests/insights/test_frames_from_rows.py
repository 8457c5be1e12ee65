"""Frames built from the mirror's light rows equal frames built from full models.

A process that starts draws its dashboards from light rows (a few fields of each record and
the models' own rules); the models are the reference. Also: what a light row holds for
unusual records, field for field, against the model.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pandas as pd
import pytest

from copilot.mirror import Mirror
from fbclient.models.expenses import Expense
from fbclient.models.invoices import Invoice
from fbclient.models.projection import Projection
from fbclient.models.time_entries import TimeEntry
from fbclient.snapshot import Snapshot
from insights.frames import (
    EXPENSE_ROWS,
    INVOICE_ROWS,
    PAYMENT_ROWS,
    TIME_ROWS,
    Frames,
    build_frames,
)
from store.db import make_engine, make_sessions
from store.mirror import MirrorStore

from ..support.synced_sandbox import OWNER, Synced, synced_sandbox

FRAMES = ("invoices", "payments", "expenses", "time", "clients", "projects")


@pytest.fixture(scope="module")
def store_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Synced, Path]]:
    folder = tmp_path_factory.mktemp("rows")
    with synced_sandbox(folder) as found:
        yield found, folder


def fresh(synced: tuple[Synced, Path]) -> Snapshot:
    """The synced mirror as a new process reads it: nothing parsed yet."""
    found, folder = synced
    engine = make_engine(f"sqlite:///{folder / 'store.db'}")
    return Mirror(MirrorStore(engine, make_sessions(engine))).load(OWNER, found.business)


def assert_same_frames(mine: Frames, reference: Frames) -> None:
    """Every frame equal, dtype for dtype, and every Decimal with the same digits."""
    for name in FRAMES:
        a, b = getattr(mine, name), getattr(reference, name)
        pd.testing.assert_frame_equal(a, b, check_exact=True)
        for column in a.columns:
            if a[column].dtype == object:
                assert [repr(v) for v in a[column]] == [repr(v) for v in b[column]], column
    assert (mine.home_currency, mine.timezone, mine.today) == (
        reference.home_currency,
        reference.timezone,
        reference.today,
    )


def test_frames_from_light_rows_equal_frames_from_models(
    store_folder: tuple[Synced, Path],
) -> None:
    snap = fresh(store_folder)
    light = build_frames(snap, date.today())
    for part in ("invoices", "payments", "expenses", "time_entries"):
        assert part not in snap._parts, part  # no model was parsed for the long lists
    parsed = snap.replace()  # every part as models
    reference = build_frames(parsed, date.today())
    assert not light.invoices.empty
    assert not light.time.empty
    assert_same_frames(light, reference)


@pytest.mark.parametrize("day", ["2026-02-28", "2028-02-29", "2030-12-31"])
def test_the_same_on_other_days(store_folder: tuple[Synced, Path], day: str) -> None:
    today = date.fromisoformat(day)
    snap = fresh(store_folder)
    assert_same_frames(build_frames(snap, today), build_frames(snap.replace(), today))


# --- light rows against the model, record by record ------------------------------------------


def _attributes(model: Any, projection: Projection) -> dict[str, Any]:
    return {name: getattr(model, name) for name in projection.fields}


INVOICE = {
    "id": 5,
    "customerid": 0,
    "invoice_number": "0005",
    "create_date": "2026-03-01",
    "due_date": "2026-03-31 00:00:00",
    "currency_code": "usd",
    "amount": {"amount": "100.00", "code": "USD"},
    "outstanding": {"amount": "40", "code": "USD"},
    "paid": None,
    "status": 2,
    "v3_status": "sent",
    "fname": "Ada",
    "lname": "L",
    "lines": [
        {"qty": "2", "unit_cost": {"amount": "25.00", "code": "USD"}},
        {"amount": {"amount": "50.00", "code": "USD"}},
    ],
}


@pytest.mark.parametrize(
    "record",
    [
        INVOICE,
        {**INVOICE, "id": None, "invoiceid": 77},  # the legacy id twin
        {**INVOICE, "lines": None},  # a null list of lines
        {**INVOICE, "amount": {"amount": " 1E+2 ", "code": " usd "}},  # unusual: the slow way
        {**INVOICE, "vis_state": 2, "due_date": "0000-00-00", "date_paid": ""},
        {"id": "6"},  # only an id: every default
    ],
)
def test_an_invoice_row_holds_what_the_model_holds(record: dict[str, Any]) -> None:
    (row,), refused = INVOICE_ROWS.read([record])
    model = Invoice.model_validate(record)
    assert refused == 0
    assert _attributes(row, INVOICE_ROWS) == _attributes(model, INVOICE_ROWS)
    assert [(line.qty, line.unit_cost, line.amount) for line in row.lines] == [
        (line.qty, line.unit_cost, line.amount) for line in model.lines
    ]
    # The rules are the model's own functions.
    today = date(2026, 6, 1)
    assert (row.owed, row.currency, row.is_draft, row.client_name, row.is_overdue(today)) == (
        model.owed,
        model.currency,
        model.is_draft,
        model.client_name,
        model.is_overdue(today),
    )


@pytest.mark.parametrize(
    "record",
    [
        {**INVOICE, "amount": {"amount": "lots", "code": "USD"}},
        {**INVOICE, "due_date": "soon"},
        {**INVOICE, "lines": [{"qty": "two"}]},  # one bad line: the model refuses the invoice
        {**INVOICE, "id": None},
        "not an object",
    ],
)
def test_a_record_the_model_refuses_is_left_out_and_counted(record: Any) -> None:
    with pytest.raises(ValueError, match="validation error"):
        Invoice.model_validate(record)
    rows, refused = INVOICE_ROWS.read([INVOICE, record, {**INVOICE, "id": 9}])
    assert refused == 1
    assert [r.id for r in rows] == [5, 9]


@pytest.mark.parametrize(
    ("projection", "model", "record"),
    [
        (
            TIME_ROWS,
            TimeEntry,
            {"id": 1, "started_at": "2026-03-08T06:30:00Z", "duration": 5400, "project_id": 0},
        ),
        (TIME_ROWS, TimeEntry, {"id": 2, "started_at": "2026-03-08 06:30:00", "is_logged": False}),
        (
            EXPENSE_ROWS,
            Expense,
            {"expenseid": 3, "amount": {"amount": "7.5", "code": "EUR"}, "status": 9},
        ),
        (PAYMENT_ROWS, PAYMENT_ROWS.model, {"logid": 4, "amount": {"amount": "1", "code": "CAD"}}),
    ],
)
def test_other_rows_hold_what_their_models_hold(
    projection: Projection, model: Any, record: dict[str, Any]
) -> None:
    (row,), refused = projection.read([orjson.loads(orjson.dumps(record))])
    parsed = model.model_validate(record)
    assert refused == 0
    assert _attributes(row, projection) == _attributes(parsed, projection)
    if model is TimeEntry:
        assert row.hours == parsed.hours
    if model is Expense:
        assert row.expense_status == parsed.expense_status


def test_shared_money_keeps_the_digits() -> None:
    (row,), _ = INVOICE_ROWS.read([{**INVOICE, "amount": {"amount": "100", "code": "USD"}}])
    assert repr(row.amount.amount) == repr(Decimal("100"))


def test_a_projection_refuses_a_field_its_model_validates_itself() -> None:
    from fbclient.models.clients import Client

    with pytest.raises(ValueError, match="validates"):
        Projection(Client, ("id", "outstanding_balance"))
    with pytest.raises(ValueError, match="no field"):
        Projection(Invoice, ("id", "nonsense"))
