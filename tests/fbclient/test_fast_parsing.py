"""Fast parsing against the models' own validators, property-based.

``fbclient.models._fast`` compiles a second validator per model; ``FBModel.model_validate``
and ``parse_records`` try it first and fall back to the model's own pydantic validator (the
reference). The properties, on records mixing wire-shaped and hostile values:

* wherever the fast validator accepts a record, it returns exactly what the reference returns
  (values, their types, time zones, kept unknown keys, the set of fields given);
* ``model_validate`` and ``parse_records`` therefore match the reference, errors included;
* wire-shaped records (what FreshBooks and the sandbox send) do take the fast path;
* ``fbclient._json.loads`` returns what ``json.loads`` returns, or raises where it raises.
"""

from __future__ import annotations

import contextlib
import json
import typing
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from fbclient import Money, ResponseFormatError
from fbclient._json import loads
from fbclient.models import forget_parsed_values
from fbclient.models._base import _FAST, FBModel, none_as_empty_list, parse_model, parse_records
from fbclient.models._fast import CACHE_SIZE
from fbclient.models.clients import Client
from fbclient.models.estimates import Estimate
from fbclient.models.expense_categories import ExpenseCategory
from fbclient.models.expenses import Expense
from fbclient.models.invoices import Invoice, InvoiceLine
from fbclient.models.items import Item
from fbclient.models.payments import Payment
from fbclient.models.projects import Project
from fbclient.models.staff import StaffMember
from fbclient.models.taxes import Tax
from fbclient.models.team import TeamMember
from fbclient.models.time_entries import TimeEntry, Timer
from fbclient.types import (
    EASTERN,
    _decimal_or_none,
    _eastern,
    _flexible_date,
    _utc,
    _zero_is_none,
)

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- values: mostly what FreshBooks sends, often something it should not ----------------

