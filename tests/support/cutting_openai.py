"""An OpenAI-compatible test server that cuts long prompts the way Ollama does.

Ollama renders a chat request into one prompt (the tool block first, then the messages in
order), and when the prompt is longer than its context (4,096 tokens by default) it keeps only
the end, answers 200 and reports the tokens it read as ``usage.prompt_tokens``. This server
does the same on top of :class:`~tests.browser.fake_openai.FakeOpenAI`:

- each tool and each message is one segment of the prompt (a tool as its JSON; a message as
  its role, its content and the JSON of its tool calls);
- tokens are counted with a tokenizer of its own, independent of the app's estimate: text is
  split with a GPT-2-style pre-tokenizer regex (contractions, letter runs, digit runs,
  punctuation runs, each with at most one leading space, and whitespace runs) and a piece of
  ``n`` characters counts ``ceil(n / 4)`` tokens, as byte-pair merges rarely join more;
- segments are dropped from the front, whole, until the rest fits ``keep`` tokens; the scripted
  model receives the request without them, and ``usage.prompt_tokens`` is what was kept.

The script's steps see the cut request; :func:`wants` is a step for a model that calls a tool
only when it received it, and otherwise says "I have no tools".
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..browser.fake_openai import Answer, Call, FakeOpenAI

__all__ = ["NO_TOOLS", "CuttingOpenAI", "count_tokens", "offered", "wants"]

NO_TOOLS = "I have no tools for that."
# GPT-2's pre-tokenizer with ``re`` classes (``[^\W\d_]`` is a letter; ``_`` is punctuation).
PIECES = re.compile(r"'(?:s|t|re|ve|m|ll|d)| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+")


def count_tokens(text: str) -> int:
    """Tokens of ``text`` by this server's tokenizer (see the module docstring)."""
    return sum(math.ceil(len(piece) / 4) for piece in PIECES.findall(text))


def _render_message(message: dict[str, Any]) -> str:
    parts = [f"<|{message.get('role')}|>", str(message.get("content") or "")]
    if message.get("tool_calls"):
        parts.append(json.dumps(message["tool_calls"]))
    return "\n".join(parts)


def offered(request: dict[str, Any]) -> set[str]:
    """The tool names a (cut) request carries."""
    return {t["function"]["name"] for t in request.get("tools") or []}


def wants(
    name: str, then: Callable[[dict[str, Any]], Answer] | Answer
) -> Callable[[dict[str, Any]], Answer]:
    """A step that answers with ``then`` when ``name`` is among the tools it received, and
    with :data:`NO_TOOLS` when it is not (a model that lost its tools)."""

    def step(request: dict[str, Any]) -> Answer:
        if name not in offered(request):
            return NO_TOOLS
        return then(request) if callable(then) else then

    return step


@dataclass
class CuttingOpenAI(FakeOpenAI):
    """:class:`FakeOpenAI` that keeps only the last ``keep`` tokens of each prompt."""

    keep: int = 4096
    dropped: list[int] = field(default_factory=list)  # segments cut from each request

    def view(self, body: dict[str, Any], raw: bytes) -> tuple[dict[str, Any], int]:
        """The request cut from the front, and the tokens kept."""
        tools: Sequence[dict[str, Any]] = body.get("tools") or []
        messages: Sequence[dict[str, Any]] = body.get("messages") or []
        segments = [("tool", t, count_tokens(json.dumps(t))) for t in tools]
        segments += [("message", m, count_tokens(_render_message(m))) for m in messages]
        kept: list[tuple[str, Any, int]] = []
        total = 0
        for segment in reversed(segments):
            if total + segment[2] > self.keep and kept:
                break
            kept.append(segment)
            total += segment[2]
        kept.reverse()
        with self._lock:
            self.dropped.append(len(segments) - len(kept))
        cut = dict(body)
        cut["tools"] = [s[1] for s in kept if s[0] == "tool"]
        cut["messages"] = [s[1] for s in kept if s[0] == "message"]
        return cut, min(total, self.keep)


__all__ += ["Call"]
