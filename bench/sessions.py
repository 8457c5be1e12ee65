"""Many sessions on one app process: page times and memory per session, two owners kept apart.

    .venv/bin/python -m bench.sessions [--sessions 20] [--size medium] [--rounds 2] [--quiet]

The target: 20 concurrent sessions on one app process over a medium business, a page in at
most 2 s (p95), at most 5 MB more memory per added session (frames are shared per business,
never copied per session).

What runs, all on 127.0.0.1, stopped at the end:

- ``python -m sandbox`` at the given size (``bench.perf.sandbox_server``, seed 7);
- the app itself, ``streamlit run app.py``, in hosted mode (an ``[auth]`` table in a secrets
  file that both Streamlit and the app read), connected to that sandbox as a real OAuth app;
- the sessions: websocket clients that speak Streamlit's own protocol (the ``BackMsg`` and
  ``ForwardMsg`` protobufs of ``streamlit.proto``), as a browser tab does.

Why websocket clients and not ``AppTest`` in threads: an ``AppTest`` run swaps process-wide
state (``Runtime._instance``, ``st.secrets``, config options) and puts it back when it ends,
so runs in parallel threads undo each other. A real server also counts what a person waits
for: the script run, the serialization of every element and the trip through the socket.

Logging in: Streamlit's OIDC login ends by setting a signed ``_streamlit_user`` cookie; no
identity provider runs here, so this script signs that cookie itself with the ``[auth]``
table's cookie secret (it wrote that table), and fetches the XSRF cookie the way the page
does (``/_stcore/health``).

The load model:

1. Setup. Two owners (two logged-in people) each connect FreshBooks through the app: the
   Connect page's link, Approve on the sandbox's consent page, back to the app with the code
   (a new session, as the redirect makes one). Both FreshBooks connections reach the same
   sandbox user; owner A looks at the business the app opens on (the larger one), owner B
   picks the second business in the sidebar's selector, so their numbers differ. Each then
   visits every page once, so that everything shared per business (the mirror, frames,
   forecasts) exists before sessions are counted; these two sessions are then closed.
2. Ramp. Sessions join one at a time, alternating owners; each opens the app (Overview) and
   visits every other page once. The app's RSS is read after each join: the growth per added
   session is the slope of a least-squares line through those readings.
3. Load. Every session then browses at once: ``rounds`` times through every page, with a
   think time drawn uniformly between the two bounds after each page (``THINK_S``, 5 to 15 s:
   a person reading the dashboard; starts staggered by up to one think time). Page times of
   this phase are the ones held to the target.

A page's time is what a person waits for: from the rerun request sent over the socket to
Streamlit's ``script_finished`` (a run that ends early for ``st.rerun`` is followed to the run
that finishes). An error is an exception or ``st.error`` on the page, a compile error, a page
Streamlit did not find, a closed socket, or no answer within ``page_timeout`` seconds.
Isolation: every page a session rendered must name its owner's business and must not hold the
other business's name or any client name only the other business has.

Prints a table, then one JSON line (``{"bench": "sessions", ...}``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import httpx2
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from bench import perf
from bench.sandbox_load import ROOT
from bench.verdicts import mark, rounded, verdict

__all__ = ["PAGES", "TARGETS", "AppProcess", "BrowserSession", "app_server", "main", "run"]

MB = 1024 * 1024
SEED = 7  # the sandbox's default seed (bench.perf.sandbox_server starts it with no --seed)
CLIENT_ID, CLIENT_SECRET = "sandbox-client", "sandbox-secret"  # the sandbox's default OAuth app
# The sandbox registers this redirect URI by default. The bench hands the code to the app as a
# browser coming back would, so the app's own port does not have to match it.
REDIRECT_URI = "http://127.0.0.1:8501/"
ISSUER = "https://login.bench.test"
PAGE_TIMEOUT = 120.0  # seconds before a page counts as failed (and its session stops)
SETTLE = 0.5  # seconds after a session joins before the app's RSS is read
LOGGED_IN_AGO = 60  # seconds: when the simulated OIDC login happened, before the session

# The dashboard pages a session visits, in order: URL path (as st.navigation names it) and
# the title the page shows.
PAGES: dict[str, tuple[str, str]] = {
    "overview": ("", "Overview"),
    "invoices": ("invoices", "Invoices"),
    "expenses": ("expenses", "Expenses"),
    "time": ("time", "Time"),
    "clients_projects": ("clients_projects", "Clients & projects"),
    "forecast": ("forecast", "Forecast"),
    "chase": ("chase", "Chase list"),
}

# The targets (description, kind, bound), as in bench.perf: "max" passes when value <= bound.
# A person reads a dashboard before the next click: 5 to 15 s, 10 s on average, so 20 people
# ask for about two pages a second together. --think-min/--think-max make a harsher load.
THINK_S = (5.0, 15.0)

TARGETS: dict[str, tuple[str, str, float]] = {
    "page_p95_seconds": ("p95 page time, every session browsing, ≤ 2 s", "max", 2.0),
    "rss_per_session_mb": ("memory growth per added session ≤ 5 MB", "max", 5.0),
    "page_errors": ("no page errors", "max", 0),
    "isolation_leaks": ("no page shows the other owner's business", "max", 0),
}

# Streamlit's protobufs (imported here, not at the top: importing streamlit is slow, and a
# caller that only reads TARGETS should not pay for it).
_proto: dict[str, Any] = {}


def _protos() -> dict[str, Any]:
    if not _proto:
        from streamlit.proto.Alert_pb2 import Alert
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        _proto.update(Alert=Alert, BackMsg=BackMsg, ForwardMsg=ForwardMsg)
    return _proto


# --- the app process --------------------------------------------------------------------------


def app_command(*args: str) -> list[str]:
    """The command line that starts the app (the tests replace it to move its clock)."""
    return [sys.executable, "-m", "streamlit", "run", "app.py", *args]


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _proc_status(pid: int, field_name: str) -> int | None:
    """A ``kB`` field of ``/proc/<pid>/status`` in bytes (None without Linux ``/proc``)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


