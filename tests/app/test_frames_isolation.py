"""The frames the dashboards draw from are shared per owner and business, never across owners:
two sessions of one owner get the very same ``Frames``, another owner never gets them (not
even one connected to the same FreshBooks account), and disconnecting drops only their own.

Two settings: hosted-mode ``AppTest`` sessions in this process, where the runtime's
``frames_cache.frames`` is watched and asked directly; and the ``bench.sessions`` load, many
browser sessions of two owners at once on a real ``streamlit run`` server, whose calls to
``FramesCache.frames`` are written down by ``tests.support.frames_probe``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from bench import perf, sessions
from tests.support.sandbox import LiveServer
from ui import keys
from ui.login import owner_key

from ..support import clock, frames_probe
from ..support.apptest_text import rendered_text
from ..support.hosted_auth import ALICE, BOB, ISSUER, as_user, write_auth_secrets
from ..support.sandbox_oauth import CLIENT_ID, CLIENT_SECRET, REDIRECT, approve
from ..support.two_accounts import Account, Dispatcher, alpha_account, zephyr_account

pytestmark = pytest.mark.slow

# Alice's colleague: her own login, connected to the same FreshBooks account as Alice.
CAROL: dict[str, Any] = {
    "is_logged_in": True,
    "iss": ISSUER,
    "sub": "carol-0003",
    "email": "carol@example.test",
    "email_verified": True,
    "name": "Carol Clark",
    "provider": "default",
}
DASHBOARDS = ("pages/invoices.py", "pages/expenses.py", "pages/clients_projects.py")


@dataclass
class Person:
    user: dict[str, Any]
    account: Account

    @property
    def owner(self) -> str:
        key = owner_key(self.user)
        assert key is not None
        return key


@dataclass
class Call:
    """One ``frames_cache.frames`` call: in which session, asked how, answered with what."""

    session: str
    whose: tuple[str, int, int]
    snapshot: Any
    today: date
    frames: object

    @property
    def asked(self) -> tuple[Any, ...]:
        """What the frames were asked for, whoever asked: the snapshot and the day."""
        return (self.snapshot.fetched_at, self.snapshot.version, self.today)


class FramesSpy:
    """Stands in for ``runtime.frames_cache.frames``: the same answers, every call written down."""

    def __init__(self, frames_of: Any) -> None:
        self.frames_of = frames_of
        self.session = ""
        self.calls: list[Call] = []

    def __call__(self, whose: Any, snapshot: Any, today: date, *args: Any, **kwargs: Any) -> Any:
        frames = self.frames_of(whose, snapshot, today, *args, **kwargs)
        self.calls.append(Call(self.session, tuple(whose), snapshot, today, frames))
        return frames

    def of(self, session: str) -> list[Call]:
        return [c for c in self.calls if c.session == session]


@pytest.fixture
def accounts(data_dir, monkeypatch) -> Iterator[Dispatcher]:
    """Hosted mode; two FreshBooks accounts behind one origin (see two_accounts)."""
    secrets_file = data_dir / "hosted-secrets.toml"
    write_auth_secrets(secrets_file)
    alpha, zephyr = alpha_account(), zephyr_account()
    dispatcher = Dispatcher([alpha, zephyr])
    try:
        with LiveServer(dispatcher) as live:  # type: ignore[arg-type]  # a Dispatcher stands in for the app
            for name, value in {
                "COPILOT_SECRETS_FILE": str(secrets_file),
                "FRESHBOOKS_CLIENT_ID": CLIENT_ID,
                "FRESHBOOKS_CLIENT_SECRET": CLIENT_SECRET,
                "FRESHBOOKS_REDIRECT_URI": REDIRECT,
                "FRESHBOOKS_API_URL": live.url,
                "FRESHBOOKS_AUTH_URL": live.url,
            }.items():
                monkeypatch.setenv(name, value)
            yield dispatcher
    finally:
        alpha.close()
        zephyr.close()


def connect(app, dispatcher: Dispatcher, person: Person) -> None:
    """Connect FreshBooks as ``person``, consenting on their account."""
    at = as_user(app(), person.user).run()
    assert at.title[0].value == "Connect FreshBooks"
    url = at.session_state[keys.AUTHORIZE_URL]
    dispatcher.consent_to = person.account.name
    code = approve(url)
    back = as_user(app(), person.user)
    back.query_params["code"] = code
    back.query_params["state"] = parse_qs(urlparse(url).query)["state"][0]
    back.run()
    assert not back.exception, back.exception
    assert [s.value for s in back.success] == ["FreshBooks is connected."]


def runtime_of_this_process():
    from ui.context import _BUILT

    assert len(_BUILT) == 1, "one runtime: every session shares it, as on one server"
    return _BUILT[0]


def test_sessions_share_their_owners_frames_and_never_anothers(app, accounts, monkeypatch):
    alpha, zephyr = accounts.accounts["alpha"], accounts.accounts["zephyr"]
    alice, carol, bob = Person(ALICE, alpha), Person(CAROL, alpha), Person(BOB, zephyr)
    for person in (alice, carol, bob):
        connect(app, accounts, person)
    runtime = runtime_of_this_process()
    spy = FramesSpy(runtime.frames_cache.frames)
    monkeypatch.setattr(runtime.frames_cache, "frames", spy)

    tabs = {
        "alice-1": (alice, as_user(app(), alice.user)),
        "alice-2": (alice, as_user(app(), alice.user)),
        "carol": (carol, as_user(app(), carol.user)),
        "bob": (bob, as_user(app(), bob.user)),
    }
    seen: dict[str, list[str]] = defaultdict(list)
    # The tabs take turns page by page, as people browsing at the same time would.
    for page in (None, *DASHBOARDS):
        for name, (_person, at) in tabs.items():
            spy.session = name
            if page is None:
                at.run()
            else:
                at.switch_page(page).run()
            assert not at.exception, (name, page, at.exception)
            assert not at.error, (name, page, [e.value for e in at.error])
            seen[name].append(rendered_text(at))

    # Every page shows its own business, and nothing of the other account's.
    for name, (person, _at) in tabs.items():
        other = zephyr if person.account is alpha else alpha
        for text in seen[name]:
            assert person.account.business_names[0] in text, name
            assert [m for m in other.markers if m in text] == [], name

    # Each session's frames were asked for under its own owner only.
    for name, (person, _at) in tabs.items():
        calls = spy.of(name)
        assert len(calls) >= len(DASHBOARDS), name  # every dashboard drew from the cache
        assert {c.whose[0] for c in calls} == {person.owner}, name

    # Two sessions of one owner get the very same object for the same books and day.
    by_asked: dict[tuple[Any, ...], list[Call]] = defaultdict(list)
    for call in spy.of("alice-1") + spy.of("alice-2"):
        by_asked[call.asked].append(call)
    both = [
        calls for calls in by_asked.values() if {c.session for c in calls} == {"alice-1", "alice-2"}
    ]
    assert both, "the two tabs never asked for the same books on the same day"
    for calls in by_asked.values():
        assert len({id(c.frames) for c in calls}) == 1  # shared, not copied per session

    # Owners never share one: not Alice's colleague on the very same account and business.
    frames_of = {name: {id(c.frames) for c in spy.of(name)} for name in ("alice-1", "carol", "bob")}
    assert not frames_of["alice-1"] & frames_of["carol"]
    assert not frames_of["alice-1"] & frames_of["bob"]
    assert not frames_of["carol"] & frames_of["bob"]
    alices, carols, bobs = spy.of("alice-1")[-1], spy.of("carol")[-1], spy.of("bob")[-1]
    assert carols.whose[1:] == alices.whose[1:]  # same FreshBooks identity and business
    spy.session = "probe"
    asked_as_carol = runtime.frames_cache.frames(carols.whose, alices.snapshot, alices.today)
    # Alice's very books and day, under Carol's key: built anew, never Alice's object.
    assert id(asked_as_carol) != id(alices.frames), "Alice's frames handed to Carol"

    # Carol disconnects (Settings): her frames go, Alice's and Bob's stay.
    _person, carols_tab = tabs["carol"]
    spy.session = "carol"
    carols_tab.switch_page("pages/settings.py").run()
    next(b for b in carols_tab.button if b.label == "Disconnect FreshBooks").click().run()
    assert not carols_tab.exception, carols_tab.exception
    assert not runtime.connections.is_connected(carol.owner)
    spy.session = "probe"
    cache = runtime.frames_cache
    again = {
        name: id(cache.frames(call.whose, call.snapshot, call.today))
        for name, call in (("alice", alices), ("bob", bobs), ("carol", carols))
    }
    assert again["alice"] == id(alices.frames), "Alice's frames went with Carol's"
    assert again["bob"] == id(bobs.frames), "Bob's frames went with Carol's"
    assert again["carol"] != id(carols.frames), "Carol's frames outlived her connection"
    assert id(cache.frames(carols.whose, alices.snapshot, alices.today)) != id(asked_as_carol)


def test_under_load_each_owners_sessions_share_one_frames_and_never_the_others(
    tmp_path: Path, monkeypatch
):
    # Many browser sessions of two owners at once on one real server (bench.sessions), every
    # FramesCache.frames call written down by the server itself.
    log = tmp_path / "frames.jsonl"
    monkeypatch.setenv(frames_probe.LOG_ENV, str(log))
    monkeypatch.setattr(perf, "sandbox_command", clock.sandbox_command)
    monkeypatch.setattr(
        sessions,
        "app_command",
        lambda *args: clock.python_command(
            "-m", "tests.support.frames_probe", *("run", "app.py"), *args
        ),
    )
    results = sessions.run(4, "small", rounds=1, think_s=(0.1, 0.3))

    # Every page each session rendered names its own business and none of the other's names.
    assert results["error_count"] == 0, results["errors"]
    isolation = results["isolation"]
    assert isolation["pages_checked"] == results["pages_visited"] > 0
    assert isolation["leak_count"] == 0, isolation["leaks"]
    assert isolation["own_business_missing"] == 0
    assert isolation["own_clients_shown"] > 0

    calls = frames_probe.read(log)
    assert calls
    # Asked for under the owner logged in to the session asking, and no one else.
    assert [c for c in calls if c["owner"] != c["logged_in_as"]] == []
    owner_a, owner_b = (owner_key(o.user) for o in sessions.owners_for("small"))
    owners = {c["owner"] for c in calls}
    assert owners == {owner_a, owner_b}
    looked_at = {o: {c["business"] for c in calls if c["owner"] == o} for o in owners}
    # A stays where the app opens; B opens there too, then picks the other business.
    assert len(looked_at[owner_a]) == 1
    assert looked_at[owner_b] - looked_at[owner_a]
    # Shared, not copied: one object served the sessions of an owner that asked for the same
    # books on the same day. (Two sessions missing the cache at the same instant may each
    # build one, so this asks for one object shared widely, not one per key.)
    by_asked: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for call in calls:
        by_asked[(call["owner"], *call["snapshot"], call["today"])].append(call)
    for owner in owners:
        served = {
            len({c["session"] for c in group})
            for asked, group in by_asked.items()
            if asked[0] == owner and len({c["frames"] for c in group}) == 1
        }
        assert max(served, default=0) >= 2, owner
    # ... and never handed to the other owner, not even for the business both looked at.
    assert not {c["frames"] for c in calls if c["owner"] == owner_a} & {
        c["frames"] for c in calls if c["owner"] == owner_b
    }
