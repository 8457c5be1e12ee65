"""Chart builders: mark, encodings and the rows they draw (money as floats only here); every
spec is valid Vega-Lite, and the module draws without altair."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

from insights import charts
from insights.cashflow import monthly_revenue_expenses
from insights.charts import (
    VEGA_LITE_SCHEMA,
    Chart,
    aging_chart,
    expenses_by_category_chart,
    forecast_chart,
    hours_by_week_chart,
    revenue_expenses_chart,
    top_clients_chart,
)
from insights.forecast import forecast
from insights.frames import build_frames
from insights.receivables import aging_buckets, top_debtors
from insights.spending import spending_by_category
from insights.time import hours_by_week

from ..support.model_builders import (
    TODAY,
    category,
    client,
    entry,
    expense,
    invoice,
    line,
    payment,
    snapshot,
)


@pytest.fixture
def frames():
    snap = snapshot(
        clients=[client(1, "Acme"), client(2, "Bee"), client(3, "Bureau", "EUR")],
        invoices=[
            invoice(1, "100.10", due="2026-06-01", lines=[line("1", "100.10")], paid="50.05"),
            invoice(2, "300.00", client_id=2, due="2026-07-01", lines=[line("1", "300.00")]),
            invoice(3, "70.00", client_id=3, currency="EUR", due="2026-01-01"),
        ],
        payments=[payment(1, 1, "50.05", "2026-05-10")],
        expenses=[
            expense(1, "12.34", "2026-05-03", category_id=1),
            expense(2, "40.00", "2026-06-03", category_id=2),
        ],
        expense_categories=[category(1, "Software"), category(2, "Rent")],
        time_entries=[
            entry(1, datetime(2026, 6, 1, 15, tzinfo=UTC), 5400),
            entry(2, datetime(2026, 6, 2, 15, tzinfo=UTC), 1800, billable=False),
        ],
    )
    return build_frames(snap, TODAY)


ROOT = Path(__file__).resolve().parents[2]


def rows(spec: Chart) -> list[dict]:
    return spec["data"]["values"]


def test_revenue_expenses_chart(frames):
    monthly = monthly_revenue_expenses(
        frames.invoices, frames.payments, frames.expenses, date(2026, 5, 1), date(2026, 6, 30)
    )
    spec = revenue_expenses_chart(monthly, "USD")
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["field"] == "month"
    assert spec["encoding"]["xOffset"]["field"] == "measure"
    assert (spec["encoding"]["y"]["field"], spec["encoding"]["y"]["type"]) == (
        "amount",
        "quantitative",
    )
    assert spec["encoding"]["color"]["field"] == "measure"
    assert [(r["month"][:10], r["measure"], r["amount"]) for r in rows(spec)] == [
        ("2026-05-01", "Revenue", 50.05),
        ("2026-05-01", "Expenses", 12.34),
        ("2026-06-01", "Revenue", 0.0),
        ("2026-06-01", "Expenses", 40.0),
    ]


def test_aging_chart_keeps_bucket_order_and_one_currency(frames):
    spec = aging_chart(aging_buckets(frames.invoices, TODAY), "USD")
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["sort"] == ["Not due", "1-30", "31-60", "61-90", "91+"]
    assert [(r["bucket"], r["amount"], r["count"]) for r in rows(spec)] == [
        ("Not due", 300.0, 1),
        ("1-30", 50.05, 1),
        ("31-60", 0.0, 0),
        ("61-90", 0.0, 0),
        ("91+", 0.0, 0),
    ]
    assert {r["currency"] for r in rows(spec)} == {"USD"}


def test_expenses_by_category_chart(frames):
    spec = expenses_by_category_chart(spending_by_category(frames.expenses), "USD", limit=1)
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["y"] == {
        "field": "category",
        "sort": "-x",
        "title": None,
        "type": "nominal",
    }
    assert [(r["category"], r["amount"]) for r in rows(spec)] == [("Rent", 40.0)]


def test_hours_by_week_chart_stacks_billable_and_non_billable(frames):
    spec = hours_by_week_chart(hours_by_week(frames.time, date(2026, 6, 1), date(2026, 6, 7)))
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["y"]["stack"] == "zero"
    assert spec["encoding"]["color"]["field"] == "kind"
    assert [(r["week"][:10], r["kind"], r["hours"]) for r in rows(spec)] == [
        ("2026-06-01", "Billable", 1.5),
        ("2026-06-01", "Non-billable", 0.5),
    ]


def test_top_clients_chart(frames):
    spec = top_clients_chart(top_debtors(frames.invoices, TODAY), "USD")
    assert spec["encoding"]["x"]["field"] == "outstanding"
    assert [(r["client"], r["outstanding"]) for r in rows(spec)] == [
        ("Bee", 300.0),
        ("Acme", 50.05),
    ]


def test_charts_of_nothing_still_build():
    empty = build_frames(snapshot(), TODAY)
    spec = aging_chart(aging_buckets(empty.invoices, TODAY), "USD")
    assert rows(spec) == []
    weekly = hours_by_week(empty.time, date(2026, 6, 1), date(2026, 6, 7))
    assert [r["hours"] for r in rows(hours_by_week_chart(weekly))] == [0.0, 0.0]


def test_forecast_chart_layers_money_in_out_and_the_range():
    D = Decimal
    weeks = pd.DataFrame(
        {
            "week": pd.to_datetime(["2026-12-28", "2027-01-04", "2027-01-11", "2026-12-28"]),
            "currency": ["USD", "USD", "USD", "EUR"],
            "in_expected": [D("100.004"), D("0"), D("250.50"), D("9")],
            "in_low": [D("50"), D("0"), D("200"), D("9")],
            "in_high": [D("120"), D("0"), D("250.50"), D("9")],
            "out_expected": [D("40.126"), D("0"), D("12.30"), D("1")],
        }
    )
    spec = forecast_chart(weeks, "USD")
    assert spec["title"] == "Expected money in and out, week by week (USD)"
    money_in, money_out, spread = spec["layer"]
    assert money_in["mark"] == {"type": "bar", "color": "#2e7d32", "opacity": 0.8}
    assert money_out["mark"] == {"type": "bar", "color": "#c62828", "opacity": 0.7}
    assert spread["mark"] == {"type": "rule", "strokeWidth": 2}
    assert money_in["encoding"]["y"]["field"] == "in_expected"
    assert money_out["encoding"]["y"] == {"field": "out_expected", "type": "quantitative"}
    assert spread["encoding"]["y"] == {"field": "in_low", "type": "quantitative"}
    assert spread["encoding"]["y2"] == {"field": "in_high"}
    # One x axis of week labels, in week order (not the labels' alphabetical order).
    labels = ["28 Dec", "04 Jan", "11 Jan"]
    assert labels != sorted(labels)
    for layer in spec["layer"]:
        assert layer["encoding"]["x"] == {
            "field": "label",
            "type": "ordinal",
            "sort": labels,
            "title": "Week starting",
            "axis": {"labelAngle": 0},
        }
    # Money out drawn below zero; one currency; rounded to the cent.
    assert [
        (r["week"], r["label"], r["in_expected"], r["in_low"], r["in_high"], r["out_expected"])
        for r in rows(spec)
    ] == [
        ("2026-12-28T00:00:00", "28 Dec", 100.0, 50.0, 120.0, -40.13),
        ("2027-01-04T00:00:00", "04 Jan", 0.0, 0.0, 0.0, 0.0),
        ("2027-01-11T00:00:00", "11 Jan", 250.5, 200.0, 250.5, -12.3),
    ]
    assert {r["currency"] for r in rows(spec)} == {"USD"}


def test_rows_are_json_missing_values_null_and_python_numbers():
    buckets = pd.DataFrame(
        {
            "currency": ["USD", "USD"],
            "bucket": ["Not due", "1-30"],
            "amount": [Decimal("1.5"), None],
            "count": pd.Series([2, 0], dtype="int64"),
        }
    )
    values = rows(aging_chart(buckets, "USD"))
    assert values == [
        {"currency": "USD", "bucket": "Not due", "amount": 1.5, "count": 2},
        {"currency": "USD", "bucket": "1-30", "amount": None, "count": 0},
    ]
    assert all(type(r["count"]) is int for r in values)
    weekly = pd.DataFrame(
        {
            "week": pd.to_datetime(["2026-06-01", None]),
            "kind": ["Billable", "Non-billable"],
            "hours": [Decimal("1"), Decimal("NaN")],
        }
    )
    assert rows(hours_by_week_chart(weekly)) == [
        {"week": "2026-06-01T00:00:00", "kind": "Billable", "hours": 1.0},
        {"week": None, "kind": "Non-billable", "hours": None},
    ]


def every_chart(frames) -> dict[str, Chart]:
    """Each builder's spec from these frames, by builder name."""
    monthly = monthly_revenue_expenses(
        frames.invoices, frames.payments, frames.expenses, date(2026, 1, 1), TODAY
    )
    weeks = forecast(frames.invoices, frames.payments, frames.expenses, as_of=TODAY, today=TODAY)
    return {
        "revenue_expenses_chart": revenue_expenses_chart(monthly, "USD"),
        "aging_chart": aging_chart(aging_buckets(frames.invoices, TODAY), "USD"),
        "expenses_by_category_chart": expenses_by_category_chart(
            spending_by_category(frames.expenses), "USD"
        ),
        "hours_by_week_chart": hours_by_week_chart(
            hours_by_week(frames.time, date(2026, 6, 1), date(2026, 6, 7))
        ),
        "top_clients_chart": top_clients_chart(top_debtors(frames.invoices, TODAY), "USD"),
        "forecast_chart": forecast_chart(weeks.weeks, "USD"),
    }