@dataclass(frozen=True)
class AppProcess:
    """A running ``streamlit run app.py``: where it listens, its process and its log."""

    url: str
    pid: int
    log: Path

    def rss_mb(self) -> float | None:
        """Its resident set size now, in MB."""
        value = _proc_status(self.pid, "VmRSS")
        return None if value is None else value / MB

    def cpu_seconds(self) -> float | None:
        """CPU time (user + system) it has used so far, every thread counted."""
        return perf.Sandbox(url=self.url, pid=self.pid).cpu_seconds()

    def peak_rss_mb(self) -> float | None:
        """The high-water mark of its resident set size since it started, in MB."""
        value = _proc_status(self.pid, "VmHWM")
        return None if value is None else value / MB

    def log_tail(self, chars: int = 3000) -> str:
        """The end of what the app printed."""
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def write_auth_secrets(path: Path, url: str) -> str:
    """An ``[auth]`` table (hosted mode) for the app at ``url``; returns its cookie secret.

    The identity provider is never contacted: the bench signs the login cookie itself.
    """
    cookie_secret = secrets.token_hex(24)
    auth = {
        "redirect_uri": f"{url}/oauth2callback",
        "cookie_secret": cookie_secret,
        "client_id": "copilot-bench",
        "client_secret": secrets.token_hex(24),
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
    path.write_text("[auth]\n" + "".join(f'{k} = "{v}"\n' for k, v in auth.items()))
    return cookie_secret


def _app_env(sandbox_url: str, data_dir: Path, secrets_file: Path) -> dict[str, str]:
    # Nothing of the caller's app configuration (a developer's OpenAI key, store URL...).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FRESHBOOKS_", "OPENAI_", "COPILOT_")) or k.startswith("COPILOT_TEST")
    }
    env.update(
        PYTHONUNBUFFERED="1",
        COPILOT_DATA_DIR=str(data_dir),
        COPILOT_SECRETS_FILE=str(secrets_file),
        FRESHBOOKS_CLIENT_ID=CLIENT_ID,
        FRESHBOOKS_CLIENT_SECRET=CLIENT_SECRET,
        FRESHBOOKS_REDIRECT_URI=REDIRECT_URI,
        FRESHBOOKS_API_URL=sandbox_url,
        FRESHBOOKS_AUTH_URL=sandbox_url,
    )
    return env


