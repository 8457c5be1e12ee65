"""A small OpenAI-compatible chat server on loopback that plays a script, for browser tests.

    fake = FakeOpenAI([
        [Call("find_client", {"name": "Kestrel Analytics"}, id="call_find")],
        lambda request: [Call("create_invoice", {...client id read from request...})],
        "The draft invoice is ready.",
    ])
    with fake:  # a Starlette app under uvicorn in a background thread, on 127.0.0.1
        ...  # point OPENAI_BASE_URL at fake.base_url

Each ``POST /v1/chat/completions`` takes the next step of the script: a string (the answer's
text), a list of :class:`Call` (tool calls), or a callable that receives the request JSON
(``model``, ``messages``, ``tools``…) and returns one of those. The answer is streamed as
OpenAI streams it (server-sent ``chat.completion.chunk`` events, tool-call arguments split
across chunks, a finish reason, a usage chunk when ``stream_options.include_usage`` asks for
one, then ``[DONE]``), or sent as one ``chat.completion`` body when ``stream`` is false.
Every request is recorded (:attr:`FakeOpenAI.requests`); anything the fake could not answer
(script exhausted, a step that raised, a malformed request) is recorded in
:attr:`FakeOpenAI.errors` and answered with an OpenAI-style error.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from ..support import schema_meter

__all__ = ["Call", "FakeOpenAI", "Recorded", "Step"]


@dataclass(frozen=True)
class Call:
    """One tool call the fake model makes; ``arguments`` is sent as JSON text."""

    name: str
    arguments: dict[str, Any] | str
    id: str | None = None

    def arguments_text(self) -> str:
        """The arguments as the model sends them: a JSON string."""
        if isinstance(self.arguments, str):
            return self.arguments
        return json.dumps(self.arguments)


Answer = str | Sequence[Call]
Step = Answer | Callable[[dict[str, Any]], Answer]


@dataclass(frozen=True)
class Recorded:
    """One request the fake received: its path, a few headers and its JSON body."""

    path: str
    authorization: str | None
    body: dict[str, Any]


MAX_BODY_BYTES = 4_000_000  # far more than a chat request of this app; refuse anything larger
MAX_REQUESTS = 100  # a runaway client gets errors, not an endless conversation
ARGUMENT_PIECE = 24  # tool-call arguments stream in pieces of this many characters
TEXT_PIECE = 12
START_TIMEOUT = 15.0


def _error(status: int, message: str, kind: str = "invalid_request_error") -> JSONResponse:
    return JSONResponse(
        {"error": {"message": message, "type": kind, "param": None, "code": None}},
        status_code=status,
    )


def _pieces(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


@dataclass
class FakeOpenAI:
    """The fake server; start and stop it with ``with`` (or :meth:`start` / :meth:`stop`)."""

    script: list[Step]
    model: str = "fake-model"
    requests: list[Recorded] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _server: uvicorn.Server | None = field(default=None, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)
    _socket: socket.socket | None = field(default=None, repr=False)
    _calls: int = field(default=0, repr=False)

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The ``OPENAI_BASE_URL`` of this server (``http://127.0.0.1:<port>/v1``)."""
        assert self._socket is not None, "the fake OpenAI server is not started"
        host, port = self._socket.getsockname()[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> FakeOpenAI:
        """Listen on a free loopback port; returns once the server accepts connections."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self._socket = sock
        config = uvicorn.Config(
            self._app(),
            lifespan="off",
            ws="none",
            loop="asyncio",
            log_config=None,  # leave the test process's logging alone
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="fake-openai", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the fake OpenAI server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        """Stop serving, wait for the thread and close the socket."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)
            if self._thread.is_alive():  # pragma: no cover - a hung shutdown
                assert self._server is not None
                self._server.force_exit = True
                self._thread.join(timeout=5)
        if self._socket is not None:
            self._socket.close()

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what the tests look at --------------------------------------------------------------

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        """The bodies of every chat completion request, in order."""
        return [r.body for r in self.requests if r.path.endswith("/chat/completions")]

    # -- the HTTP side -----------------------------------------------------------------------

    def _app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/chat/completions", self._completions, methods=["POST"]),
                Route("/v1/models", self._models, methods=["GET"]),
            ]
        )

    async def _models(self, request: Request) -> Response:
        if (refused := self._refuse(request)) is not None:
            return refused
        model = {"id": self.model, "object": "model", "created": 0, "owned_by": "fake"}
        return JSONResponse({"object": "list", "data": [model]})

    def _refuse(self, request: Request) -> Response | None:
        """Loopback clients only, a bounded number of requests."""
        if request.client is None or request.client.host != "127.0.0.1":
            return _error(403, "loopback clients only", "permission_error")
        if len(self.requests) >= MAX_REQUESTS:
            return self._fail(429, f"more than {MAX_REQUESTS} requests", "rate_limit_error")
        return None

    def _fail(self, status: int, message: str, kind: str = "invalid_request_error") -> Response:
        with self._lock:
            self.errors.append(message)
        return _error(status, message, kind)

    async def _completions(self, request: Request) -> Response:
        if (refused := self._refuse(request)) is not None:
            return refused
        declared = request.headers.get("content-length")
        if declared is None or not declared.isdigit() or int(declared) > MAX_BODY_BYTES:
            return self._fail(413, "a request body with a Content-Length up to 4 MB is required")
        raw = await request.body()
        try:
            body = json.loads(raw)
        except ValueError:
            return self._fail(400, "the body is not JSON")
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            return self._fail(400, "messages is required")
        schema_meter.record(body.get("tools"), type(self).__name__)
        seen, prompt_tokens = self.view(body, raw)
        with self._lock:
            self.requests.append(
                Recorded(request.url.path, request.headers.get("authorization"), body)
            )
            number = self._calls
            step = self.script[number] if number < len(self.script) else None
            self._calls += 1
        if step is None:
            return self._fail(400, "the scripted model has no more answers")
        try:
            answer = step(seen) if callable(step) else step
        except Exception as exc:  # a failed assertion in a scripted step, reported to the test
            return self._fail(400, f"the scripted step failed: {exc!r}")
        calls = [] if isinstance(answer, str) else list(answer)
        text = answer if isinstance(answer, str) else None
        ids = [call.id or f"call_fake_{number}_{n}" for n, call in enumerate(calls)]
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": max(1, len(text or json.dumps([c.arguments for c in calls])) // 4),
        }
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        completion_id = f"chatcmpl-fake{number}"
        if body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            chunks = self._chunks(completion_id, text, calls, ids, usage if include_usage else None)
            return StreamingResponse(
                self._sse(chunks),
                media_type="text/event-stream",
                headers={"cache-control": "no-cache"},
            )
        message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
        if calls:
            message["tool_calls"] = [
                {
                    "id": call_id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": call.arguments_text()},
                }
                for call, call_id in zip(calls, ids, strict=True)
            ]
        return JSONResponse(
            {
                "id": completion_id,
                "object": "chat.completion",
                "created": int(time.time()),
                "model": self.model,
                "choices": [
                    {
                        "index": 0,
                        "message": message,
                        "logprobs": None,
                        "finish_reason": "tool_calls" if calls else "stop",
                    }
                ],
                "usage": usage,
            }
        )

    def view(self, body: dict[str, Any], raw: bytes) -> tuple[dict[str, Any], int]:
        """The request as the scripted model sees it, and the prompt tokens reported.

        Here the whole request, and a quarter of its bytes; a server that cuts long prompts
        (``tests/support/cutting_openai.py``) overrides this.
        """
        return body, len(raw) // 4

    @staticmethod
    def _sse(chunks: list[dict[str, Any]]) -> Iterator[str]:
        for chunk in chunks:
            yield f"data: {json.dumps(chunk)}\n\n"
        yield "data: [DONE]\n\n"

    def _chunks(
        self,
        completion_id: str,
        text: str | None,
        calls: list[Call],
        ids: list[str],
        usage: dict[str, int] | None,
    ) -> list[dict[str, Any]]:
        """The answer as OpenAI streams it, chunk by chunk."""
        created = int(time.time())

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            out: dict[str, Any] = {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": self.model,
                "system_fingerprint": "fp_fake",
                "choices": [
                    {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
                ],
            }
            if usage is not None:
                out["usage"] = None  # OpenAI: null in every chunk but the last
            return out

        chunks = [chunk({"role": "assistant", "content": "" if text is not None else None})]
        for piece in _pieces(text, TEXT_PIECE) if text else []:
            chunks.append(chunk({"content": piece}))
        for index, (call, call_id) in enumerate(zip(calls, ids, strict=True)):
            head = {
                "index": index,
                "id": call_id,
                "type": "function",
                "function": {"name": call.name, "arguments": ""},
            }
            chunks.append(chunk({"tool_calls": [head]}))
            for piece in _pieces(call.arguments_text(), ARGUMENT_PIECE):
                part = {"index": index, "function": {"arguments": piece}}
                chunks.append(chunk({"tool_calls": [part]}))
        chunks.append(chunk({}, "tool_calls" if calls else "stop"))
        if usage is not None:
            last = chunk({})
            last["choices"] = []
            last["usage"] = usage
            chunks.append(last)
        return chunks
