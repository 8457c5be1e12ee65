"""Contract: a snapshot of the demo business has every part the dashboards read."""

from __future__ import annotations

from ..support.snapshot import SNAPSHOT_PARTS, fetch_snapshot


def test_snapshot_of_the_demo_business(conn):
    business = conn.identity.businesses[0]
    seen: list[tuple[str, int, int]] = []
    snap = fetch_snapshot(conn.fb.business(business), business, progress=lambda *a: seen.append(a))
    assert [s[1] for s in seen] == list(range(1, len(SNAPSHOT_PARTS) + 1))
    for name in SNAPSHOT_PARTS:
        assert getattr(snap, name), name
    assert snap.truncated == ()


def test_snapshot_of_a_business_without_accounting(conn):
    business = next(b for b in conn.identity.businesses if not b.has_accounting)
    snap = fetch_snapshot(conn.fb.business(business), business)
    assert snap.invoices == []
    assert snap.clients == []