@contextlib.contextmanager
def app_server(
    sandbox_url: str, folder: Path, *, timeout: float = 120.0
) -> Iterator[tuple[AppProcess, str]]:
    """The app in hosted mode on a free loopback port, connected to the sandbox at
    ``sandbox_url``; yields it and the cookie secret of its ``[auth]`` table, stops it after."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    data_dir = folder / "app-data"
    data_dir.mkdir(parents=True, exist_ok=True)
    secrets_file = folder / "secrets.toml"
    cookie_secret = write_auth_secrets(secrets_file, url)
    log = folder / "app.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            app_command(
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
                # Only this file: a developer's .streamlit/secrets.toml stays out of it.
                "--secrets.files",
                str(secrets_file),
            ),
            cwd=ROOT,
            env=_app_env(sandbox_url, data_dir, secrets_file),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    app = AppProcess(url=url, pid=proc.pid, log=log)
    try:
        _wait_healthy(app, proc, timeout)
        yield app, cookie_secret
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


# Loopback requests never go through a proxy configured in the environment.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _wait_healthy(app: AppProcess, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with code {proc.returncode}:\n{app.log_tail()}")
        with (
            contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError),
            _DIRECT.open(f"{app.url}/_stcore/health", timeout=5) as answer,
        ):
            if answer.status == 200:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"the app did not start in {timeout:.0f} s:\n{app.log_tail()}")
        time.sleep(0.2)


# --- a browser tab, over Streamlit's websocket ----------------------------------------------


@dataclass
class Visit:
    """One page as a session saw it."""

    session: int
    owner: str
    page: str
    phase: str
    seconds: float
    title: str | None = None
    main_text: str = ""
    errors: list[str] = field(default_factory=list)


class SessionBroken(Exception):
    """The socket closed or the app stopped answering: this session cannot go on."""


@dataclass
class _Run:
    """What one rerun rendered."""

    title: str | None = None
    main: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    selectboxes: dict[str, Any] = field(default_factory=dict)  # label -> Selectbox proto
    link_buttons: list[str] = field(default_factory=list)  # their URLs
    successes: list[str] = field(default_factory=list)


def login_cookie(cookie_secret: str, origin: str, user: dict[str, Any]) -> str:
    """The signed ``_streamlit_user`` cookie Streamlit's OIDC callback would have set.

    Signed as Streamlit signs it (itsdangerous, salted with the cookie's name; pinned
    Streamlit 1.67), and dated :data:`LOGGED_IN_AGO` seconds back: the login came before the
    tab opened, and a signature dated a moment ahead of the server's clock (another process,
    whole seconds) is refused as coming from the future.
    """
    from itsdangerous import TimestampSigner, URLSafeTimedSerializer

    class Earlier(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - LOGGED_IN_AGO

    payload = json.dumps({"origin": origin, **user})
    signed = URLSafeTimedSerializer(cookie_secret, salt="_streamlit_user", signer=Earlier)
    return signed.dumps(payload)


def xsrf_cookie(url: str) -> str:
    """The XSRF cookie the app sets on its health check (the page fetches it so)."""
    with _DIRECT.open(f"{url}/_stcore/health", timeout=30) as answer:
        for header in answer.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            if "_streamlit_xsrf" in jar:
                return jar["_streamlit_xsrf"].value
    raise RuntimeError("the app set no XSRF cookie (is hosted mode on?)")


class BrowserSession:
    """One browser tab on the app: a websocket session that asks for pages and reads them."""

    def __init__(
        self,
        url: str,
        cookie_secret: str,
        user: dict[str, Any],
        *,
        number: int = 0,
        owner: str = "",
        page_timeout: float = PAGE_TIMEOUT,
    ) -> None:
        self.url = url
        self.cookie_secret = cookie_secret
        self.user = user
        self.number = number
        self.owner = owner
        self.page_timeout = page_timeout
        self.page_hashes: dict[str, str] = {}  # URL path -> page script hash
        self.last: _Run = _Run()
        self._ws: ClientConnection | None = None

    async def connect(self) -> None:
        """Open the socket as a logged-in browser would (XSRF and login cookies)."""
        xsrf = await asyncio.to_thread(xsrf_cookie, self.url)
        cookie = login_cookie(self.cookie_secret, self.url, self.user)
        self._ws = await connect(
            self.url.replace("http://", "ws://", 1) + "/_stcore/stream",
            subprotocols=["streamlit", xsrf],  # type: ignore[list-item]  # the XSRF token rides as a subprotocol, as Streamlit's frontend sends it
            additional_headers={
                "Cookie": f"_streamlit_xsrf={xsrf}; _streamlit_user={cookie}",
                "Origin": self.url,
            },
            max_size=None,
            open_timeout=self.page_timeout,
        )

    async def close(self) -> None:
        """Close the tab."""
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def open(self, *, query: str = "", phase: str = "open") -> Visit:
        """Connect and run the app's default page (with ``query`` in the address)."""
        started = time.perf_counter()
        await self.connect()
        return await self._request("overview", phase, started, query=query)

    async def visit(self, page: str, *, phase: str) -> Visit:
        """Go to one of :data:`PAGES` (the sidebar's link) and wait until it has run."""
        path = PAGES[page][0]
        if path not in self.page_hashes:
            raise SessionBroken(f"the app offers no page {path or '(default)'!r} to this session")
        return await self._request(
            page, phase, time.perf_counter(), page_hash=self.page_hashes[path]
        )

    async def choose(self, label: str, option: str, *, phase: str) -> Visit:
        """Pick the option starting with ``option`` in the selectbox labelled ``label`` (as
        on the default page, where the setup uses it)."""
        box = self.last.selectboxes.get(label)
        if box is None:
            raise SessionBroken(f"no selectbox {label!r} on the page")
        wanted = next((o for o in box.options if o.startswith(option)), None)
        if wanted is None:
            raise SessionBroken(f"no option {option!r} in {label!r}: {list(box.options)}")
        back = _protos()["BackMsg"]()
        widget = back.rerun_script.widget_states.widgets.add()
        widget.id = box.id
        widget.string_value = wanted
        return await self._send(back, "overview", phase, time.perf_counter())

    async def _request(
        self, page: str, phase: str, started: float, *, query: str = "", page_hash: str = ""
    ) -> Visit:
        back = _protos()["BackMsg"]()
        back.rerun_script.query_string = query
        back.rerun_script.page_script_hash = page_hash
        return await self._send(back, page, phase, started)

    async def _send(self, back: Any, page: str, phase: str, started: float) -> Visit:
        if self._ws is None:
            raise SessionBroken("not connected")
        run = _Run()
        try:
            await self._ws.send(back.SerializeToString())
            await asyncio.wait_for(self._read_until_finished(run), self.page_timeout)
        except TimeoutError:
            raise SessionBroken(f"no answer within {self.page_timeout:.0f} s") from None
        except ConnectionClosed as exc:
            raise SessionBroken(f"the socket closed ({exc})") from None
        self.last = run
        return Visit(
            session=self.number,
            owner=self.owner,
            page=page,
            phase=phase,
            seconds=time.perf_counter() - started,
            title=run.title,
            main_text="\n".join(run.main),
            errors=run.errors,
        )

    async def _read_until_finished(self, run: _Run) -> None:
        assert self._ws is not None
        forward_msg = _protos()["ForwardMsg"]
        while True:
            data = await self._ws.recv(decode=False)
            msg = forward_msg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "delta":
                self._read_delta(msg, data, run)
            elif kind == "navigation":
                self.page_hashes = {
                    p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages
                }
            elif kind == "page_not_found":
                run.errors.append(f"page not found: {msg.page_not_found.page_name!r}")
            elif kind == "script_finished":
                status = forward_msg.ScriptFinishedStatus.Name(msg.script_finished)
                if status == "FINISHED_SUCCESSFULLY":
                    return
                if status == "FINISHED_WITH_COMPILE_ERROR":
                    run.errors.append("the script did not compile")
                    return
                # FINISHED_EARLY_FOR_RERUN: st.rerun; the run that follows is the page.

    def _read_delta(self, msg: Any, data: bytes, run: _Run) -> None:
        if msg.delta.WhichOneof("type") != "new_element":
            return
        element = msg.delta.new_element
        kind = element.WhichOneof("type")
        in_main = bool(msg.metadata.delta_path) and msg.metadata.delta_path[0] == 0
        if in_main:
            # The serialized message: labels, captions, metrics and Arrow tables alike hold
            # their strings as UTF-8, so every name a table shows is in here.
            run.main.append(data.decode("utf-8", "replace"))
        if kind == "exception":
            run.errors.append(f"exception: {element.exception.type}: {element.exception.message}")
        elif kind == "alert":
            alert = element.alert
            if alert.format == _protos()["Alert"].ERROR:
                run.errors.append(f"error: {alert.body}")
            elif alert.format == _protos()["Alert"].SUCCESS:
                run.successes.append(alert.body)
        elif kind == "heading" and in_main and element.heading.tag == "h1" and run.title is None:
            run.title = element.heading.body
        elif kind == "selectbox":
            run.selectboxes[element.selectbox.label] = element.selectbox
        elif kind == "link_button":
            run.link_buttons.append(element.link_button.url)


