"""Hostile and bad input, property-based: every parser answers with a clear error, never a crash.

* every agent tool's ``Tool.parse`` on arbitrary JSON, on dicts of its real field names with
  random values and on raw text: an instance of its argument model or ``ToolArgumentError``;
* ``error_from_response`` / ``body_error`` on any status and any body: a typed ``APIError``;
* every resource read (list, page, get), the identity and the reports over a transport that
  answers HTTP 200 with random JSON, or with the right envelope around random records: a
  model or a list, else a ``FreshBooksError`` subclass;
* ``Token.from_response`` on any dict: a ``Token`` or ``ResponseFormatError``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx2
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from agent.tool import Tool, ToolArgumentError
from agent.tools import build_registry
from fbclient import BusinessClient, FreshBooksClient, ListResult, Page, RetryPolicy
from fbclient.errors import (
    APIError,
    FreshBooksError,
    ResponseFormatError,
    body_error,
    error_from_response,
)
from fbclient.identity import Business, Identity
from fbclient.oauth import Token

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- strategies ---------------------------------------------------------------------------

TRICKY_TEXT = st.sampled_from(
    [
        "",
        " ",
        "NaN",
        "Infinity",
        "-Infinity",
        "1e400",
        "-1e400",
        "9" * 400,
        "0.0000000001",
        "-0",
        "2024-02-30",
        "0000-01-01",
        "9999-12-31T23:59:60Z",
        "null",
        "\x00",
        "1,000.00",
        "USD",
        "ZZZ",
    ]
)
TRICKY_NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(),  # NaN and infinities included: json.loads accepts them
    st.sampled_from([0, -1, 2**63, -(2**63), 10**30, 1e308, -1e308, 5e-324]),
)
SCALARS = st.one_of(st.none(), st.booleans(), TRICKY_NUMBERS, st.text(max_size=20), TRICKY_TEXT)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=12,
)


def keyed(names: list[str], extra: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts built from real key names with random values (and sometimes a stray key)."""
    fields = st.fixed_dictionaries({}, optional=dict.fromkeys(names, JSON_VALUES))
    if not extra:
        return fields
    return st.one_of(fields, st.builds(lambda d, k, v: {**d, k: v}, fields, st.text(), SCALARS))


def model_keys(model: type[BaseModel]) -> list[str]:
    """A model's field names and aliases."""
    names: set[str] = set()
    for name, info in model.model_fields.items():
        names.add(name)
        if info.alias:
            names.add(info.alias)
    return sorted(names)


def dumps(value: Any) -> str:
    return json.dumps(value)  # NaN/Infinity kept: json.loads reads them back


# --- tool argument validation -------------------------------------------------------------

TOOLS: list[Tool[Any]] = list(build_registry())


def _check_parse(tool: Tool[Any], arguments: Any) -> None:
    error: ToolArgumentError | None = None
    try:
        parsed = tool.parse(arguments)
    except ToolArgumentError as exc:
        error = exc
    if error is None:
        assert isinstance(parsed, tool.args)
        return
    assert error.tool == tool.name
    assert isinstance(error.errors, list)
    assert error.errors
    assert all(isinstance(e.get("msg"), str) for e in error.errors)
    json.dumps(error.errors)  # it goes back to the model as a tool result


@pytest.mark.parametrize("tool", TOOLS, ids=[t.name for t in TOOLS])
@SETTINGS
@given(data=st.data())
def test_tool_parse_gives_args_or_argument_error(tool: Tool[Any], data: st.DataObject) -> None:
    fields = keyed(list(tool.args.model_fields))
    arguments = data.draw(
        st.one_of(
            fields,  # a mapping, as a test or the loop may pass
            fields.map(dumps),  # the JSON text the model sends
            JSON_VALUES.map(dumps),  # any JSON at all
            st.text(),  # not JSON
        )
    )
    _check_parse(tool, arguments)


def test_every_tool_is_covered() -> None:
    assert len(TOOLS) == len(build_registry()) >= 30


# --- error envelopes ----------------------------------------------------------------------

ERROR_BODIES = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries(
        {"response": st.fixed_dictionaries({"errors": JSON_VALUES}, optional={"result": SCALARS})}
    ),
    st.fixed_dictionaries({"errors": JSON_VALUES}),
    st.fixed_dictionaries(
        {"errors": keyed(["message", "status", "details"])},
    ),
    keyed(["code", "details", "message", "error", "error_description", "errno", "error_type"]),
    st.fixed_dictionaries(
        {"code": SCALARS, "details": st.lists(keyed(["reason", "metadata", "fieldViolations"]))}
    ),
)


@SETTINGS
@given(
    status=st.integers(min_value=400, max_value=599),
    content=st.one_of(
        st.binary(), st.text(), ERROR_BODIES.map(dumps), ERROR_BODIES.map(dumps).map(str.encode)
    ),
    retry_after=st.one_of(st.none(), st.floats(min_value=0, max_value=1e6)),
)
# Found by a longer run: an error list whose only message is blank.
@example(status=400, content='{"response":{"errors":[""]}}', retry_after=None)
def test_error_from_response_is_always_typed(
    status: int, content: bytes | str, retry_after: float | None
) -> None:
    error = error_from_response(status, content, retry_after)
    assert isinstance(error, APIError)
    assert error.status == status
    assert isinstance(error.message, str)
    assert error.message
    assert isinstance(error.user_message, str)
    assert error.user_message
    assert isinstance(error.errors, tuple)


