"""The store's schema history as Alembic migrations, brought to the newest revision at start-up.

``env.py`` and ``versions/`` live beside this module. The configuration is built in code (no
``alembic.ini`` at run time): :func:`alembic_config` points Alembic at this folder and hands it
the connection to migrate. The ``alembic`` command line reads ``[tool.alembic]`` in
``pyproject.toml`` instead (see the README's "Store migrations").

Alembic is imported only when a database needs upgrading: a process that finds its database
at :data:`HEAD` (every start but the first after an upgrade) reads one row and goes on, without
the memory and time of loading Alembic.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from ..locks import database_lock

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

__all__ = ["HEAD", "alembic_config", "current_revision", "head_revision", "upgrade_schema"]

FOLDER = Path(__file__).resolve().parent
# The newest revision in versions/. A new migration updates it; a test compares the two.
HEAD = "5d8e2b7c4f19"
VERSION_TABLE = "alembic_version"


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the store; ``env.py`` migrates ``connection`` when given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(FOLDER))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def _scripts() -> ScriptDirectory:
    # The revision files do not change while the process runs: read them once.
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision as Alembic reads it from versions/ (one head: the history is kept
    linear). Start-up compares with :data:`HEAD` instead, without loading Alembic."""
    head = _scripts().get_current_head()
    assert head is not None, "the store has no migrations"
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at; None for a database never migrated."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return rows[0] if len(rows) == 1 else None


def upgrade_schema(engine: Engine) -> None:
    """Bring the database to the newest revision, one process at a time.

    A database made before migrations existed (tables, no ``alembic_version``) is upgraded
    too: the first revision creates only the tables it lacks. Replicas starting together take
    turns under a database lock, so only one migrates and the others find it done.
    """
    # The usual start: already at head, nothing to wait for. DEFERRED: a read needs no
    # SQLite write lock (see store.db._sqlite_begin).
    with engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
        if current_revision(conn) == HEAD:
            return
    from alembic import command

    with database_lock(engine, "schema-migration"), engine.begin() as conn:
        # One transaction: PostgreSQL and SQLite both roll DDL back, so a failed upgrade
        # leaves the database as it was.
        command.upgrade(alembic_config(conn), "head")
