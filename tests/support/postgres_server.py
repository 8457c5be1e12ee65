"""A throwaway PostgreSQL server on loopback for the store tests (Debian's ``postgresql``).

``initdb`` into a temporary folder, ``postgres`` on 127.0.0.1 and a free port (its unix
socket in the same folder, so no system path is touched), one database per test, and all of
it removed at the end. PostgreSQL refuses to run as root: when the tests do, the server runs
as the ``postgres`` system user (which Debian's package creates) or ``nobody``.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

__all__ = ["PostgresServer", "PostgresUnavailable", "find_bin_dir", "running_postgres"]

USER = "copilot"
SKIP_ENV = "COPILOT_SKIP_POSTGRES"
# Fast and throwaway: nothing here needs to survive a crash of the machine.
SERVER_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


class PostgresUnavailable(Exception):
    """No PostgreSQL binaries, or no user to run them as: the PostgreSQL tests are skipped."""


def _version(path: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path)) or (0,)


def find_bin_dir() -> Path | None:
    """The newest Debian PostgreSQL ``bin`` folder, else the one holding ``initdb`` on PATH."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    if candidates:
        return Path(candidates[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _run_as() -> pwd.struct_passwd | None:
    """The unprivileged user to run the server as, or None to run as ourselves."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise PostgresUnavailable("running as root and no 'postgres' or 'nobody' user to run as")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    """A running server; :meth:`create_database` makes a fresh, empty database."""

    port: int
    admin: psycopg.Connection

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of ``database`` (psycopg 3 driver, TCP on loopback)."""
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database; returns its name."""
        name = f"t_{uuid.uuid4().hex[:16]}"
        self.admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name

    def drop_database(self, name: str) -> None:
        """Drop ``name``, ending any connection a test left open."""
        self.admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _wait_until_ready(proc: subprocess.Popen[bytes], port: int, log: Path) -> psycopg.Connection:
    while True:
        try:
            return psycopg.connect(
                host="127.0.0.1", port=port, user=USER, dbname="postgres", autocommit=True
            )
        except psycopg.OperationalError:
            if proc.poll() is not None:
                tail = log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"postgres exited ({proc.returncode}):\n{tail}") from None
            time.sleep(0.05)


@contextlib.contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """Start a private server, yield it, then stop it and delete its files.

    Raises :class:`PostgresUnavailable` when ``COPILOT_SKIP_POSTGRES=1`` or no server can be
    run here; any other failure to start is an error, not a skip.
    """
    if os.environ.get(SKIP_ENV) == "1":
        raise PostgresUnavailable(f"{SKIP_ENV}=1")
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise PostgresUnavailable(
            "no PostgreSQL server binaries (Debian: apt-get install postgresql; make test does it)"
        )
    account = _run_as()
    root = Path(tempfile.mkdtemp(prefix="copilot-pg-"))
    data, log = root / "data", root / "server.log"
    as_user: dict[str, object] = {}
    if account is not None:
        os.chown(root, account.pw_uid, account.pw_gid)
        as_user = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    proc: subprocess.Popen[bytes] | None = None
    admin: psycopg.Connection | None = None
    try:
        initdb = [bin_dir / "initdb", "-D", data, "-U", USER, "--auth=trust", "--no-sync"]
        init = subprocess.run(
            [*initdb, "--encoding=UTF8", "--no-locale", "--no-instructions"],
            capture_output=True,
            text=True,
            cwd=root,
            env=env,
            **as_user,
        )
        if init.returncode != 0:
            raise RuntimeError(f"initdb failed ({init.returncode}):\n{init.stderr[-2000:]}")
        port = _free_port()
        settings = [arg for setting in SERVER_SETTINGS for arg in ("-c", setting)]
        server = [bin_dir / "postgres", "-D", data, "-p", str(port), "-k", root]
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [*server, "-c", "listen_addresses=127.0.0.1", *settings],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=root,
                env=env,
                **as_user,
            )
        admin = _wait_until_ready(proc, port, log)
        yield PostgresServer(port=port, admin=admin)
    finally:
        if admin is not None:
            admin.close()
        if proc is not None:
            proc.send_signal(signal.SIGINT)  # a fast shutdown: ends connections a test left
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(root, ignore_errors=True)
