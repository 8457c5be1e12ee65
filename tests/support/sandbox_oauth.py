"""Test helpers for the OAuth flow against the sandbox (no browser needed)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import httpx2

REDIRECT = "http://127.0.0.1:8501/"
CLIENT_ID = "sandbox-client"
CLIENT_SECRET = "sandbox-secret"


def approve(authorize_url: str, transport: httpx2.BaseTransport | None = None) -> str:
    """Click Approve on the sandbox's consent page; return the code it redirects with."""
    parsed = urlparse(authorize_url)
    params = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    page = f"{parsed.scheme}://{parsed.netloc}{parsed.path}"
    with httpx2.Client(transport=transport, follow_redirects=False) as browser:
        assert browser.get(authorize_url).status_code == 200  # the consent page renders
        answer = browser.post(page, data={**params, "decision": "approve"})
    assert answer.status_code in (302, 303), answer.text
    location = urlparse(answer.headers["location"])
    assert location.geturl().startswith(REDIRECT)
    back = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert back["state"] == params["state"]
    return back["code"]
