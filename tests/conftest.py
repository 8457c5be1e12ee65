"""Shared fixtures. Every HTTP test goes through a respx router that fails on unmocked requests."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from fbclient import FreshBooksClient, RetryPolicy
from fbclient.identity import Business

ROOT = Path(__file__).resolve().parents[1]
API = "https://api.freshbooks.test"
ACCOUNT_ID = "aBc12"
BUSINESS_ID = 77001


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


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[str]:
    """``python -m sandbox`` on a free loopback port; yields its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", "0", "--size", "small", "--seed", "7"],
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