# --- owners and what each may see -----------------------------------------------------------


@dataclass(frozen=True)
class Owner:
    """A logged-in person, and the business their FreshBooks connection shows."""

    name: str
    user: dict[str, Any]
    business: str
    own_clients: frozenset[str]  # client names only this business has
    choose: bool  # picks the business in the sidebar (else the one the app opens on)

    def leaks(self, other: Owner, text: str) -> list[str]:
        """The other owner's names found in ``text``."""
        return sorted(n for n in (other.business, *other.own_clients) if n in text)


def owners_for(size: str) -> tuple[Owner, Owner]:
    """The two owners: A on the first business with books (where the app opens), B on the
    second (chosen in the sidebar). Names come from the sandbox's own seed data."""
    from sandbox.seed import generate

    first, second = generate(seed=SEED, size=size).businesses[:2]  # type: ignore[arg-type]  # a str from --size: an unknown size fails at run time

    def clients(business: Any) -> set[str]:
        return {c["organization"] for c in business.clients if c["organization"]}

    a_clients, b_clients = clients(first), clients(second)
    return (
        Owner("A", _oidc_user("a"), first.name, frozenset(a_clients - b_clients), False),
        Owner("B", _oidc_user("b"), second.name, frozenset(b_clients - a_clients), True),
    )


def _oidc_user(letter: str) -> dict[str, Any]:
    return {
        "is_logged_in": True,
        "iss": ISSUER,
        "sub": f"bench-owner-{letter}",
        "email": f"owner-{letter}@bench.test",
        "email_verified": True,
        "name": f"Bench owner {letter.upper()}",
    }


def approve(authorize_url: str) -> tuple[str, str]:
    """Click Approve on the sandbox's consent page; the code and state it redirects with."""
    parsed = urlparse(authorize_url)
    params = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    page = f"{parsed.scheme}://{parsed.netloc}{parsed.path}"
    with httpx2.Client(follow_redirects=False, trust_env=False, timeout=30) as browser:
        answer = browser.post(page, data={**params, "decision": "approve"})
    back = parse_qs(urlparse(answer.headers.get("location", "")).query)
    if "code" not in back:
        raise RuntimeError(f"the sandbox did not approve: {answer.status_code} {answer.text[:200]}")
    return back["code"][0], back["state"][0]


