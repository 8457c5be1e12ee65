"""Deterministic demo books for the sandbox: a freelancer's three years in FreshBooks.

`generate(seed, size, today)` returns the demo user's identity and, for each business with books,
every record in FreshBooks *response* wire format (both id keys, money as decimal strings,
Eastern `updated` stamps, and so on). The same arguments always give the same data.

The owner, Alex Morgan, runs a Brooklyn design studio (USD; clients pay in USD, CAD, EUR and
GBP) and a smaller Toronto consulting practice (CAD). A newcomer opening the app sees: who owes
what (a slow Vancouver client, a London client paying in instalments, an Austin startup that
stopped paying), where the money went (subscriptions, a coworking desk, conference trips,
equipment), where the hours went (hourly client work, a retainer, fixed-price projects,
internal admin), and the last weeks of billable time not invoiced yet.

Sizes: "small" for tests (~200 invoices, ~400 expenses, ~750 time entries in all, well under a
second), "medium" (~1,000 / 2,000 / 5,000) and "large" for benchmarks (~10,000 invoices,
20,000 expenses, 50,000 time entries, 300 clients). Record ids are unique per kind and never
shared between businesses or kinds (`common.IdAllocator`).

Modules, in the order `demo.generate` uses them:

- `catalog`: the fixed vocabulary (names, places, services, vendors, categories);
- `common`: the per-business context, ids, dates and timestamps;
- `identity`: the demo user and the businesses it belongs to;
- `parties`: clients, staff and team members;
- `work`: services, rates, projects and time entries;
- `expenses`: expense categories and expenses;
- `billing`: taxes, items and the plan of every invoice and estimate;
- `recurring`: the invoice profiles (recurring invoices), anchored on today;
- `ledger`: numbers, sending states, payments and the invoice and estimate wire records;
- `money`: the per-line invoice arithmetic the plans are checked with (on the server's helpers);
- `demo`: `generate` and the `DemoData` / `BusinessData` it returns.
"""

from __future__ import annotations

from sandbox.seed.demo import SIZES, BusinessData, DemoData, generate

__all__ = ["SIZES", "BusinessData", "DemoData", "generate"]
