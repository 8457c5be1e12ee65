"""Receipts in a real browser: drop a receipt photo on the Expenses page, check what was read,
Review, Confirm, then find the expense with its attachment in the sandbox through the API."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bench.receipt_corpus import corpus
from fbclient import FreshBooksClient
from fbclient.asgi import InProcessTransport

from ..support.clock import today
from .helpers import (
    Server,
    assert_no_exception,
    free_port,
    heading,
    open_from_sidebar,
    start_app,
    wait_idle,
)

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/copilot-receipts-shots")  # the screenshot looked at by hand, kept after


@pytest.fixture(scope="module")
def receipt_app(tmp_path_factory) -> Iterator[tuple[Server, Path]]:
    """The app in demo mode, with its data folder (where the demo sandbox keeps its books)."""
    folder = tmp_path_factory.mktemp("receipt-app")
    server = start_app(folder, free_port())
    try:
        yield server, folder
    finally:
        server.stop()


def test_drop_a_receipt_confirm_and_find_it_with_its_attachment(receipt_app, page, tmp_path):
    server, folder = receipt_app
    # A known vendor of the demo business, as a clean photo: its history names the category.
    sample = next(s for s in corpus(today()) if s.variant == "png-large" and s.currency == "USD")
    assert sample.total is not None
    assert sample.day is not None
    photo = tmp_path / sample.name
    photo.write_bytes(sample.content)

    page.goto(server.url)
    heading(page, "Overview").wait_for()
    wait_idle(page)
    open_from_sidebar(page, "Expenses")
    wait_idle(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(photo)
    total = page.get_by_role("textbox", name="Total")
    expect(total).to_have_value(str(sample.total))
    wait_idle(page)
    expect(page.get_by_role("textbox", name="Vendor")).to_have_value(
        re.compile(sample.vendor or "", re.I)
    )
    expect(page.get_by_role("textbox", name="Currency")).to_have_value("USD")
    expect(page.get_by_text(re.compile(r"earlier expenses? with this vendor"))).to_be_visible()
    assert_no_exception(page)
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 1400})
    page.screenshot(path=SHOTS / "expenses-receipt-proposed.png", full_page=False)

    page.get_by_role("button", name="Review expense").click()
    card = page.get_by_text(re.compile(r"^Proposed change: Record an expense of "))
    card.wait_for()
    wait_idle(page)
    page.screenshot(path=SHOTS / "expenses-receipt-card.png", full_page=True)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text(re.compile(r"^Done: Record an expense of ")).wait_for()
    wait_idle(page)
    assert_no_exception(page)

    # The sandbox the app wrote to, opened on its own database: the expense and its file.
    from sandbox.app import create_app
    from sandbox.config import SandboxConfig
    from sandbox.demo_token import issue_token

    app = create_app(SandboxConfig(db=str(folder / "sandbox.db")))
    transport = InProcessTransport(app)
    client = FreshBooksClient.with_access_token(
        issue_token(app)["access_token"], api_url="http://sandbox.test", transport=transport
    )
    try:
        books = client.business(client.identity().businesses[0])
        found = [
            e
            for e in books.expenses.list(
                {"date_min": sample.day, "date_max": sample.day}, include=["attachment"]
            )
            if e.amount is not None and e.amount.amount == sample.total
        ]
        assert len(found) == 1
        expense = found[0]
        assert expense.vendor is not None
        assert expense.vendor.casefold() == (sample.vendor or "").casefold()
        assert expense.attachment is not None
        assert expense.attachment.media_type == "image/png"
        assert expense.attachment.jwt
        served = client.http._client.get(books.uploads.download_path(expense.attachment.jwt))
        assert served.content == sample.content
    finally:
        client.close()
        transport.shutdown()
        app.state.sandbox.close()
