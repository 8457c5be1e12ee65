"""What a turn yields to the UI, in order, besides the model's own :class:`TextDelta`.

A turn (``Agent.send`` or ``Agent.decide``) ends with exactly one of :class:`TurnFinished`,
:class:`ApprovalNeeded` (the turn pauses) or :class:`AgentError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .conversation import PendingWrite
from .model import TextDelta, Usage

__all__ = [
    "AgentError",
    "AgentEvent",
    "ApprovalNeeded",
    "PromptCut",
    "ToolFinished",
    "ToolStarted",
    "TurnFinished",
    "UndoDone",
    "WriteCancelled",
    "WriteDone",
]


@dataclass(frozen=True)
class ToolStarted:
    """A tool call began; ``label`` says in words what is looked up."""

    call_id: str
    name: str
    label: str


@dataclass(frozen=True)
class ToolFinished:
    """A tool call ended; ``summary`` is a few words (a count, or the error sentence)."""

    call_id: str
    name: str
    ok: bool
    summary: str


@dataclass(frozen=True)
class ApprovalNeeded:
    """The turn pauses: these writes wait for Confirm or Cancel (``Agent.decide``)."""

    pending: list[PendingWrite]


@dataclass(frozen=True)
class WriteDone:
    """A confirmed write ran (once): ``ok`` and the FreshBooks ids it touched.

    ``unconfirmed``: it failed without a clear answer and may have happened anyway; the
    summary says what the app found (the ids are those of the records found).
    """

    call_id: str
    name: str
    ok: bool
    summary: str
    record_ids: dict[str, Any] = field(default_factory=dict)
    unconfirmed: bool = False


@dataclass(frozen=True)
class WriteCancelled:
    """The user cancelled a proposed write; nothing reached FreshBooks."""

    call_id: str
    name: str
    summary: str


@dataclass(frozen=True)
class UndoDone:
    """``Agent.undo`` ran: whether the created record was taken back."""

    call_id: str
    name: str
    ok: bool
    summary: str
    record_ids: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TurnFinished:
    """The model gave its final answer: this turn's tokens and estimated cost (None: unknown)."""

    usage: Usage
    cost_usd: Decimal | None


@dataclass(frozen=True)
class AgentError:
    """The turn failed (the model could not be reached...): a sentence for the user."""

    message: str


@dataclass(frozen=True)
class PromptCut(AgentError):
    """The model server read far fewer prompt tokens than were sent: it cut the prompt (its
    context is smaller than the app was told), so the turn stopped before any tool ran.
    ``read`` is what the server reported, ``sent`` the app's estimate."""

    read: int = 0
    sent: int = 0


AgentEvent = (
    TextDelta
    | ToolStarted
    | ToolFinished
    | ApprovalNeeded
    | WriteDone
    | WriteCancelled
    | UndoDone
    | TurnFinished
    | AgentError
    | PromptCut
)