MOMENTS = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2037, 12, 31))
WIRE_STAMPS = st.one_of(
    MOMENTS.map(lambda d: d.replace(microsecond=0).isoformat(sep=" ")),  # accounting
    MOMENTS.map(lambda d: d.replace(microsecond=0).isoformat() + "Z"),  # time tracking
    MOMENTS.map(lambda d: d.isoformat()),  # projects: ISO without Z, maybe fractions
    MOMENTS.map(lambda d: d.replace(tzinfo=EASTERN).isoformat()),  # a stored model, dumped
)
ODD_STAMPS = st.sampled_from(
    [
        "",
        " ",
        " 2020-10-17 05:00:00",
        "2020-10-17 05:00:00 ",
        "2020-10-17  05:00:00",
        "2020-02-30 05:00:00",
        "0000-00-00 00:00:00",
        "2020-10-17T24:00:00",
        "2020-10-17T23:59:60Z",
        "2021-03-14 02:30:00",  # does not exist in New York (DST gap)
        "2021-11-07 01:30:00",  # happens twice in New York
        "2020-10-17T05:00:00.1234567",
        "2020-10-17T05:00:00+0530",
        "2020-10-17T05:00:00z",
        "2020-10-17",
        "20201017T050000",
        "١٢٣٤-01-01 00:00:00",
    ]
)
WIRE_DATES = st.dates(min_value=date(1971, 1, 1), max_value=date(2037, 12, 31)).map(str)
ODD_DATES = st.sampled_from(
    [
        "",
        "0000-00-00",
        "2024-02-30",
        "20240229",
        "2024-W09-4",
        " 2024-02-29 ",
        "2024-02-29T10:00",
        "2024-02-29" + "x" * 100,  # too long to be a cache key
    ]
)
WIRE_DECIMALS = st.one_of(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=2, max_value=10**9, min_value=-(10**9)
    ),
    st.integers(min_value=0, max_value=100),
).map(str)
ODD_DECIMALS = st.one_of(
    st.sampled_from(["", "  ", "NaN", "-Infinity", "1e400", "1E+2", "1_000", "+5", "-0", " 7 "]),
    st.sampled_from(["٣", "0x10", "1" * 80, "0." + "3" * 70]),
    st.just("7.60133524082021936099189318"),
    st.floats(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.decimals(),
)
IDS = st.one_of(
    st.just(0),
    st.integers(min_value=1, max_value=10**9),
    st.sampled_from([-1, 2**70, "0", "12", "", "x", 0.0, 5.0, 5.5, True, False]),
)
CODES = st.one_of(
    st.sampled_from(["USD", "CAD", "GBP", "EUR", "%"]),
    st.sampled_from(["usd", " cad ", "", " ", "Eur", "ß", "\x1cUSD", "US D", "ǆ"]),
)


def _money(amounts: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.builds(lambda a, c: {"amount": a, "code": c}, amounts, CODES)


MONEYS = st.one_of(
    _money(WIRE_DECIMALS),
    _money(st.one_of(ODD_DECIMALS, st.none())),
    st.builds(lambda m, v: {**m, "extra": v}, _money(WIRE_DECIMALS), st.integers()),
    st.sampled_from([{"amount": "1.00"}, {"code": "USD"}, "1.00 USD", [], 0]),
    st.just(Money.of("1.50", "USD")),  # what a Python caller may pass
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12), ODD_DECIMALS
)
WIRE_MONEY = st.builds(
    lambda a, c: {"amount": a, "code": c},
    st.decimals(min_value=-(10**6), max_value=10**6, places=2).map(str),
    st.sampled_from(["USD", "CAD", "GBP"]),
)
WIRE_IDS = st.one_of(st.just(0), st.integers(min_value=1, max_value=10**8))
NONE = st.none()
# (wire-shaped, hostile) values by the validator a field's type runs.
BY_VALIDATOR: dict[Any, tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]] = {
    _eastern: (st.one_of(WIRE_STAMPS, NONE), st.one_of(ODD_STAMPS, SCALARS)),
    _utc: (st.one_of(WIRE_STAMPS, NONE), st.one_of(ODD_STAMPS, SCALARS)),
    _flexible_date: (
        st.one_of(WIRE_DATES, NONE, st.sampled_from(["0000-00-00", ""])),
        st.one_of(ODD_DATES, WIRE_STAMPS, SCALARS),
    ),
    _decimal_or_none: (
        st.one_of(WIRE_DECIMALS, NONE, st.just(""), st.integers(min_value=0, max_value=100)),
        ODD_DECIMALS,
    ),
    _zero_is_none: (st.one_of(WIRE_IDS, NONE), st.one_of(IDS, SCALARS)),
}
ANY = st.one_of(SCALARS, st.lists(SCALARS, max_size=2))


def _values(
    model: type[BaseModel], name: str, depth: int
) -> tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]:
    """Wire-shaped and hostile values for one field, chosen by its type."""
    info = model.model_fields[name]
    for meta in info.metadata:
        function = getattr(meta, "func", None)
        if function in BY_VALIDATOR:
            return BY_VALIDATOR[function]
    inner = set(typing.get_args(info.annotation)) | {info.annotation}
    if Money in inner:
        return st.one_of(WIRE_MONEY, NONE), st.one_of(MONEYS, ANY)
    if list[Money] in inner:  # client balances: [{"amount": money}]
        balances = st.lists(WIRE_MONEY.map(lambda m: {"amount": m}), max_size=2)
        return st.one_of(balances, NONE), st.one_of(st.lists(MONEYS, max_size=2), ANY)
    if list[InvoiceLine] in inner:
        if depth > 0:
            return st.just([]), ANY
        good = st.lists(records(InvoiceLine, depth + 1, hostile=False), max_size=3)
        bad = st.lists(records(InvoiceLine, depth + 1), min_size=1, max_size=2)
        return st.one_of(good, NONE), st.one_of(bad, ANY)
    if Timer in inner:
        return st.one_of(NONE, records(Timer, depth + 1, hostile=False)), ANY
    if name == "id" and int in inner:
        return st.integers(min_value=1, max_value=10**9), st.one_of(IDS, NONE)
    if bool in inner:
        return st.booleans(), ANY
    if int in inner:
        return st.integers(min_value=0, max_value=10**6), ANY
    if str in inner:
        text = st.text(max_size=12)
        return (text if info.is_required() else st.one_of(text, NONE)), ANY
    return NONE if type(None) in inner else ANY, ANY


