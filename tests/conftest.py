"""Shared fixtures. Every HTTP test goes through a respx router that fails on unmocked requests.

Store tests take ``store_url`` (or ``store_engine``) and so run twice, once per backend: on a
SQLite file and on a PostgreSQL database of a private server started for the session (see
``tests/support/postgres_server.py``; ``COPILOT_SKIP_POSTGRES=1`` skips the PostgreSQL runs).
"""

from __future__ import annotations

import contextlib
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from fbclient import FreshBooksClient, RetryPolicy
from fbclient.identity import Business
from store.db import make_engine

from . import secret_scan
from .support import clock, schema_meter
from .support.constants import ACCOUNT_ID, API, BUSINESS_ID
from .support.postgres_server import PostgresServer, PostgresUnavailable, running_postgres

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def fb(httpx2_mock) -> Iterator[FreshBooksClient]:
    """A client on a bare token whose retries do not sleep; HTTP goes to ``httpx2_mock``."""
    client = FreshBooksClient.with_access_token(
        "test-access-token", api_url=API, retry=RetryPolicy(base_delay=0, max_delay=0)
    )
    client.http._sleep = lambda _seconds: None
    yield client
    client.close()


@pytest.fixture
def business() -> Business:
    """A business with both accounting and project-family ids."""
    return Business(
        business_id=BUSINESS_ID,
        account_id=ACCOUNT_ID,
        business_uuid="u-1",
        name="Demo",
        role="owner",
    )


@pytest.fixture
def books(fb, business):
    """The resources of :func:`business`."""
    return fb.business(business)


@contextlib.contextmanager
def _sandbox_process(tmp_path_factory: pytest.TempPathFactory, *extra: str) -> Iterator[str]:
    """``python -m sandbox`` (with ``extra`` options) on a free loopback port: its base URL."""
    db = tmp_path_factory.mktemp("sandbox-server") / "sandbox.db"
    secret_scan.register_sandbox_db(db)  # the after-suite scan looks for every token it issued
    args = ["--port", "0", "--size", "small", "--seed", "7", "--db", str(db), *extra]
    proc = subprocess.Popen(
        clock.sandbox_command(*args),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    try:
        url = None
        while url is None:
            line = lines.get(timeout=60)
            if line.startswith("sandbox listening on "):
                url = line.split("sandbox listening on ", 1)[1].strip()
        assert url.startswith("http://127.0.0.1:")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()
        while not lines.empty():  # what it printed, for the secret scan
            secret_scan.record_log(lines.get_nowait().rstrip(), "a sandbox server fixture")


@pytest.fixture(scope="session")
def sandbox_server(tmp_path_factory) -> Iterator[str]:
    """``python -m sandbox`` on a free loopback port; yields its base URL."""
    with _sandbox_process(tmp_path_factory) as url:
        yield url


@pytest.fixture(scope="session")
def guide_sandbox_server(tmp_path_factory) -> Iterator[str]:
    """The sandbox with its OAuth app registered for exactly the integration guide's 17 scopes
    (``--scopes``), as people set their FreshBooks app up."""
    from copilot.scopes import GUIDE_SCOPES

    with _sandbox_process(tmp_path_factory, "--scopes", " ".join(GUIDE_SCOPES)) as url:
        yield url


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A private PostgreSQL server on loopback, started once per session when first needed."""
    with contextlib.ExitStack() as stack:
        try:
            server = stack.enter_context(running_postgres())
        except PostgresUnavailable as exc:
            pytest.skip(f"PostgreSQL not available: {exc}")
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> Iterator[str]:
    """A fresh, empty store database URL, once per backend (test ids ``[sqlite]``, ``[postgresql]``).

    SQLite: a file in a folder that does not exist yet (``make_engine`` makes it). PostgreSQL:
    a new database on :func:`postgres_server`, dropped after the test (open connections too).
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store' / 'copilot.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database()
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)


@pytest.fixture
def store_engine(store_url) -> Iterator[Engine]:
    """``make_engine(store_url)``: the store's tables created, disposed after the test."""
    engine = make_engine(store_url)
    yield engine
    engine.dispose()


def pytest_configure(config: pytest.Config) -> None:
    """Move the clocks to ``COPILOT_TEST_NOW``; after the run, scan for secrets.

    The secret scan (``tests/secret_scan.py``) reads the run's logs, pages and URLs.
    """
    clock.start()
    if not config.pluginmanager.has_plugin("copilot-secret-scan"):
        config.pluginmanager.register(secret_scan, "copilot-secret-scan")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A model request over the tool-schema limit fails the run, even if a loop swallowed it."""
    if schema_meter.violations() and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The largest tool schemas one model request of the run carried (``schema_meter``)."""
    if not schema_meter.requests():
        return
    terminalreporter.write_line(
        f"largest tool schemas in one model request: {schema_meter.largest():,} characters "
        f"({schema_meter.requests():,} requests, limit {schema_meter.LIMIT:,})"
    )
    for violation in schema_meter.violations():
        terminalreporter.write_line(f"over the tool-schema limit: {violation}", red=True)


# The process's own ``__main__`` (pytest), before any test could replace it.
_MAIN = sys.modules.get("__main__")


@pytest.fixture(autouse=True)
def _keep_main_module() -> Iterator[None]:
    """Each test starts and ends with the process's own ``__main__``: AppTest runs app.py as
    ``__main__``, and a process spawned later would then run the app (and open ./data)."""
    if _MAIN is not None:
        sys.modules["__main__"] = _MAIN
    yield
    if _MAIN is not None:
        sys.modules["__main__"] = _MAIN
