"""Persistence (SQLAlchemy): encrypted tokens, OAuth states, audit log, chat history, the local
mirror; the schema as Alembic migrations (:mod:`store.migrations`)."""
