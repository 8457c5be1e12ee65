"""Which tools a piece of text is about: words of the tool names, plus everyday synonyms.

Used twice: to pre-load the tools a user's message is about (so a small model that never
searches still gets the right one), and by ``find_tools`` when the model searches. A tool's
name says what it does (``create_invoice``: the verb ``create`` on the noun ``invoice``); a
match needs one of its nouns, and a matching verb ranks it higher.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from agent.tool import Tool

__all__ = ["rank_tools", "words"]

VERBS = frozenset(
    {"create", "update", "delete", "archive", "search", "get", "find", "list", "log", "record",
     "send", "mark", "invoice", "convert"}
)  # fmt: skip
# Nouns a tool name uses that carry no subject of their own.
WEAK_NOUNS = frozenset({"and", "business", "summary", "entry", "member", "collected"})
SYNONYMS: dict[str, tuple[str, ...]] = {
    "bill": ("invoice",),
    "billing": ("invoice",),
    "quote": ("estimate",),
    "turn": ("convert",),
    "customer": ("client",),
    "pay": ("payment",),
    "paid": ("payment", "record"),
    "received": ("payment", "record"),
    "spent": ("expense",),
    "spend": ("expense",),
    "receipt": ("expense",),
    "purchase": ("expense",),
    "cost": ("expense",),
    "hour": ("time",),
    "timesheet": ("time",),
    "worked": ("time", "log"),
    "track": ("log",),
    "owe": ("aging", "overdue", "summary"),
    "owed": ("aging", "overdue", "summary"),
    "owing": ("aging", "overdue", "summary"),
    "outstanding": ("aging", "summary"),
    "receivable": ("aging",),
    "late": ("overdue",),
    "chase": ("chase", "overdue", "reminder"),
    "remind": ("overdue", "reminder"),
    "nudge": ("overdue", "reminder"),
    "revenue": ("profit",),
    "income": ("profit",),
    "earn": ("profit",),
    "earned": ("profit",),
    "vat": ("tax",),
    "hst": ("tax",),
    "gst": ("tax",),
    "staff": ("team",),
    "employee": ("team",),
    "colleague": ("team",),
    "rate": ("service",),
    "uninvoiced": ("unbilled",),
    "new": ("create",),
    "add": ("create",),
    "make": ("create",),
    "draft": ("create",),
    "change": ("update",),
    "edit": ("update",),
    "rename": ("update",),
    "correct": ("update",),
    "remove": ("delete",),
    "erase": ("delete",),
    "hide": ("archive",),
    "email": ("send",),
    "mail": ("send", "email"),
    "show": ("search", "list", "get"),
    "which": ("search", "list"),
    "who": ("search", "list"),
    "look": ("search", "find"),
    "overview": ("summary",),
    "predict": ("forecast",),
    "projection": ("forecast",),
    "expect": ("forecast",),
    "expected": ("forecast",),
    "cashflow": ("forecast", "cash"),
    "when": ("forecast",),
    "glance": ("summary",),
    "dashboard": ("summary",),
    "collection": ("collected", "payment"),
}
_WORD = re.compile(r"[a-z]+")
# A message that starts with one of these nouns uses it as a verb: "Invoice Acme for 3 hours".
NOUN_VERBS: dict[str, tuple[str, ...]] = {"invoice": ("create",), "bill": ("create", "invoice")}


def _stem(word: str) -> str:
    """Plural to singular, roughly (invoices, entries, categories)."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def words(text: str) -> set[str]:
    """The words of ``text``, singular, with their synonyms."""
    out: set[str] = set()
    found = _WORD.findall(text.lower())
    if found:
        out.update(NOUN_VERBS.get(found[0], ()))
    for raw in found:
        for word in {raw, _stem(raw)}:
            out.add(word)
            out.update(SYNONYMS.get(word, ()))
    return out


def _parts(tool: Tool[Any]) -> tuple[set[str], set[str]]:
    """The verbs and nouns of a tool's name."""
    parts = [_stem(p) for p in tool.name.split("_")]
    verbs = {parts[0]} & VERBS
    nouns = set(parts[1:] if verbs else parts) - {"and", "to"}
    return verbs, nouns


def _score(tool: Tool[Any], found: set[str], described: bool) -> float:
    verbs, nouns = _parts(tool)
    strong = nouns - WEAK_NOUNS or nouns
    hits = nouns & found
    if not strong & found and not (hits and described):
        return 0.0
    score = 2.0 + len(hits) + (1.5 if verbs & found else 0.0) + (1.0 if hits == nouns else 0.0)
    if described:  # the model's own words also count against the description
        text = words(tool.description)
        score += 0.25 * len({w for w in found if len(w) > 3} & text)
    return score


def rank_tools(
    tools: Iterable[Tool[Any]], text: str, *, limit: int, minimum: float = 2.0,
    described: bool = False,
) -> list[str]:  # fmt: skip
    """Names of the tools ``text`` is about, best first (ties in the given order)."""
    found = words(text)
    ordered: Sequence[Tool[Any]] = list(tools)
    exact = [t.name for t in ordered if t.name in text]
    scored = [(_score(t, found, described), n) for n, t in enumerate(ordered)]
    ranked = [
        ordered[n].name for s, n in sorted(scored, key=lambda p: (-p[0], p[1])) if s >= minimum
    ]
    return list(dict.fromkeys([*exact, *ranked]))[:limit]
