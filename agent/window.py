"""The part of the history that fits the model's context, oldest turns left out first.

A turn starts at a user message, so a tool result always travels with the call it answers.
The latest turn and any turn holding a write that awaits the user's click are always sent;
when the latest turn alone is too large, its oldest finished steps (an assistant message with
tool calls and their results) are left out, never the last one or one awaiting a click.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from .tokens import estimate_tokens

__all__ = ["fit_history", "left_out_note"]

Message = dict[str, Any]


def left_out_note(count: int) -> str:
    """The line the system prompt gets when ``count`` older messages were not sent."""
    return (
        f"({count} earlier messages of this conversation were left out to fit the model's "
        "context; ask the user if you need what they said.)"
    )


def _turns(messages: list[Message]) -> list[list[Message]]:
    turns: list[list[Message]] = []
    for message in messages:
        if message.get("role") == "user" or not turns:
            turns.append([])
        turns[-1].append(message)
    return turns


def _holds(messages: list[Message], call_ids: Collection[str]) -> bool:
    return any(c.get("id") in call_ids for m in messages for c in m.get("tool_calls") or [])


def _size(messages: list[Message]) -> int:
    return sum(estimate_tokens(m) + 1 for m in messages)  # +1: the separator in the list


def fit_history(
    messages: list[Message], budget: int, awaiting: Collection[str] = ()
) -> tuple[list[Message], int]:
    """The messages to send within ``budget`` tokens, and how many were left out.

    ``awaiting`` are the call ids of writes waiting for the user's click.
    """
    turns = _turns(messages)
    if not turns:
        return [], 0
    kept: list[list[Message]] = []
    size = 0
    dropping = False
    for number, turn in enumerate(reversed(turns)):
        needed = number == 0 or _holds(turn, awaiting)
        turn_size = _size(turn)
        if needed or (not dropping and size + turn_size <= budget):
            kept.append(turn)
            size += turn_size
        else:
            dropping = True  # older turns are not sent once one is left out
    kept.reverse()
    if size > budget:
        kept[-1] = _shrink_turn(kept[-1], budget - (size - _size(kept[-1])), awaiting)
    window = [m for turn in kept for m in turn]
    return window, len(messages) - len(window)


def _steps(turn: list[Message]) -> list[list[Message]]:
    """The turn's user message, then each assistant message with the tool results after it."""
    steps: list[list[Message]] = []
    for message in turn:
        if message.get("role") == "tool" and steps:
            steps[-1].append(message)
        else:
            steps.append([message])
    return steps


def _shrink_turn(turn: list[Message], budget: int, awaiting: Collection[str]) -> list[Message]:
    """Leave out the turn's oldest finished steps until it fits (or only needed ones remain)."""
    steps = _steps(turn)
    head, body = steps[:1], steps[1:]
    while len(body) > 1 and _size([m for s in [*head, *body] for m in s]) > budget:
        victim = next((n for n, s in enumerate(body[:-1]) if not _holds(s, awaiting)), None)
        if victim is None:
            break
        del body[victim]
    return [m for s in [*head, *body] for m in s]
