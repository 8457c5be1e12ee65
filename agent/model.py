"""The chat model behind the agent: a small protocol and its OpenAI Chat Completions implementation.

The loop only sees three events: :class:`TextDelta` (text as it streams), :class:`ToolCall`
(yielded whole, once its streamed fragments are assembled) and :class:`Usage`. Any
OpenAI-compatible server works (OpenAI, Ollama, vLLM, llama.cpp): a key-less local server gets a
placeholder key, and a server that refuses ``stream_options`` is asked again without it.

Every failure of a model call becomes a :class:`ModelError` carrying a sentence for the user.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx2
import openai

from settings import Settings

__all__ = [
    "LOCAL_PLACEHOLDER_KEY",
    "ChatModel",
    "ModelError",
    "ModelEvent",
    "OpenAIChatModel",
    "TextDelta",
    "ToolCall",
    "Usage",
    "model_from_settings",
]

logger = logging.getLogger(__name__)

# Local OpenAI-compatible servers ignore the key, but the SDK insists on one.
LOCAL_PLACEHOLDER_KEY = "not-needed"


@dataclass(frozen=True)
class TextDelta:
    """A piece of the assistant's answer, as it streams."""

    text: str


@dataclass(frozen=True)
class ToolCall:
    """A complete tool call: ``arguments`` is the model's JSON text, not yet validated."""

    id: str
    name: str
    arguments: str


@dataclass(frozen=True)
class Usage:
    """Tokens used by one model call (or summed over a turn)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
        )

    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens


ModelEvent = TextDelta | ToolCall | Usage


class ModelError(Exception):
    """A model call failed. ``message`` is a sentence for the user, never a traceback.

    ``kind`` is one of ``auth``, ``permission``, ``not_found``, ``rate_limit``, ``quota``,
    ``bad_request``, ``server``, ``timeout``, ``connection``, ``config``, ``stream``.
    """

    def __init__(self, message: str, *, kind: str = "unknown", status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.status = status


class ChatModel(Protocol):
    """What the loop needs from a chat model."""

    name: str

    def stream(
        self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]
    ) -> Iterator[ModelEvent]:
        """Answer ``messages``: text deltas, then complete tool calls, then usage if known.

        Raises :class:`ModelError` when the call fails.
        """
        ...


@dataclass
class _CallParts:
    """The fragments of one streamed tool call."""

    id: str | None = None
    name: str = ""
    arguments: list[str] = field(default_factory=list)


class _ToolCallAssembler:
    """Joins tool-call deltas by their index (or their id, for servers that omit it)."""

    def __init__(self) -> None:
        self._calls: dict[Any, _CallParts] = {}
        self._last_key: Any = None

    def add(
        self, index: int | None, call_id: str | None, name: str | None, args: str | None
    ) -> None:
        """Fold one delta in."""
        if index is not None:
            key: Any = index
        elif call_id and call_id not in {c.id for c in self._calls.values()}:
            key = ("id", call_id)
        else:
            key = self._last_key if self._last_key is not None else 0
        parts = self._calls.setdefault(key, _CallParts())
        self._last_key = key
        if call_id:
            parts.id = call_id
        if name:
            # Servers send the name once; a few repeat it in every delta.
            parts.name = name if not parts.name or parts.name == name else parts.name + name
        if args:
            parts.arguments.append(args)

    def calls(self) -> list[ToolCall]:
        """Every assembled call, in the order the model made them."""
        out = []
        for n, parts in enumerate(self._calls.values()):
            out.append(
                ToolCall(
                    id=parts.id or f"call_{n}",
                    name=parts.name,
                    arguments="".join(parts.arguments) or "{}",
                )
            )
        return out


def _user_message(exc: Exception, model: str, base_url: str | None) -> ModelError:
    """The one place where OpenAI SDK failures become sentences."""
    where = base_url or "the OpenAI API"
    if isinstance(exc, ModelError):
        return exc
    if isinstance(exc, openai.APITimeoutError):
        return ModelError(
            f"The model at {where} did not answer in time. Try again in a moment.", kind="timeout"
        )
    if isinstance(exc, openai.APIConnectionError):
        return ModelError(
            f"Could not reach the model at {where}. Check the connection, or that the local "
            "model server is running.",
            kind="connection",
        )
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        detail = _detail(exc)
        if isinstance(exc, openai.AuthenticationError):
            return ModelError(
                f"The model server refused the API key (HTTP {status}). Check OPENAI_API_KEY.",
                kind="auth",
                status=status,
            )
        if isinstance(exc, openai.PermissionDeniedError):
            return ModelError(
                f"This API key may not use the model {model!r} (HTTP {status}).",
                kind="permission",
                status=status,
            )
        if isinstance(exc, openai.NotFoundError):
            return ModelError(
                f"The model {model!r} was not found at {where} (HTTP {status}). "
                "Check COPILOT_MODEL and OPENAI_BASE_URL.",
                kind="not_found",
                status=status,
            )
        if isinstance(exc, openai.RateLimitError):
            if "quota" in detail.lower() or "insufficient_quota" in str(exc.body):
                return ModelError(
                    "The model provider says the account is out of quota or credit.",
                    kind="quota",
                    status=status,
                )
            return ModelError(
                "The model provider is limiting requests right now. Wait a moment and try again.",
                kind="rate_limit",
                status=status,
            )
        if status >= 500:
            return ModelError(
                f"The model server had an error (HTTP {status}). Try again in a moment.",
                kind="server",
                status=status,
            )
        return ModelError(
            f"The model server rejected the request (HTTP {status}){': ' + detail if detail else '.'}",
            kind="bad_request",
            status=status,
        )
    if isinstance(exc, openai.APIError):
        detail = (exc.message or "").strip()[:200]
        return ModelError(
            f"The model stopped with an error{': ' + detail if detail else '.'}", kind="stream"
        )
    if isinstance(exc, openai.OpenAIError):
        return ModelError(f"The chat model is not set up correctly: {exc}", kind="config")
    return ModelError(f"The chat model failed ({type(exc).__name__}).", kind="unknown")


def _detail(exc: openai.APIStatusError) -> str:
    """The server's own message, short."""
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if isinstance(message, str):
            return message.strip()[:200]
    return ""