@SETTINGS
@given(body=ERROR_BODIES)
def test_body_error_is_none_or_typed(body: Any) -> None:
    error = body_error(body)
    assert error is None or isinstance(error, APIError)
    if error is not None:
        assert isinstance(error.message, str)
        assert error.message
        assert isinstance(error.user_message, str)


# --- resource parsers on malformed 200 answers --------------------------------------------

BUSINESS = Business(business_id=1, account_id="a", name="B", role="owner")
META = keyed(["page", "pages", "per_page", "total"], extra=False)
PAGE_META = st.fixed_dictionaries(
    {},
    optional={
        k: st.one_of(TRICKY_NUMBERS, SCALARS) for k in ("page", "pages", "per_page", "total")
    },
)


def rows(model: type[BaseModel]) -> st.SearchStrategy[list[Any]]:
    return st.lists(st.one_of(keyed(model_keys(model)), JSON_VALUES), max_size=3)


def accounting_list(plural: str, model: type[BaseModel]) -> st.SearchStrategy[Any]:
    result = st.builds(lambda r, m: {plural: r, **m}, rows(model), PAGE_META)
    return st.builds(lambda r: {"response": {"result": r}}, result)


def accounting_one(singular: str, model: type[BaseModel]) -> st.SearchStrategy[Any]:
    row = st.one_of(keyed(model_keys(model)), JSON_VALUES)
    return st.builds(lambda r: {"response": {"result": {singular: r}}}, row)


def family_list(plural: str, model: type[BaseModel]) -> st.SearchStrategy[Any]:
    return st.builds(lambda r, m: {plural: r, "meta": m}, rows(model), PAGE_META)


def family_one(singular: str, model: type[BaseModel]) -> st.SearchStrategy[Any]:
    return st.builds(lambda r: {singular: r}, st.one_of(keyed(model_keys(model)), JSON_VALUES))


def identity_body() -> st.SearchStrategy[Any]:
    business = keyed(["id", "business_uuid", "account_id", "name", "timezone", "date_format"])
    membership = st.one_of(
        st.builds(lambda b, m: {**m, "business": b}, business, keyed(["id", "role"])), JSON_VALUES
    )
    me = st.builds(
        lambda m, ms: {**m, "business_memberships": ms},
        keyed(["identity_id", "id", "first_name", "last_name", "email"]),
        st.one_of(st.lists(membership, max_size=3), JSON_VALUES),
    )
    return st.builds(lambda r: {"response": r}, me)


def report_body(key: str, model: type[BaseModel]) -> st.SearchStrategy[Any]:
    report = st.one_of(keyed(model_keys(model)), JSON_VALUES)
    return st.builds(lambda r: {"response": {"result": {key: r}}}, report)


Call = Callable[[FreshBooksClient, BusinessClient], Any]


def _calls() -> list[tuple[str, Call, st.SearchStrategy[Any]]]:
    probe = FreshBooksClient.with_access_token("t", api_url="https://api.test").business(BUSINESS)
    out: list[tuple[str, Call, st.SearchStrategy[Any]]] = []
    accounting = ("clients", "invoices", "estimates", "expenses", "expense_categories")
    accounting += ("payments", "items", "taxes", "staff")
    for name in accounting:
        res = getattr(probe, name)
        out.append(
            (
                f"{name}.list",
                lambda fb, b, n=name: getattr(b, n).list(),
                accounting_list(res.plural, res.model),
            )
        )
        out.append(
            (
                f"{name}.list_page",
                lambda fb, b, n=name: getattr(b, n).list_page(),
                accounting_list(res.plural, res.model),
            )
        )
        out.append(
            (
                f"{name}.get",
                lambda fb, b, n=name: getattr(b, n).get(1),
                accounting_one(res.singular, res.model),
            )
        )
    for name in ("projects", "time_entries", "services"):
        res = getattr(probe, name)
        out.append(
            (
                f"{name}.list",
                lambda fb, b, n=name: getattr(b, n).list(),
                family_list(res.plural, res.model),
            )
        )
        out.append(
            (
                f"{name}.get",
                lambda fb, b, n=name: getattr(b, n).get(1),
                family_one(res.singular, res.model),
            )
        )
    team_row = st.one_of(keyed(model_keys(probe.team_members.model)), JSON_VALUES)
    out.append(
        (
            "team_members.list",
            lambda fb, b: b.team_members.list(),
            st.builds(
                lambda r, m: {"response": r, "meta": m}, st.lists(team_row, max_size=3), PAGE_META
            ),
        )
    )
    out.append(
        (
            "team_members.get",
            lambda fb, b: b.team_members.get("u-1"),
            st.builds(lambda r: {"response": r}, team_row),
        )
    )
    out.append(("identity", lambda fb, b: fb.identity(), identity_body()))
    from fbclient.models.reports import AccountsAging, PaymentsCollected, ProfitLoss, TaxSummary

    d1, d2 = date(2024, 1, 1), date(2024, 12, 31)
    out += [
        (
            "reports.profit_loss",
            lambda fb, b: b.reports.profit_loss(d1, d2),
            report_body("profitloss", ProfitLoss),
        ),
        (
            "reports.tax_summary",
            lambda fb, b: b.reports.tax_summary(d1, d2),
            report_body("taxsummary", TaxSummary),
        ),
        (
            "reports.payments_collected",
            lambda fb, b: b.reports.payments_collected(d1, d2),
            report_body("payments_collected", PaymentsCollected),
        ),
        (
            "reports.accounts_aging",
            lambda fb, b: b.reports.accounts_aging(d2),
            report_body("accounts_aging", AccountsAging),
        ),
    ]
    return out


