"""Browser fixtures: Debian's Chromium driven by Playwright, the app and the sandbox as real servers.

Chromium is Debian's package (``make test`` installs it); Playwright's own browser download
cannot work on these machines. A missing Chromium fails the tests with a clear message: only
``COPILOT_SKIP_BROWSER=1`` skips them, explicitly.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from ..secret_scan import record_url
from .helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    UI_TIMEOUT_MS,
    Server,
    free_port,
    record_step,
    start_app,
    start_sandbox,
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, for one test module.

    Not for the whole session: while Playwright's sync API is open, its event loop counts as
    running in the main thread, and every later test that calls ``asyncio.run`` (the sandbox
    and ASGI tests) fails with "cannot be called from a running event loop".
    """
    if os.environ.get("COPILOT_SKIP_BROWSER") == "1":
        pytest.skip("COPILOT_SKIP_BROWSER=1: browser tests skipped on request")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium package. "
            "`make test` installs it (apt-get install -y --no-install-recommends chromium); "
            "set COPILOT_SKIP_BROWSER=1 to skip these tests explicitly.",
            pytrace=False,
        )
    expect.set_options(timeout=UI_TIMEOUT_MS)  # Streamlit reruns take seconds, not 5 s at most
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Remember each phase's report on the item, so fixtures can tell a failed test."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def context(
    browser: Browser, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[BrowserContext]:
    """A fresh browser profile (cookies, storage) per test; screenshots of its tabs on failure."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.set_default_timeout(UI_TIMEOUT_MS)
    # Every address the browser requests or navigates to goes to the after-suite secret scan.
    ctx.on("request", lambda request: record_url(request.url))
    ctx.on("page", lambda tab: tab.on("framenavigated", lambda frame: record_url(frame.url)))
    try:
        yield ctx
        for tab in ctx.pages:  # and what each tab shows at the end
            # A tab still navigating (a test's last click) has no content to give.
            with contextlib.suppress(PlaywrightError):
                tab.wait_for_load_state()
                record_step(tab)
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            for number, tab in enumerate(ctx.pages):
                shot = tmp_path / f"failure-tab{number}.png"
                tab.screenshot(path=shot, full_page=True)
                print(f"screenshot of tab {number} ({tab.url}): {shot}")
    finally:
        ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A tab in :func:`context`."""
    return context.new_page()


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory) -> Iterator[Server]:
    """The app in demo mode (no FreshBooks or OpenAI configuration), on a free port."""
    server = start_app(tmp_path_factory.mktemp("demo-app"), free_port())
    try:
        yield server
    finally:
        server.stop()


@dataclass
class OAuthSetup:
    """The app configured as a real OAuth client of a dedicated sandbox server."""

    app: Server
    sandbox: Server
    data_dir: Path


@pytest.fixture(scope="module")
def oauth_app(tmp_path_factory) -> Iterator[OAuthSetup]:
    """A sandbox that accepts this app's redirect URI, and the app pointed at it."""
    with _oauth_setup(tmp_path_factory.mktemp("oauth-app")) as setup:
        yield setup


@pytest.fixture(scope="module")
def guide_oauth_app(tmp_path_factory) -> Iterator[OAuthSetup]:
    """As :func:`oauth_app`, with the sandbox's OAuth app registered for exactly the
    integration guide's 17 scopes (``--scopes``), and the app on its default scopes."""
    from copilot.scopes import GUIDE_SCOPES

    folder = tmp_path_factory.mktemp("guide-oauth-app")
    with _oauth_setup(folder, "--scopes", " ".join(GUIDE_SCOPES)) as setup:
        yield setup


@contextlib.contextmanager
def _oauth_setup(data_dir: Path, *sandbox_options: str) -> Iterator[OAuthSetup]:
    port = free_port()
    redirect_uri = f"http://127.0.0.1:{port}/"
    sandbox = start_sandbox(data_dir, redirect_uri, *sandbox_options)
    try:
        app = start_app(
            data_dir,
            port,
            FRESHBOOKS_CLIENT_ID=SANDBOX_CLIENT_ID,
            FRESHBOOKS_CLIENT_SECRET=SANDBOX_CLIENT_SECRET,
            FRESHBOOKS_REDIRECT_URI=redirect_uri,
            FRESHBOOKS_API_URL=sandbox.url,
            FRESHBOOKS_AUTH_URL=sandbox.url,
        )
        try:
            yield OAuthSetup(app=app, sandbox=sandbox, data_dir=data_dir)
        finally:
            app.stop()
    finally:
        sandbox.stop()
