"""A tiny registry over an in-memory note store, for the loop's mechanics."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from agent.tool import ProposedChange, Tool, ToolContext, ToolRegistry
from fbclient import NotFoundError


class NoteStore:
    """Notes by id; counts every handler call so tests can prove what ran."""

    def __init__(self) -> None:
        self.notes: dict[int, str] = {1: "Call Acme about invoice 0042", 2: "Renew domain"}
        self.next_id = 3
        self.writes: list[tuple[str, Any]] = []
        self.lock = threading.Lock()

    def get(self, note_id: int) -> str:
        if note_id not in self.notes:
            raise NotFoundError(f"note {note_id} not found", status=404)
        return self.notes[note_id]


class GetNote(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note_id: int = Field(description="Id of the note")


class FindNotes(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(description="Text the note contains")


class AddNote(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, description="The note's text")


class Wait(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(description="Which wait this is")


@dataclass
class Hooks:
    """Optional behaviour the tests switch on."""

    barrier: threading.Barrier | None = None
    fail_add: Exception | None = None
    seen_threads: set[str] = field(default_factory=set)


def build(store: NoteStore, hooks: Hooks | None = None) -> ToolRegistry:
    hooks = hooks or Hooks()

    def get_note(ctx: ToolContext, args: GetNote) -> dict[str, Any]:
        return {"id": args.note_id, "text": store.get(args.note_id)}

    def find_notes(ctx: ToolContext, args: FindNotes) -> dict[str, Any]:
        rows = [{"id": k, "text": v} for k, v in store.notes.items() if args.text in v]
        return {"count": len(rows), "rows": rows, "has_more": False}

    def wait(ctx: ToolContext, args: Wait) -> dict[str, Any]:
        hooks.seen_threads.add(threading.current_thread().name)
        assert hooks.barrier is not None
        hooks.barrier.wait()  # only passes if every call of the response runs at once
        return {"waited": args.name}

    def propose_add(ctx: ToolContext, args: AddNote) -> ProposedChange:
        return ProposedChange(title="Add a note", fields=[("Text", args.text)])

    def add_note(ctx: ToolContext, args: AddNote) -> dict[str, Any]:
        with store.lock:
            store.writes.append(("add", args.text))
            if hooks.fail_add is not None:
                raise hooks.fail_add
            note_id = store.next_id
            store.next_id += 1
            store.notes[note_id] = args.text
        return {"done": "added", "record_ids": {"note": [note_id]}, "note": {"id": note_id}}

    def undo_add(ctx: ToolContext, result: dict[str, Any]) -> dict[str, Any]:
        note_id = result["record_ids"]["note"][0]
        store.writes.append(("undo", note_id))
        del store.notes[note_id]
        return {"done": "deleted", "record_ids": {"note": [note_id]}}

    def propose_delete(ctx: ToolContext, args: GetNote) -> ProposedChange:
        return ProposedChange(
            title=f"Delete note {args.note_id}", fields=[("Text", store.get(args.note_id))]
        )

    def delete_note(ctx: ToolContext, args: GetNote) -> dict[str, Any]:
        store.writes.append(("delete", args.note_id))
        del store.notes[args.note_id]
        return {"done": "deleted", "record_ids": {"note": [args.note_id]}}

    return ToolRegistry(
        [
            Tool("get_note", "Read one note by id.", GetNote, get_note),
            Tool("find_notes", "Find notes containing a text.", FindNotes, find_notes),
            Tool("wait", "Wait for the others.", Wait, wait),
            Tool(
                "add_note",
                "Add a note (the user confirms first).",
                AddNote,
                add_note,
                permission="write",
                propose=propose_add,
                undo=undo_add,
            ),
            Tool(
                "delete_note",
                "Delete a note (the user confirms first).",
                GetNote,
                delete_note,
                permission="delete",
                propose=propose_delete,
            ),
        ]
    )