CALLS = {name: (call, shaped) for name, call, shaped in _calls()}


class _Answer:
    """The body every request gets in the current example."""

    text = "{}"

    def handler(self, request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(
            200, content=self.text.encode(), headers={"Content-Type": "application/json"}
        )


def _read(call: Call, text: str) -> tuple[Any, FreshBooksError | None]:
    answer = _Answer()
    answer.text = text
    fb = FreshBooksClient.with_access_token(
        "t",
        api_url="https://api.test",
        transport=httpx2.MockTransport(answer.handler),
        retry=RetryPolicy(max_attempts=1),
        max_pages=3,
    )
    try:
        return call(fb, fb.business(BUSINESS)), None
    except FreshBooksError as exc:  # anything else fails the property
        return None, exc
    finally:
        fb.close()


@pytest.mark.parametrize("name", sorted(CALLS))
@SETTINGS
@given(data=st.data())
def test_resource_reads_on_malformed_answers(name: str, data: st.DataObject) -> None:
    call, shaped = CALLS[name]
    text = data.draw(st.one_of(JSON_VALUES.map(dumps), shaped.map(dumps), st.text()), "body")
    result, error = _read(call, text)
    if error is not None:
        assert isinstance(error.message, str)
        assert error.message
        assert isinstance(error.user_message, str)
        assert error.user_message
        return
    assert isinstance(result, BaseModel | ListResult | Page)
    if isinstance(result, Identity):
        assert all(isinstance(b, Business) for b in result.businesses)


def test_every_listed_family_is_covered() -> None:
    names = {name.split(".")[0] for name in CALLS}
    expected = {"clients", "invoices", "expenses", "payments", "projects", "time_entries"}
    assert expected | {"team_members", "identity", "reports"} <= names


# --- OAuth token answers ------------------------------------------------------------------


@SETTINGS
@given(
    body=st.one_of(
        st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=5),
        keyed(["access_token", "refresh_token", "token_type", "expires_in", "created_at", "scope"]),
    ),
    now=st.one_of(st.none(), st.floats(min_value=0, max_value=4e9)),
)
def test_token_from_response_is_token_or_format_error(
    body: dict[str, Any], now: float | None
) -> None:
    error: ResponseFormatError | None = None
    try:
        token = Token.from_response(body, now=now)
    except ResponseFormatError as exc:
        error = exc
    if error is not None:
        assert error.user_message
        return
    assert isinstance(token, Token)
    assert isinstance(token.access_token, str)
    assert math.isfinite(token.expires_at)
    assert isinstance(token.scopes, tuple)


# --- what the properties found (kept as fixed examples) -----------------------------------


@pytest.mark.parametrize(
    ("call", "body"),
    [
        ("identity", '{"response": {"identity_id": 1, "business_memberships": true}}'),
        ("clients.list_page", '{"response": {"result": {"clients": [], "total": 1e999}}}'),
        ("clients.list_page", '{"response": {"result": {"clients": [], "page": Infinity}}}'),
        ("projects.list", '{"projects": [], "meta": {"total": 1' + "0" * 400 + "}}"),
    ],
)
def test_found_malformed_answers_give_clear_errors(call: str, body: str) -> None:
    result, error = _read(CALLS[call][0], body)
    assert error is None or isinstance(error, ResponseFormatError)
    assert (result is None) != (error is None)


@pytest.mark.parametrize(
    "content",
    [
        '{"code": 3, "details": [{"fieldViolations": 1}]}',
        '{"code": 3, "details": [{"reason": Infinity}]}',
        '{"response": {"errors": [{"message": "m", "errno": -Infinity}]}}',
    ],
)
def test_found_error_bodies_give_typed_errors(content: str) -> None:
    error = error_from_response(400, content)
    assert isinstance(error, APIError)
    assert error.message


@pytest.mark.parametrize(
    "body",
    [
        {"access_token": "a", "created_at": 10**400},
        {"access_token": "a", "expires_in": "Infinity"},
        {"access_token": "a", "created_at": "NaN"},
    ],
)
def test_found_token_answers_give_format_errors(body: dict[str, Any]) -> None:
    with pytest.raises(ResponseFormatError):
        Token.from_response(body)
