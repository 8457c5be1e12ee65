"""A connection with fewer scopes than the product can use: the mirror keeps what it may read
and says what it left out, a 403 narrows the grant once, and the product's sentences name the
scope and how to add it. Against the in-process sandbox."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.applications import Starlette

from copilot.mirror import Mirror
from copilot.scopes import FEATURES, GUIDE_SCOPES, explain, feature, fewer_scopes, unavailable
from fbclient import FreshBooksClient, MemoryTokenStore, TokenManager
from fbclient.asgi import InProcessTransport
from fbclient.client import BusinessClient
from fbclient.oauth import Token
from fbclient.scopes import DEVELOPER_PAGE, PROFILE_READ, Grant
from sandbox.app import create_app
from sandbox.config import SandboxConfig
from sandbox.demo_token import issue_token
from settings import DEFAULT_SCOPES
from store.db import make_engine, make_sessions
from store.mirror import MirrorStore

from ..support.transports import CountingTransport

API = "http://sandbox.test"


@dataclass
class Guided:
    """The sandbox with the OAuth app registered as the integration guide says (17 scopes)."""

    app: Starlette
    transport: InProcessTransport

    def client(
        self, granted: str, *, told: str | None = None
    ) -> tuple[FreshBooksClient, MemoryTokenStore, CountingTransport]:
        """A client whose real token holds ``granted``; the app was ``told`` (default: the
        same) by the token answer ("" for an answer without ``scope``)."""
        body = issue_token(self.app, granted.split())
        token = Token(
            access_token=body["access_token"],
            expires_at=time.time() + 3600,
            scope=granted if told is None else told,
        )
        store = MemoryTokenStore(token)
        counting = CountingTransport(self.transport)
        client = FreshBooksClient(
            TokenManager(store, refresh=None), api_url=API, transport=counting
        )
        return client, store, counting


@pytest.fixture
def guided() -> Iterator[Guided]:
    app = create_app(SandboxConfig(seed=3, size="small", scopes=GUIDE_SCOPES))
    transport = InProcessTransport(app)
    yield Guided(app, transport)
    transport.shutdown()
    app.state.sandbox.close()


def books_of(client: FreshBooksClient) -> BusinessClient:
    business = next(b for b in client.identity().businesses if b.has_accounting)
    return client.business(business)


def test_the_default_scopes_are_within_what_the_guide_has_people_tick():
    assert set(DEFAULT_SCOPES) <= set(GUIDE_SCOPES)
    assert len(GUIDE_SCOPES) == 17
    assert PROFILE_READ in DEFAULT_SCOPES


def test_a_guide_app_mirrors_everything_but_estimates_and_services(guided, tmp_path):
    client, _, counting = guided.client(" ".join(DEFAULT_SCOPES))
    books = books_of(client)
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    mirror = Mirror(MirrorStore(engine, make_sessions(engine)))
    snapshot = mirror.snapshot("alice", books, books.info)  # type: ignore[arg-type]  # books_of binds a business
    assert snapshot.invoices
    assert snapshot.clients
    assert snapshot.estimates == []
    assert snapshot.services == []
    assert snapshot.withheld == {
        "estimates": "user:estimates:read",
        "services": "user:billable_items:read",
        "service_rates": "user:billable_items:read",
    }
    assert not [path for _, path in counting.requests if "estimates" in path]  # never asked
    client.close()
    engine.dispose()


def test_a_grant_freshbooks_did_not_state_is_narrowed_by_the_first_403(guided, tmp_path):
    client, store, counting = guided.client(" ".join(DEFAULT_SCOPES), told="")
    books = books_of(client)
    assert not client.grant().known
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    mirror = Mirror(MirrorStore(engine, make_sessions(engine)))
    snapshot = mirror.snapshot("alice", books, books.info)  # type: ignore[arg-type]  # books_of binds a business
    # The sync met 403 insufficient_scope on the lists it may not read, and carried on.
    assert snapshot.invoices
    assert "estimates" in snapshot.withheld
    stored = store.load()
    assert stored is not None
    assert set(stored.scopes) == set(DEFAULT_SCOPES)  # what FreshBooks said it provided
    # The next visit does not ask for what cannot be read.
    asked_once = [path for _, path in counting.requests if "estimates" in path]
    assert asked_once
    mirror.sync("alice", books, books.info, mode="check")  # type: ignore[arg-type]  # books_of binds a business
    assert [path for _, path in counting.requests if "estimates" in path] == asked_once
    client.close()
    engine.dispose()


def test_features_a_guide_app_lacks_are_estimates_and_services_only():
    off = unavailable(Grant(frozenset(DEFAULT_SCOPES)))
    assert [item.key for item, _ in off] == ["estimates", "services"]
    sentence = off[0][1]
    assert sentence == (
        "Estimates need the user:estimates:read scope, which your FreshBooks app has not "
        f"granted: tick it on the FreshBooks developer page ({DEVELOPER_PAGE}), then Reconnect."
    )
    assert sentence.replace(DEVELOPER_PAGE, "").count(".") == 1  # one sentence


def test_every_feature_names_real_scopes_and_one_sentence_for_each():
    for item in FEATURES:
        assert item.scopes
        assert all(s.startswith("user:") for s in item.scopes)
        text = explain(item, item.scopes)
        assert text.endswith("then Reconnect.")
        assert all(s in text for s in item.scopes)
    assert "scopes" in explain(feature("invoice_changes"), ["user:a:write", "user:b:write"])


def test_fewer_scopes_drops_what_the_guide_does_not_tick_then_falls_back_to_essentials():
    asked = (*DEFAULT_SCOPES, "user:estimates:read", "user:billable_items:read")
    assert fewer_scopes(asked) == DEFAULT_SCOPES
    assert fewer_scopes(DEFAULT_SCOPES) == (PROFILE_READ, "user:clients:read", "user:invoices:read")


def test_the_readme_table_says_what_the_code_declares():
    """Which scope enables what is declared once (copilot.scopes); the README shows it."""
    from ..support.constants import APP

    readme = (Path(APP).parent / "README.md").read_text()
    table = readme[readme.index("### FreshBooks scopes") :].split("\n\n")[2]
    rows = [
        [cell.strip().strip("`") for cell in line.strip("|").split("|")]
        for line in table.splitlines()[2:]
    ]
    declared = [(s, item.label) for item in FEATURES for s in item.scopes]
    assert [(row[0], row[1]) for row in rows] == declared
    for row in rows:
        assert (row[3] == "yes") == (row[0] in DEFAULT_SCOPES)