STRAY = st.dictionaries(st.sampled_from(["accountid", "uuid", "taskno"]), SCALARS, max_size=2)


@st.composite
def records(
    draw: st.DrawFn, model: type[BaseModel], depth: int = 0, hostile: bool = True
) -> dict[str, Any]:
    """A record of ``model``: fields wire-shaped, up to two of them hostile when ``hostile``;
    sometimes the id only as its legacy twin, and a stray key or two."""
    values = {name: _values(model, name, depth) for name in model.model_fields}
    required = {
        name: values[name][0] for name, info in model.model_fields.items() if info.is_required()
    }
    optional = {name: good for name, (good, _) in values.items() if name not in required}
    record: dict[str, Any] = draw(st.fixed_dictionaries(required, optional=optional))
    legacy = getattr(model, "legacy_id", None)
    if hostile:
        names = sorted(values)
        for name in draw(st.lists(st.sampled_from(names), max_size=2, unique=True)):
            record[name] = draw(values[name][1])
        if legacy and draw(st.booleans()):
            record[legacy] = draw(IDS)
            if draw(st.booleans()):
                record.pop("id", None)
    return {**draw(STRAY), **record}


# --- comparison ---------------------------------------------------------------------------


def same(a: Any, b: Any, where: str = "$") -> None:
    """``a`` and ``b`` equal, with the same types all the way down (zones included)."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, BaseModel):
        same(a.__dict__, b.__dict__, where)
        same(a.__pydantic_extra__, b.__pydantic_extra__, f"{where}.<extra>")
        assert a.__pydantic_fields_set__ == b.__pydantic_fields_set__, f"{where}: fields set"
    elif isinstance(a, dict):
        assert list(a) == list(b), f"{where}: keys"
        for key in a:
            same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), f"{where}: length"
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{index}]")
    elif isinstance(a, float | Decimal):  # repr tells NaN, -0.0 and exponents apart
        assert repr(a) == repr(b), f"{where}: {a!r} vs {b!r}"
    else:
        assert a == b, f"{where}: {a!r} vs {b!r}"
        assert repr(a) == repr(b), f"{where}: {a!r} vs {b!r}"
        if isinstance(a, datetime) and a.tzinfo is not None:
            assert type(a.tzinfo) is type(b.tzinfo), f"{where}: zone"
            assert a.tzinfo == b.tzinfo, f"{where}: zone"


def reference(model: type[BaseModel], data: Any) -> Any:
    """What the model's own validator makes of ``data``: a model, or what it raised."""
    try:
        return model.__pydantic_validator__.validate_python(data)
    except Exception as exc:  # compared below, whatever it is
        return exc


def same_outcome(got: Any, expected: Any) -> None:
    if isinstance(expected, Exception):
        assert isinstance(got, Exception), f"accepted what the reference refuses: {got!r}"
        assert type(got) is type(expected)
        assert str(got) == str(expected)
    else:
        assert not isinstance(got, Exception), f"refused what the reference accepts: {got}"
        same(got, expected)


