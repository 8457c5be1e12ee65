"""How one model request shares the model's context window (``COPILOT_MODEL_CONTEXT``).

A request is the system prompt, the tool schemas, the history, and room left for the answer.
The shares below are of the context in tokens (see :mod:`agent.tokens` for the estimate):

- tools: at most half of the context and never more than 10,000 characters, so a local server
  with a 4,096-token window keeps its tools (it drops the front of a prompt that is too long);
- the answer: an eighth of the context is left free;
- one tool result: at most 15 % of the context (40,000 characters at most), so a large result
  leaves room for the rest of the turn; a larger one is cut with a note to narrow the query;
- the history: whatever is left after the system prompt and the tools.
"""

from __future__ import annotations

from dataclasses import dataclass

from .tokens import CHARS_PER_TOKEN

__all__ = ["DEFAULT_CONTEXT", "MAX_TOOL_CHARS", "ContextBudget"]

DEFAULT_CONTEXT = 128_000  # an Agent built without a context (tests, hosted OpenAI models)
MAX_TOOL_CHARS = 10_000
MAX_RESULT_CHARS = 40_000
HISTORY_CHARS = 120_000  # even a large window is not filled with old turns (cost, focus)
TOOL_SHARE = 0.5
RESULT_SHARE = 0.15
ANSWER_SHARE = 0.125


@dataclass(frozen=True)
class ContextBudget:
    """The shares of a context window of ``tokens`` tokens."""

    tokens: int = DEFAULT_CONTEXT

    @property
    def tool_chars(self) -> int:
        """Characters of tool schemas one request may carry."""
        return min(MAX_TOOL_CHARS, int(self.tokens * TOOL_SHARE * CHARS_PER_TOKEN))

    @property
    def result_chars(self) -> int:
        """Characters one tool result may take in the history."""
        return min(MAX_RESULT_CHARS, int(self.tokens * RESULT_SHARE * CHARS_PER_TOKEN))

    @property
    def answer_tokens(self) -> int:
        """Tokens left free for the model's answer."""
        return int(self.tokens * ANSWER_SHARE)

    def history_tokens(self, system_tokens: int, tool_tokens: int) -> int:
        """Tokens the history may take next to this system prompt and these tools."""
        room = self.tokens - self.answer_tokens - system_tokens - tool_tokens
        return max(0, min(room, HISTORY_CHARS // CHARS_PER_TOKEN))
