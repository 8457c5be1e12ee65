"""`python -m sandbox` as a real process: the announcement line, loopback requests, --db reuse."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
import pytest

from sandbox import SandboxConfig, create_app
from sandbox.config import DEFAULT_REDIRECT_URIS, parse_args
from tests.support.sandbox import tiny_demo

from ..support import clock

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(r"^sandbox listening on (http://127\.0\.0\.1:(\d+))$")


@contextmanager
def sandbox_process(*args: str, timeout: float = 60) -> Iterator[tuple[str, list[str]]]:
    """Start `python -m sandbox --port 0 ...`, yield its URL and stdout lines, then stop it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        clock.sandbox_command("--port", "0", *args),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            ready.set()
        ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not ready.wait(timeout) or not lines:
            process.kill()
            raise AssertionError(f"no announcement; stderr: {process.communicate()[1][-2000:]}")
        match = LINE.match(lines[0])
        assert match, lines
        yield match.group(1), lines
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=5)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_command_line_contract_defaults_and_overrides():
    config = parse_args([])
    assert (config.host, config.port, config.seed, config.size) == ("127.0.0.1", 8700, 7, "small")
    assert (config.client_id, config.client_secret) == ("sandbox-client", "sandbox-secret")
    assert config.redirect_uris == DEFAULT_REDIRECT_URIS
    assert (config.latency_ms, config.fail_rate, config.rate_limit) == (0.0, 0.0, None)
    custom = parse_args(
        ["--redirect-uri", "https://a/cb", "--redirect-uri", "https://b/cb", "--rate-limit", "5",
         "--error-in-200-rate", "0.1", "--size", "large", "--db", "x.db", "--latency-ms", "20"]
    )  # fmt: skip
    assert custom.redirect_uris == ("https://a/cb", "https://b/cb")
    assert (custom.rate_limit, custom.error_in_200_rate, custom.size) == (5, 0.1, "large")
    with pytest.raises(SystemExit):
        parse_args(["--fail-rate", "2"])


def test_server_process_reuses_a_populated_db(tmp_path):
    db = tmp_path / "books.db"
    app = create_app(SandboxConfig(db=str(db)), tiny_demo())
    app.state.sandbox.close()
    with sandbox_process("--db", str(db)) as (url, lines):
        assert len(lines) == 1
        page = httpx2.get(
            f"{url}/oauth/authorize",
            params={"response_type": "code", "client_id": "sandbox-client",
                    "redirect_uri": "http://localhost:8501/"},
        )  # fmt: skip
        assert page.status_code == 200
        assert "Approve" in page.text
        unauthorized = httpx2.get(f"{url}/accounting/account/ABC123/users/clients")
        assert unauthorized.status_code == 401


def test_writes_persist_across_restarts(tmp_path, monkeypatch):
    db = str(tmp_path / "books.db")
    from sandbox.demo_token import issue_token

    app = create_app(SandboxConfig(db=db), tiny_demo())
    token = issue_token(app)
    app.state.sandbox.close()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    with sandbox_process("--db", db) as (url, _):
        created = httpx2.post(
            f"{url}/accounting/account/ABC123/users/clients",
            json={"client": {"organization": "Persisted"}},
            headers=headers,
        )
        assert created.status_code == 200
    with sandbox_process("--db", db) as (url, _):
        found = httpx2.get(
            f"{url}/accounting/account/ABC123/users/clients",
            params={"search[organization_like]": "Persisted"},
            headers=headers,
        )
        assert found.json()["response"]["result"]["total"] == 1


@pytest.mark.skipif(
    importlib.util.find_spec("sandbox.seed") is None, reason="sandbox/seed/ not written yet"
)
def test_server_process_small_seed():
    with sandbox_process("--size", "small") as (url, _):
        assert httpx2.get(f"{url}/health").text == "ok"
