"""The chase list in a real browser: pick the top invoice, review its drafted reminder on the
confirm card, Confirm, and find the email in the audit log."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .helpers import assert_no_exception, heading, open_from_sidebar, wait_idle

pytestmark = pytest.mark.browser


def test_send_one_reminder_and_see_it_in_the_audit_log(demo_app, page, tmp_path):
    page.goto(demo_app.url)
    heading(page, "Overview").wait_for()
    wait_idle(page)
    open_from_sidebar(page, "Chase list")
    wait_idle(page)
    assert_no_exception(page)
    page.set_viewport_size({"width": 1400, "height": 2400})
    page.screenshot(path=tmp_path / "chase-list.png", full_page=True)

    subject = page.get_by_label("Subject")
    expect(subject).to_have_value(re.compile(r"invoice", re.I))
    subject.fill("A friendly nudge about your invoice")
    subject.press("Tab")
    wait_idle(page)
    page.get_by_role("button", name="Review reminder").click()
    card = page.get_by_text(re.compile(r"^Proposed change: Email invoice "))
    card.wait_for()
    expect(page.get_by_text("A friendly nudge about your invoice").first).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text(re.compile(r"^Done: Email invoice ")).wait_for()
    wait_idle(page)
    assert_no_exception(page)

    open_from_sidebar(page, "Audit log")
    wait_idle(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for()
    expect(grid).to_contain_text("send invoice email")
    expect(grid).to_contain_text("Done: Email invoice")
    assert_no_exception(page)
