"""Schema migrations at start-up, on both backends: databases made before migrations keep
their data, fresh ones reach head, a second start changes nothing, and the migrations match
the models (a model change without a migration fails here)."""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, insert, inspect, text

from agent.audit import StoreAudit
from agent.conversation import Conversation
from agent.history import ChatHistory
from fbclient import Token
from store.audit import recent_audit
from store.crypto import Cipher
from store.db import make_engine, make_sessions
from store.migrations import HEAD, head_revision
from store.mirror import MirrorStore
from store.schema import Base
from store.tokens import DatabaseTokenStore

from .legacy_schema import BEFORE_MIRROR, LEGACY, create_legacy

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
TOKEN = Token(access_token="ACCESS-OLD", refresh_token="REFRESH-OLD", expires_at=1e10, scope="a")
CHAT = [{"role": "user", "content": "Who owes me? 💸"}, {"role": "assistant", "content": "Acme."}]
STORE_TABLES = {
    "fb_connections",
    "oauth_states",
    "audit_log",
    "chat_messages",
    "mirror_records",
    "mirror_parts",
    "mcp_tokens",
    "timers",
}


def plain_engine(url: str) -> Engine:
    """An engine that leaves the schema alone (no migrations), as the old code's would be."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return create_engine(url)


def versions(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def differences(engine: Engine) -> list[object]:
    """What autogenerate would put in a new migration: the models against the database."""
    with engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), Base.metadata))


def upgrades(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The revisions Alembic reported applying."""
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("Running upgrade")]


def applied_before_head() -> str:
    """The revision head follows (the history is linear)."""
    from store.migrations import _scripts

    previous = _scripts().get_revision(HEAD).down_revision
    assert isinstance(previous, str)
    return previous


def fill_legacy(engine: Engine, *, mirror: bool = True) -> None:
    """A token, an audit entry, a chat and (``mirror``) a mirrored record, written raw."""
    tables = LEGACY.tables
    with engine.begin() as conn:
        conn.execute(
            insert(tables["fb_connections"]).values(
                owner="alice",
                token_ciphertext=Cipher("k").encrypt(TOKEN.model_dump_json().encode()),
                expires_at=TOKEN.expires_at,
                scope="a",
                business_id=77,
                created_at=AT,
                updated_at=AT,
            )
        )
        conn.execute(
            insert(tables["audit_log"]).values(
                owner="alice",
                account_key="acct-1",
                at=AT,
                action="create_invoice",
                arguments={"amount": "12.50"},
                record_ids={"invoice": [7]},
                outcome="ok",
                message="Created invoice 0007",
            )
        )
        conn.execute(
            insert(tables["chat_messages"]).values(
                owner="alice",
                account_key="acct-1",
                at=AT,
                role="conversation",
                content=Conversation(messages=CHAT).to_dict(),
            )
        )
        if mirror:
            conn.execute(
                insert(tables["mirror_records"]).values(
                    owner="alice", business_id=77, part="invoices", record_id="7", data=b'{"id":7}'
                )
            )
            conn.execute(
                insert(tables["mirror_parts"]).values(
                    owner="alice",
                    business_id=77,
                    part="invoices",
                    synced_at=AT,
                    swept_at=AT,
                    records=1,
                    truncated=False,
                    revision=3,
                )
            )


def assert_legacy_rows_readable(engine: Engine) -> None:
    sessions = make_sessions(engine)
    assert DatabaseTokenStore(engine, sessions, Cipher("k"), "alice").load() == TOKEN
    [entry] = recent_audit(sessions, "alice", "acct-1")
    assert (entry["action"], entry["outcome"], entry["records"]) == (
        "create_invoice",
        "ok",
        {"invoice": [7]},
    )
    assert entry["arguments"] == {"amount": "12.50"}
    chat = ChatHistory(sessions, "alice", "acct-1").load()
    assert chat is not None
    assert chat.messages == CHAT