MODELS = [
    Invoice,
    InvoiceLine,
    Expense,
    Payment,
    Client,
    TimeEntry,
    Estimate,
    Item,
    Tax,
    ExpenseCategory,
    StaffMember,
    TeamMember,
    Project,
]


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
@SETTINGS
@given(data=st.data())
def test_fast_validator_agrees_wherever_it_accepts(
    model: type[FBModel], data: st.DataObject
) -> None:
    record = data.draw(st.one_of(records(model), records(model), SCALARS))
    fast = _FAST.single(model)
    assert fast is not None
    try:
        got = fast.validate_python(record)
    except Exception:  # refusing is always allowed: the reference decides then
        return
    same_outcome(got, reference(model, record))


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
@SETTINGS
@given(data=st.data())
def test_model_validate_and_parse_records_match_the_reference(
    model: type[FBModel], data: st.DataObject
) -> None:
    rows = data.draw(st.lists(records(model), max_size=3))
    for row in rows:
        try:
            got: Any = model.model_validate(row)
        except Exception as exc:  # compared with the reference's
            got = exc
        same_outcome(got, reference(model, row))
    one_by_one: Any
    try:
        one_by_one = [parse_model(model, row, "record") for row in rows]
    except Exception as exc:  # a ResponseFormatError, or whatever the reference raised
        one_by_one = exc
    given: list[Any] = [rows]
    with contextlib.suppress(TypeError):  # a Decimal drawn as a value is not JSON
        given.append(json.dumps(rows).encode())  # reads back equal to rows
    for records_given in given:
        try:
            together: Any = parse_records(model, records_given, "record")
        except Exception as exc:  # compared with the one-by-one outcome
            together = exc
        same_outcome(together, one_by_one)


# --- the wire format takes the fast path --------------------------------------------------

NAIVE_STAMPS = MOMENTS.map(lambda d: d.replace(microsecond=0).isoformat(sep=" "))
Z_STAMPS = MOMENTS.map(lambda d: d.replace(microsecond=0).isoformat() + "Z")
WIRE_LINE = st.fixed_dictionaries(
    {
        "lineid": st.integers(min_value=1, max_value=10**8),
        "invoiceid": WIRE_IDS,
        "type": st.sampled_from([0, 1]),
        "name": st.text(max_size=30),
        "description": st.text(max_size=30),
        "qty": st.sampled_from(["1", "2", "0.5", "12.25"]),
        "unit_cost": WIRE_MONEY,
        "amount": WIRE_MONEY,
        "taxName1": st.sampled_from(["HST", "VAT", ""]),
        "taxAmount1": st.sampled_from(["13", "20", "0", ""]),
        "taxName2": st.none(),
        "taxAmount2": st.sampled_from(["0", None]),
        "taxNumber1": st.none(),
        "compounded_tax": st.booleans(),
        "expenseid": WIRE_IDS,
        "updated": NAIVE_STAMPS,
        "date": st.one_of(st.none(), WIRE_DATES),
        "modern_time_entries": st.just([]),
        "retainer_id": st.none(),
    }
)
WIRE_INVOICE = st.fixed_dictionaries(
    {
        "id": st.integers(min_value=1, max_value=10**8),
        "invoiceid": st.integers(min_value=1, max_value=10**8),
        "accountid": st.just("Ift5CJ"),
        "customerid": st.integers(min_value=1, max_value=10**8),
        "invoice_number": st.text(max_size=8),
        "create_date": WIRE_DATES,
        "created_at": NAIVE_STAMPS,
        "due_offset_days": st.integers(min_value=0, max_value=90),
        "due_date": WIRE_DATES,
        "date_paid": st.one_of(st.none(), WIRE_DATES),
        "updated": NAIVE_STAMPS,
        "currency_code": st.sampled_from(["USD", "CAD"]),
        "amount": WIRE_MONEY,
        "paid": WIRE_MONEY,
        "outstanding": WIRE_MONEY,
        "discount_value": st.sampled_from(["0", "5", "12.5"]),
        "discount_total": WIRE_MONEY,
        "status": st.integers(min_value=0, max_value=8),
        "v3_status": st.sampled_from(["draft", "paid"]),
        "estimateid": WIRE_IDS,
        "po_number": st.none(),
        "fname": st.text(max_size=10),
        "vis_state": st.sampled_from([0, 1, 2]),
        "lines": st.lists(WIRE_LINE, max_size=3),
    }
)
WIRE_EXPENSE = st.fixed_dictionaries(
    {
        "id": st.integers(min_value=1, max_value=10**8),
        "expenseid": st.integers(min_value=1, max_value=10**8),
        "amount": WIRE_MONEY,
        "categoryid": st.integers(min_value=1, max_value=10**8),
        "clientid": WIRE_IDS,
        "projectid": WIRE_IDS,
        "staffid": st.integers(min_value=1, max_value=10**8),
        "date": WIRE_DATES,
        "vendor": st.text(max_size=10),
        "taxName1": st.none(),
        "taxPercent1": st.sampled_from([None, "13", "5.5"]),
        "taxAmount1": st.one_of(st.none(), WIRE_MONEY),
        "markup_percent": st.just("0"),
        "status": st.integers(min_value=0, max_value=4),
        "billable": st.booleans(),
        "invoiceid": st.one_of(st.none(), WIRE_IDS),
        "updated": NAIVE_STAMPS,
        "vis_state": st.just(0),
        "bill_matches": st.just([]),
    }
)
WIRE_PAYMENT = st.fixed_dictionaries(
    {
        "id": st.integers(min_value=1, max_value=10**8),
        "logid": st.integers(min_value=1, max_value=10**8),
        "invoiceid": WIRE_IDS,
        "clientid": WIRE_IDS,
        "amount": WIRE_MONEY,
        "date": WIRE_DATES,
        "type": st.sampled_from(["PayPal", "Check", "Something New"]),
        "creditid": st.none(),
        "from_credit": st.booleans(),
        "updated": NAIVE_STAMPS,
        "vis_state": st.just(0),
    }
)
WIRE_CLIENT = st.fixed_dictionaries(
    {
        "id": st.integers(min_value=1, max_value=10**8),
        "userid": st.integers(min_value=1, max_value=10**8),
        "fname": st.text(max_size=10),
        "organization": st.text(max_size=10),
        "currency_code": st.just("USD"),
        "signup_date": NAIVE_STAMPS,
        "updated": NAIVE_STAMPS,
        "last_login": st.one_of(st.none(), NAIVE_STAMPS),
        "vis_state": st.just(0),
    }
)
WIRE_TIME_ENTRY = st.fixed_dictionaries(
    {
        "id": st.integers(min_value=1, max_value=10**8),
        "identity_id": WIRE_IDS,
        "client_id": st.one_of(st.none(), WIRE_IDS),
        "project_id": st.one_of(st.none(), WIRE_IDS),
        "service_id": st.one_of(st.none(), WIRE_IDS),
        "note": st.text(max_size=10),
        "billable": st.booleans(),
        "is_logged": st.booleans(),
        "started_at": Z_STAMPS,
        "created_at": Z_STAMPS,
        "local_started_at": st.just("2026-11-24T19:00:00"),
        "duration": st.integers(min_value=0, max_value=36000),
        "timer": st.one_of(st.none(), st.just({"id": 5, "is_running": True})),
    }
)
WIRE = [
    (Invoice, WIRE_INVOICE),
    (Expense, WIRE_EXPENSE),
    (Payment, WIRE_PAYMENT),
    (Client, WIRE_CLIENT),
    (TimeEntry, WIRE_TIME_ENTRY),
]


