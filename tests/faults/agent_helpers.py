"""Driving the agent loop with a scripted model over the faulty sandbox."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from agent.loop import Agent
from agent.model import ToolCall
from agent.tools import build_registry

from ..support.audit import MemoryAudit
from ..support.fake_model import FakeChatModel, tool_call

REGISTRY = build_registry()
# Known records of the seeded small sandbox (seed 7).
FERNHILL = 20000001  # a client
CATEGORY = 25000025  # an expense category
RATED_PROJECTS = {20000005: 30000029, 20000006: 30000030}  # client -> project at a project rate


def strict_call(name: str, call_id: str, /, **given: Any) -> ToolCall:
    """A tool call as a strict-mode model sends it: every argument present, null if unused."""
    tool = REGISTRY.get(name)
    assert tool is not None, name
    return tool_call(name, dict.fromkeys(tool.args.model_fields) | given, call_id)


def agent_with(script: Iterable[Any], audit: MemoryAudit | None = None) -> tuple[Agent, Any]:
    """An agent over every real tool, on a scripted model; returns (agent, model)."""
    model = FakeChatModel(list(script))
    return Agent(model, REGISTRY, audit=audit or MemoryAudit()), model


def run(events: Iterable[Any]) -> list[Any]:
    """Drain a turn's generator."""
    return list(events)


def of_type(events: Iterable[Any], kind: type) -> list[Any]:
    """The events of one kind."""
    return [e for e in events if isinstance(e, kind)]
