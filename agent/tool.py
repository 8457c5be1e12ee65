"""One tool, one unit: an argument model, a description, a handler, a permission.

Read tools run at once. Write tools (write, send, delete) never run from the model's call:
``propose`` builds a :class:`ProposedChange` the user sees on a card, and only a Confirm click
makes the loop call ``handler``. Account and business ids come from the :class:`ToolContext`,
never from the model.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from agent.schema import compact_parameters
from fbclient import BusinessClient
from fbclient.identity import Business
from fbclient.scopes import Grant
from fbclient.snapshot import Snapshot

if TYPE_CHECKING:
    from agent.books import Books
    from insights.forecast import Backtest, Forecast
    from insights.frames import Frames
    from insights.kpis import CurrencyOverview
    from store.timers import TimerStore

__all__ = [
    "Figures",
    "FoundRecord",
    "Permission",
    "ProposedChange",
    "Tool",
    "ToolArgumentError",
    "ToolContext",
    "ToolRegistry",
]

Permission = Literal["read", "write", "send", "delete"]
A = TypeVar("A", bound=BaseModel)


class Figures(Protocol):
    """The figures the dashboards compute from a snapshot's frames, as the app keeps them
    (once per owner, snapshot and day, and in files a process that starts reads): a tool
    asking for the same figures gets the very ones the pages show, without computing them."""

    def forecast(self, snapshot: Snapshot, frames: Frames) -> Forecast:
        """The forecast of :data:`insights.forecast.WEEKS` weeks from the frames' today."""

    def backtest(self, snapshot: Snapshot, frames: Frames, currency: str) -> Backtest:
        """How past forecasts in ``currency`` did."""

    def overview(self, snapshot: Snapshot, frames: Frames) -> list[CurrencyOverview]:
        """The Overview's headlines per currency."""


@dataclass(frozen=True)
class ToolContext:
    """What a tool may use: the business's client and facts the app already knows."""

    books: BusinessClient
    business: Business
    now: datetime  # aware, in the business's timezone
    # The app's local mirror (synced when due): read tools answer from it, not the API.
    snapshot: Callable[[], Snapshot] | None = None
    # The snapshot the app already holds, without asking FreshBooks (None: nothing held). The
    # system prompt reads this: a prompt must not wait on FreshBooks, least of all in an outage.
    held: Callable[[], Snapshot | None] | None = None
    # The emails the app sent per invoice (count, last): the chase list's memory.
    emails_sent: Callable[[], Mapping[int, tuple[int, datetime]]] | None = None
    # The owner's timers in this business (the app's store); None where there is no store.
    timers: TimerStore | None = None
    # The app's frames of a snapshot on a day, shared with the dashboards (built once per
    # stored revision and day); None: a tool builds them itself.
    frames: Callable[[Snapshot, date], Frames] | None = None
    # The app's kept figures of those frames (forecast, backtest, Overview headlines); None: a
    # tool computes them itself.
    figures: Figures | None = None

    def frames_of(self, snapshot: Snapshot, today: date) -> Frames:
        """The frames of ``snapshot`` on ``today``: the app's shared ones when it has them."""
        if self.frames is not None:
            return self.frames(snapshot, today)
        from insights.frames import build_frames  # pandas only where frames are wanted

        return build_frames(snapshot, today)

    @property
    def today(self) -> date:
        """The business's calendar day."""
        return self.business.today(self.now)

    @property
    def reads(self) -> Books:
        """Where read tools read: the app's mirror when it has one (FreshBooks for what the
        mirror cannot know), else FreshBooks."""
        # Imported here: the mirror's filters live among the tools, which import this module.
        from agent.books import ApiBooks, MirrorBooks

        api = ApiBooks(self.books)
        if self.snapshot is None:
            return api
        return MirrorBooks(
            self.snapshot,
            api,
            today=self.today,
            accounting=self.business.has_accounting,
        )


@dataclass(frozen=True)
class ProposedChange:
    """Exactly what a write will do, for the confirm card (and the audit log).

    ``fields`` are (label, value) rows as a person reads them; ``amounts`` the money involved
    with its currency; ``client`` whom it concerns.

    A change made of several like parts (emails to send) lists them as ``items`` (key, label):
    the person may leave any out, and the write then runs with ``item_argument`` set to the
    keys kept, exactly the parts the card showed.
    """

    title: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    client: str | None = None
    amounts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    items: list[tuple[str, str]] = field(default_factory=list)
    item_argument: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form (kept in session state and the chat history)."""
        return {
            "title": self.title,
            "fields": [list(f) for f in self.fields],
            "client": self.client,
            "amounts": list(self.amounts),
            "warnings": list(self.warnings),
            "items": [list(i) for i in self.items],
            "item_argument": self.item_argument,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProposedChange:
        """Back from :meth:`as_dict`."""
        return cls(
            title=str(data["title"]),
            fields=[(str(a), str(b)) for a, b in data.get("fields", [])],
            client=data.get("client"),
            amounts=[str(a) for a in data.get("amounts", [])],
            warnings=[str(w) for w in data.get("warnings", [])],
            items=[(str(k), str(v)) for k, v in data.get("items", [])],
            item_argument=data.get("item_argument"),
        )

    def keeping(self, arguments: Mapping[str, Any], kept: Sequence[str] | None) -> dict[str, Any]:
        """The write's arguments for the items kept (all of them when ``kept`` is None):
        ``item_argument`` set to their keys (as integers where they are)."""
        if not self.items or self.item_argument is None:
            return dict(arguments)
        keys = [k for k, _ in self.items if kept is None or k in kept]
        values: list[Any] = [int(k) if k.isdigit() else k for k in keys]
        return {**arguments, self.item_argument: values}


@dataclass(frozen=True)
class FoundRecord:
    """A record a create may have made although FreshBooks did not confirm it.

    ``kind`` and ``id`` go to the audit log; ``text`` is how a person recognises the record
    (number, client, amount, date).
    """

    kind: str
    id: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form (tool results, the audit log)."""
        return {"kind": self.kind, "id": self.id, "text": self.text}


