"""Sandbox configuration: one dataclass mirroring the command line contract."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from sandbox.core.tokens import ALL_SCOPES

Size = Literal["small", "medium", "large"]

DEFAULT_REDIRECT_URIS: tuple[str, ...] = ("http://localhost:8501/", "http://127.0.0.1:8501/")


def utc_now() -> dt.datetime:
    """Return the current time as an aware UTC datetime (the default sandbox clock)."""
    return dt.datetime.now(dt.UTC)


def _clock_on(day: dt.date) -> Callable[[], dt.datetime]:
    """The current time moved by whole days so that its UTC date is `day` (time of day kept)."""
    shift = dt.timedelta(days=(day - utc_now().date()).days)
    return lambda: utc_now() + shift


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


@dataclass
class SandboxConfig:
    """Everything `python -m sandbox` can be told, plus test hooks.

    `clock` lets tests move time (code and token expiry, overdue invoices, report defaults)
    without sleeping; `fault_seed` makes fault injection reproducible. `today` anchors the demo
    data on that day, and moves the default clock by whole days so that the server lives on
    that day too (overdue invoices, report periods): a reproducible demo.

    `scopes` is the OAuth app's registered scope list (None: every scope the sandbox knows). An
    authorize request asking for a scope outside it gets `error=invalid_scope`; one without
    `scope` is granted the whole list. It may name scopes the API never checks (the integration
    guide's `user:account:read`): those are registered and granted, and guard nothing.
    """

    host: str = "127.0.0.1"
    port: int = 8700
    seed: int = 7
    size: Size = "small"
    db: str | None = None
    client_id: str = "sandbox-client"
    client_secret: str = "sandbox-secret"
    redirect_uris: tuple[str, ...] = DEFAULT_REDIRECT_URIS
    latency_ms: float = 0.0
    fail_rate: float = 0.0
    rate_limit: int | None = None
    error_in_200_rate: float = 0.0
    fault_seed: int | None = None
    today: dt.date | None = None
    scopes: tuple[str, ...] | None = None
    clock: Callable[[], dt.datetime] = field(default=utc_now, repr=False)

    def __post_init__(self) -> None:
        if self.today is not None and self.clock is utc_now:
            self.clock = _clock_on(self.today)
        for name in ("fail_rate", "error_in_200_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.latency_ms < 0:
            raise ValueError("latency_ms must not be negative")
        if self.rate_limit is not None and self.rate_limit <= 0:
            raise ValueError("rate_limit must be a positive number of requests per second")
        if self.size not in ("small", "medium", "large"):
            raise ValueError(f"unknown size {self.size!r}")
        if self.scopes is not None:
            self.scopes = _scope_list(self.scopes)

    @property
    def registered_scopes(self) -> tuple[str, ...]:
        """The scopes the OAuth app is registered for (every scope the sandbox knows by default)."""
        return self.scopes if self.scopes is not None else ALL_SCOPES


def _scope_list(scopes: Sequence[str]) -> tuple[str, ...]:
    """A registered scope list, checked and without repeats (order kept)."""
    if isinstance(scopes, str):
        raise ValueError("scopes must be a sequence of scope names, not one string")
    for scope in scopes:
        if not scope or scope != scope.strip() or len(scope.split()) != 1:
            raise ValueError(f"a scope is one word without spaces, got {scope!r}")
        if "," in scope:
            raise ValueError(f"scopes are separated by spaces, not commas: got {scope!r}")
    if not scopes:
        raise ValueError("scopes must name at least one scope")
    return tuple(dict.fromkeys(scopes))


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m sandbox`: its options are a contract, keep them."""
    parser = argparse.ArgumentParser(
        prog="python -m sandbox",
        description="A FreshBooks-compatible API server with its OAuth provider, for demos and tests.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8700, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--size", choices=["small", "medium", "large"], default="small")
    parser.add_argument("--db", default=None, help="SQLite file; reused when already populated")
    parser.add_argument("--client-id", default="sandbox-client")
    parser.add_argument("--client-secret", default="sandbox-secret")
    parser.add_argument(
        "--redirect-uri",
        action="append",
        default=None,
        help="registered redirect URI (repeatable; replaces the defaults)",
    )
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--fail-rate", type=float, default=0.0)
    parser.add_argument("--rate-limit", type=int, default=None, help="requests per second")
    parser.add_argument("--error-in-200-rate", type=float, default=0.0)
    parser.add_argument(
        "--today",
        type=_day,
        default=None,
        metavar="YYYY-MM-DD",
        help="anchor the demo data (and the server's calendar) on this day instead of today",
    )
    parser.add_argument(
        "--scopes",
        default=None,
        metavar="S ...",
        help="the OAuth app's registered scopes, space-separated (default: every scope the "
        "sandbox knows); an authorize request outside them gets invalid_scope",
    )
    return parser


def parse_args(argv: Sequence[str] | None = None) -> SandboxConfig:
    """Parse command line arguments into a `SandboxConfig`."""
    args = build_parser().parse_args(argv)
    try:
        return SandboxConfig(
            host=args.host,
            port=args.port,
            seed=args.seed,
            size=args.size,
            db=args.db,
            client_id=args.client_id,
            client_secret=args.client_secret,
            redirect_uris=tuple(args.redirect_uri) if args.redirect_uri else DEFAULT_REDIRECT_URIS,
            latency_ms=args.latency_ms,
            fail_rate=args.fail_rate,
            rate_limit=args.rate_limit,
            error_in_200_rate=args.error_in_200_rate,
            today=args.today,
            scopes=None if args.scopes is None else tuple(args.scopes.split()),
        )
    except ValueError as exc:
        build_parser().error(str(exc))
        raise  # pragma: no cover - error() exits
