"""The after-suite secret scan (tests/secret_scan.py) finds what it must, where it must, and
fails a run that leaked, without printing the secret."""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sandbox import SandboxConfig, create_app
from sandbox.demo_token import issue_token
from settings import Settings
from store.crypto import Cipher, load_or_create_key
from tests.support.sandbox import sandbox_state, tiny_demo

from . import secret_scan
from .secret_scan import Collector, Finding, _CollectingHandler

ROOT = Path(__file__).resolve().parents[1]


def planted() -> str:
    return f"planted-{secrets.token_hex(16)}"


def log_through_handler(collector: Collector, message: str, *args: object) -> None:
    # A record made and handled directly: the session's own handler never sees it.
    record = logging.LogRecord("copilot.test", logging.INFO, __file__, 1, message, args, None)
    _CollectingHandler(collector).handle(record)


def test_a_secret_planted_in_a_log_record_is_caught():
    collector = Collector(test="tests/test_x.py::test_leaky")
    secret = planted()
    collector.secret(secret, "an access token")
    log_through_handler(collector, "refreshed the token: %s", secret)
    log_through_handler(collector, "nothing to see here")
    findings = collector.scan()
    assert findings == [
        Finding("an access token", "log record #1 (during tests/test_x.py::test_leaky)")
    ]
    assert secret not in str(findings[0])


def test_a_traceback_in_a_log_record_is_scanned_too():
    collector = Collector()
    secret = planted()
    collector.secret(secret, "a client secret")
    try:
        raise ValueError(f"bad client {secret}")
    except ValueError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "failed", (), exc_info=sys.exc_info()
        )
    _CollectingHandler(collector).handle(record)
    assert [f.what for f in collector.scan()] == ["a client secret"]


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("headers: Authorization: Bearer 4f9c2e7a1b3d5f60", "a Bearer credential"),
        ("POST grant_type=refresh_token&refresh_token=0a1b2c3d4e", "a token or client secret in a query or form"),
        ("https://app.test/?client_secret=abcdef&x=1", "a token or client secret in a query or form"),
        ('answer {"access_token": "0a1b2c3d4e5f", "expires_in": 43200}', "a token or client secret in JSON"),
        ("OPENAI_API_KEY=sk-proj-AbCdEf0123456789xyz", "an API key (sk-...)"),
    ],
)  # fmt: skip
def test_secret_looking_patterns_are_caught_in_pages_and_urls(text, what):
    collector = Collector(test="t")
    collector.page(text, "t", "browser pages")
    collector.url(text)
    findings = collector.scan()
    assert Finding(what, "browser page #1 in t") in findings
    assert Finding(what, "URL #1 (during t)") in findings


@pytest.mark.parametrize(
    "text",
    [
        'WWW-Authenticate: Bearer realm="FreshBooks"',
        "the refresh_token field is single-use; client_secret= is sent in the body",
        "risk-management-and-other-long-words and desk-0123456789abcdefgh",
        "?code=0a1b2c3d4e5f&state=abc",  # an authorization code belongs in the redirect
        "Secrets stay encrypted: secret, token, key",
    ],
)
def test_ordinary_text_is_not_a_finding(text):
    collector = Collector()
    collector.secret("secret", "too short to look for")
    collector.log(text)
    collector.page(text, "t", "AppTest renders")
    collector.url(text)
    assert collector.scan() == []


def test_tokens_of_a_sandbox_server_are_read_from_its_database(tmp_path):
    db = tmp_path / "sandbox.db"
    app = create_app(SandboxConfig(db=str(db)), tiny_demo())
    token = issue_token(app)
    sandbox_state(app).close()
    collector = Collector()
    collector.sandbox_dbs.append(db)
    collector.page(f"<p>{token['refresh_token']}</p>", "t", "browser pages")
    collector.url(f"https://app.test/#{token['access_token'][:20]}")  # a prefix is not a token
    findings = collector.scan()
    assert findings == [Finding("a token issued by the sandbox server (sandbox.db)", "browser page #1 in t")]  # fmt: skip


