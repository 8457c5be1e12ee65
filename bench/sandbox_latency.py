"""Measure the sandbox: time to build each size, and request latency of large list pages.

    .venv/bin/python -m bench.sandbox_latency --size large              # the seeded demo
    .venv/bin/python -m bench.sandbox_latency --size large --synthetic  # synthetic volumes

Reports data generation time, load time (normalize + index + SQLite write), reopen time from
an existing `--db` file, and per-request latency (median / p95) of list pages, in-process
through the ASGI transport and over loopback HTTP with concurrent clients. The synthetic
volumes grow the tests' hand-written demo (`tests.support.sandbox.tiny_demo`).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2

from sandbox.app import create_app, generate_demo
from sandbox.config import SandboxConfig
from sandbox.demo_token import issue_token
from tests.support.sandbox import LiveServer, TinyBusiness, TinyDemo, auth_headers, tiny_demo

VOLUMES = {  # invoices, expenses, time entries per business (two businesses)
    "small": (150, 300, 600),
    "medium": (1500, 3000, 8000),
    "large": (5000, 10000, 25000),
}


def synthetic(size: str, seed: int = 7) -> TinyDemo:
    """Demo data at the volumes of `size` (plain, fast to build; for load and latency only)."""
    rng = random.Random(seed)
    base = tiny_demo()
    invoices_n, expenses_n, entries_n = VOLUMES[size]
    start = dt.date(2022, 1, 1)
    for business in base.businesses:
        _fill(business, rng, start, invoices_n, expenses_n, entries_n)
    return base


def _fill(biz: TinyBusiness, rng: random.Random, start: dt.date, n_inv: int, n_exp: int,
          n_time: int) -> None:  # fmt: skip
    code = biz.currency_code
    biz.clients = [
        {"id": n, "organization": f"Client {n}", "email": f"c{n}@example.test",
         "currency_code": code}
        for n in range(1, 301)
    ]  # fmt: skip
    biz.invoices, biz.payments = [], []
    for n in range(1, n_inv + 1):
        day = start + dt.timedelta(days=rng.randrange(1095))
        lines = [
            {"name": "Work", "qty": str(rng.randint(1, 20)),
             "unit_cost": {"amount": f"{rng.randint(20, 200)}.00", "code": code},
             "taxName1": "HST", "taxAmount1": "13"}
            for _ in range(rng.randint(1, 4))
        ]  # fmt: skip
        biz.invoices.append(
            {"id": n, "customerid": rng.randint(1, 300), "invoice_number": f"{n:07d}",
             "create_date": day.isoformat(), "due_offset_days": 30, "status": 2,
             "currency_code": code, "lines": lines}
        )  # fmt: skip
        if rng.random() < 0.8:
            biz.payments.append(
                {"id": n, "invoiceid": n, "amount": {"amount": "50.00", "code": code},
                 "date": (day + dt.timedelta(days=20)).isoformat(), "type": "Check"}
            )  # fmt: skip
    biz.expense_categories = [{"id": n, "category": f"Category {n}"} for n in range(1, 16)]
    biz.staff = [{"id": 1, "fname": "Owner"}]
    biz.expenses = [
        {"id": n, "categoryid": rng.randint(1, 15), "staffid": 1, "vendor": f"Vendor {n % 90}",
         "date": (start + dt.timedelta(days=rng.randrange(1095))).isoformat(),
         "amount": {"amount": f"{rng.randint(5, 900)}.{rng.randint(0, 99):02d}", "code": code}}
        for n in range(1, n_exp + 1)
    ]  # fmt: skip
    biz.projects = [
        {"id": n, "title": f"Project {n}", "client_id": rng.randint(1, 300),
         "created_at": "2022-01-01T00:00:00", "updated_at": "2022-01-01T00:00:00"}
        for n in range(1, 61)
    ]  # fmt: skip
    biz.time_entries = [
        {"id": n, "identity_id": 1001, "is_logged": True, "duration": rng.randint(900, 14400),
         "started_at": f"{start + dt.timedelta(days=rng.randrange(1095))}T14:00:00Z",
         "project_id": rng.randint(1, 60), "billable": True}
        for n in range(1, n_time + 1)
    ]  # fmt: skip


def timed(label: str, action: Callable[[], Any]) -> Any:
    """Run `action`, print how long it took, return its value."""
    started = time.perf_counter()
    value = action()
    print(f"{label:<44} {time.perf_counter() - started:8.2f} s", flush=True)
    return value


PAGES = (
    ("invoices page 1 (100 rows, lines)",
     "/accounting/account/{a}/invoices/invoices?per_page=100&include[]=lines"),
    ("invoices page 50 (100 rows)", "/accounting/account/{a}/invoices/invoices?per_page=100&page=50"),
    ("invoices filtered (customer, dates)",
     "/accounting/account/{a}/invoices/invoices?per_page=100&search[customerid]=7"
     "&search[date_min]=2023-01-01"),
    ("expenses page 1 (100 rows)", "/accounting/account/{a}/expenses/expenses?per_page=100"),
    ("clients with balances (100 rows)",
     "/accounting/account/{a}/users/clients?per_page=100&include[]=outstanding_balance"),
    ("time entries team page 1 (100 rows)",
     "/timetracking/business/{b}/time_entries?team=true&per_page=100"),
    ("time entries started_from (100 rows)",
     "/timetracking/business/{b}/time_entries?team=true&per_page=100"
     "&started_from=2023-06-01T00:00:00Z"),
)  # fmt: skip


async def _latency(
    client: httpx2.AsyncClient, url: str, rounds: int, concurrency: int
) -> list[float]:
    samples: list[float] = []

    async def one() -> None:
        started = time.perf_counter()
        response = await client.get(url)
        response.raise_for_status()
        samples.append(time.perf_counter() - started)

    for _ in range(rounds):
        await asyncio.gather(*(one() for _ in range(concurrency)))
    return samples


def _report(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(f"  {label:<42} median {statistics.median(ordered) * 1000:7.1f} ms"
          f"   p95 {p95 * 1000:7.1f} ms   (n={len(ordered)})", flush=True)  # fmt: skip


async def measure(app: Any, base_url: str | None, rounds: int, concurrency: int) -> None:
    """Latency of each list page in-process (base_url None) or over HTTP."""
    box = app.state.sandbox
    business = next(b for b in box.books.businesses.values() if b.account_id)
    headers = auth_headers(issue_token(app))
    if base_url is None:
        client = httpx2.AsyncClient(
            transport=httpx2.ASGITransport(app=app), base_url="http://sandbox.test", headers=headers
        )
    else:
        client = httpx2.AsyncClient(base_url=base_url, headers=headers, timeout=30)
    async with client:
        for label, template in PAGES:
            url = template.format(a=business.account_id, b=business.business_id)
            await _latency(client, url, 1, 1)  # warm the sort caches
            _report(label, await _latency(client, url, rounds, concurrency))


def main(argv: list[str] | None = None) -> None:
    """Entry point of `python -m bench.sandbox_latency`."""
    parser = argparse.ArgumentParser(prog="python -m bench.sandbox_latency")
    parser.add_argument("--size", choices=["small", "medium", "large"], default="large")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--synthetic", action="store_true", help="skip sandbox.seed")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)
    config = SandboxConfig(seed=args.seed, size=args.size)
    print(f"size {args.size}, {'synthetic' if args.synthetic else 'sandbox.seed'} data")
    if args.synthetic:
        data = timed("generate data", lambda: synthetic(args.size, args.seed))
    else:
        data = timed("generate data (sandbox.seed)", lambda: generate_demo(config))
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "bench.db")
        app = timed("load into books + SQLite file", lambda: create_app(
            SandboxConfig(seed=args.seed, size=args.size, db=db), data))  # fmt: skip
        app.state.sandbox.close()
        app = timed("reopen existing --db", lambda: create_app(SandboxConfig(db=db)))
        counts = {
            kind: sum(len(b.col(kind).items) for b in app.state.sandbox.books.businesses.values())
            for kind in ("invoices", "expenses", "time_entries", "payments", "clients")
        }
        print("records:", ", ".join(f"{k} {v}" for k, v in counts.items()))
        print(f"in-process (ASGI transport), 1 request at a time, {args.rounds} rounds:")
        asyncio.run(measure(app, None, args.rounds, 1))
        with LiveServer(app) as server:
            print(f"loopback HTTP, {args.concurrency} concurrent clients, {args.rounds} rounds:")
            asyncio.run(measure(app, server.url, args.rounds, args.concurrency))
        app.state.sandbox.close()


if __name__ == "__main__":
    main()
