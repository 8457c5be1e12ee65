"""Fixtures for the agent: a tiny tool registry, a context, an in-memory audit log."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from agent.tool import ToolContext
from fbclient.identity import Business

from ..support.audit import MemoryAudit
from ..support.note_tools import Hooks, NoteStore, build


@pytest.fixture
def notes() -> NoteStore:
    return NoteStore()


@pytest.fixture
def hooks() -> Hooks:
    return Hooks()


@pytest.fixture
def registry(notes, hooks):
    return build(notes, hooks)


@pytest.fixture
def audit() -> MemoryAudit:
    return MemoryAudit()


@pytest.fixture
def ctx() -> ToolContext:
    business = Business(
        business_id=1,
        account_id="acc1",
        name="Doe Design",
        role="owner",
        timezone="America/Toronto",
    )
    now = datetime(2024, 5, 15, 10, 30, tzinfo=ZoneInfo("America/Toronto"))
    return ToolContext(books=None, business=business, now=now)  # type: ignore[arg-type]  # no client: these tools must not call FreshBooks
