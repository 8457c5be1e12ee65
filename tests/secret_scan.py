"""After the whole test run: no token, client secret or API key in any log line, rendered page
or URL. A pytest plugin (registered by ``tests/conftest.py``; ``-p tests.secret_scan`` elsewhere).

What it collects, from the start of the session to its end:

- **log lines**: every record of every logger, formatted, through a handler on the root logger
  (the root level is lowered to DEBUG for the session, so nothing is filtered out before it),
  plus the output files of the servers the browser tests start (registered by their helpers);
- **rendered pages**: every ``AppTest`` run (all elements, tables included) and every page the
  browser tests saw (``page.content()`` and ``page.url`` at each step, from their helpers);
- **URLs**: every address the browser visited or requested, and every AppTest's query string.

What it looks for:

- **known secrets**: the client secret of every sandbox and OAuth configuration built in this
  process (``SandboxConfig``, ``Settings``), every token an in-process sandbox issued (its
  grant writes), the tokens in the grant tables of sandbox servers run as subprocesses
  (``register_sandbox_db``), the OpenAI keys and token encryption keys in ``Settings`` and
  ``Cipher``, and whatever a test registers with ``register_secret``;
- **patterns**: ``Bearer`` credentials, ``access_token=``/``refresh_token=``/``client_secret=``
  with a value, the same keys in JSON, and ``sk-...`` API keys.

A finding fails the run (exit status 1) with a message naming where it was found, never the
secret itself. So that it cannot pass vacuously, the run also fails when the scan saw too
little: a log record sent at the start or at the end of the session was not captured, a
passed browser test recorded no page, a passed AppTest test no render, or (for the whole suite)
fewer lines, pages and known secrets than such a run produces.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

__all__ = [
    "Collector",
    "Finding",
    "record_log",
    "record_page",
    "record_url",
    "register_log_file",
    "register_sandbox_db",
    "register_secret",
]

# Known values shorter than this are too common to look for ("secret", "a"): tests use such
# stand-ins with mocked transports, and a real credential is never that short.
MIN_SECRET_LENGTH = 10
# What the whole suite, run to its end, must have scanned at least. A full run (November
# 2026) saw about 18,000 log lines, 160 AppTest renders, 39 browser pages, 970 URLs and 280
# known secrets; the floors leave room for the suite to change.
FLOORS = {"log lines": 2000, "rendered pages": 100, "known secrets": 20}
BROWSER_FLOORS = {"browser pages": 20, "URLs": 50}

PATTERNS: dict[str, re.Pattern[str]] = {
    "a Bearer credential": re.compile(r"\bBearer\s+(?!realm\b)[A-Za-z0-9\-._~+/]{8,}=*"),
    "a token or client secret in a query or form": re.compile(
        r"\b(?:access_token|refresh_token|client_secret|api_key)=[^&\s\"'<>]{4,}"
    ),
    "a token or client secret in JSON": re.compile(
        r"[\"'](?:access_token|refresh_token|client_secret|api_key)[\"']\s*:\s*[\"'][^\"']{4,}[\"']"
    ),
    "an API key (sk-...)": re.compile(r"(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{16,}"),
}


@dataclass(frozen=True)
class Finding:
    """One secret found: what kind, and where (never the value)."""

    what: str
    where: str

    def __str__(self) -> str:
        return f"{self.what} in {self.where}"


@dataclass
class Collector:
    """Everything seen during the run, and the secrets to look for in it."""

    logs: list[tuple[str, str]] = field(default_factory=list)  # (where, formatted record)
    pages: list[tuple[str, str]] = field(default_factory=list)  # (where, text or HTML)
    urls: list[tuple[str, str]] = field(default_factory=list)  # (where, URL)
    log_files: list[tuple[str, Path]] = field(default_factory=list)
    sandbox_dbs: list[Path] = field(default_factory=list)
    secrets: dict[str, str] = field(default_factory=dict)  # value -> label
    counts: dict[str, int] = field(default_factory=dict)  # "browser pages", "AppTest renders"
    pages_by_test: dict[tuple[str, str], int] = field(default_factory=dict)
    test: str = "session setup"
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # --- collecting ------------------------------------------------------------------------

    def secret(self, value: object, label: str) -> None:
        """Look for ``value`` (a credential) everywhere; short values are ignored."""
        if isinstance(value, bytes):
            value = value.decode(errors="replace")
        if isinstance(value, str) and len(value.strip()) >= MIN_SECRET_LENGTH:
            with self._lock:
                self.secrets.setdefault(value.strip(), label)

    def log(self, text: str, where: str | None = None) -> None:
        """One formatted log line (or block) seen during ``where`` (the current test)."""
        with self._lock:
            self.logs.append((where or self.test, text))

    def page(self, text: str, where: str, kind: str) -> None:
        """A rendered page (text or HTML) of ``kind`` ("browser pages", "AppTest renders")."""
        with self._lock:
            self.pages.append((f"{kind[:-1]} #{self.counts.get(kind, 0) + 1} in {where}", text))
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.pages_by_test[where, kind] = self.pages_by_test.get((where, kind), 0) + 1

    def url(self, url: str, where: str | None = None) -> None:
        """An address visited or requested."""
        with self._lock:
            self.urls.append((where or self.test, url))

    # --- scanning --------------------------------------------------------------------------

    def _sandbox_tokens(self) -> None:
        for path in self.sandbox_dbs:
            if not path.exists():
                continue
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                rows = conn.execute("SELECT token, body FROM grants").fetchall()
            except sqlite3.Error:
                rows = []
            finally:
                conn.close()
            for token, body in rows:
                if '"type":"code"' not in body.replace(" ", ""):
                    self.secret(token, f"a token issued by the sandbox server ({path.name})")

    def texts(self) -> Iterator[tuple[str, str]]:
        """Every text to scan, with where it came from."""
        for n, (where, text) in enumerate(self.logs, 1):
            yield f"log record #{n} (during {where})", text
        for label, path in self.log_files:
            try:
                yield f"server output {label} ({path})", path.read_text(errors="replace")
            except OSError:
                continue
        yield from self.pages
        for n, (where, url) in enumerate(self.urls, 1):
            yield f"URL #{n} (during {where})", url

    def scan(self) -> list[Finding]:
        """Every place a known secret or a secret-looking pattern appears."""
        self._sandbox_tokens()
        secrets = sorted(self.secrets.items(), key=lambda item: -len(item[0]))
        findings: list[Finding] = []
        for where, text in self.texts():
            findings += [Finding(label, where) for value, label in secrets if value in text]
            findings += [Finding(name, where) for name, rx in PATTERNS.items() if rx.search(text)]
        return findings

    def sizes(self) -> dict[str, int]:
        """How much was scanned, by kind."""
        return {
            "log lines": len(self.logs) + len(self.log_files),
            "rendered pages": len(self.pages),
            "browser pages": self.counts.get("browser pages", 0),
            "AppTest renders": self.counts.get("AppTest renders", 0),
            "URLs": len(self.urls),
            "known secrets": len(self.secrets),
        }

    def too_little(
        self, expected: Iterable[tuple[str, str]], *, whole_suite: bool = False
    ) -> list[str]:
        """Why the scan would prove nothing (empty when it saw enough).

        ``expected`` names the passed tests that must have shown pages, and of which kind;
        ``whole_suite`` (every test, run to the end) also holds the sizes to the floors.
        """
        sizes = self.sizes()
        problems = []
        texts = [text for _, text in self.logs]
        for canary in (CANARY_START, CANARY_END):
            # Through the logging tree at the start and at the end: the handler was attached
            # and nothing (a dictConfig, a basicConfig(force=True)) had removed it.
            if not any(canary in text for text in texts):
                problems.append(f"the log record {canary!r} was not captured")
        expected = list(expected)
        for test, kind in expected:
            if not self.pages_by_test.get((test, kind)):
                problems.append(f"{test} passed, but none of its {kind} was recorded")
        if whole_suite:
            floors = dict(FLOORS)
            if any(kind == "browser pages" for _, kind in expected):
                floors.update(BROWSER_FLOORS)
            for name, floor in floors.items():
                if sizes[name] < floor:
                    problems.append(f"only {sizes[name]} {name} (a full run has {floor}+)")
        return problems


CANARY_START = "secret scan: collecting log records"
CANARY_END = "secret scan: still collecting log records"

_ACTIVE: Collector | None = None


def _collector() -> Collector | None:
    return _ACTIVE


def register_secret(value: object, label: str) -> None:
    """Add a credential the scan must not find anywhere (no-op without the plugin)."""
    if _ACTIVE is not None:
        _ACTIVE.secret(value, label)


def register_sandbox_db(path: Path) -> None:
    """A sandbox server's ``--db`` file: every token in its grant table is a known secret."""
    if _ACTIVE is not None:
        _ACTIVE.sandbox_dbs.append(Path(path))


