"""The tools an assistant sees: every tool of the agent's registry, plus the session's own.

Names, descriptions and input schemas come from the registry (``Tool.schema()``, the compact
schemas the chat sends); the hints come from each tool's permission and what it declares
(``idempotent``, ``open_world``). Writes take one more, optional argument: the confirmation
token a client without elicitation sends back to say the person agreed.
"""

from __future__ import annotations

import copy
from typing import Any

import mcp_types as types

from agent.tool import Tool

__all__ = [
    "CHOOSE_BUSINESS",
    "CONFIRMATION_TOKEN",
    "LIST_BUSINESSES",
    "SESSION_TOOLS",
    "UNDO_CHANGE",
    "annotations_for",
    "mcp_tool",
]

CONFIRMATION_TOKEN = "confirmation_token"
LIST_BUSINESSES = "list_businesses"
CHOOSE_BUSINESS = "choose_business"
UNDO_CHANGE = "undo_change"

_TOKEN_PROPERTY = {
    "type": ["string", "null"],
    "description": (
        "Only when this tool answered with a preview and a confirmation_token and the person "
        "said yes to that preview: the token, with exactly the same other arguments. Null "
        "otherwise."
    ),
}


def annotations_for(tool: Tool[Any]) -> types.ToolAnnotations:
    """The MCP hints of a registry tool, from its permission and declared facts."""
    title = tool.name.replace("_", " ").capitalize()
    if not tool.needs_approval:
        return types.ToolAnnotations(
            title=title,
            read_only_hint=True,
            destructive_hint=False,
            idempotent_hint=True,
            open_world_hint=False,
        )
    return types.ToolAnnotations(
        title=title,
        read_only_hint=False,
        destructive_hint=tool.destructive,
        idempotent_hint=tool.idempotent,
        open_world_hint=tool.open_world,
    )


def mcp_tool(tool: Tool[Any]) -> types.Tool:
    """A registry tool as MCP lists it."""
    function = tool.schema()["function"]
    schema: dict[str, Any] = copy.deepcopy(function["parameters"])
    description = str(function.get("description") or tool.description)
    if tool.needs_approval:
        schema.setdefault("properties", {})[CONFIRMATION_TOKEN] = dict(_TOKEN_PROPERTY)
        description += " Nothing changes until the person says yes to the preview this tool shows."
    return types.Tool(
        name=tool.name,
        description=description,
        input_schema=schema,
        annotations=annotations_for(tool),
    )


def _session_tool(
    name: str,
    description: str,
    properties: dict[str, Any],
    hints: types.ToolAnnotations,
) -> types.Tool:
    return types.Tool(
        name=name,
        description=description,
        input_schema={
            "type": "object",
            "properties": properties,
            "required": [k for k in properties if k != CONFIRMATION_TOKEN],
            "additionalProperties": False,
        },
        annotations=hints,
    )


SESSION_TOOLS: dict[str, types.Tool] = {
    LIST_BUSINESSES: _session_tool(
        LIST_BUSINESSES,
        "The FreshBooks businesses this connection can open, and which one this session uses.",
        {},
        types.ToolAnnotations(
            title="List businesses",
            read_only_hint=True,
            destructive_hint=False,
            idempotent_hint=True,
            open_world_hint=False,
        ),
    ),
    CHOOSE_BUSINESS: _session_tool(
        CHOOSE_BUSINESS,
        "Switch this session to another of the connection's businesses (by business_id from "
        "list_businesses). Changes nothing in FreshBooks.",
        {"business_id": {"type": "integer", "description": "business_id from list_businesses"}},
        types.ToolAnnotations(
            title="Choose business",
            read_only_hint=True,
            destructive_hint=False,
            idempotent_hint=True,
            open_world_hint=False,
        ),
    ),
    UNDO_CHANGE: _session_tool(
        UNDO_CHANGE,
        "Take back a change made through this server (a create, or an archive) by the "
        "audit_id its result gave. Nothing changes until the person says yes to the preview.",
        {
            "audit_id": {"type": "integer", "description": "audit_id from the change's result"},
            CONFIRMATION_TOKEN: dict(_TOKEN_PROPERTY),
        },
        types.ToolAnnotations(
            title="Undo a change",
            read_only_hint=False,
            destructive_hint=True,
            idempotent_hint=False,
            open_world_hint=False,
        ),
    ),
}