@pytest.mark.parametrize(("model", "wire"), WIRE, ids=[m.__name__ for m, _ in WIRE])
@SETTINGS
@given(data=st.data())
def test_wire_records_take_the_fast_path(
    model: type[FBModel], wire: st.SearchStrategy[dict[str, Any]], data: st.DataObject
) -> None:
    rows = data.draw(st.lists(wire, min_size=1, max_size=3))
    many, single = _FAST.many(model), _FAST.single(model)
    assert many is not None
    assert single is not None
    fast = many.validate_python(rows)  # raises if any wire record missed the fast path
    same(fast, [reference(model, row) for row in rows])
    same(single.validate_python(rows[0]), fast[0])


def test_wire_values_read_as_documented() -> None:
    invoice = Invoice.model_validate(
        {
            "id": 7,
            "estimateid": 0,
            "due_date": "0000-00-00",
            "updated": "2019-11-14 11:27:45",
            "created_at": "2022-08-16 14:11:07",
            "amount": {"amount": "7.60133524082021936099189318", "code": "CAD"},
            "discount_value": "",
            "lines": None,
            "sentid": 0,
        }
    )
    assert invoice.estimateid is None
    assert invoice.due_date is None  # "0000-00-00" is no date
    assert invoice.updated == datetime(2019, 11, 14, 16, 27, 45, tzinfo=UTC)  # EST
    assert invoice.created_at == datetime(2022, 8, 16, 18, 11, 7, tzinfo=UTC)  # EDT
    assert invoice.updated is not None
    assert invoice.updated.tzinfo is EASTERN
    assert invoice.amount == Money(amount=Decimal("7.60133524082021936099189318"), code="CAD")
    assert invoice.discount_value is None
    assert invoice.lines == []
    assert invoice.model_extra == {"sentid": 0}
    entry = TimeEntry.model_validate({"id": 1, "started_at": "2020-10-17T05:00:00Z"})
    assert entry.started_at == datetime(2020, 10, 17, 5, tzinfo=UTC)