def register_log_file(path: Path, label: str) -> None:
    """A server's output file, scanned at the end like the log lines."""
    if _ACTIVE is not None:
        _ACTIVE.log_files.append((label, Path(path)))


def record_log(text: str, where: str) -> None:
    """A line a server printed (scanned like the log records)."""
    if _ACTIVE is not None:
        _ACTIVE.log(text, where)


def record_page(text: str, kind: str = "browser pages") -> None:
    """A rendered page (its text or HTML) seen by the current test."""
    if _ACTIVE is not None:
        _ACTIVE.page(text, _ACTIVE.test, kind)


def record_url(url: str) -> None:
    """An address the current test's browser visited or requested."""
    if _ACTIVE is not None:
        _ACTIVE.url(url)


# --- where secrets come from, and where pages come from ---------------------------------------


class _CollectingHandler(logging.Handler):
    def __init__(self, collector: Collector) -> None:
        super().__init__(level=logging.NOTSET)
        self.collector = collector
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.collector.log(self.format(record))
        except Exception:  # a record that cannot be formatted is the emitter's bug
            self.handleError(record)


def _wrap(owner: Any, name: str, after: Callable[..., None]) -> Callable[[], None]:
    """Call ``after(self, *args, result=...)`` after ``owner.name``; returns the undo."""
    original = getattr(owner, name)

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        try:
            after(self, *args, result=result, **kwargs)
        except Exception:  # the scan must never break the code under test
            logging.getLogger(__name__).debug("secret-scan hook failed", exc_info=True)
        return result

    setattr(owner, name, wrapper)
    return lambda: setattr(owner, name, original)


