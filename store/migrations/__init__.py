"""The store's schema history as Alembic migrations, brought to the newest revision at start-up.

``env.py`` and ``versions/`` live beside this module. The configuration is built in code (no
``alembic.ini`` at run time): :func:`alembic_config` points Alembic at this folder and hands it
the connection to migrate. The ``alembic`` command line reads ``[tool.alembic]`` in
``pyproject.toml`` instead (see the README's "Store migrations").
"""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from ..locks import database_lock

__all__ = ["alembic_config", "current_revision", "head_revision", "upgrade_schema"]

FOLDER = Path(__file__).resolve().parent


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the store; ``env.py`` migrates ``connection`` when given."""
    config = Config()
    config.set_main_option("script_location", str(FOLDER))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def _scripts() -> ScriptDirectory:
    # The revision files do not change while the process runs: read them once.
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision (one head: the history is kept linear)."""
    head = _scripts().get_current_head()
    assert head is not None, "the store has no migrations"
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at; None for a database never migrated."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade_schema(engine: Engine) -> None:
    """Bring the database to the newest revision, one process at a time.

    A database made before migrations existed (tables, no ``alembic_version``) is upgraded
    too: the first revision creates only the tables it lacks. Replicas starting together take
    turns under a database lock, so only one migrates and the others find it done.
    """
    head = head_revision()
    # The usual start: already at head, nothing to wait for. DEFERRED: a read needs no
    # SQLite write lock (see store.db._sqlite_begin).
    with engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
        if current_revision(conn) == head:
            return
    with database_lock(engine, "schema-migration"), engine.begin() as conn:
        # One transaction: PostgreSQL and SQLite both roll DDL back, so a failed upgrade
        # leaves the database as it was.
        command.upgrade(alembic_config(conn), "head")