async def connect_owner(app: AppProcess, cookie_secret: str, owner: Owner) -> dict[str, Any]:
    """Connect FreshBooks as ``owner`` through the app, pick their business, visit every page
    once (so what is shared per business exists); the seconds each step took."""
    first = BrowserSession(app.url, cookie_secret, owner.user, owner=owner.name)
    started = time.perf_counter()
    await first.open(phase="setup")
    links = [u for u in first.last.link_buttons if "/oauth/authorize" in u]
    await first.close()
    if first.last.title != "Connect FreshBooks" or not links:
        raise RuntimeError(
            f"owner {owner.name}: the app showed {first.last.title!r}, not the Connect page "
            f"({first.last.errors})"
        )
    code, state = await asyncio.to_thread(approve, links[0])
    back = BrowserSession(app.url, cookie_secret, owner.user, owner=owner.name)
    connected = await back.open(query=urlencode({"code": code, "state": state}), phase="setup")
    timings: dict[str, Any] = {"connect_s": time.perf_counter() - started}
    if "FreshBooks is connected." not in back.last.successes or connected.title != "Overview":
        raise RuntimeError(
            f"owner {owner.name}: back from FreshBooks, the app showed {connected.title!r} "
            f"({back.last.successes or connected.errors})"
        )
    timings["first_overview_s"] = connected.seconds  # the first sync of the business included
    if owner.choose:
        chosen = await back.choose("Business", owner.business, phase="setup")
        timings["choose_business_s"] = chosen.seconds
    visits = [await back.visit(page, phase="setup") for page in PAGES]
    await back.close()
    for visit in visits:
        if visit.errors or owner.business not in visit.main_text:
            raise RuntimeError(f"owner {owner.name}: {visit.page} failed ({visit.errors})")
    timings["warm_pages_s"] = {v.page: v.seconds for v in visits}
    return timings


# --- the load ---------------------------------------------------------------------------------


@dataclass
class _Load:
    """Everything measured while the sessions run."""

    page_timeout: float = PAGE_TIMEOUT
    visits: list[Visit] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)  # why a session stopped early
    cut_short: bool = False  # the time limit came before every session joined and browsed
    rss_by_sessions: list[tuple[int, float]] = field(default_factory=list)
    rss_samples: list[float] = field(default_factory=list)
    # Per phase: the app's CPU seconds and the wall seconds it took.
    cpu_s: dict[str, float | None] = field(default_factory=dict)
    wall_s: dict[str, float] = field(default_factory=dict)

    @contextlib.contextmanager
    def phase(self, name: str, app: AppProcess) -> Iterator[None]:
        """Count the app's CPU and the wall time of the block as phase ``name``."""
        cpu, started = app.cpu_seconds(), time.monotonic()
        try:
            yield
        finally:
            after = app.cpu_seconds()
            self.cpu_s[name] = None if cpu is None or after is None else after - cpu
            self.wall_s[name] = time.monotonic() - started


async def _browse(
    session: BrowserSession,
    pages: Sequence[str],
    rounds: int,
    think: tuple[float, float],
    rng: random.Random,
    deadline: float,
    load: _Load,
) -> None:
    await asyncio.sleep(rng.uniform(0, think[1]))  # people do not all click at once
    for _round in range(rounds):
        for page in pages:
            if time.monotonic() > deadline:
                load.cut_short = True
                return
            load.visits.append(await session.visit(page, phase="load"))
            await asyncio.sleep(rng.uniform(*think))


async def _sample_rss(app: AppProcess, load: _Load, stop: asyncio.Event) -> None:
    while not stop.is_set():
        rss = app.rss_mb()
        if rss is not None:
            load.rss_samples.append(rss)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.25)


async def _join(
    app: AppProcess,
    cookie_secret: str,
    owners: tuple[Owner, Owner],
    count: int,
    deadline: float,
    load: _Load,
) -> list[BrowserSession]:
    """Sessions join one at a time (alternating owners), each visiting every page once; the
    app's RSS is read after each join. None joins after ``deadline``."""
    tabs: list[BrowserSession] = []
    for number in range(1, count + 1):
        if time.monotonic() > deadline:
            load.cut_short = True
            break
        owner = owners[(number - 1) % len(owners)]
        tab = BrowserSession(
            app.url,
            cookie_secret,
            owner.user,
            number=number,
            owner=owner.name,
            page_timeout=load.page_timeout,
        )
        tabs.append(tab)
        try:
            load.visits.append(await tab.open(phase="ramp"))
            for page in list(PAGES)[1:]:
                load.visits.append(await tab.visit(page, phase="ramp"))
        except SessionBroken as exc:
            load.broken.append(f"session {number} ({owner.name}), joining: {exc}")
            tabs.remove(tab)
            await tab.close()
            continue
        await asyncio.sleep(SETTLE)
        rss = app.rss_mb()
        if rss is not None:
            load.rss_by_sessions.append((number, rss))
    return tabs