def test_this_sessions_secrets_are_learnt_where_they_are_made(tmp_path):
    active = secret_scan._ACTIVE
    assert active is not None, "the secret scan plugin is not active in this run"
    key = f"sk-{secrets.token_hex(12)}"
    Settings(openai_api_key=key, freshbooks_client_id="c", freshbooks_client_secret="cs-" + key)
    token = issue_token(app := create_app(SandboxConfig(), tiny_demo()))
    sandbox_state(app).close()
    assert active.secrets[key] == "an OpenAI API key (Settings)"
    assert active.secrets["cs-" + key] == "a FreshBooks client secret (Settings)"
    assert active.secrets[token["access_token"]].startswith("an access token")
    assert active.secrets[token["refresh_token"]].startswith("a refresh token")
    assert "sandbox-secret" in active.secrets  # first learnt from a SandboxConfig or Settings
    generated = load_or_create_key(None, tmp_path)
    Cipher(generated)
    assert active.secrets[generated] == "a token encryption key"


def test_a_scan_that_saw_nothing_fails():
    empty = Collector()
    problems = empty.too_little([("tests/browser/test_x.py::test_y", "browser pages")])
    assert any(secret_scan.CANARY_START in p for p in problems)
    assert any(secret_scan.CANARY_END in p for p in problems)
    assert any("test_y passed, but none of its browser pages" in p for p in problems)
    enough = Collector()
    log_through_handler(enough, secret_scan.CANARY_START)
    log_through_handler(enough, secret_scan.CANARY_END)
    enough.page("<html>", "tests/app/t.py::t", "AppTest renders")
    assert enough.too_little([("tests/app/t.py::t", "AppTest renders")]) == []
    # The whole suite must have shown what the whole suite shows.
    whole = enough.too_little([], whole_suite=True)
    assert any("log lines" in p for p in whole)
    assert any("known secrets" in p for p in whole)


def test_this_session_is_being_collected():
    active = secret_scan._ACTIVE
    assert active is not None
    assert logging.getLogger().level == logging.DEBUG
    logging.getLogger("copilot.anything").debug("a debug line of this test")
    assert active.logs[-1] == (
        "tests/test_secret_scan.py::test_this_session_is_being_collected",
        "DEBUG copilot.anything: a debug line of this test",
    )


LEAKY = """
import logging
from tests.secret_scan import register_secret

SECRET = "{secret}"

def test_leaks():
    register_secret(SECRET, "a refresh token of the test")
    logging.getLogger("copilot").warning("refreshing with %s", {leak})
"""

# A page that shows a token an in-process sandbox issued: nothing registered by hand.
RENDERED = """
from streamlit.testing.v1 import AppTest
from sandbox import SandboxConfig, create_app
from sandbox.demo_token import issue_token
from tests.support.sandbox import sandbox_state, tiny_demo

def test_shows_a_token():
    app = create_app(SandboxConfig(), tiny_demo())
    token = issue_token(app)["access_token"]
    sandbox_state(app).close()
    at = AppTest.from_string(f"import streamlit as st\\nst.caption('{token}')")
    assert not at.run().exception
"""


def run_nested(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_nested.py").write_text(textwrap.dedent(source))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.secret_scan", "-p", "no:cacheprovider",
         str(tmp_path / "test_nested.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def findings(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("secret found:")]


def test_a_run_that_logged_a_secret_fails_and_says_where(tmp_path):
    secret = planted()
    result = run_nested(tmp_path, LEAKY.format(secret=secret, leak="SECRET"))
    assert secret not in result.stdout + result.stderr  # never printed, even when found
    assert result.returncode == 1, result.stdout
    assert "1 passed" in result.stdout  # the test itself passed: the scan failed the run
    assert "secret scan FAILED" in result.stdout
    found = findings(result)
    assert len(found) == 1
    assert found[0].startswith("secret found: a refresh token of the test in log record #")
    assert found[0].endswith("(during test_nested.py::test_leaks)")


def test_a_run_that_rendered_a_token_fails(tmp_path):
    result = run_nested(tmp_path, RENDERED)
    assert result.returncode == 1, result.stdout
    assert "1 passed" in result.stdout
    assert findings(result) == [
        "secret found: an access token issued by an in-process sandbox in "
        "AppTest render #1 in test_nested.py::test_shows_a_token"
    ]


def test_a_clean_run_passes_and_says_what_it_scanned(tmp_path):
    secret = planted()
    result = run_nested(tmp_path, LEAKY.format(secret=secret, leak="'[redacted]'"))
    assert result.returncode == 0, result.stdout
    assert "secret scan: nothing found in " in result.stdout
