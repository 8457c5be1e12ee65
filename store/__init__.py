"""Persistence: encrypted tokens, OAuth states, audit log, chat history (SQLAlchemy)."""
