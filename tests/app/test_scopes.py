"""An OAuth app set up as the integration guide says (17 scopes): Connect succeeds, every page
renders, what needs a missing scope says which and how to add it, and a refusal
(``invalid_scope``) offers to connect with fewer scopes instead of a dead end."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import httpx2
import pytest

from copilot.scopes import ESSENTIAL_SCOPES
from fbclient.scopes import DEVELOPER_PAGE
from settings import DEFAULT_SCOPES
from ui import keys

from ..support.sandbox_oauth import approve

PAGES = (
    "pages/overview.py",
    "pages/invoices.py",
    "pages/forecast.py",
    "pages/chase.py",
    "pages/expenses.py",
    "pages/time.py",
    "pages/clients_projects.py",
    "pages/chat.py",
    "pages/audit.py",
    "pages/settings.py",
)
ESTIMATES_SENTENCE = (
    "Estimates need the user:estimates:read scope, which your FreshBooks app has not granted: "
    f"tick it on the FreshBooks developer page ({DEVELOPER_PAGE}), then Reconnect."
)


@pytest.fixture
def guide_oauth(data_dir, guide_sandbox_server, monkeypatch) -> str:
    """A real OAuth app on a sandbox registered for the guide's 17 scopes only."""
    monkeypatch.setenv("FRESHBOOKS_CLIENT_ID", "sandbox-client")
    monkeypatch.setenv("FRESHBOOKS_CLIENT_SECRET", "sandbox-secret")
    monkeypatch.setenv("FRESHBOOKS_REDIRECT_URI", "http://127.0.0.1:8501/")
    monkeypatch.setenv("FRESHBOOKS_API_URL", guide_sandbox_server)
    monkeypatch.setenv("FRESHBOOKS_AUTH_URL", guide_sandbox_server)
    return guide_sandbox_server


def asked(url: str) -> list[str]:
    return parse_qs(urlparse(url).query)["scope"][0].split()


def back_from(authorize_url: str) -> dict[str, str]:
    """What the sandbox's authorize endpoint redirects with, without approving anything."""
    with httpx2.Client(follow_redirects=False) as browser:
        answer = browser.get(authorize_url)
    assert answer.status_code in (302, 303), answer.text
    return {k: v[0] for k, v in parse_qs(urlparse(answer.headers["location"]).query).items()}


def come_back(app, **params):
    at = app()
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def connect(app, url: str):
    code = approve(url)
    state = parse_qs(urlparse(url).query)["state"][0]
    return come_back(app, code=code, state=state)


def texts(at) -> str:
    return " ".join(
        str(e.value)
        for kind in ("error", "warning", "info", "success", "markdown")
        for e in getattr(at, kind)
    )


def test_a_guide_app_connects_and_every_page_renders(app, guide_oauth):
    at = app().run()
    url = at.session_state[keys.AUTHORIZE_URL]
    assert asked(url) == list(DEFAULT_SCOPES)
    at = connect(app, url)
    assert [s.value for s in at.success] == ["FreshBooks is connected."]
    assert at.title[0].value == "Overview"
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert not at.error, (page, [e.value for e in at.error])
    at.switch_page("pages/invoices.py").run()
    assert ESTIMATES_SENTENCE in [i.value for i in at.info]
    (url,) = [
        link
        for scopes, (link, _) in at.session_state[keys.RECONNECT_URLS].items()
        if "user:billable_items:read" not in scopes
    ]
    assert set(asked(url)) == {*DEFAULT_SCOPES, "user:estimates:read"}  # nothing held dropped
    at.switch_page("pages/settings.py").run()
    listed = texts(at)
    assert "Estimates need the user:estimates:read scope" in listed
    assert "Services and their rates need the user:billable_items:read scope" in listed


def test_reconnecting_for_a_scope_not_ticked_leaves_the_connection_as_it_was(app, guide_oauth):
    at = connect(app, app().run().session_state[keys.AUTHORIZE_URL])
    at.switch_page("pages/invoices.py").run()
    ((url, _issued),) = list(at.session_state[keys.RECONNECT_URLS].values())
    refused = back_from(url)  # the app on the developer page still lacks estimates
    assert refused["error"] == "invalid_scope"
    at = come_back(app, **refused)
    assert not at.exception
    assert any(
        "FreshBooks refused user:estimates:read, so your connection is unchanged" in w.value
        for w in at.warning
    )
    assert at.title[0].value == "Overview"  # still connected: no loop of Reconnect
    assert not at.error


def test_asking_for_scopes_the_app_lacks_offers_to_connect_with_fewer(
    app, guide_oauth, monkeypatch
):
    wanted = [*DEFAULT_SCOPES, "user:estimates:read", "user:billable_items:read"]
    monkeypatch.setenv("FRESHBOOKS_SCOPES", " ".join(wanted))
    url = app().run().session_state[keys.AUTHORIZE_URL]
    assert asked(url) == wanted
    refused = back_from(url)
    assert refused["error"] == "invalid_scope"
    at = come_back(app, **refused)
    assert not at.exception
    assert "does not have every scope" in at.error[0].value
    assert at.subheader[0].value == "FreshBooks refused the scopes asked for"
    table = at.dataframe[0].value
    assert list(table["Scope asked for"]) == wanted
    choice = at.multiselect(key="fewer-scopes")
    assert choice.value == list(DEFAULT_SCOPES)  # the guide's scopes among those asked
    ((_fewer, (fewer_url, _)),) = list(at.session_state[keys.RECONNECT_URLS].items())
    assert asked(fewer_url) == list(DEFAULT_SCOPES)
    at = connect(app, fewer_url)
    assert [s.value for s in at.success] == ["FreshBooks is connected."]
    assert at.title[0].value == "Overview"
    assert keys.SCOPE_REFUSED not in at.session_state


def test_the_fewer_scopes_choice_keeps_the_profile_scope(app, guide_oauth, monkeypatch):
    monkeypatch.setenv("FRESHBOOKS_SCOPES", " ".join([*DEFAULT_SCOPES, "user:taxes:read"]))
    refused = back_from(app().run().session_state[keys.AUTHORIZE_URL])
    at = come_back(app, **refused)
    at.multiselect(key="fewer-scopes").set_value(list(ESSENTIAL_SCOPES[1:])).run()
    assert not at.exception
    assert any("Keep user:profile:read" in w.value for w in at.warning)


def test_a_malformed_scope_setting_is_a_sentence_not_a_traceback(app, guide_oauth, monkeypatch):
    monkeypatch.setenv("FRESHBOOKS_SCOPES", "user:profile:read invoices")
    at = app().run()
    assert not at.exception
    assert "FRESHBOOKS_SCOPES: invoices is not a scope" in at.error[0].value