class ToolArgumentError(ValueError):
    """The model's arguments did not validate; ``errors`` go back to it as a tool result."""

    def __init__(self, tool: str, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"invalid arguments for {tool}")
        self.tool = tool
        self.errors = errors


@dataclass(frozen=True)
class Tool(Generic[A]):
    """A FreshBooks operation the model can ask for."""

    name: str
    description: str
    args: type[A]
    handler: Callable[[ToolContext, A], dict[str, Any]]
    permission: Permission = "read"
    # For writes: what will change, shown before anything happens. May read FreshBooks.
    propose: Callable[[ToolContext, A], ProposedChange] | None = None
    # For creates FreshBooks lets us take back: undo(ctx, result of handler).
    undo: Callable[[ToolContext, dict[str, Any]], dict[str, Any]] | None = None
    # For creates: the records made since ``since`` that match these arguments. The loop asks
    # when a create failed without a clear answer (timeout, 5xx), so a record FreshBooks did
    # make is reported instead of being created twice by a retry.
    find_created: Callable[[ToolContext, A, datetime], list[FoundRecord]] | None = None
    # The OAuth scopes it needs (agent.tools.scopes): not offered to a connection without them.
    scopes: tuple[str, ...] = ()
    # For writes: the same call made twice changes nothing more (an update to given values,
    # an archive). Reads are always idempotent.
    idempotent: bool = False
    # It reaches people outside the books (an email to a client).
    open_world: bool = False

    def __post_init__(self) -> None:
        if self.permission != "read" and self.propose is None:
            raise ValueError(f"write tool {self.name} needs a propose() for its confirm card")
        if self.permission == "read" and self.find_created is not None:
            raise ValueError(f"read tool {self.name} creates nothing to look for")
        if self.idempotent and self.find_created is not None:
            raise ValueError(f"{self.name} creates records: a second call makes another")
        if self.args.model_config.get("extra") != "forbid":
            raise ValueError(f"{self.name}: argument models must forbid extra keys")

    @property
    def needs_approval(self) -> bool:
        """Every write, send and delete waits for the user's click."""
        return self.permission != "read"

    @property
    def destructive(self) -> bool:
        """Whether it removes or hides records (deletes and archives)."""
        return self.permission == "delete"

    def schema(self) -> dict[str, Any]:
        """The Chat Completions tool definition, strict mode on, compacted (see agent.schema)."""
        # Imported here: the dashboards use tools' helpers without ever sending a schema, and
        # the OpenAI library is a large import for a process that never talks to a model.
        import openai

        tool = openai.pydantic_function_tool(
            self.args, name=self.name, description=self.description
        )
        function = dict(tool["function"])
        parameters: dict[str, Any] = dict(function.get("parameters") or {})  # type: ignore[call-overload]  # the SDK types it as object
        function["parameters"] = compact_parameters(parameters)
        return {"type": "function", "function": function}

    def parse(self, arguments: str | Mapping[str, Any]) -> A:
        """Validate the model's JSON arguments, whatever the server claims about strict mode."""
        try:
            data = json.loads(arguments) if isinstance(arguments, str) else dict(arguments)
        except (TypeError, ValueError) as exc:
            raise ToolArgumentError(
                self.name, [{"msg": f"arguments are not valid JSON: {exc}"}]
            ) from exc
        if not isinstance(data, dict):
            raise ToolArgumentError(self.name, [{"msg": "arguments must be a JSON object"}])
        try:
            return self.args.model_validate(data)
        except ValidationError as exc:
            errors = [
                {"field": ".".join(str(p) for p in e["loc"]), "msg": e["msg"]}
                for e in exc.errors(include_url=False, include_input=False)
            ]
            raise ToolArgumentError(self.name, errors) from exc


class ToolRegistry:
    """The tools exposed to the model; ``read_only`` hides every write (least privilege)."""

    def __init__(self, tools: list[Tool[Any]]) -> None:
        names = [t.name for t in tools]
        if len(names) != len(set(names)):
            raise ValueError("tool names must be unique")
        self._tools = {t.name: t for t in tools}

    def get(self, name: str) -> Tool[Any] | None:
        """The tool called ``name``, if registered."""
        return self._tools.get(name)

    def available(self, *, read_only: bool = False, grant: Grant | None = None) -> list[Tool[Any]]:
        """Tools to offer the model: no writes when ``read_only``, and none needing a scope
        the connection's ``grant`` lacks."""
        return [
            t
            for t in self._tools.values()
            if not (read_only and t.needs_approval)
            and (grant is None or not grant.missing(t.scopes))
        ]

    def schemas(
        self, *, read_only: bool = False, grant: Grant | None = None
    ) -> list[dict[str, Any]]:
        """Chat Completions ``tools`` for the available tools."""
        return [t.schema() for t in self.available(read_only=read_only, grant=grant)]

    def __iter__(self) -> Iterator[Tool[Any]]:
        return iter(self._tools.values())

    def __len__(self) -> int:
        return len(self._tools)
