"""The app and the sandbox as real loopback servers, and Streamlit page helpers."""

from __future__ import annotations

import os
import random
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, WebSocket, expect

from fbclient import FreshBooksClient
from fbclient.identity import Business
from fbclient.oauth import Token
from store.crypto import Cipher, load_or_create_key
from store.db import make_engine, make_sessions
from store.tokens import DatabaseTokenStore

from ..secret_scan import (
    record_page,
    record_url,
    register_log_file,
    register_sandbox_db,
    register_secret,
)
from ..support import clock, constants

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Everything that would configure the app from outside: removed, so the tests choose (the
# AppTest list, plus the model name and the data folder).
CONFIG_NAMES = (*constants.CONFIG_NAMES, "COPILOT_MODEL", "COPILOT_DATA_DIR")
SERVER_START_TIMEOUT = 90.0  # seconds: a cold Streamlit start on a busy 2-core machine
UI_TIMEOUT_MS = 45_000  # the first dashboard loads the whole demo business

SANDBOX_CLIENT_ID = "sandbox-client"
SANDBOX_CLIENT_SECRET = "sandbox-secret"


def free_port() -> int:
    """A free loopback port below the kernel's ephemeral range.

    Servers started with ``--port 0`` (the sandbox) get ports from the ephemeral range, so a
    port chosen here cannot be handed to them between choosing it and the app binding it.
    """
    rng = random.Random()
    for _ in range(200):
        port = rng.randrange(20_000, 32_000)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free loopback port found")


@dataclass
class Server:
    """A subprocess serving HTTP on loopback, its output in a log file."""

    name: str
    url: str
    proc: subprocess.Popen[bytes]
    log_path: Path
    _log: IO[bytes] | None = field(repr=False, default=None)

    def log_tail(self, chars: int = 4000) -> str:
        """The end of what the server printed (for failure messages)."""
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        """Terminate (then kill) the process and close its log."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        if self._log is not None:
            self._log.close()


def _spawn(name: str, args: list[str], env: dict[str, str], log_dir: Path, url: str) -> Server:
    log_path = log_dir / f"{name}.log"
    log = log_path.open("wb")
    register_log_file(log_path, name)  # the secret scan reads it after the run
    proc = subprocess.Popen(
        args,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return Server(name=name, url=url, proc=proc, log_path=log_path, _log=log)


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without the app's configuration, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_NAMES}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def start_app(
    data_dir: Path, port: int, *, streamlit_args: Sequence[str] = (), **config: str
) -> Server:
    """``streamlit run app.py`` on 127.0.0.1:``port``; returns once /_stcore/health says ok.

    ``config`` is the app's environment (it may replace ``COPILOT_SECRETS_FILE``);
    ``streamlit_args`` are more ``streamlit run`` options.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    for name, value in config.items():
        if name.endswith(("_SECRET", "_KEY", "_TOKEN")):
            register_secret(value, f"{name} given to the app")
    args = clock.python_command(
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        *streamlit_args,
    )
    env = clean_env(
        **{
            "COPILOT_DATA_DIR": str(data_dir),
            "COPILOT_SECRETS_FILE": str(data_dir / "no-secrets.toml"),
            **config,
        }
    )
    server = _spawn("app", args, env, data_dir, f"http://127.0.0.1:{port}/")
    try:
        _wait_healthy(server)
    except BaseException:
        server.stop()
        raise
    return server


# Loopback requests never go through a proxy configured in the environment.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _wait_healthy(server: Server) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    health = f"{server.url}_stcore/health"
    while True:
        if server.proc.poll() is not None:
            pytest.fail(
                f"the app exited with code {server.proc.returncode}:\n{server.log_tail()}",
                pytrace=False,
            )
        try:
            with _DIRECT.open(health, timeout=5) as answer:
                if answer.status == 200 and answer.read().strip() == b"ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(
                f"the app did not answer {health} within {SERVER_START_TIMEOUT:.0f} s:\n"
                f"{server.log_tail()}",
                pytrace=False,
            )
        time.sleep(0.2)


def start_sandbox(log_dir: Path, redirect_uri: str, *extra: str) -> Server:
    """``python -m sandbox`` on a free port, accepting only ``redirect_uri`` (``extra``: more
    options, such as ``--scopes``)."""
    args = clock.sandbox_command(
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--size",
        "small",
        "--seed",
        "7",
        "--client-id",
        SANDBOX_CLIENT_ID,
        "--client-secret",
        SANDBOX_CLIENT_SECRET,
        "--redirect-uri",
        redirect_uri,
        # A file, so that the secret scan can read every token the server issued.
        "--db",
        str(log_dir / "sandbox.db"),
        *extra,
    )
    register_secret(SANDBOX_CLIENT_SECRET, "the sandbox client secret")
    register_sandbox_db(log_dir / "sandbox.db")
    server = _spawn("sandbox", args, clean_env(), log_dir, url="")
    try:
        server.url = _wait_listening(server)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_listening(server: Server) -> str:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    marker = "sandbox listening on "
    while True:
        for line in server.log_tail(100_000).splitlines():
            if line.startswith(marker):
                url = line.removeprefix(marker).strip()
                assert url.startswith("http://127.0.0.1:"), url
                return url
        if server.proc.poll() is not None:
            pytest.fail(
                f"the sandbox exited with code {server.proc.returncode}:\n{server.log_tail()}",
                pytrace=False,
            )
        if time.monotonic() > deadline:
            pytest.fail(f"the sandbox did not start:\n{server.log_tail()}", pytrace=False)
        time.sleep(0.1)


APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def wait_idle(page: Page, timeout_ms: int = UI_TIMEOUT_MS) -> None:
    """Wait until Streamlit's script run has finished (the page is fully rendered)."""
    page.wait_for_selector(APP_IDLE, timeout=timeout_ms)
    record_step(page)


def record_step(page: Page) -> None:
    """Hand what ``page`` shows now (HTML and address) to the after-suite secret scan."""
    record_url(page.url)
    record_page(page.content())


def assert_no_exception(page: Page) -> None:
    """No Streamlit exception box and no traceback text on the page."""
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.first.inner_text()
    body = page.inner_text("body")
    assert "Traceback" not in body, body[:3000]


@dataclass
class Seen:
    """Everything the browser was shown: page texts and HTML, URLs, websocket frames."""

    texts: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    frames: list[bytes] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> None:
        """Record every request URL and every websocket frame of ``context``'s pages."""
        context.on("request", lambda request: self.urls.append(request.url))
        context.on("page", self._watch_page)
        for page in context.pages:
            self._watch_page(page)

    def _watch_page(self, page: Page) -> None:
        page.on("framenavigated", lambda frame: self.urls.append(frame.url))
        page.on("websocket", self._watch_socket)

    def _watch_socket(self, socket: WebSocket) -> None:
        socket.on("framereceived", self._frame)
        socket.on("framesent", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        self.frames.append(payload.encode() if isinstance(payload, str) else payload)

    def snapshot(self, page: Page) -> None:
        """Record what ``page`` shows now: its visible text, its HTML and its address."""
        self.urls.append(page.url)
        self.texts.append(page.inner_text("body"))
        self.texts.append(page.content())
        record_url(page.url)
        record_page(self.texts[-1])

    def leaks(self, secret: str) -> list[str]:
        """Where ``secret`` appeared (empty when nowhere)."""
        where = [f"page text #{i}" for i, text in enumerate(self.texts) if secret in text]
        where += [f"URL {url[:80]}" for url in self.urls if secret in url]
        needle = secret.encode()
        where += [f"websocket frame #{i}" for i, f in enumerate(self.frames) if needle in f]
        return where


def heading(page: Page, title: str) -> Locator:
    """The page title (``st.title``) reading exactly ``title``."""
    return page.get_by_role("heading", name=title, exact=True, level=1)


def open_from_sidebar(page: Page, label: str, title: str | None = "") -> None:
    """Click ``label`` in the sidebar navigation and wait until that page has rendered.

    The page's ``st.title`` must read ``title`` (by default the label itself); with
    ``title=None`` any title will do.
    """
    link = page.locator('[data-testid="stSidebarNavLink"]').filter(
        has_text=re.compile(rf"^\W*{re.escape(label)}\s*$")
    )
    first_title = page.locator("h1").first
    before = first_title.inner_text() if first_title.count() else ""
    link.click()
    expect(link).to_have_attribute("aria-current", "page")
    if title is None:
        expect(first_title).not_to_have_text(before)  # the new page's title replaced the old
    else:
        heading(page, title or label).wait_for()
    wait_idle(page)


class AppStore:
    """The app's own token store, read from its data folder as the app reads it."""

    def __init__(self, data_dir: Path) -> None:
        self.engine = make_engine(f"sqlite:///{data_dir / 'copilot.db'}")
        cipher = Cipher(load_or_create_key(None, data_dir))
        self.tokens = DatabaseTokenStore(self.engine, make_sessions(self.engine), cipher, "local")

    def token(self) -> Token | None:
        return self.tokens.load()


def default_business(api_url: str, access_token: str) -> Business:
    """The business the app opens first: the first one with accounting (ui.context)."""
    with FreshBooksClient.with_access_token(access_token, api_url=api_url) as fb:
        businesses = fb.identity().businesses
    return next(b for b in businesses if b.has_accounting)


def connect_through_sandbox(context: BrowserContext, page: Page, app_url: str) -> Page:
    """Connect FreshBooks from the app's Connect page and Approve on the sandbox's consent page.

    Returns the tab the sandbox redirected back to the app: it shows the Overview dashboard.
    """
    page.goto(app_url)
    heading(page, "Connect FreshBooks").wait_for()
    wait_idle(page)
    with context.expect_page() as new_tab:
        page.get_by_role("link", name="Connect FreshBooks").click()
    consent = new_tab.value
    consent.wait_for_load_state()
    with consent.expect_navigation(url=re.compile(r"[?&]code=")):
        consent.get_by_role("button", name="Approve").click()
    heading(consent, "Overview").wait_for()
    wait_idle(consent)
    consent.get_by_text("FreshBooks is connected.").wait_for()
    return consent
