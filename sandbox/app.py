"""`create_app`: the sandbox as one Starlette application (in-process or behind uvicorn)."""

from __future__ import annotations

import gc
import os

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from sandbox.api import (
    accounting,
    identity,
    oauth,
    projects,
    reports,
    services,
    timetracking,
    uploads,
)
from sandbox.config import SandboxConfig
from sandbox.core.db import Database
from sandbox.core.errors import ApiError, render_error
from sandbox.core.faults import FaultInjector, FaultState
from sandbox.core.state import Sandbox
from sandbox.core.tokens import TokenStore
from sandbox.loader import DemoLike, identity_id_of, open_books


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return render_error(request, exc)


async def _health(request: Request) -> Response:
    return PlainTextResponse("ok")


async def _index(request: Request) -> Response:
    box: Sandbox = request.app.state.sandbox
    return JSONResponse(
        {
            "sandbox": "FreshBooks-compatible API",
            "authorize": "/oauth/authorize",
            "token": "/auth/oauth/token",
            "businesses": [b.describe() for b in box.books.businesses.values()],
        }
    )


def generate_demo(config: SandboxConfig) -> DemoLike:
    """Demo data from the seed generator (`sandbox.seed.generate`)."""
    from sandbox import seed  # the generator is optional until a database exists

    return seed.generate(seed=config.seed, size=config.size, today=config.today)


def build_sandbox(config: SandboxConfig, data: DemoLike | None = None) -> Sandbox:
    """Open the database, fill the books and set up the token store."""
    if config.db:
        folder = os.path.dirname(os.path.abspath(config.db))
        os.makedirs(folder, exist_ok=True)
    db = Database(config.db)
    # Building the books allocates millions of objects that all live on; the collector would
    # walk them again and again (about a tenth of the start-up time at size large).
    collecting = gc.isenabled()
    gc.disable()
    try:
        if data is None and db.get_meta("businesses") is None:
            data = generate_demo(config)
        books = open_books(db, data, config.clock(), config.size)
    except BaseException:
        db.close()
        raise
    finally:
        if collecting:
            gc.enable()
    tokens = TokenStore(db, config.clock, identity_id_of(books.identity))
    return Sandbox(config, books, tokens, FaultState.for_config(config))


def create_app(config: SandboxConfig | None = None, data: DemoLike | None = None) -> Starlette:
    """The sandbox application.

    `data` is demo data shaped like `sandbox.seed.DemoData`; when omitted the seed generator
    builds it from `config.seed` / `config.size`, unless `config.db` already holds books (then
    they are reused). The app needs no lifespan events, so it runs under httpx2's ASGI
    transport as well as under uvicorn. Call `app.state.sandbox.close()` when done.
    """
    config = config or SandboxConfig()
    box = build_sandbox(config, data)
    routes = [
        Route("/", _index, methods=["GET"]),
        Route("/health", _health, methods=["GET"]),
        *oauth.ROUTES,
        *identity.ROUTES,
        *reports.ROUTES,
        *accounting.ROUTES,
        *projects.ROUTES,
        *timetracking.ROUTES,
        *services.ROUTES,
        *uploads.ROUTES,
    ]
    app = Starlette(routes=routes, exception_handlers={ApiError: _api_error})
    app.state.sandbox = box
    app.add_middleware(FaultInjector, config=config, state=box.faults)
    return app