async def _browse_all(
    app: AppProcess,
    tabs: list[BrowserSession],
    *,
    rounds: int,
    think: tuple[float, float],
    seed: int,
    deadline: float,
    load: _Load,
) -> None:
    """Every session browses at once; RSS is sampled meanwhile."""
    stop = asyncio.Event()
    sampler = asyncio.create_task(_sample_rss(app, load, stop))
    outcomes = await asyncio.gather(
        *(
            _browse(
                tab,
                list(PAGES),
                rounds,
                think,
                random.Random(seed * 1000 + tab.number),
                deadline,
                load,
            )
            for tab in tabs
        ),
        return_exceptions=True,
    )
    stop.set()
    await sampler
    for tab, outcome in zip(tabs, outcomes, strict=True):
        if isinstance(outcome, SessionBroken):
            load.broken.append(f"session {tab.number} ({tab.owner}), browsing: {outcome}")
        elif isinstance(outcome, BaseException):
            raise outcome


async def _drive(
    app: AppProcess,
    cookie_secret: str,
    owners: tuple[Owner, Owner],
    *,
    sessions: int,
    rounds: int,
    think: tuple[float, float],
    seed: int,
    deadline: float,
    page_timeout: float,
    say: Callable[[str], None],
) -> tuple[dict[str, Any], _Load]:
    """Setup, ramp and load (the module docstring's load model)."""
    setup: dict[str, Any] = {}
    load = _Load(page_timeout=page_timeout)
    with load.phase("setup", app):
        for owner in owners:
            say(f"owner {owner.name} connects FreshBooks and opens {owner.business}…")
            setup[owner.name] = await connect_owner(app, cookie_secret, owner)
    await asyncio.sleep(SETTLE)
    base = app.rss_mb()
    if base is not None:
        load.rss_by_sessions.append((0, base))
    tabs: list[BrowserSession] = []
    try:
        say(f"{sessions} sessions join one at a time, each visiting every page once…")
        with load.phase("ramp", app):
            tabs = await _join(app, cookie_secret, owners, sessions, deadline, load)
        say(f"{len(tabs)} sessions browse at once, {rounds} rounds of {len(PAGES)} pages…")
        with load.phase("load", app):
            await _browse_all(
                app, tabs, rounds=rounds, think=think, seed=seed, deadline=deadline, load=load
            )
    finally:
        for tab in tabs:
            with contextlib.suppress(Exception):
                await tab.close()
    return setup, load


