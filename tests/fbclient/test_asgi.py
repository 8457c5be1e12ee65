"""The in-process transport serves an ASGI app to the synchronous client, concurrently."""

from __future__ import annotations

import asyncio
import threading

import httpx2
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fbclient.asgi import InProcessTransport

FLIGHT = {"now": 0, "peak": 0}


async def echo(request: Request) -> Response:
    body = await request.body()
    FLIGHT["now"] += 1
    FLIGHT["peak"] = max(FLIGHT["peak"], FLIGHT["now"])
    await asyncio.sleep(0.05)
    FLIGHT["now"] -= 1
    return JSONResponse(
        {
            "method": request.method,
            "path": request.url.path,
            "query": request.url.query,
            "auth": request.headers.get("authorization"),
            "body": body.decode(),
        }
    )


async def empty(request: Request) -> Response:
    return Response(status_code=204)


APP = Starlette(
    routes=[
        Route("/echo", echo, methods=["GET", "POST"]),
        Route("/empty", empty, methods=["DELETE"]),
    ]
)


@pytest.fixture
def client():
    transport = InProcessTransport(APP)
    with httpx2.Client(transport=transport, base_url="http://sandbox.test") as c:
        yield c
    transport.shutdown()


def test_request_and_body_reach_the_app(client):
    answer = client.post("/echo?x=1", json={"a": 1}, headers={"Authorization": "Bearer t"}).json()
    assert answer == {
        "method": "POST",
        "path": "/echo",
        "query": "x=1",
        "auth": "Bearer t",
        "body": '{"a":1}',
    }
    assert client.delete("/empty").status_code == 204


def test_requests_from_threads_run_concurrently(client):
    results: list[int] = []
    FLIGHT["peak"] = 0
    barrier = threading.Barrier(10)

    def call():
        barrier.wait()
        results.append(client.get("/echo").status_code)

    threads = [threading.Thread(target=call) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 10
    assert FLIGHT["peak"] > 1  # handlers overlapped instead of running one after another


def test_shared_transport_survives_a_client_closing_and_refuses_after_shutdown():
    transport = InProcessTransport(APP)
    with httpx2.Client(transport=transport, base_url="http://sandbox.test") as first:
        assert first.delete("/empty").status_code == 204
    with httpx2.Client(transport=transport, base_url="http://sandbox.test") as second:
        assert second.delete("/empty").status_code == 204
    transport.shutdown()
    transport.shutdown()
    with (
        httpx2.Client(transport=transport, base_url="http://sandbox.test") as c,
        pytest.raises(httpx2.ConnectError),
    ):
        c.get("/echo")
