"""The whole OAuth flow in a real browser, against ``python -m sandbox`` on loopback.

Connect opens the sandbox's authorize page in a new tab; Approve redirects to the app's own
URL with ``code`` and ``state``; the app exchanges the code, clears the address bar and shows
the connected business. Disconnect revokes the tokens and brings back the Connect page. Nothing
secret reaches the browser on the way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from fbclient import AuthenticationError

from .helpers import (
    SANDBOX_CLIENT_SECRET,
    AppStore,
    Seen,
    assert_no_exception,
    default_business,
    heading,
    open_from_sidebar,
    wait_idle,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def app_store(oauth_app) -> Iterator[AppStore]:
    store = AppStore(oauth_app.data_dir)
    yield store
    store.engine.dispose()


def test_connect_approve_dashboard_and_disconnect(oauth_app, context, page, app_store):
    seen = Seen()
    seen.watch(context)
    app_url = oauth_app.app.url

    # Not connected: the app opens on the Connect page.
    page.goto(app_url)
    heading(page, "Connect FreshBooks").wait_for()
    wait_idle(page)
    assert_no_exception(page)
    assert app_store.token() is None
    seen.snapshot(page)

    # Connect is a link button: the sandbox's authorize page opens in a new tab.
    connect = page.get_by_role("link", name="Connect FreshBooks")
    authorize_url = connect.get_attribute("href")
    assert authorize_url is not None
    assert authorize_url.startswith(f"{oauth_app.sandbox.url}/")
    assert "state=" in authorize_url
    with context.expect_page() as new_tab:
        connect.click()
    consent = new_tab.value
    consent.wait_for_load_state()
    assert consent.url.startswith(oauth_app.sandbox.url)
    approve = consent.get_by_role("button", name="Approve")
    approve.wait_for()
    seen.snapshot(consent)

    # Approve: the sandbox redirects to the app with ?code&state, a new Streamlit session.
    with consent.expect_navigation(url=re.compile(r"[?&]code=")):
        approve.click()
    assert consent.url.startswith(app_url)
    dashboard = consent
    heading(dashboard, "Overview").wait_for()
    wait_idle(dashboard)
    dashboard.get_by_text("FreshBooks is connected.").wait_for()
    expect(dashboard).not_to_have_url(re.compile(r"code=|state="))
    assert_no_exception(dashboard)

    # The tokens were stored (encrypted) and name the business the dashboard shows.
    token = app_store.token()
    assert token is not None
    business = default_business(oauth_app.sandbox.url, token.access_token)
    switcher = dashboard.locator('[data-testid="stSidebar"]').get_by_role(
        "combobox", name="Business"
    )
    expect(switcher).to_have_value(re.compile(rf"^{re.escape(business.name)} · "))
    expect(dashboard.get_by_text(f"{business.name} · data fetched")).to_be_visible()
    assert dashboard.get_by_text("Demo data").count() == 0
    dashboard.locator('[data-testid="stMetric"]').first.wait_for()
    seen.snapshot(dashboard)

    # Settings → Disconnect: revoked at the sandbox, deleted from the store, Connect again.
    open_from_sidebar(dashboard, "Settings")
    assert_no_exception(dashboard)
    seen.snapshot(dashboard)
    dashboard.get_by_role("button", name="Disconnect FreshBooks").click()
    connect_title = heading(dashboard, "Connect FreshBooks")
    not_connected = dashboard.get_by_text("Not connected.", exact=True)
    expect(connect_title.or_(not_connected)).to_be_visible()
    wait_idle(dashboard)
    assert_no_exception(dashboard)
    seen.snapshot(dashboard)
    if not connect_title.is_visible():
        # Settings stays open, saying "Not connected." with a link to the Connect page.
        dashboard.get_by_role("link", name="Connect FreshBooks").click()
        connect_title.wait_for()
        wait_idle(dashboard)
        assert_no_exception(dashboard)
    nav = dashboard.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()
    assert [re.sub(r"^\W+", "", item).strip() for item in nav] == ["Connect", "Settings"]
    assert dashboard.get_by_role("combobox", name="Business").count() == 0
    again = dashboard.get_by_role("link", name="Connect FreshBooks").get_attribute("href")
    assert again is not None
    assert again.startswith(f"{oauth_app.sandbox.url}/")
    assert again != authorize_url  # a fresh single-use state
    seen.snapshot(dashboard)
    assert app_store.token() is None
    with pytest.raises(AuthenticationError):
        default_business(oauth_app.sandbox.url, token.access_token)

    # Nothing secret was ever shown, put in a URL, or even sent to the browser.
    assert len(seen.texts) >= 10
    assert any("code=" in url for url in seen.urls)  # the watcher saw the redirect,
    assert seen.frames  # Streamlit's websocket traffic,
    assert "websocket frame #" in " ".join(seen.leaks(business.name))  # and what it carried.
    for secret in (token.access_token, token.refresh_token, SANDBOX_CLIENT_SECRET):
        assert secret
        assert seen.leaks(secret) == [], "a secret reached the browser"
