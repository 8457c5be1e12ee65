"""Disconnecting an owner: tokens revoked, and nothing of theirs left in the process."""

from __future__ import annotations

from copilot.books import frames_for

from ..support.runtime_doubles import Client, Mirror, context, runtime, snapshot


def test_disconnect_revokes_and_forgets_only_that_owner():
    mirror = Mirror(snapshot())
    rt = runtime(mirror)
    alice, bob = Client(), Client()
    rt._clients.update(alice=alice, bob=bob)  # type: ignore[dict-item]  # test doubles stand in for real clients
    shown = snapshot()
    alices = frames_for(rt, context("alice"), shown)
    bobs = frames_for(rt, context("bob"), shown)

    rt.disconnect("alice")

    assert rt.connections.disconnected == ["alice"]  # type: ignore[union-attr]  # the double records what was disconnected
    assert alice.closed
    assert not bob.closed
    assert "alice" not in rt._clients
    assert "bob" in rt._clients
    assert ("forget", "alice", None) in mirror.calls  # their books leave this machine
    assert frames_for(rt, context("alice"), shown) is not alices  # rebuilt, not kept
    assert frames_for(rt, context("bob"), shown) is bobs


def test_disconnect_in_demo_mode_keeps_the_shared_demo_mirror():
    mirror = Mirror(snapshot())
    rt = runtime(mirror, demo=True)
    rt.disconnect("alice")
    assert not [call for call in mirror.calls if call[0] == "forget"]