class OpenAIChatModel:
    """Chat Completions with streaming, parallel tool calls and strict tools."""

    def __init__(
        self,
        model: str,
        api_key: str | None,
        base_url: str | None,
        timeout: float = 60,
        http_client: httpx2.Client | None = None,
        *,
        max_retries: int = 2,
    ) -> None:
        self.name = model
        self.base_url = base_url
        # Pricing tables only describe OpenAI's own endpoint.
        self.local = bool(base_url) and "api.openai.com" not in str(base_url)
        key = api_key or (LOCAL_PLACEHOLDER_KEY if base_url else None)
        try:
            self._client = openai.OpenAI(
                api_key=key,
                base_url=base_url,
                timeout=timeout,
                max_retries=max_retries,
                http_client=http_client,
            )
        except openai.OpenAIError as exc:
            raise ModelError(
                "No OpenAI API key is configured: set OPENAI_API_KEY, or OPENAI_BASE_URL for a "
                "local OpenAI-compatible server.",
                kind="config",
            ) from exc
        self._send_usage_option = True

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()

    def stream(
        self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]
    ) -> Iterator[ModelEvent]:
        """Stream one answer; see :class:`ChatModel`."""
        try:
            raw = self._create(messages, tools)
            content_type = raw.headers.get("content-type", "")
            if "text/event-stream" in content_type:
                yield from self._from_stream(raw.parse())
            else:
                # A server that ignored stream=True and answered in one JSON body.
                try:
                    raw.http_response.read()
                    body = raw.http_response.json()
                finally:
                    raw.http_response.close()
                yield from self._from_completion(body)
        except ModelError:
            raise
        except (openai.OpenAIError, httpx2.HTTPError, ValueError) as exc:
            logger.warning("model call failed: %s", type(exc).__name__)
            raise _user_message(exc, self.name, self.base_url) from exc

    def _create(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> Any:
        """Send the request; retried once without ``stream_options`` if the server refuses it."""
        params: dict[str, Any] = {"model": self.name, "messages": messages, "stream": True}
        if tools:
            params["tools"] = tools
            params["parallel_tool_calls"] = True
        completions = self._client.chat.completions.with_raw_response
        if self._send_usage_option:
            try:
                return completions.create(**params, stream_options={"include_usage": True})
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                # llama.cpp and older Ollama refuse the option; anything else fails again below.
                logger.info("retrying without stream_options: %s", _detail(exc))
            raw = completions.create(**params)
            self._send_usage_option = False
            return raw
        return completions.create(**params)

    def _from_stream(self, stream: Any) -> Iterator[ModelEvent]:
        calls = _ToolCallAssembler()
        usage: Usage | None = None
        try:
            for chunk in stream:
                if getattr(chunk, "usage", None) is not None:
                    # Some servers repeat a running total in every chunk: the last one wins.
                    usage = Usage(
                        chunk.usage.prompt_tokens or 0, chunk.usage.completion_tokens or 0
                    )
                for choice in chunk.choices or []:
                    delta = choice.delta
                    if delta is None:
                        continue
                    if delta.content:
                        yield TextDelta(delta.content)
                    for part in delta.tool_calls or []:
                        function = part.function
                        calls.add(
                            getattr(part, "index", None),
                            part.id,
                            function.name if function else None,
                            function.arguments if function else None,
                        )
        finally:
            stream.close()
        yield from calls.calls()
        if usage is not None:
            yield usage

    def _from_completion(self, body: Any) -> Iterator[ModelEvent]:
        if not isinstance(body, dict) or not body.get("choices"):
            raise ModelError("The model server sent an answer this app cannot read.", kind="stream")
        message = body["choices"][0].get("message") or {}
        if message.get("content"):
            yield TextDelta(str(message["content"]))
        for n, call in enumerate(message.get("tool_calls") or []):
            function = call.get("function") or {}
            arguments = function.get("arguments")
            if not isinstance(arguments, str):  # a few servers send an object
                arguments = json.dumps(arguments or {})
            yield ToolCall(
                id=call.get("id") or f"call_{n}",
                name=function.get("name", ""),
                arguments=arguments,
            )
        usage = body.get("usage")
        if isinstance(usage, dict):
            yield Usage(usage.get("prompt_tokens") or 0, usage.get("completion_tokens") or 0)


def model_from_settings(settings: Settings) -> ChatModel | None:
    """The configured chat model, or None when neither a key nor a base URL is set."""
    if not settings.chat_enabled:
        return None
    return OpenAIChatModel(
        settings.copilot_model, settings.openai_api_key, settings.openai_base_url
    )
