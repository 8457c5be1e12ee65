"""The store on both backends (SQLite file and PostgreSQL, through ``store_url``): encrypted
tokens with a cross-process lock, single-use expiring OAuth states, audit log, chat history."""

from __future__ import annotations

import multiprocessing
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import inspect, select

from agent.audit import REDACTED, StoreAudit
from agent.conversation import Conversation
from agent.history import ChatHistory
from copilot.connection import CallbackParams, ConnectionService
from fbclient import ReauthorizationRequired, Token
from settings import Settings
from store.audit import recent_audit
from store.crypto import Cipher, load_or_create_key
from store.db import make_engine, make_sessions
from store.oauth_states import StateError, StateStore
from store.schema import Connection, utcnow
from store.tokens import DatabaseTokenStore

from ..support.sandbox_oauth import CLIENT_ID, CLIENT_SECRET, REDIRECT, approve
from . import workers


@pytest.fixture
def db(store_engine):
    return store_engine, make_sessions(store_engine)


def token(n: int) -> Token:
    return Token(
        access_token=f"ACCESS-{n}", refresh_token=f"REFRESH-{n}", expires_at=1e10, scope="a b"
    )


def test_tokens_round_trip_and_are_encrypted_at_rest(db):
    engine, sessions = db
    store = DatabaseTokenStore(engine, sessions, Cipher("k1"), owner="alice")
    assert store.load() is None
    store.save(token(1))
    store.save(token(2))
    assert store.load() == token(2)
    with sessions() as session:
        raw = session.scalars(select(Connection.token_ciphertext)).one()
    assert b"ACCESS" not in raw
    assert b"REFRESH" not in raw


def test_owners_are_isolated_and_a_wrong_key_reads_nothing(db):
    engine, sessions = db
    alice = DatabaseTokenStore(engine, sessions, Cipher("k1"), owner="alice")
    bob = DatabaseTokenStore(engine, sessions, Cipher("k1"), owner="bob")
    alice.save(token(1))
    assert bob.load() is None
    assert DatabaseTokenStore(engine, sessions, Cipher("other"), owner="alice").load() is None
    alice.delete()
    assert alice.load() is None


def test_lock_is_shared_across_processes(store_url, tmp_path):
    url = store_url
    engine = make_engine(url)
    store = DatabaseTokenStore(engine, make_sessions(engine), Cipher("k"), "alice")
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    marker = tmp_path / "released"
    other = ctx.Process(target=workers.hold_lock, args=(url, "alice", str(marker), ready))
    other.start()
    assert ready.wait(30)
    with store.lock():
        assert marker.exists()  # we got in only after the other process let go
        store.save(token(3))  # saving inside the lock must not deadlock
    other.join(10)
    assert other.exitcode == 0
    assert store.load() == token(3)
    engine.dispose()


def test_two_processes_refresh_an_expired_connection_once(store_url, sandbox_server, tmp_path):
    """Two app replicas (OS processes) share the store and one connection whose access token
    has expired; both call FreshBooks at once. The sandbox's refresh tokens are single-use, so a
    second refresh would fail with invalid_grant: the database lock must let exactly one through.
    """
    settings = Settings(
        freshbooks_client_id=CLIENT_ID,
        freshbooks_client_secret=CLIENT_SECRET,
        freshbooks_redirect_uri=REDIRECT,
        freshbooks_api_url=sandbox_server,
        freshbooks_auth_url=sandbox_server,
        copilot_database_url=store_url,
    )
    engine = make_engine(store_url)
    service = ConnectionService(settings, engine, make_sessions(engine), Cipher("shared-key"))
    authorize_url = service.start("alice")
    state = parse_qs(urlparse(authorize_url).query)["state"][0]
    assert service.complete(CallbackParams(code=approve(authorize_url), state=state)) == "alice"
    store = service.token_store("alice")
    connected = store.load()
    assert connected is not None
    store.save(connected.model_copy(update={"expires_at": time.time() - 60}))

    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(2)
    tally = tmp_path / "token-requests"
    results = [tmp_path / f"replica-{n}" for n in (1, 2)]
    replicas = [
        ctx.Process(
            target=workers.use_connection,
            args=(store_url, settings, "shared-key", "alice", str(tally), start, str(out)),
        )
        for out in results
    ]
    for replica in replicas:
        replica.start()
    for replica in replicas:
        replica.join(90)
        if replica.is_alive():  # never leave a stuck replica behind
            replica.kill()
            replica.join()
    assert [replica.exitcode for replica in replicas] == [0, 0]

    assert len(tally.read_text().splitlines()) == 1  # one refresh reached the token endpoint
    fresh = store.load()
    assert fresh is not None
    assert fresh.refresh_token != connected.refresh_token
    assert not fresh.expires_within(120)
    with service.client_for("alice") as client:
        business_count = len(client.identity().businesses)
    assert business_count > 0
    expected = f"{business_count} {workers.digest(fresh.access_token)}"
    assert [out.read_text() for out in results] == [expected, expected]  # both use the new token
    with pytest.raises(ReauthorizationRequired):
        service.flow.refresh(connected.refresh_token)  # spent: a second refresh would fail
    # No lockout: the stored refresh token still works for the next expiry.
    assert service.flow.refresh(fresh.refresh_token).access_token != fresh.access_token
    engine.dispose()


