"""Chat Completions on the wire: what OpenAIChatModel sends and how it reads every answer shape."""

from __future__ import annotations

import json

import httpx2
import pytest
import respx

from agent.loop import Agent, Conversation, ToolFinished, TurnFinished
from agent.model import (
    LOCAL_PLACEHOLDER_KEY,
    ModelError,
    OpenAIChatModel,
    TextDelta,
    ToolCall,
    Usage,
    model_from_settings,
)
from settings import Settings

from ..support.turns import of_type, run, text_of

BASE = "https://llm.test/v1"
URL = f"{BASE}/chat/completions"
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_note",
            "description": "Read one note by id.",
            "parameters": {
                "type": "object",
                "properties": {"note_id": {"type": "integer"}},
                "required": ["note_id"],
                "additionalProperties": False,
            },
            "strict": True,
        },
    }
]
MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}]


def chunk(delta: dict | None = None, finish: str | None = None, usage: dict | None = None) -> dict:
    choices = (
        []
        if delta is None and finish is None
        else [{"index": 0, "delta": delta or {}, "finish_reason": finish}]
    )
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "gpt-4.1-mini",
        "choices": choices,
        "usage": usage,
    }


def sse(*chunks: dict) -> respx.MockResponse:
    body = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
    return respx.MockResponse(
        200, content=body.encode(), headers={"content-type": "text/event-stream"}
    )


def completion(message: dict, usage: dict | None = None) -> respx.MockResponse:
    body = {
        "id": "chatcmpl-2",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-4.1-mini",
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": usage,
    }
    return respx.MockResponse(200, json=body)


@pytest.fixture
def model():
    m = OpenAIChatModel("gpt-4.1-mini", "sk-test", BASE, timeout=5, max_retries=0)
    yield m
    m.close()


def body_of(route: respx.Route, n: int = -1) -> dict:
    return json.loads(route.calls[n].request.content)


def test_streamed_final_answer_and_the_request_it_sends(httpx2_mock, model):
    route = httpx2_mock.post(URL).mock(
        return_value=sse(
            chunk({"role": "assistant", "content": ""}),
            chunk({"content": "Hel"}),
            chunk({"content": "lo."}),
            chunk(finish="stop"),
            chunk(usage={"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}),
        )
    )
    events = list(model.stream(MESSAGES, TOOLS))
    assert events == [TextDelta("Hel"), TextDelta("lo."), Usage(12, 3)]
    body = body_of(route)
    assert body["model"] == "gpt-4.1-mini"
    assert body["messages"] == MESSAGES
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert body["parallel_tool_calls"] is True
    assert body["tools"][0]["function"]["strict"] is True
    assert route.calls[0].request.headers["authorization"] == "Bearer sk-test"


def test_streamed_tool_call_deltas_are_assembled(httpx2_mock, model):
    first = {
        "index": 0,
        "id": "call_a",
        "type": "function",
        "function": {"name": "get_note", "arguments": ""},
    }
    second = {
        "index": 1,
        "id": "call_b",
        "type": "function",
        "function": {"name": "get_note", "arguments": '{"no'},
    }
    httpx2_mock.post(URL).mock(
        return_value=sse(
            chunk({"role": "assistant", "content": None, "tool_calls": [first]}),
            chunk({"tool_calls": [{"index": 0, "function": {"arguments": '{"note'}}]}),
            chunk({"tool_calls": [second]}),
            chunk({"tool_calls": [{"index": 0, "function": {"arguments": '_id": 1}'}}]}),
            chunk({"tool_calls": [{"index": 1, "function": {"arguments": 'te_id": 2}'}}]}),
            chunk(finish="tool_calls"),
            chunk(usage={"prompt_tokens": 40, "completion_tokens": 20, "total_tokens": 60}),
        )
    )
    events = list(model.stream(MESSAGES, TOOLS))
    assert events == [
        ToolCall("call_a", "get_note", '{"note_id": 1}'),
        ToolCall("call_b", "get_note", '{"note_id": 2}'),
        Usage(40, 20),
    ]


def test_tool_calls_without_index_are_told_apart_by_id(httpx2_mock, model):
    httpx2_mock.post(URL).mock(
        return_value=sse(
            chunk(
                {
                    "tool_calls": [
                        {"id": "x1", "function": {"name": "get_note", "arguments": '{"note_id":'}}
                    ]
                }
            ),
            chunk({"tool_calls": [{"function": {"arguments": " 1}"}}]}),
            chunk(
                {
                    "tool_calls": [
                        {
                            "id": "x2",
                            "function": {"name": "get_note", "arguments": '{"note_id": 2}'},
                        }
                    ]
                }
            ),
            chunk(finish="tool_calls"),
        )
    )
    assert list(model.stream(MESSAGES, TOOLS)) == [
        ToolCall("x1", "get_note", '{"note_id": 1}'),
        ToolCall("x2", "get_note", '{"note_id": 2}'),
    ]


def test_non_streamed_tool_call_answer(httpx2_mock, model):
    message = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "get_note", "arguments": '{"note_id": 1}'},
            }
        ],
    }
    httpx2_mock.post(URL).mock(
        return_value=completion(message, {"prompt_tokens": 9, "completion_tokens": 4})
    )
    assert list(model.stream(MESSAGES, TOOLS)) == [
        ToolCall("call_1", "get_note", '{"note_id": 1}'),
        Usage(9, 4),
    ]


def test_non_streamed_final_answer(httpx2_mock, model):
    httpx2_mock.post(URL).mock(
        return_value=completion({"role": "assistant", "content": "All paid."})
    )
    assert list(model.stream(MESSAGES, TOOLS)) == [TextDelta("All paid.")]