def test_float_amounts_stay_exact_through_str() -> None:
    line = InvoiceLine.model_validate({"qty": 0.1, "unit_cost": {"amount": 0.1, "code": "usd"}})
    assert line.qty == Decimal("0.1")
    assert line.unit_cost == Money(amount=Decimal("0.1"), code="USD")


def test_a_missing_id_folds_from_its_twin_through_the_reference() -> None:
    assert Invoice.model_validate({"invoiceid": 12, "lines": []}).id == 12
    assert Payment.model_validate({"id": "", "logid": "34"}).id == 34


def test_equal_money_is_one_shared_frozen_instance() -> None:
    first = Invoice.model_validate({"id": 1, "amount": {"amount": "9.99", "code": "USD"}})
    second = Invoice.model_validate({"id": 2, "paid": {"amount": "9.99", "code": "USD"}})
    assert first.amount is second.paid  # shared: safe only because Money is frozen
    with pytest.raises(ValidationError):
        first.amount.amount = Decimal(0)  # type: ignore[misc, union-attr]  # the frozen write is the point


def test_parse_records_names_the_first_bad_record_like_parse_model() -> None:
    rows = [{"id": 1}, {"id": 2, "amount": {"amount": "abc", "code": "USD"}}, {"id": "x"}]
    with pytest.raises(ResponseFormatError) as together:
        parse_records(Expense, rows, "expense")
    with pytest.raises(ResponseFormatError) as alone:
        parse_model(Expense, rows[1], "expense")
    assert str(together.value) == str(alone.value)
    assert "amount.amount" in str(together.value)


@pytest.mark.parametrize(
    "text",
    [
        b'[{"id": 1, "id": 2, "x": 1, "y": 0, "x": 2}]',  # repeated keys: the last one counts
        b'[{"id": 1, "amount": {"amount": "1.00", "code": "USD", "amount": "2.00"}}]',
        b'[{"id": 1, "notes": "\\ud800", "vendor": "\\ud83d\\ude00"}]',  # lone surrogate
        b'[{"id": 1, "x": NaN, "y": -Infinity, "z": 1e400, "clientid": false, "projectid": 0.0}]',
        b'[{"id": 1, "x": 123456789012345678901234567890, "y": 0.1000000000000000055511151231257827}]',
        b'[{"id": 1, "taxPercent1": 7, "markup_percent": 2.5, "date": "2024-02-29T10:00:00"}]',
        '[{"id": 1, "vendor": "Café ☃", "notes": "\\u0000"}]',  # text, not bytes
        b'\xef\xbb\xbf[{"id": 1}]',  # a byte order mark, which json reads
        b' [ { "id" : 1 } ] ',
    ],
)
def test_parse_records_from_text_is_the_decoded_records_parsed(text: bytes | str) -> None:
    same(parse_records(Expense, text), [parse_model(Expense, r, "x") for r in json.loads(text)])


@pytest.mark.parametrize("text", [b"{", b'{"id": 1}', b"", "[1, 2"])
def test_parse_records_refuses_text_that_is_not_a_json_list(text: bytes | str) -> None:
    with pytest.raises(ResponseFormatError):
        parse_records(Expense, text, "expense")