def _install_hooks(collector: Collector) -> list[Callable[[], None]]:
    from sandbox.config import SandboxConfig
    from sandbox.core.db import Database
    from settings import Settings
    from store.crypto import Cipher

    def sandbox_config(config: Any, *_: Any, **__: Any) -> None:
        collector.secret(config.client_secret, "a sandbox client secret")

    def grant(_db: Any, token: str, body: dict[str, Any], **__: Any) -> None:
        kinds = {"access": "an access token", "refresh": "a refresh token"}
        if body.get("type") in kinds:
            collector.secret(token, f"{kinds[body['type']]} issued by an in-process sandbox")

    def settings(s: Any, *_: Any, **__: Any) -> None:
        collector.secret(s.freshbooks_client_secret, "a FreshBooks client secret (Settings)")
        collector.secret(s.openai_api_key, "an OpenAI API key (Settings)")
        collector.secret(s.copilot_secret_key, "the token encryption key (Settings)")

    def cipher(_cipher: Any, key: Any = None, *_: Any, **__: Any) -> None:
        collector.secret(key, "a token encryption key")

    undo = [
        _wrap(SandboxConfig, "__post_init__", sandbox_config),
        _wrap(Database, "put_grant", grant),
        _wrap(Settings, "__post_init__", settings),
        _wrap(Cipher, "__init__", cipher),
    ]
    try:
        from streamlit.testing.v1 import AppTest

        from .support.apptest_text import rendered_text
    except ImportError:  # pragma: no cover - streamlit is a runtime dependency
        return undo

    def apptest(at: Any, *_: Any, result: Any = None, **__: Any) -> None:
        collector.page(rendered_text(at), collector.test, "AppTest renders")
        query = "&".join(f"{k}={v}" for k, v in dict(at.query_params).items())
        if query:
            collector.url(f"?{query}")

    undo.append(_wrap(AppTest, "_run", apptest))
    return undo