def test_server_that_refuses_stream_options_is_asked_again_without(httpx2_mock, model):
    refusal = respx.MockResponse(
        400, json={"error": {"message": "Unrecognized request argument supplied: stream_options"}}
    )
    route = httpx2_mock.post(URL).mock(
        side_effect=[refusal, sse(chunk({"content": "ok"})), sse(chunk({"content": "again"}))]
    )
    assert list(model.stream(MESSAGES, [])) == [TextDelta("ok")]
    assert list(model.stream(MESSAGES, [])) == [TextDelta("again")]
    assert "stream_options" in body_of(route, 0)
    assert "stream_options" not in body_of(route, 1)
    assert "stream_options" not in body_of(route, 2)  # remembered
    assert "tools" not in body_of(route, 1)
    assert "parallel_tool_calls" not in body_of(route, 1)


@pytest.mark.parametrize(
    ("status", "body", "kind", "words"),
    [
        (401, {"error": {"message": "Incorrect API key"}}, "auth", "OPENAI_API_KEY"),
        (403, {"error": {"message": "no access"}}, "permission", "may not use"),
        (404, {"error": {"message": "model not found"}}, "not_found", "COPILOT_MODEL"),
        (429, {"error": {"message": "Rate limit reached"}}, "rate_limit", "limiting requests"),
        (
            429,
            {"error": {"message": "You exceeded your current quota", "code": "insufficient_quota"}},
            "quota",
            "quota",
        ),
        (500, {"error": {"message": "oops"}}, "server", "HTTP 500"),
        (503, "upstream down", "server", "Try again"),
        (
            400,
            {"error": {"message": "context length exceeded"}},
            "bad_request",
            "context length exceeded",
        ),
    ],
)
def test_http_errors_become_model_errors_with_a_sentence(
    httpx2_mock, model, status, body, kind, words
):
    response = (
        respx.MockResponse(status, json=body)
        if isinstance(body, dict)
        else respx.MockResponse(status, text=body)
    )
    httpx2_mock.post(URL).mock(return_value=response)
    with pytest.raises(ModelError) as info:
        list(model.stream(MESSAGES, TOOLS))
    assert info.value.kind == kind
    assert words in info.value.message
    assert "Traceback" not in info.value.message


def test_connection_failures_and_timeouts(httpx2_mock, model):
    httpx2_mock.post(URL).mock(
        side_effect=[httpx2.ConnectError("refused"), httpx2.ReadTimeout("slow")]
    )
    with pytest.raises(ModelError) as info:
        list(model.stream(MESSAGES, TOOLS))
    assert info.value.kind == "connection"
    assert BASE in info.value.message
    with pytest.raises(ModelError) as info:
        list(model.stream(MESSAGES, TOOLS))
    assert info.value.kind == "timeout"


def test_an_error_inside_the_stream(httpx2_mock, model):
    httpx2_mock.post(URL).mock(
        return_value=sse(chunk({"content": "Hi"}), {"error": {"message": "model overloaded"}})
    )
    events = []
    with pytest.raises(ModelError) as info:
        events.extend(model.stream(MESSAGES, TOOLS))
    assert events == [TextDelta("Hi")]
    assert "model overloaded" in info.value.message


def test_key_less_local_server_gets_a_placeholder_key(httpx2_mock):
    local = OpenAIChatModel("llama3.1", None, "http://127.0.0.1:11434/v1", max_retries=0)
    route = httpx2_mock.post("http://127.0.0.1:11434/v1/chat/completions").mock(
        return_value=sse(chunk({"content": "hello"}))
    )
    assert list(local.stream(MESSAGES, [])) == [TextDelta("hello")]
    assert route.calls[0].request.headers["authorization"] == f"Bearer {LOCAL_PLACEHOLDER_KEY}"
    assert local.local
    local.close()


def test_model_from_settings(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    assert model_from_settings(Settings()) is None
    local = model_from_settings(
        Settings(openai_base_url="http://127.0.0.1:11434/v1", copilot_model="qwen3")
    )
    assert isinstance(local, OpenAIChatModel)
    assert local.name == "qwen3"
    hosted = model_from_settings(Settings(openai_api_key="sk-x"))
    assert hosted.name == "gpt-4.1-mini"
    assert not hosted.local
    with pytest.raises(ModelError, match="OPENAI_API_KEY"):
        OpenAIChatModel("gpt-4.1-mini", None, None)


def test_the_wire_model_drives_the_loop(httpx2_mock, model, registry, audit, ctx):
    call = {
        "index": 0,
        "id": "call_1",
        "type": "function",
        "function": {"name": "get_note", "arguments": '{"note_id": 2}'},
    }
    route = httpx2_mock.post(URL).mock(
        side_effect=[
            sse(chunk({"tool_calls": [call]}), chunk(finish="tool_calls")),
            sse(chunk({"content": "Renew "}), chunk({"content": "the domain."})),
        ]
    )
    convo = Conversation()
    events = run(Agent(model, registry, audit=audit).send(convo, ctx, "note 2?"))
    assert of_type(events, ToolFinished)[0].ok
    assert text_of(events) == "Renew the domain."
    assert isinstance(events[-1], TurnFinished)
    second = body_of(route, 1)["messages"]
    assert second[-2]["tool_calls"][0]["id"] == "call_1"
    assert second[-1] == {
        "role": "tool",
        "tool_call_id": "call_1",
        "content": '{"id":2,"text":"Renew domain"}',
    }