@pytest.fixture(scope="module")
def vega_lite() -> jsonschema.protocols.Validator:
    """A validator of the Vega-Lite JSON schema that altair ships (the check its ``to_dict``
    made), found without importing altair."""
    found = importlib.util.find_spec("altair")
    assert found is not None
    assert found.submodule_search_locations
    folder = Path(found.submodule_search_locations[0]) / "vegalite" / "v6" / "schema"
    # The schema file has no version in it: altair's module names it.
    named = re.search(r'^SCHEMA_URL = "([^"]+)"$', (folder / "__init__.py").read_text(), re.M)
    assert named is not None
    assert named[1] == VEGA_LITE_SCHEMA  # the version we claim is the one checked
    schema = json.loads((folder / "vega-lite-schema.json").read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


@pytest.mark.parametrize("empty", [False, True], ids=["fixture", "empty"])
def test_every_spec_is_valid_vega_lite_and_json(frames, vega_lite, empty):
    specs = every_chart(build_frames(snapshot(), TODAY) if empty else frames)
    assert set(specs) == {name for name in charts.__all__ if name.endswith("_chart")}
    for name, spec in specs.items():
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in vega_lite.iter_errors(spec)]
        assert errors == [], name
        assert spec["$schema"] == VEGA_LITE_SCHEMA
        # No view size of our own: Streamlit's theme sizes the chart (a spec's config wins).
        assert "config" not in spec
        # Plain JSON: no NaN, no numpy or pandas scalars, nothing lost on the way.
        assert json.loads(json.dumps(spec, allow_nan=False)) == spec, name


def test_vega_lite_validation_catches_a_bad_spec(frames, vega_lite):
    spec = aging_chart(aging_buckets(frames.invoices, TODAY), "USD")
    spec["mark"] = {"type": "bars"}
    assert not vega_lite.is_valid(spec)


def test_charts_import_without_altair():
    # altair's import alone costs a process about 28 MB: drawing the dashboards must not pay it.
    code = "import sys, insights.charts; assert 'altair' not in sys.modules, 'altair imported'"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
