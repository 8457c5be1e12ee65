"""Reading what a tool needs besides its main records: names by id, and finding by name.

Lists here are bounded (:data:`LIST_PAGES` pages of 100); a business beyond that gets a
``truncated`` note rather than an unbounded fetch.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from agent.tool import ToolContext
from fbclient.models.clients import Client
from fbclient.models.projects import Project

__all__ = [
    "LIST_PAGES",
    "NameMatch",
    "category_names",
    "client_names",
    "clients_by_id",
    "find_by_name",
    "project_titles",
    "service_names",
    "service_rates",
]

T = TypeVar("T")

LIST_PAGES = 10


def clients_by_id(ctx: ToolContext) -> dict[int, Client]:
    """Every client of the business (archived included), by id."""
    clients = ctx.reads.every_client(pages=LIST_PAGES)
    return {c.id: c for c in clients if c.vis_state != 1}


def client_names(ctx: ToolContext) -> dict[int, str]:
    """Client display names by id."""
    return {cid: c.display_name for cid, c in clients_by_id(ctx).items()}


def category_names(ctx: ToolContext) -> dict[int, str]:
    """Expense category names by id."""
    categories = ctx.reads.every_expense_category(pages=LIST_PAGES)
    return {c.id: c.name for c in categories}


def project_titles(ctx: ToolContext) -> dict[int, str]:
    """Project titles by id."""
    projects = ctx.reads.every_project(pages=LIST_PAGES)
    return {p.id: p.title or f"Project {p.id}" for p in projects}


def service_names(ctx: ToolContext) -> dict[int, str]:
    """Service names by id."""
    services = ctx.reads.every_service(pages=LIST_PAGES)
    return {s.id: s.name or f"Service {s.id}" for s in services}


def service_rates(ctx: ToolContext) -> dict[int, Decimal]:
    """Hourly rates by service id (services without a rate are left out)."""
    rates = ctx.reads.service_rates(pages=LIST_PAGES)
    return {r.service_id: r.rate for r in rates if r.service_id is not None and r.rate is not None}


def _tokens(value: str) -> list[str]:
    return re.sub(r"[^\w]+", " ", value.casefold().replace("&", " and ")).split()


@dataclass(frozen=True)
class NameMatch(Generic[T]):
    """Records whose name matches a query: exact matches win over partial ones."""

    query: str
    matches: list[T]
    exact: bool
    suggestions: list[str]

    @property
    def status(self) -> str:
        """``found`` (one), ``ambiguous`` (several) or ``not_found``."""
        if not self.matches:
            return "not_found"
        return "found" if len(self.matches) == 1 else "ambiguous"


def find_by_name(
    query: str, records: Iterable[T], names: Callable[[T], Sequence[str | None]]
) -> NameMatch[T]:
    """Records with a name equal to ``query`` (ignoring case and punctuation), else records
    whose names contain every word of the query as a word prefix."""
    wanted = _tokens(query)
    items = list(records)
    exact: list[T] = []
    partial: list[T] = []
    for item in items:
        candidates = [_tokens(n) for n in names(item) if n]
        if any(c == wanted for c in candidates):
            exact.append(item)
        elif wanted and any(
            all(any(t.startswith(w) for t in c) for w in wanted) for c in candidates
        ):
            partial.append(item)
    if exact:
        return NameMatch(query, exact, True, [])
    suggestions: list[str] = []
    if not partial:
        # Whole names and their single words, so "Kestral" still suggests "Kestrel Analytics".
        pool: dict[str, str] = {}
        for item in items:
            for name in filter(None, names(item)):
                for key in [" ".join(_tokens(name)), *_tokens(name)]:
                    pool.setdefault(key, name)
        close = difflib.get_close_matches(" ".join(wanted), list(pool), n=5, cutoff=0.75)
        suggestions = list(dict.fromkeys(pool[c] for c in close))
    return NameMatch(query, partial, False, suggestions)


def client_search_names(client: Client) -> list[str | None]:
    """The names a person might call a client by."""
    person = " ".join(p for p in (client.fname, client.lname) if p)
    return [client.display_name, client.organization, person or None, client.email]


def project_search_names(project: Project) -> list[str | None]:
    """The names a person might call a project by."""
    return [project.title]


def match_payload(match: NameMatch[Any], rows: list[dict[str, Any]], what: str) -> dict[str, Any]:
    """The result of a find tool: one record, candidates to ask the user about, or none."""
    out: dict[str, Any] = {"query": match.query, "status": match.status}
    if match.status == "found":
        out[what] = rows[0]
    elif match.status == "ambiguous":
        out["candidates"] = rows[:10]
        out["count"] = len(rows)
        out["note"] = (
            f"Several {what}s match; ask the user which one they mean before acting (do not guess)."
        )
    else:
        out["note"] = f"No {what} matches this name."
        if match.suggestions:
            out["similar_names"] = match.suggestions
    return out


__all__ += ["client_search_names", "match_payload", "project_search_names"]
