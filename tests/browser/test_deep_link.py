"""A bookmark to a page, opened first on a fresh server, gets the app's own navigation."""

from __future__ import annotations

import pytest

from .helpers import assert_no_exception, free_port, heading, start_app, wait_idle

pytestmark = pytest.mark.browser


def test_deep_link_on_a_fresh_server_routes_through_the_app(tmp_path, page):
    # A dedicated server: its very first request must be the deep link.
    server = start_app(tmp_path / "data", free_port())
    try:
        page.goto(server.url.rstrip("/") + "/invoices")
        heading(page, "Invoices").wait_for()
        page.get_by_text("Demo data").first.wait_for()
        wait_idle(page)
        assert_no_exception(page)
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Clients & projects" in nav  # the app's titles, not a list of files
        assert "connect" not in nav.lower()
    finally:
        server.stop()
