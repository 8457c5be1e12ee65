"""The whole app with its store on PostgreSQL (``COPILOT_DATABASE_URL``); the other app tests
use the default SQLite file."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from store.crypto import Cipher, load_or_create_key
from store.db import make_engine, make_sessions
from store.schema import MirrorRecord
from store.tokens import DatabaseTokenStore

from .test_callback import come_back, start_connect


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_connect_and_dashboard_with_the_store_on_postgresql(
    app, real_oauth, store_url, data_dir, monkeypatch
):
    monkeypatch.setenv("COPILOT_DATABASE_URL", store_url)
    code, state = start_connect(app)
    at = come_back(app, code=code, state=state)
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["FreshBooks is connected."]
    assert at.title[0].value == "Overview"
    assert any(m.label == "Outstanding" for m in at.metric)
    # The tokens and the mirror are in the database the URL names, not in a SQLite file.
    engine = make_engine(store_url)
    try:
        sessions = make_sessions(engine)
        cipher = Cipher(load_or_create_key(None, data_dir))
        assert DatabaseTokenStore(engine, sessions, cipher, "local").load() is not None
        with sessions() as session:
            assert session.scalar(select(func.count()).select_from(MirrorRecord)) > 0
    finally:
        engine.dispose()
    assert not (data_dir / "copilot.db").exists()
