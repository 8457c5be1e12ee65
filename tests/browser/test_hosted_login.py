"""Hosted mode in a real browser: with ``[auth]`` configured, a visitor who is not logged in
gets the Log in page on every address, and Log in hands over to Streamlit's OIDC login.

No identity provider runs here, so the login itself is not completed (the AppTest tests in
tests/app simulate logged-in users); what matters is what a stranger can reach.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from ..support.hosted_auth import write_auth_secrets
from .helpers import Server, assert_no_exception, free_port, heading, start_app, wait_idle

pytestmark = pytest.mark.browser

ADDRESSES = ("", "invoices", "chat", "audit", "settings", "connect", "?code=abc123&state=xyz")


@pytest.fixture(scope="module")
def hosted_app(tmp_path_factory) -> Iterator[Server]:
    """The app in demo mode behind an ``[auth]`` table (Streamlit reads the same file)."""
    data_dir = tmp_path_factory.mktemp("hosted-app")
    secrets_file = data_dir / "hosted-secrets.toml"
    write_auth_secrets(secrets_file)  # its secrets join the after-suite scan
    server = start_app(
        data_dir,
        free_port(),
        streamlit_args=["--secrets.files", str(secrets_file)],
        COPILOT_SECRETS_FILE=str(secrets_file),
    )
    try:
        yield server
    finally:
        server.stop()


def assert_only_log_in(page: Page) -> None:
    heading(page, "FreshBooks Copilot").wait_for()
    page.get_by_role("button", name="Log in").wait_for()
    wait_idle(page)
    assert_no_exception(page)
    assert page.locator('[data-testid="stSidebarNavLink"]').count() == 0
    assert page.locator('[data-testid="stMetric"]').count() == 0
    assert page.get_by_role("button").filter(has_text=re.compile(r"\w")).all_inner_texts() == [
        "Log in"
    ]
    body = page.inner_text("body")
    for absent in ("Demo data", "Overview", "Connect FreshBooks", "Harbor & Pine"):
        assert absent not in body, absent


@pytest.mark.parametrize("address", ADDRESSES)
def test_every_address_shows_only_log_in(hosted_app, page, address):
    page.goto(hosted_app.url + address)
    assert_only_log_in(page)
    expect(page).not_to_have_url(re.compile(r"code=|state="))


def test_log_in_goes_to_streamlits_oidc_login(hosted_app, page):
    page.goto(hosted_app.url)
    assert_only_log_in(page)
    # Streamlit's /auth/login redirects to the identity provider, which does not exist here: the
    # tab would hang on it (and with it the context's teardown). Answer it locally instead.
    page.route(
        re.compile(r"/auth/login\?"),
        lambda route: route.fulfill(status=200, content_type="text/plain", body="to the provider"),
    )
    # Nothing leaves loopback (no network here): a request elsewhere fails at once, not slowly.
    page.context.route(
        re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda route: route.abort()
    )
    with page.expect_request(re.compile(r"/auth/login\?provider=")):
        page.get_by_role("button", name="Log in").click()
    page.goto("about:blank")  # no navigation left pending for the context's teardown
