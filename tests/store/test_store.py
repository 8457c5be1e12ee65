"""The store: encrypted tokens with a cross-process lock, single-use expiring OAuth states."""

from __future__ import annotations

import multiprocessing
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from fbclient import Token
from store.crypto import Cipher, load_or_create_key
from store.db import make_engine, make_sessions
from store.oauth_states import StateError, StateStore
from store.schema import Connection, utcnow
from store.tokens import DatabaseTokenStore


@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'copilot.db'}")
    yield engine, make_sessions(engine)
    engine.dispose()


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


def _hold_lock(url: str, owner: str, marker: str, ready) -> None:
    engine = make_engine(url)
    store = DatabaseTokenStore(engine, make_sessions(engine), Cipher("k"), owner)
    with store.lock():
        ready.set()
        time.sleep(0.3)
        with open(marker, "w") as handle:  # written just before letting go
            handle.write("released")


def test_lock_is_shared_across_processes(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    engine = make_engine(url)
    store = DatabaseTokenStore(engine, make_sessions(engine), Cipher("k"), "alice")
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    marker = tmp_path / "released"
    other = ctx.Process(target=_hold_lock, args=(url, "alice", str(marker), ready))
    other.start()
    assert ready.wait(30)
    with store.lock():
        assert marker.exists()  # we got in only after the other process let go
        store.save(token(3))  # saving inside the lock must not deadlock
    other.join(10)
    assert store.load() == token(3)


def test_state_is_single_use(db):
    _, sessions = db
    states = StateStore(sessions)
    state = states.issue("alice")
    assert states.consume(state) == "alice"
    with pytest.raises(StateError) as caught:
        states.consume(state)
    assert caught.value.reason == "used"


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


def test_secret_key_generated_once(tmp_path):
    first = load_or_create_key(None, tmp_path)
    assert load_or_create_key(None, tmp_path) == first
    assert (tmp_path / "secret.key").stat().st_mode & 0o777 == 0o600
    assert load_or_create_key("configured", tmp_path) == "configured"
    assert "configured" not in repr(Cipher("configured"))