def test_state_is_single_use(db):
    _, sessions = db
    states = StateStore(sessions)
    state = states.issue("alice")
    assert states.consume(state) == "alice"
    with pytest.raises(StateError) as caught:
        states.consume(state)
    assert caught.value.reason == "used"


def test_racing_tabs_cannot_both_consume_one_state(db):
    _, sessions = db
    states = StateStore(sessions)
    state = states.issue("alice")

    def attempt(_: int) -> str:
        try:
            return states.consume(state)
        except StateError as exc:
            return exc.reason

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = sorted(pool.map(attempt, range(8)))
    assert outcomes == ["alice"] + ["used"] * 7


def test_forged_and_expired_states_are_refused(db):
    _, sessions = db
    states = StateStore(sessions, ttl=timedelta(minutes=10))
    with pytest.raises(StateError) as forged:
        states.consume("made-up")
    assert forged.value.reason == "unknown"
    old = states.issue("alice", now=utcnow() - timedelta(minutes=11))
    with pytest.raises(StateError) as expired:
        states.consume(old)
    assert expired.value.reason == "expired"
    assert "expired" in expired.value.user_message


def test_audit_log_keeps_each_write_per_owner_and_account_newest_first(db):
    _, sessions = db
    alice = StoreAudit(sessions, "alice", "acct-1")
    first = alice.record(
        "create_invoice",
        {"amount": "1250.50", "lines": [{"name": "Café ☕"}], "api_key": "sk-1"},
        {"invoice": [7]},
        "ok",
        "Created invoice 0007",
    )
    second = alice.record("undo:create_invoice", {}, {"invoice": [7]}, "error", "Failed")
    StoreAudit(sessions, "bob", "acct-1").record("delete_client", {}, {}, "ok", "bob's")
    StoreAudit(sessions, "alice", "acct-2").record("delete_client", {}, {}, "ok", "other books")
    assert second > first
    entries = recent_audit(sessions, "alice", "acct-1")
    assert [(e["action"], e["outcome"]) for e in entries] == [
        ("undo:create_invoice", "error"),
        ("create_invoice", "ok"),
    ]
    assert entries[1]["arguments"] == {
        "amount": "1250.50",
        "lines": [{"name": "Café ☕"}],
        "api_key": REDACTED,
    }
    assert entries[1]["records"] == {"invoice": [7]}
    assert entries[1]["message"] == "Created invoice 0007"


def test_chat_history_is_restored_replaced_and_cleared_per_owner_and_account(db):
    _, sessions = db
    history = ChatHistory(sessions, "alice", "acct-1")
    assert history.load() is None
    first = Conversation(messages=[{"role": "user", "content": "Who owes me? 💸 ¿Cuánto?"}])
    history.save(first)
    longer = Conversation(messages=[*first.messages, {"role": "assistant", "content": "Acme."}])
    history.save(longer)  # replaces the saved chat, in one row
    restored = ChatHistory(sessions, "alice", "acct-1").load()
    assert restored is not None
    assert restored.messages == longer.messages
    assert ChatHistory(sessions, "bob", "acct-1").load() is None
    assert ChatHistory(sessions, "alice", "acct-2").load() is None
    history.clear()
    assert history.load() is None


def test_secret_key_generated_once(tmp_path):
    first = load_or_create_key(None, tmp_path)
    assert load_or_create_key(None, tmp_path) == first
    assert (tmp_path / "secret.key").stat().st_mode & 0o777 == 0o600
    assert load_or_create_key("configured", tmp_path) == "configured"
    assert "configured" not in repr(Cipher("configured"))


def test_replicas_starting_together_all_create_the_schema(store_url):
    # Each replica calls make_engine on its own connections: the first creates the tables,
    # the others wait for it instead of failing with "already exists".
    start = threading.Barrier(4)

    def boot(_: int) -> list[str]:
        start.wait(30)
        engine = make_engine(store_url)
        try:
            return sorted(inspect(engine).get_table_names())
        finally:
            engine.dispose()

    with ThreadPoolExecutor(max_workers=4) as pool:
        tables = list(pool.map(boot, range(4)))
    assert {"fb_connections", "oauth_states", "audit_log", "chat_messages"} <= set(tables[0])
    assert tables == [tables[0]] * 4


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_a_postgresql_url_without_a_driver_uses_psycopg(postgres_server, scheme):
    name = postgres_server.create_database()
    url = postgres_server.url(name).replace("postgresql+psycopg", scheme, 1)
    engine = make_engine(url)
    try:
        assert engine.url.drivername == "postgresql+psycopg"
        assert "fb_connections" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
        postgres_server.drop_database(name)
