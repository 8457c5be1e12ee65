"""Driving the agent loop with a scripted model over every real tool."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from agent.loop import Agent
from agent.model import ToolCall
from agent.tools import build_registry

from .audit import MemoryAudit
from .fake_model import FakeChatModel, tool_call

REGISTRY = build_registry()


def strict_call(name: str, call_id: str, /, **given: Any) -> ToolCall:
    """A tool call as a strict-mode model sends it: every argument present, null if unused."""
    tool = REGISTRY.get(name)
    assert tool is not None, name
    return tool_call(name, dict.fromkeys(tool.args.model_fields) | given, call_id)


def agent_with(script: Iterable[Any], audit: MemoryAudit | None = None) -> tuple[Agent, Any]:
    """An agent over every real tool, on a scripted model; returns (agent, model)."""
    model = FakeChatModel(list(script))
    return Agent(model, REGISTRY, audit=audit or MemoryAudit()), model
