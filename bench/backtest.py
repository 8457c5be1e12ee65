"""How close the cash forecast came in the past, and what it costs to compute, on the demo data.

    .venv/bin/python -m bench.backtest [--size small|medium|large] [--seed 7]

Seeds the sandbox in-process (anchored on today, as ``make run``'s demo), reads every list
through the client as the mirror does, then runs the Forecast page's functions: the 13-week
forecast, and per currency the backtest (13 four-week windows over the last year, each
forecast from what was known that day, against the payments dated in it). Prints one line per
currency, then one JSON line (``{"bench": "backtest", ...}``).
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from fbclient import FreshBooksClient
from fbclient.asgi import InProcessTransport
from fbclient.catalogue import listings_for
from fbclient.snapshot import Snapshot
from insights.forecast import backtest, forecast
from insights.frames import build_frames
from insights.recurring import scheduled_invoices
from sandbox.app import create_app
from sandbox.config import SandboxConfig
from sandbox.demo_token import issue_token

__all__ = ["measure"]


def _snapshot(size: str, seed: int) -> Snapshot:
    app = create_app(SandboxConfig(seed=seed, size=size))  # type: ignore[arg-type]  # checked by SandboxConfig
    transport = InProcessTransport(app)
    token = issue_token(app)["access_token"]
    with FreshBooksClient.with_access_token(
        token, api_url="http://sandbox.bench", transport=transport
    ) as fb:
        business = next(b for b in fb.identity().businesses if b.has_accounting)
        books = fb.business(business)
        parts = {part.name: list(part.listed(books)) for part in listings_for(business)}
    transport.shutdown()
    app.state.sandbox.close()
    return Snapshot(business=business, fetched_at=business.now(), **parts)  # type: ignore[arg-type]  # the list parts by name: mypy checks each against every field


def measure(size: str = "small", seed: int = 7) -> dict[str, Any]:
    """The backtest error per currency and the seconds each step took."""
    snapshot = _snapshot(size, seed)
    today = snapshot.business.today(snapshot.business.now())
    frames = build_frames(snapshot, today)
    scheduled = scheduled_invoices(snapshot.invoice_profiles, snapshot.clients)
    started = time.perf_counter()
    ahead = forecast(
        frames.invoices, frames.payments, frames.expenses, as_of=today, today=today,
        scheduled=scheduled,
    )  # fmt: skip
    forecast_seconds = time.perf_counter() - started
    currencies: dict[str, Any] = {}
    for currency in sorted(frames.payments["currency"].dropna().unique()):
        started = time.perf_counter()
        tested = backtest(
            frames.invoices, frames.payments, frames.expenses, today=today,
            currency=currency, scheduled=scheduled,
        )  # fmt: skip
        currencies[currency] = {
            "error": None if tested.error is None else float(round(tested.error, 4)),
            "sentence": tested.sentence(),
            "seconds": round(time.perf_counter() - started, 3),
        }
    return {
        "bench": "backtest",
        "size": size,
        "seed": seed,
        "today": today.isoformat(),
        "forecast_seconds": round(forecast_seconds, 3),
        "forecast_records": len(ahead.records),
        "currencies": currencies,
    }


def main() -> None:
    """Print the figures (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("small", "medium", "large"), default="small")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    result = measure(args.size, args.seed)
    print(f"forecast: {result['forecast_records']} records in {result['forecast_seconds']} s")
    for currency, figures in result["currencies"].items():
        print(f"{currency}: {figures['sentence']} ({figures['seconds']} s)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
