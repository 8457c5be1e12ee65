"""A scripted chat model for tests: no network, fully predictable.

    model = FakeChatModel([
        [tool_call("list_invoices", {"status": "overdue"})],
        lambda messages, tools: [TextDelta(f"{len(messages)} messages so far")],
        ["Done."],                      # a plain string is a TextDelta
    ])

Each step answers one model call, in order: a list of events, or a callable
``(messages, tools) -> list of events`` that can look at the tool results it was given. An
exception instance among the events is raised at that point (e.g. a :class:`ModelError`).
The script may be any iterable, so ``itertools.repeat(step)`` scripts a model that never stops.
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from agent.model import ModelError, ModelEvent, TextDelta, ToolCall

from . import schema_meter

__all__ = ["FakeChatModel", "Step", "tool_call", "tool_results"]

Event = ModelEvent | str | BaseException
Step = Sequence[Event] | Callable[[list[dict[str, Any]], list[dict[str, Any]]], Sequence[Event]]

_ids = itertools.count(1)


def tool_call(name: str, arguments: dict[str, Any] | str, call_id: str | None = None) -> ToolCall:
    """A :class:`ToolCall` with JSON-encoded arguments and a fresh id unless one is given."""
    text = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return ToolCall(id=call_id or f"call_fake_{next(_ids)}", name=name, arguments=text)


class FakeChatModel:
    """A :class:`~agent.model.ChatModel` that plays a script and records what it was sent."""

    def __init__(self, script: Iterable[Step], *, name: str = "fake-model") -> None:
        self.name = name
        self.local = True  # no price: it costs nothing
        self._script: Iterator[Step] = iter(script)
        self.received: list[list[dict[str, Any]]] = []
        self.tools_seen: list[list[dict[str, Any]]] = []

    @property
    def calls(self) -> int:
        """How many times the model was called."""
        return len(self.received)

    def stream(
        self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]
    ) -> Iterator[ModelEvent]:
        """Play the next step of the script."""
        self.received.append(copy.deepcopy(messages))
        self.tools_seen.append(copy.deepcopy(tools))
        schema_meter.record(tools, f"FakeChatModel {self.name}")
        step = next(self._script, None)
        if step is None:
            raise ModelError("The scripted model has no more answers.", kind="stream")
        events = step(messages, tools) if callable(step) else step
        for event in events:
            if isinstance(event, BaseException):
                raise event
            yield TextDelta(event) if isinstance(event, str) else event

    def last_tool_results(self) -> list[dict[str, Any]]:
        """The tool messages that followed the last assistant message, decoded (for tests)."""
        return tool_results(self.received[-1]) if self.received else []


def tool_results(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The trailing ``tool`` messages of ``messages`` as ``{"call_id", "result"}`` dicts."""
    out: list[dict[str, Any]] = []
    for message in reversed(messages):
        if message.get("role") != "tool":
            break
        out.append({"call_id": message["tool_call_id"], "result": json.loads(message["content"])})
    return list(reversed(out))