# --- figures ----------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float | None:
    """The nearest-rank ``q`` percentile (0 < q <= 1) of ``values``; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def page_stats(seconds: Sequence[float]) -> dict[str, Any]:
    """Count, p50, p95 and max of page times."""
    return {
        "pages": len(seconds),
        "p50_s": percentile(seconds, 0.5),
        "p95_s": percentile(seconds, 0.95),
        "max_s": max(seconds) if seconds else None,
    }


def growth_per_session(points: Sequence[tuple[int, float]]) -> float | None:
    """The slope (MB per session) of the least-squares line through (sessions, RSS MB)."""
    if len({n for n, _ in points}) < 2:
        return None
    counts, rss = zip(*points, strict=True)
    return statistics.linear_regression(counts, rss).slope


def _checked(visits: Sequence[Visit], owners: tuple[Owner, Owner]) -> dict[str, Any]:
    """Errors and isolation over every page the counted sessions rendered."""
    by_name = {o.name: o for o in owners}
    errors: list[dict[str, Any]] = []
    leaks: list[dict[str, Any]] = []
    unnamed = 0
    own_clients_shown = 0  # pages naming a client of their own: the check is not vacuous
    for visit in visits:
        mine = by_name[visit.owner]
        other = next(o for o in owners if o is not mine)
        expected = PAGES[visit.page][1]
        problems = list(visit.errors)
        if visit.title != expected:
            problems.append(f"the page's title is {visit.title!r}, not {expected!r}")
        for problem in problems:
            errors.append({"session": visit.session, "page": visit.page, "error": problem})
        if mine.business not in visit.main_text:
            unnamed += 1
        if any(name in visit.main_text for name in mine.own_clients):
            own_clients_shown += 1
        found = mine.leaks(other, visit.main_text)
        if found:
            leaks.append({"session": visit.session, "page": visit.page, "found": found})
    return {
        "errors": errors,
        "leaks": leaks,
        "own_business_missing": unnamed,
        "own_clients_shown": own_clients_shown,
    }


def _cpu_figures(load: _Load) -> dict[str, dict[str, float | None]]:
    """Per phase: the app's CPU seconds, the wall seconds, the cores it kept busy on average
    (above 1: threads outside the GIL) and its CPU seconds per page visited."""
    figures: dict[str, dict[str, float | None]] = {}
    for name, wall in load.wall_s.items():
        cpu = load.cpu_s.get(name)
        pages = sum(1 for v in load.visits if v.phase == name)
        figures[name] = {
            "cpu_s": cpu,
            "wall_s": wall,
            "cores_busy": None if cpu is None or not wall else cpu / wall,
            "cpu_s_per_page": None if cpu is None or not pages else cpu / pages,
        }
    return figures


def run(
    sessions: int = 20,
    size: str = "medium",
    *,
    rounds: int = 2,
    think_s: tuple[float, float] = THINK_S,
    latency_ms: float = 0.0,
    seed: int = 7,
    time_limit_s: float = 900.0,
    page_timeout: float = PAGE_TIMEOUT,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Start a sandbox and the app, run the load model (module docstring), stop both; the
    figures as a JSON-ready dict.

    ``time_limit_s`` bounds the ramp and the browsing: no session joins and no page is asked
    for after it (a run that stopped early says so). ``seed`` makes the think times repeatable.
    """
    if sessions < 1 or rounds < 1:
        raise ValueError("sessions and rounds must be at least 1")
    say = progress or (lambda _message: None)
    owners = owners_for(size)
    started = time.monotonic()
    results: dict[str, Any] = {
        "bench": "sessions",
        "size": size,
        "sessions": sessions,
        "owners": {o.name: o.business for o in owners},
        "rounds": rounds,
        "pages_per_round": len(PAGES),
        "think_s": list(think_s),
        "latency_ms": latency_ms,
        "cpus": os.cpu_count(),
        # Other work on this machine slows the app down too: the 1, 5 and 15 minute averages.
        "loadavg_start": list(os.getloadavg()),
    }
    say(f"starting the sandbox (size {size}) and the app…")
    with (
        tempfile.TemporaryDirectory(prefix="copilot-sessions-") as folder,
        perf.sandbox_server(size, latency_ms) as sandbox,
        app_server(sandbox.url, Path(folder)) as (app, cookie_secret),
    ):
        results["rss_mb_started"] = app.rss_mb()
        client_cpu = time.process_time()
        setup, load = asyncio.run(
            _drive(
                app,
                cookie_secret,
                owners,
                sessions=sessions,
                rounds=rounds,
                think=think_s,
                seed=seed,
                deadline=started + time_limit_s,
                page_timeout=page_timeout,
                say=say,
            )
        )
        # This process's own CPU: the sessions' sockets and parsing share the machine too.
        results["client_cpu_s"] = time.process_time() - client_cpu
        # The kernel's high-water mark lags a little behind RSS itself: the larger of the two.
        results["rss_mb_peak"] = max(
            (mb for mb in (app.peak_rss_mb(), *load.rss_samples) if mb is not None), default=None
        )
    results["setup"] = setup
    loaded = [v.seconds for v in load.visits if v.phase == "load"]
    ramped = [v.seconds for v in load.visits if v.phase == "ramp"]
    results["pages_visited"] = len(load.visits)
    results["load"] = page_stats(loaded)
    results["ramp"] = page_stats(ramped)
    results["by_page"] = {
        page: page_stats([v.seconds for v in load.visits if v.phase == "load" and v.page == page])
        for page in PAGES
    }
    results["stopped_early"] = load.cut_short
    counted = [(n, rss) for n, rss in load.rss_by_sessions if n > 0]
    results["rss_mb"] = {
        "before_sessions": next((r for n, r in load.rss_by_sessions if n == 0), None),
        "by_sessions": [[n, rss] for n, rss in counted],
        "peak_while_browsing": max(load.rss_samples) if load.rss_samples else None,
    }
    results["rss_per_session_mb"] = growth_per_session(counted)
    checked = _checked(load.visits, owners)
    results["errors"] = checked["errors"][:20] + [
        {"session": None, "error": b} for b in load.broken
    ]
    results["error_count"] = len(checked["errors"]) + len(load.broken)
    results["isolation"] = {
        "pages_checked": len(load.visits),
        "leaks": checked["leaks"][:20],
        "leak_count": len(checked["leaks"]),
        "own_business_missing": checked["own_business_missing"],
        "own_clients_shown": checked["own_clients_shown"],
    }
    results["app_cpu"] = _cpu_figures(load)
    results["wall_s"] = time.monotonic() - started
    results["loadavg_end"] = list(os.getloadavg())
    results["targets"] = {
        "page_p95_seconds": verdict(TARGETS, "page_p95_seconds", results["load"]["p95_s"]),
        "rss_per_session_mb": verdict(TARGETS, "rss_per_session_mb", results["rss_per_session_mb"]),
        "page_errors": verdict(TARGETS, "page_errors", results["error_count"]),
        "isolation_leaks": verdict(
            TARGETS,
            "isolation_leaks",
            checked["own_business_missing"] + len(checked["leaks"]),
        ),
    }
    return results


