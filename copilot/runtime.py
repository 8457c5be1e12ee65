"""Everything the app builds once per process: settings, store, connection service, demo,
the local mirror and the frames cache; and what must forget an owner when they disconnect."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from fbclient import FreshBooksClient
from settings import Settings, load_settings
from store.crypto import Cipher, load_or_create_key
from store.db import make_engine, make_sessions
from store.mcp_tokens import McpTokenStore
from store.mirror import MirrorStore

from .cache import FramesCache
from .connection import ConnectionService
from .demo import DemoSandbox
from .mirror import Mirror

if TYPE_CHECKING:  # the cache holds what ui.page builds; no pandas import here
    pass

__all__ = ["Runtime", "build_runtime"]


@dataclass
class Runtime:
    """Process-wide services (shared by every session; nothing in here is per-user state)."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    connections: ConnectionService | None
    demo: DemoSandbox | None
    frames_cache: FramesCache  # the only one: every frame the dashboards build, per owner
    mirror: Mirror
    _clients: dict[str, FreshBooksClient] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def client(self, owner: str) -> FreshBooksClient | None:
        """The owner's client (one per owner, its connections reused), or None if not connected.

        Demo mode has one client, on the demo business, whoever the owner.
        """
        with self._lock:
            key = "demo" if self.demo is not None else owner
            client = self._clients.get(key)
            if client is not None:
                return client
            if self.demo is not None:
                client = self.demo.client()
            elif self.connections is not None and self.connections.is_connected(owner):
                client = self.connections.client_for(owner)
            else:
                return None
            # The app's own writes keep the mirror current without another request.
            client.http.observe_writes(self.mirror.observe(self.mirror_owner(owner)))
            self._clients[key] = client
            return client

    @property
    def mcp_tokens(self) -> McpTokenStore:
        """The bearer tokens owners made for their assistants (the MCP server's HTTP access)."""
        return McpTokenStore(self.sessions)

    def mirror_owner(self, owner: str) -> str:
        """Whose mirror a session reads: the demo business is one, whoever looks at it."""
        return "demo" if self.demo is not None else owner

    def reset_demo(self) -> None:
        """Seed the demo business afresh and forget everything read from the old one."""
        if self.demo is None:
            return
        self.forget_client("demo")
        self.demo.reset()
        self.mirror.forget("demo")
        self.frames_cache.clear()

    def disconnect(self, owner: str) -> None:
        """Revoke and delete the owner's tokens, and forget everything held for them: their
        client, their cached frames and (outside demo mode) their mirrored books."""
        if self.connections is not None:
            self.connections.disconnect(owner)
        self.forget_client(owner)
        self.frames_cache.forget_owner(owner)
        if self.demo is None:
            self.mirror.forget(owner)  # their books must not stay on this machine

    def forget_client(self, owner: str) -> None:
        """Close and drop a client (after disconnect or a demo reset)."""
        with self._lock:
            client = self._clients.pop("demo" if self.demo is not None else owner, None)
        if client is not None:
            client.close()

    def close(self) -> None:
        """Release clients, the demo sandbox and database connections."""
        with self._lock:
            clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            client.close()
        if self.demo is not None:
            self.demo.close()
        self.engine.dispose()


def build_runtime(settings: Settings | None = None) -> Runtime:
    """Build the services for ``settings`` (read from the environment when omitted)."""
    settings = settings or load_settings()
    data_dir = Path(settings.copilot_data_dir)
    engine = make_engine(settings.copilot_database_url)
    sessions = make_sessions(engine)
    cipher = Cipher(load_or_create_key(settings.copilot_secret_key, data_dir))
    demo_db = data_dir / "sandbox.db"
    reseeded = settings.demo_mode and not demo_db.exists()
    demo = DemoSandbox(demo_db) if settings.demo_mode else None
    connections = (
        None if settings.demo_mode else ConnectionService(settings, engine, sessions, cipher)
    )
    mirror = Mirror(MirrorStore(engine, sessions))
    if reseeded:
        mirror.forget("demo")  # a mirror of an earlier demo database would not match this one
    return Runtime(
        settings=settings,
        engine=engine,
        sessions=sessions,
        connections=connections,
        demo=demo,
        frames_cache=FramesCache(ttl=600, max_entries=32, directory=data_dir / "frames"),
        mirror=mirror,
    )
