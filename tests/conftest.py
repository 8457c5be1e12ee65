"""Shared fixtures. Every HTTP test goes through a respx router that fails on unmocked requests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fbclient import FreshBooksClient, RetryPolicy
from fbclient.identity import Business

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
