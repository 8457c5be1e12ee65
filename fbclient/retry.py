"""When and how long to wait before trying a request again.

Only safe methods are retried (GET, HEAD, OPTIONS): FreshBooks has no idempotency keys, so a
retried POST can bill a client twice. Waits grow exponentially with full jitter, are capped,
and a server's ``Retry-After`` wins over our own guess.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["SAFE_METHODS", "RetryPolicy", "parse_retry_after"]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass(frozen=True)
class RetryPolicy:
    """How many times to try a safe request, and how long to wait in between."""

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 20.0
    # A Retry-After longer than this is not waited for: the error goes to the caller instead.
    max_retry_after: float = 60.0
    retry_statuses: frozenset[int] = field(default=frozenset({429, 500, 502, 503, 504}))

    def should_retry(self, method: str, attempt: int) -> bool:
        """Whether a failed attempt number ``attempt`` (1-based) of ``method`` may be tried again."""
        return method.upper() in SAFE_METHODS and attempt < self.max_attempts

    def delay(
        self, attempt: int, retry_after: float | None = None, rng: random.Random | None = None
    ) -> float | None:
        """Seconds to wait after failed attempt ``attempt``; None when the wait is too long."""
        if retry_after is not None:
            return retry_after if retry_after <= self.max_retry_after else None
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        # Full jitter: spreads many clients' retries so they do not arrive together.
        return (rng or random).uniform(ceiling / 2, ceiling)
