"""Alembic's entry point for the store's migrations.

At start-up :func:`store.migrations.upgrade_schema` passes an open connection (inside a
transaction it commits). From the ``alembic`` command line the database is ``-x url=...``,
else ``sqlalchemy.url``, else the app's own (``COPILOT_DATABASE_URL`` or the SQLite default).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from store.db import _with_driver
from store.schema import Base

config = context.config


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite alters most things by copying the table: batch mode does that, PostgreSQL
        # gets plain ALTERs from the same migration.
        render_as_batch=True,
        compare_type=True,
    )


def _command_line_url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url")
    url = url or config.get_main_option("sqlalchemy.url")
    if not url:
        from settings import load_settings  # only the command line reads the app's settings

        url = load_settings().copilot_database_url
    return _with_driver(url)


def _run() -> None:
    given = config.attributes.get("connection")
    if given is not None:
        _configure(given)
        with context.begin_transaction():
            context.run_migrations()
    elif context.is_offline_mode():
        context.configure(
            url=_command_line_url(),
            target_metadata=Base.metadata,
            literal_binds=True,
            render_as_batch=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    else:
        engine = create_engine(_command_line_url())
        try:
            with engine.connect() as connection:
                _configure(connection)
                with context.begin_transaction():
                    context.run_migrations()
        finally:
            engine.dispose()


_run()