# --- output -----------------------------------------------------------------------------------


def _seconds(value: float | None) -> str:
    return f"{value:>7.2f}" if value is not None else f"{'n/a':>7}"


def render(results: dict[str, Any]) -> str:
    """The results as a plain-text table."""
    owners = results["owners"]
    out = [
        f"sessions · {results['sessions']} sessions on one app process · size {results['size']} · "
        f"owner A on {owners['A']}, owner B on {owners['B']} · {results['cpus']} CPUs",
        f"   {results['rounds']} rounds of {results['pages_per_round']} pages each, think time "
        f"{results['think_s'][0]:g}–{results['think_s'][1]:g} s; {results['pages_visited']} pages "
        f"in {results['wall_s']:.0f} s"
        + ("; STOPPED EARLY at the time limit" if results["stopped_early"] else ""),
        "",
        f"{'page seconds':26} {'pages':>6} {'p50':>7} {'p95':>7} {'max':>7}",
    ]
    for label, stats in (
        ("joining (one at a time)", results["ramp"]),
        ("all browsing at once", results["load"]),
    ):
        out.append(
            f"{label:26} {stats['pages']:>6} {_seconds(stats['p50_s'])} "
            f"{_seconds(stats['p95_s'])} {_seconds(stats['max_s'])}"
        )
    for page, stats in results["by_page"].items():
        out.append(
            f"   {page:23} {stats['pages']:>6} {_seconds(stats['p50_s'])} "
            f"{_seconds(stats['p95_s'])} {_seconds(stats['max_s'])}"
        )
    rss = results["rss_mb"]
    points = ", ".join(f"{n}: {mb:.0f}" for n, mb in rss["by_sessions"])
    slope = results["rss_per_session_mb"]
    out += [
        "",
        f"app RSS (MB): {results['rss_mb_started'] or 0:.0f} started, "
        f"{rss['before_sessions'] or 0:.0f} with both owners' books loaded; by sessions {points}",
        f"   growth per added session {slope:.2f} MB (least squares); peak while browsing "
        f"{rss['peak_while_browsing'] or 0:.0f} MB, lifetime peak {results['rss_mb_peak'] or 0:.0f} MB"
        if slope is not None
        else "   growth per added session: n/a",
        "",
        "app CPU: "
        + "; ".join(
            f"{name} {c['cpu_s'] or 0:.0f} s in {c['wall_s']:.0f} s ({c['cores_busy'] or 0:.2f} cores"
            + (f", {c['cpu_s_per_page']:.2f} s a page)" if c["cpu_s_per_page"] else ")")
            for name, c in results["app_cpu"].items()
        ),
        f"   the sessions' client (this process) used {results['client_cpu_s']:.0f} s of CPU; "
        f"machine load average (1 min) {results['loadavg_start'][0]:.1f} at the start, "
        f"{results['loadavg_end'][0]:.1f} at the end, on {results['cpus']} CPUs",
        "",
        "setup (per owner): "
        + "; ".join(
            f"{name} connect {s['connect_s']:.1f} s (first sync {s['first_overview_s']:.1f} s)"
            for name, s in results["setup"].items()
        ),
        f"errors: {results['error_count']}; isolation: {results['isolation']['pages_checked']} "
        f"pages checked, {results['isolation']['leak_count']} with the other owner's names, "
        f"{results['isolation']['own_business_missing']} without their own business",
    ]
    out += [f"   {e}" for e in results["errors"][:5]]
    out += ["", "targets"]
    for judged in results["targets"].values():
        value = judged["value"]
        shown = "n/a" if value is None else f"{value:.2f}" if isinstance(value, float) else value
        out.append(f"   {mark(judged):4} {judged['target']:48} measured {shown}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark, print the table and one JSON line; returns the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--size", choices=["small", "medium", "large"], default="medium")
    parser.add_argument("--rounds", type=int, default=2, help="times through every page")
    parser.add_argument("--think-min", type=float, default=THINK_S[0], help="seconds")
    parser.add_argument("--think-max", type=float, default=THINK_S[1], help="seconds")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added by the sandbox")
    parser.add_argument("--time-limit", type=float, default=900.0, help="seconds of browsing")
    parser.add_argument("--quiet", action="store_true", help="print only the JSON line")
    args = parser.parse_args(argv)
    say = None if args.quiet else lambda message: print(message, file=sys.stderr, flush=True)
    results: dict[str, Any] = rounded(
        run(
            args.sessions,
            args.size,
            rounds=args.rounds,
            think_s=(args.think_min, args.think_max),
            latency_ms=args.latency_ms,
            time_limit_s=args.time_limit,
            progress=say,
        )
    )
    if not args.quiet:
        print(render(results), flush=True)
    print(json.dumps(results, default=str), flush=True)
    return results


if __name__ == "__main__":
    main()
