"""An app set up as the integration guide says: the sandbox's OAuth app holds exactly the
guide's 17 scopes. In a real browser the whole Connect flow works, every page renders without
an error, and the estimates part says which scope it needs and how to add it."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from settings import DEFAULT_SCOPES

from .helpers import assert_no_exception, heading, open_from_sidebar, wait_idle

pytestmark = pytest.mark.browser

PAGES = (
    ("Invoices", "Invoices"),
    ("Forecast", "Forecast"),
    ("Chase list", "Chase list"),
    ("Expenses", "Expenses"),
    ("Time", "Time"),
    ("Clients & projects", "Clients & projects"),
    ("Chat", None),
    ("Audit log", None),
    ("Settings", "Settings"),
    ("Overview", "Overview"),
)


def no_error_box(page) -> None:
    errors = page.locator('[data-testid="stAlertContentError"]')
    assert errors.count() == 0, errors.first.inner_text()


def test_a_guide_app_connects_and_says_what_estimates_need(guide_oauth_app, context, page):
    app_url = guide_oauth_app.app.url
    page.goto(app_url)
    heading(page, "Connect FreshBooks").wait_for()
    wait_idle(page)
    connect = page.get_by_role("link", name="Connect FreshBooks")
    authorize_url = connect.get_attribute("href")
    assert authorize_url is not None
    asked = parse_qs(urlparse(authorize_url).query)["scope"][0].split()
    assert asked == list(DEFAULT_SCOPES)

    with context.expect_page() as new_tab:
        connect.click()
    consent = new_tab.value
    consent.wait_for_load_state()
    for scope in DEFAULT_SCOPES:  # the consent page lists what is asked for
        expect(consent.get_by_text(scope, exact=True)).to_be_visible()
    with consent.expect_navigation(url=re.compile(r"[?&]code=")):
        consent.get_by_role("button", name="Approve").click()
    dashboard = consent
    heading(dashboard, "Overview").wait_for()
    wait_idle(dashboard)
    dashboard.get_by_text("FreshBooks is connected.").wait_for()
    assert_no_exception(dashboard)
    no_error_box(dashboard)

    for label, title in PAGES:
        open_from_sidebar(dashboard, label, title)
        wait_idle(dashboard)
        assert_no_exception(dashboard)
        no_error_box(dashboard)
        if label == "Invoices":
            dashboard.get_by_role("heading", name="Estimates").wait_for()
            sentence = dashboard.get_by_text(
                re.compile(r"^Estimates need the user:estimates:read scope, .* then Reconnect\.$")
            )
            expect(sentence).to_be_visible()
            assert "FreshBooks developer page" in sentence.inner_text()
            reconnect = dashboard.get_by_role("link", name="Reconnect FreshBooks").first
            href = reconnect.get_attribute("href")
            assert href is not None
            again = parse_qs(urlparse(href).query)["scope"][0].split()
            assert "user:estimates:read" in again
            assert set(DEFAULT_SCOPES) <= set(again)
