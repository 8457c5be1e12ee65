"""Which tool schemas one model request carries, under a character budget.

Every schema is sent with every request; all 39 would fill a small local model's window before
the conversation starts. So when the available tools do not all fit the budget, a request
carries ``find_tools`` (search the rest by what the user wants to do), a small core, the tools
the conversation loaded (newest first: found by ``find_tools``, called, or matched by words of
the user's message), and then the most used others while there is room.

The selection starts from ``ToolRegistry.available``, the one place that says which tools may
be offered at all; a call to an available tool that is not in the current request still runs
(models remember tools from earlier requests).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from agent.tool import Tool, ToolContext, ToolRegistry
from fbclient.scopes import Grant

from .toolmatch import rank_tools

__all__ = ["CORE", "FIND_TOOLS", "Toolset", "scopes_note"]

FIND_TOOLS = "find_tools"
# Always offered (when available): the questions most chats start with, and the lookup most
# writes need first.
CORE = ("business_summary", "find_client", "search_clients", "search_invoices")
# Offered after the loaded tools while the budget has room, most used first.
FILLERS = (
    "create_invoice",
    "record_payment",
    "get_invoice",
    "search_payments",
    "search_expenses",
    "search_time_entries",
    "log_time",
    "accounts_aging",
    "overdue_reminders",
    "search_projects",
    "find_project",
    "get_client",
    "list_expense_categories",
    "create_expense",
)
FOUND = 5  # tools one find_tools call returns (and loads)
MATCHED = 2  # tools pre-loaded from the words of a user's message
MATCH_SCORE = 3.0  # a noun and more: a verb, or a second noun
SHORT = 110  # characters of a tool's description in find_tools' answer


class FindToolsArgs(BaseModel):
    """What the user wants to do."""

    model_config = ConfigDict(extra="forbid")
    task: str = Field(
        description="What the user wants to do, in a few words, e.g. 'log time on a project' "
        "or 'tax report'"
    )


def _size(schema: dict[str, Any]) -> int:
    """Characters a schema adds to the ``tools`` array (its JSON and a separator)."""
    return len(json.dumps(schema)) + 2


def _short(description: str) -> str:
    first = description.split(". ")[0].rstrip(".")
    return first if len(first) <= SHORT else first[: SHORT - 1].rstrip() + "…"


class Toolset:
    """The tools one agent may offer (``read_only`` hides writes) and the choice per request."""

    def __init__(
        self,
        registry: ToolRegistry,
        *,
        read_only: bool,
        budget_chars: int,
        grant: Grant | None = None,
    ) -> None:
        self.budget = budget_chars
        self._tools = {t.name: t for t in registry.available(read_only=read_only, grant=grant)}
        # Tools the connection's scopes rule out: never offered; a call gets the sentence.
        self.withheld: dict[str, tuple[str, ...]] = {
            t.name: grant.missing(t.scopes)
            for t in registry.available(read_only=read_only)
            if grant is not None and grant.missing(t.scopes)
        }
        self._schemas = {name: tool.schema() for name, tool in self._tools.items()}
        self.finder: Tool[FindToolsArgs] = Tool(
            name=FIND_TOOLS,
            description="Find the tools for what the user wants to do when none of the tools "
            "offered fits (only some are offered at a time). The tools found are offered from "
            "the next step on: then call the right one.",
            args=FindToolsArgs,
            handler=self._find,
        )
        everything = sum(_size(s) for s in self._schemas.values())
        # Small registries fit whole: then there is nothing to find.
        self.complete = everything <= self.budget
        self._fixed = [] if self.complete else [FIND_TOOLS, *(n for n in CORE if n in self._tools)]
        self._fixed_size = sum(_size(self._schema(n)) for n in self._fixed) + 2

    # -- lookups -----------------------------------------------------------------------------

    def get(self, name: str) -> Tool[Any] | None:
        """An available tool (``find_tools`` included when it is offered), else None."""
        if name == FIND_TOOLS and not self.complete:
            return self.finder
        return self._tools.get(name)

    def _schema(self, name: str) -> dict[str, Any]:
        return self.finder.schema() if name == FIND_TOOLS else self._schemas[name]

    # -- the choice --------------------------------------------------------------------------

    def offered(self, loaded: Sequence[str] = ()) -> list[dict[str, Any]]:
        """The ``tools`` of one request for a conversation that loaded ``loaded``."""
        if self.complete:
            return list(self._schemas.values())
        chosen = set(self._fixed)
        size = self._fixed_size
        for name in [*loaded, *FILLERS]:
            if name in chosen or name not in self._tools:
                continue
            extra = _size(self._schemas[name])
            if size + extra <= self.budget:
                chosen.add(name)
                size += extra
        order = [FIND_TOOLS, *self._schemas]
        return [self._schema(name) for name in order if name in chosen]

    def load(self, loaded: Sequence[str], names: Iterable[str]) -> list[str]:
        """``loaded`` with ``names`` in front (newest first), the oldest evicted past the budget."""
        if self.complete:
            return []
        merged = list(dict.fromkeys([*names, *loaded]))
        out: list[str] = []
        size = self._fixed_size
        for name in merged:
            if name in self._fixed or name not in self._tools:
                continue
            size += _size(self._schemas[name])
            if size > self.budget:
                break
            out.append(name)
        return out

    def preload(self, loaded: Sequence[str], message: str) -> list[str]:
        """``loaded`` with the tools the user's message is about in front."""
        if self.complete:
            return []
        matched = rank_tools(self._tools.values(), message, limit=MATCHED, minimum=MATCH_SCORE)
        return self.load(loaded, matched)

    # -- find_tools ----------------------------------------------------------------------------

    def _find(self, _ctx: ToolContext, args: FindToolsArgs) -> dict[str, Any]:
        names = rank_tools(self._tools.values(), args.task, limit=FOUND, described=True)
        if not names:
            return {
                "found": [],
                "all_tools": list(self._tools),
                "message": "No tool matched those words. These are all the tools: call "
                "find_tools again with the name of the right one.",
            }
        return {
            "found": [
                {"name": n, "description": _short(self._tools[n].description)} for n in names
            ],
            "message": "These tools are offered from now on: call the right one.",
        }

    @staticmethod
    def found_names(result: dict[str, Any]) -> list[str]:
        """The tool names a ``find_tools`` result loads."""
        found = result.get("found") or []
        return [str(f.get("name")) for f in found if isinstance(f, dict)]


def scopes_note(withheld: dict[str, tuple[str, ...]]) -> str:
    """A system prompt paragraph naming the tools the connection's scopes rule out ("" when
    none), so the model can say which scope a question needs instead of guessing."""
    if not withheld:
        return ""
    by_scopes: dict[tuple[str, ...], list[str]] = {}
    for name, missing in withheld.items():
        by_scopes.setdefault(missing, []).append(name)
    parts = [f"{', '.join(names)} (needs {' and '.join(m)})" for m, names in by_scopes.items()]
    return (
        "\n\nThis FreshBooks connection lacks some scopes, so these tools are not available: "
        + "; ".join(parts)
        + ". If the user asks for one of them, say in one sentence which scope it needs: "
        "they tick it on the FreshBooks developer page, then click Reconnect."
    )