def test_parse_records_reads_a_json_array() -> None:
    rows = [{"id": 1, "date": "2024-02-29"}, {"expenseid": 2, "clientid": 0}]
    parsed = parse_records(Expense, json.dumps(rows).encode())
    assert [(e.id, e.date, e.clientid) for e in parsed] == [
        (1, date(2024, 2, 29), None),
        (2, None, None),
    ]


def test_caches_are_bounded() -> None:
    from fbclient.models import _fast

    start = datetime(2000, 1, 1)
    rows = [
        {
            "id": n,
            "amount": {"amount": f"{n}.01", "code": "USD"},
            "updated": (start + timedelta(seconds=n)).isoformat(sep=" "),
        }
        for n in range(CACHE_SIZE + 50)
    ]
    parsed = parse_records(Payment, rows)
    last = CACHE_SIZE + 49
    assert parsed[-1].amount == Money.of(f"{last}.01", "USD")
    assert parsed[-1].updated == (start + timedelta(seconds=last)).replace(tzinfo=EASTERN)
    assert parsed[0].amount == Money.of("0.01", "USD")
    assert _fast._money.cache_info().maxsize == CACHE_SIZE
    assert _fast._money.cache_info().currsize <= CACHE_SIZE


def test_forgetting_the_shared_values_keeps_what_records_read() -> None:
    from fbclient.models import _fast

    rows = [
        {
            "id": n,
            "amount": {"amount": f"{n}.50", "code": "CAD"},
            "updated": f"2026-05-0{1 + n % 9} 10:00:00",
        }
        for n in range(40)
    ]
    before = parse_records(Payment, rows)
    assert _fast._money.cache_info().currsize > 0
    forget_parsed_values()
    assert all(cache.cache_info().currsize == 0 for cache in _fast._CACHES)
    assert len(_fast._CACHES) >= 4  # Money, dates, decimals, timestamps
    again = parse_records(Payment, rows)
    assert again == before
    assert again[3].amount is not before[3].amount  # shared again, from now on


def test_null_lists_read_as_empty_only_through_their_function() -> None:
    assert none_as_empty_list(None) == []
    assert Invoice.model_validate({"id": 1, "lines": None}).lines == []
    with pytest.raises(ValidationError):
        Invoice.model_validate({"id": 1, "lines": "x"})


# --- JSON decoding ------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**40), max_value=10**40),
        st.floats(),
        st.text(),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=15,
)
NUMBER_TEXT = st.from_regex(r"\A-?(0|[1-9][0-9]{0,30})(\.[0-9]{1,30})?([eE][+-]?[0-9]{1,3})?\Z")


def _decode_both(text: bytes | str) -> tuple[Any, Any]:
    results = []
    for decode in (loads, json.loads):
        try:
            results.append(decode(text))
        except ValueError:
            results.append(ValueError)
    return results[0], results[1]


@SETTINGS
@given(
    text=st.one_of(
        JSON_VALUES.map(json.dumps),
        JSON_VALUES.map(lambda v: json.dumps(v, ensure_ascii=False).encode()),
        NUMBER_TEXT,
        st.text(max_size=30),
        st.binary(max_size=30),
        st.sampled_from(['"\\ud800"', "[" * 300 + "]" * 300, "NaN", "-Infinity", "1" * 4301]),
    )
)
def test_loads_is_json_loads(text: bytes | str) -> None:
    ours, theirs = _decode_both(text)
    if theirs is ValueError:
        assert ours is ValueError
    else:
        same(ours, theirs)


@pytest.mark.parametrize(
    "text",
    [
        b'{"id": 123456789012345678901}',  # beyond 64 bits: orjson would make it a float
        b"[-9999999999999999999, 1]",
        b'{"note": "card 1234567890123456789", "id": 1}',  # a long run in a string
        b'{"id": 18446744073709551615, "n": -9223372036854775808}',  # the 64-bit edges
        bytearray(b'[{"a": 1.5, "b": "\xc3\xa9"}]'),
    ],
)
def test_loads_keeps_every_integer_exact(text: bytes | bytearray) -> None:
    same(loads(text), json.loads(text))
