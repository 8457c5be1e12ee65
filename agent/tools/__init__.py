"""The agent's tools over fbclient, one small unit each, grouped by resource.

Every tool is a :class:`~agent.tool.Tool`: a strict argument model (extra keys refused, a
description on every field, enums as ``Literal``, money as decimal strings with a currency),
a description, a handler and a permission. Writes (write, send, delete) also have
``propose``, which reads what it needs and returns the confirm card; nothing changes until
the user clicks Confirm and the loop calls the handler.

Write results share one shape: ``{"done": "...", "record_ids": {"invoice": [id], ...}, ...}``
with the re-read record(s), so the loop can audit the FreshBooks ids and ``undo`` (where
given) can take a create back from that same result.

Business rules the model broke (e.g. a category that does not exist, time without a known
rate) raise ``ValueError`` with a sentence for the model; fbclient's typed errors propagate.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from agent.tool import Tool, ToolRegistry

from . import (
    chase,
    clients,
    estimate_invoice,
    estimate_writes,
    estimates,
    expenses,
    forecast,
    gaps,
    invoices,
    payments,
    projects,
    receipts,
    recurring,
    reminders,
    reports,
    services,
    summary,
    team,
    time_entries,
    timers,
    unbilled,
)
from .scopes import NEEDS

__all__ = ["all_tools", "build_registry"]

MODULES = (
    summary,
    clients,
    invoices,
    recurring,
    estimates,
    estimate_writes,
    estimate_invoice,
    payments,
    expenses,
    receipts,
    projects,
    time_entries,
    timers,
    gaps,
    services,
    team,
    reports,
    reminders,
    chase,
    unbilled,
    forecast,
)


def all_tools() -> list[Tool[Any]]:
    """Every tool, reads and writes, in a stable order, each with the scopes it needs."""
    return [replace(tool, scopes=NEEDS[tool.name]) for module in MODULES for tool in module.TOOLS]


def build_registry() -> ToolRegistry:
    """The registry of every tool (``available(read_only=True)`` hides the writes)."""
    return ToolRegistry(all_tools())
