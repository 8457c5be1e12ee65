"""OAuth scopes: how FreshBooks names them, and which of them a connection holds.

A scope is ``user:<object>:<read|write>``. Each resource declares its object once (its
``scopes`` class attribute, an :class:`Access`); whatever needs to know what a feature
requires asks the resource. What a connection was granted is a :class:`Grant`, read from the
token answer's ``scope`` and narrowed when FreshBooks later answers 403 ``insufficient_scope``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["DEVELOPER_PAGE", "PROFILE_READ", "Access", "Grant", "explain_missing", "parse_scopes"]

_SCOPE = re.compile(r"user:[a-z_]+:(read|write)")

# The identity endpoint (the user and their businesses): nothing works without it.
PROFILE_READ = "user:profile:read"
# Where an app's scopes are ticked.
DEVELOPER_PAGE = "https://my.freshbooks.com/#/developer"


@dataclass(frozen=True)
class Access:
    """The scope object one resource is guarded by (``"estimates"``, ``"billable_items"``)."""

    object: str

    @property
    def read(self) -> str:
        """The scope that lists and reads the resource."""
        return f"user:{self.object}:read"

    @property
    def write(self) -> str:
        """The scope that creates, changes and deletes it."""
        return f"user:{self.object}:write"


def parse_scopes(text: str) -> tuple[str, ...]:
    """Scopes from a space-separated list (commas tolerated), in order, without repeats.

    Raises ``ValueError`` naming anything that is not ``user:<object>:<read|write>``.
    """
    scopes = tuple(dict.fromkeys(text.replace(",", " ").split()))
    bad = [s for s in scopes if not _SCOPE.fullmatch(s)]
    if bad:
        raise ValueError(
            f"{', '.join(bad)} {'is not a scope' if len(bad) == 1 else 'are not scopes'}: "
            "FreshBooks scopes look like user:invoices:read"
        )
    return scopes


@dataclass(frozen=True)
class Grant:
    """The scopes a connection holds; ``scopes`` None when FreshBooks did not say."""

    scopes: frozenset[str] | None = None

    @classmethod
    def of(cls, scope: str) -> Grant:
        """From a token's space-separated ``scope`` ("" means not said)."""
        found = frozenset(scope.split())
        return cls(found or None)

    @property
    def known(self) -> bool:
        """Whether FreshBooks said which scopes were granted."""
        return self.scopes is not None

    def allows(self, scope: str) -> bool:
        """Whether ``scope`` may be used. An unknown grant allows everything: FreshBooks'
        403 then says what is missing, and the grant is narrowed."""
        return self.scopes is None or scope in self.scopes

    def missing(self, needed: Iterable[str]) -> tuple[str, ...]:
        """The scopes of ``needed`` this grant lacks, in order."""
        return tuple(dict.fromkeys(s for s in needed if not self.allows(s)))


def explain_missing(scopes: Sequence[str], subject: str = "This", *, plural: bool = False) -> str:
    """One sentence: ``subject`` needs ``scopes``, and how to add them (tick, Reconnect)."""
    named = (
        f"the {scopes[0]} scope"
        if len(scopes) == 1
        else f"the {', '.join(scopes[:-1])} and {scopes[-1]} scopes"
    )
    it = "it" if len(scopes) == 1 else "them"
    return (
        f"{subject} {'need' if plural else 'needs'} {named}, which your FreshBooks app has not "
        f"granted: tick {it} on the FreshBooks developer page ({DEVELOPER_PAGE}), then Reconnect."
    )