def test_a_database_made_before_migrations_keeps_its_data(store_url):
    old = plain_engine(store_url)
    create_legacy(old)
    fill_legacy(old)
    old.dispose()

    engine = make_engine(store_url)
    try:
        assert versions(engine) == [head_revision()]
        assert_legacy_rows_readable(engine)
        mirror = MirrorStore(engine, make_sessions(engine))
        assert mirror.records("alice", 77, "invoices") == [("7", b'{"id":7}')]
        part = mirror.parts("alice", 77)["invoices"]
        assert (part.synced_at, part.records, part.revision) == (AT, 1, 3)
        # Ids keep counting after the old rows (PostgreSQL: the table's own sequence).
        sessions = make_sessions(engine)
        new_id = StoreAudit(sessions, "alice", "acct-1").record("undo", {}, {}, "ok", "")
        assert new_id == 2
        assert differences(engine) == []
    finally:
        engine.dispose()


def test_a_database_from_before_the_mirror_gets_the_mirror_tables(store_url):
    old = plain_engine(store_url)
    create_legacy(old, tables=BEFORE_MIRROR)
    fill_legacy(old, mirror=False)
    old.dispose()

    engine = make_engine(store_url)
    try:
        assert versions(engine) == [head_revision()]
        assert set(inspect(engine).get_table_names()) >= STORE_TABLES
        assert_legacy_rows_readable(engine)
        assert differences(engine) == []
    finally:
        engine.dispose()


def test_a_fresh_database_is_migrated_to_head(store_engine):
    assert versions(store_engine) == [head_revision()]
    assert set(inspect(store_engine).get_table_names()) == STORE_TABLES | {"alembic_version"}


def test_starting_twice_is_a_no_op(store_url, caplog):
    with caplog.at_level(logging.INFO, logger="alembic"):
        first = make_engine(store_url)
    applied = upgrades(caplog)
    assert applied
    assert applied[-1].startswith(f"Running upgrade {applied_before_head()} -> {HEAD}")
    sessions = make_sessions(first)
    StoreAudit(sessions, "alice", "acct-1").record("create_client", {}, {}, "ok", "kept")
    first.dispose()
    caplog.clear()

    with caplog.at_level(logging.INFO, logger="alembic"):
        second = make_engine(store_url)
    try:
        assert upgrades(caplog) == []
        assert versions(second) == [head_revision()]
        assert [e["message"] for e in recent_audit(make_sessions(second), "alice", "acct-1")] == [
            "kept"
        ]
    finally:
        second.dispose()


def test_the_migrations_match_the_models(store_engine):
    # A model change needs a migration: alembic revision --autogenerate (README).
    assert differences(store_engine) == []


def test_an_in_memory_database_is_migrated_too():
    engine = make_engine("sqlite:///:memory:")
    try:
        assert versions(engine) == [head_revision()]
    finally:
        engine.dispose()


def test_start_up_knows_the_newest_revision_without_alembic():
    # Start-up compares the database with HEAD to skip loading Alembic: HEAD must follow
    # the revision files (a new migration updates it).
    assert head_revision() == HEAD


def test_a_pending_state_made_before_scopes_were_kept_asked_for_nothing_known(store_url):
    """A state issued by the previous revision's code survives the upgrade, claimable."""
    from alembic import command

    from store.migrations import alembic_config
    from store.oauth_states import StateStore

    engine = plain_engine(store_url)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), applied_before_head())
            conn.execute(
                text(
                    "INSERT INTO oauth_states (state_hash, owner, created_at, expires_at) "
                    "VALUES (:h, 'alice', :at, :until)"
                ),
                {
                    "h": hashlib.sha256(b"old-state").hexdigest(),
                    "at": datetime.now(UTC),
                    "until": datetime(2999, 1, 1, tzinfo=UTC),
                },
            )
    finally:
        engine.dispose()
    upgraded = make_engine(store_url)
    try:
        claimed = StateStore(make_sessions(upgraded)).claim("old-state")
        assert (claimed.owner, claimed.scopes) == ("alice", ())
    finally:
        upgraded.dispose()