# --- the plugin ---------------------------------------------------------------------------------


@dataclass
class _Run:
    handler: _CollectingHandler
    root_level: int
    undo: list[Callable[[], None]]
    expected: list[tuple[str, str]] = field(default_factory=list)  # (test, kind of page)
    findings: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


_RUN_KEY = pytest.StashKey[_Run]()


def pytest_sessionstart(session: pytest.Session) -> None:
    """Start collecting: the root log handler and the hooks that learn secrets and pages."""
    global _ACTIVE
    collector = Collector()
    _ACTIVE = collector
    handler = _CollectingHandler(collector)
    root = logging.getLogger()
    run = _Run(handler=handler, root_level=root.level, undo=_install_hooks(collector))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    session.config.stash[_RUN_KEY] = run
    logging.getLogger(__name__).debug(CANARY_START)


def pytest_runtest_logstart(nodeid: str, location: tuple[str, int | None, str]) -> None:
    """Label what is collected from now on with the test that produced it."""
    if _ACTIVE is not None:
        _ACTIVE.test = nodeid


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    """Remember the passed tests that must have shown the scan something."""
    report = yield
    run = item.config.stash.get(_RUN_KEY, None)
    if run is not None and report.when == "call" and report.passed:
        names = set(getattr(item, "fixturenames", ()))
        if "app" in names and item.nodeid.startswith("tests/app/"):  # its AppTest factory
            run.expected.append((item.nodeid, "AppTest renders"))
        if item.get_closest_marker("browser") and names & {"page", "context"}:  # a tab
            run.expected.append((item.nodeid, "browser pages"))
    return report


def _whole_suite(session: pytest.Session) -> bool:
    """Every test of the suite ran to the end: no paths, -k, -m, deselection or early stop."""
    config = session.config
    tests = Path(__file__).resolve().parent
    paths = {Path(str(arg).split("::")[0]).resolve() for arg in config.args}
    return (
        paths <= {tests, tests.parent}
        and not config.option.keyword
        and not config.option.markexpr
        and not getattr(config.option, "deselect", None)
        and not getattr(config.option, "lf", False)
        and not session.shouldstop
        and not session.shouldfail
        and session.testscollected > 0
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Scan everything; a finding (or a scan that saw too little) fails the run."""
    global _ACTIVE
    run = session.config.stash.get(_RUN_KEY, None)
    if run is None or _ACTIVE is None:
        return
    collector = _ACTIVE
    logging.getLogger(__name__).debug(CANARY_END)
    root = logging.getLogger()
    root.removeHandler(run.handler)
    root.setLevel(run.root_level)
    for undo in run.undo:
        undo()
    _ACTIVE = None
    if exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        return  # interrupted or nothing collected: nothing meaningful to scan
    run.findings = collector.scan()
    run.problems = collector.too_little(run.expected, whole_suite=_whole_suite(session))
    session.config.stash[_SIZES_KEY] = collector.sizes()
    if run.findings or run.problems:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_SIZES_KEY = pytest.StashKey[dict[str, int]]()


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """Say what was scanned, and every finding by place (never the secret)."""
    run = config.stash.get(_RUN_KEY, None)
    sizes = config.stash.get(_SIZES_KEY, None)
    if run is None or sizes is None:
        return
    scanned = ", ".join(f"{n:,} {name}" for name, n in sizes.items())
    if not run.findings and not run.problems:
        terminalreporter.write_line(f"secret scan: nothing found in {scanned}", green=True)
        return
    terminalreporter.section("secret scan FAILED", sep="=", red=True, bold=True)
    terminalreporter.write_line(f"scanned {scanned}")
    shown = run.findings[:50]
    for finding in shown:
        terminalreporter.write_line(f"secret found: {finding}", red=True)
    if len(run.findings) > len(shown):
        terminalreporter.write_line(f"... and {len(run.findings) - len(shown)} more", red=True)
    for problem in run.problems:
        terminalreporter.write_line(f"the scan saw too little: {problem}", red=True)
