"""The demo app in a real browser: the Overview's numbers and charts, and every page."""

from __future__ import annotations

import csv
import re

import pytest

from .helpers import assert_no_exception, heading, open_from_sidebar, wait_idle

pytestmark = pytest.mark.browser

PAGES = (
    "Overview",
    "Invoices",
    "Forecast",
    "Chase list",
    "Expenses",
    "Time",
    "Clients & projects",
    "Settings",
)
CHART = '[data-testid="stVegaLiteChart"]'
CHART_DRAWN = f"{CHART} svg.marks, {CHART} canvas.marks"
METRIC_VALUE = '[data-testid="stMetricValue"]:visible'  # other currencies sit in hidden tabs


def test_overview_shows_numbers_and_charts(demo_app, page, tmp_path):
    page.goto(demo_app.url)
    heading(page, "Overview").wait_for()
    page.get_by_text("Demo data").first.wait_for()
    page.locator('[data-testid="stMetric"]').first.wait_for()
    page.locator(CHART_DRAWN).first.wait_for()
    wait_idle(page)

    assert_no_exception(page)
    values = page.locator(METRIC_VALUE).all_inner_texts()
    assert len(values) >= 3, values
    assert all(re.search(r"\d", value) for value in values), values
    labels = " ".join(page.locator('[data-testid="stMetricLabel"]:visible').all_inner_texts())
    labels = labels.lower()
    assert "outstanding" in labels, labels
    assert "overdue" in labels, labels
    assert page.locator(CHART).count() >= 1
    box = page.locator(CHART_DRAWN).first.bounding_box()
    assert box is not None
    assert box["width"] > 100, box
    assert box["height"] > 50, box
    # Vega drew marks (bars, lines), not only axes.
    assert page.locator(f"{CHART} svg .role-mark > *").count() > 0

    # Streamlit scrolls inside its own container: a tall viewport shows more of the page.
    page.set_viewport_size({"width": 1400, "height": 2400})
    wait_idle(page)

    shot = tmp_path / "overview.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 10_000


def nav_labels(page) -> list[str]:
    """The sidebar navigation's labels, without their icons."""
    items = page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()
    return [re.sub(r"^\W+", "", item).strip() for item in items]


def test_every_page_renders_without_an_exception(demo_app, page):
    page.goto(demo_app.url)
    heading(page, "Overview").wait_for()
    wait_idle(page)
    labels = nav_labels(page)
    assert [label for label in labels if label in PAGES] == list(PAGES), labels

    # Every page in the navigation, the Overview last (coming back to it from another page).
    for label in (*labels[1:], labels[0]):
        open_from_sidebar(page, label, title=label if label in PAGES else None)
        assert_no_exception(page)
        assert page.url.startswith(demo_app.url)
        assert page.locator("h1").first.is_visible()


def test_a_table_downloads_as_csv_when_asked(demo_app, page):
    # The CSV is written when the button is clicked (not on every run of the page): the
    # download still holds the table, money as exact text beside its currency.
    page.goto(demo_app.url)
    heading(page, "Overview").wait_for()
    open_from_sidebar(page, "Clients & projects", title="Clients & projects")
    wait_idle(page)
    with page.expect_download(timeout=30_000) as started:
        page.get_by_role("button", name="Download CSV").first.click()
    download = started.value
    assert download.suggested_filename == "client-balances.csv"
    with download.path().open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    assert {"client", "currency", "billed", "outstanding"} <= set(rows[0]), list(rows[0])
    amounts = [row[c] for row in rows for c in ("billed", "outstanding")]
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", amount) for amount in amounts), amounts[:5]
