"""Raw lists (records as FreshBooks sent them) and the write events the resources announce."""

from __future__ import annotations

import pytest
import respx

from fbclient._json import loads
from fbclient.errors import APIError, ResponseFormatError, ServerError
from fbclient.events import RecordWritten
from fbclient.raw import RawList, fetch_raw

from ..support.constants import ACCOUNT_ID, API, BUSINESS_ID

CLIENTS = f"/accounting/account/{ACCOUNT_ID}/users/clients"
ENTRIES = f"/timetracking/business/{BUSINESS_ID}/time_entries"
TEAM = f"/auth/api/v1/businesses/{BUSINESS_ID}/team_members"
FIELDS = ("id", "userid", "vis_state", "active")  # read from records kept as texts


def accounting_page(page: int, pages: int) -> dict:
    rows = [{"id": page * 10 + i, "note": "kept as sent", "odd_field": [1, 2]} for i in range(2)]
    return {
        "response": {
            "result": {"clients": rows, "page": page, "pages": pages, "per_page": 2, "total": 4}
        }
    }


def test_accounting_pages_come_back_in_order_with_every_key(httpx2_mock, fb):
    def answer(request):
        page = int(request.url.params["page"])
        assert request.url.params["search[updated_min]"] == "2026-11-25"
        assert request.url.params["include[]"] == "lines"
        return respx.MockResponse(200, json=accounting_page(page, 2))

    httpx2_mock.get(f"{API}{CLIENTS}").mock(side_effect=answer)
    seen = []
    found = fetch_raw(
        fb.http,
        RawList(CLIENTS, "accounting", "clients"),
        {"updated_min": "2026-11-25"},
        include=("lines",),
        on_page=lambda page: seen.append(page.page),
    )
    assert [r["id"] for r in found] == [10, 11, 20, 21]
    assert found.items[0]["odd_field"] == [1, 2]  # unknown keys are kept untouched
    assert sorted(seen) == [1, 2]
    assert found.total == 4
    assert not found.truncated


def test_convert_runs_per_page(httpx2_mock, fb):
    httpx2_mock.get(f"{API}{ENTRIES}").mock(
        return_value=respx.MockResponse(
            200,
            json={
                "time_entries": [{"id": 1}, {"id": 2}],
                "meta": {"page": 1, "pages": 1, "per_page": 100, "total": 2},
            },
        )
    )
    found = fetch_raw(
        fb.http,
        RawList(ENTRIES, "bare", "time_entries"),
        {"team": True},
        convert=lambda rows: [str(r["id"]) for r in rows],
    )
    assert found.items == ["1", "2"]
    assert httpx2_mock.calls.last.request.url.params["team"] == "true"


def test_team_members_live_under_response_and_meta_without_pages(httpx2_mock, fb):
    httpx2_mock.get(f"{API}{TEAM}").mock(
        return_value=respx.MockResponse(
            200,
            json={
                "response": [{"uuid": "a"}, {"uuid": "b"}],
                "meta": {"total": 2, "per_page": 100},
            },
        )
    )
    found = fetch_raw(fb.http, RawList(TEAM, "response", "team members"))
    assert [r["uuid"] for r in found] == ["a", "b"]


@pytest.mark.parametrize(
    "body",
    [
        {"response": {}},
        {"response": {"result": {"clients": "nope"}}},
        {"response": {"result": {"clients": [1, 2]}}},
        [],
        {"response": {"result": {"clients": [], "pages": "many"}}},
    ],
)
@pytest.mark.parametrize("texts", [None, FIELDS])
def test_malformed_lists_are_a_clear_error(httpx2_mock, fb, body, texts):
    # The same error whether the records come decoded or as their texts.
    httpx2_mock.get(f"{API}{CLIENTS}").mock(return_value=respx.MockResponse(200, json=body))
    with pytest.raises(ResponseFormatError):
        fetch_raw(fb.http, RawList(CLIENTS, "accounting", "clients"), texts=texts)


@pytest.mark.httpx2(assert_all_called=False)
def test_observers_hear_successful_writes_only(httpx2_mock, fb, books):
    heard = []
    fb.http.observe_writes(heard.append)
    fb.http.observe_writes(lambda _event: 1 / 0)  # a broken observer never breaks the write
    httpx2_mock.get(f"{API}{CLIENTS}/1").mock(
        return_value=respx.MockResponse(200, json={"response": {"result": {"client": {"id": 1}}}})
    )
    httpx2_mock.put(f"{API}{CLIENTS}/1").mock(
        return_value=respx.MockResponse(200, json={"response": {"result": {"client": {"id": 1}}}})
    )
    httpx2_mock.delete(f"{API}{ENTRIES}/5").mock(return_value=respx.MockResponse(204))
    httpx2_mock.post(f"{API}{ENTRIES}").mock(return_value=respx.MockResponse(503))
    books.clients.get(1)
    books.clients.update(1, {"fname": "A"})
    books.time_entries.delete(5)
    with pytest.raises(ServerError):
        books.time_entries.create(
            {"is_logged": True, "started_at": "2026-01-05T10:00:00Z", "duration": 60}
        )
    assert heard == [
        RecordWritten("clients", ACCOUNT_ID, BUSINESS_ID, "1", {"id": 1}),
        RecordWritten("time_entries", ACCOUNT_ID, BUSINESS_ID, "5", None, deleted=True),
    ]


TEXT_CASES = [
    (
        RawList(CLIENTS, "accounting", "clients"),
        {
            "response": {
                "result": {
                    "clients": [
                        {"id": 1, "vis_state": 1, "note": "é \u2603", "lines": [{"a": 1.5}]},
                        {"userid": 2, "big": 123456789012345678901234, "nothing": None},
                    ],
                    "page": 1,
                    "pages": 1,
                    "per_page": 100,
                    "total": 2,
                }
            }
        },
    ),
    (
        RawList(ENTRIES, "bare", "time_entries"),
        {"time_entries": [{"id": 7, "active": False}], "meta": {"page": 1, "pages": 1}},
    ),
    (RawList(TEAM, "response", "team members"), {"response": [{"id": "u-1"}], "meta": None}),
]


@pytest.mark.parametrize(("spec", "body"), TEXT_CASES)
def test_records_as_texts_hold_what_the_decoded_records_hold(httpx2_mock, fb, spec, body):
    httpx2_mock.get(f"{API}{spec.path}").mock(return_value=respx.MockResponse(200, json=body))
    decoded = fetch_raw(fb.http, spec)
    texts = fetch_raw(fb.http, spec, texts=FIELDS)
    assert [loads(r.text) for r in texts] == list(decoded)
    assert [r.fields for r in texts] == [
        {k: record[k] for k in FIELDS if k in record} for record in decoded
    ]
    assert (texts.total, texts.truncated) == (decoded.total, decoded.truncated)


@pytest.mark.parametrize(
    ("content", "fields"),
    [
        # Texts msgspec does not read but json does: the answer is decoded whole instead.
        (b'{"time_entries":[{"id":1,"x":NaN}],"meta":{"total":1}}', {"id": 1}),
        (b'{"time_entries":[{"id":2,"x":"\\ud800"}],"meta":{"total":1}}', {"id": 2}),
        # The same key twice: the last one counts, as for json.
        (b'{"time_entries":[{"id":3,"active":true,"active":false}]}', {"id": 3, "active": False}),
    ],
)
def test_unusual_texts_still_give_their_records(httpx2_mock, fb, content, fields):
    httpx2_mock.get(f"{API}{ENTRIES}").mock(return_value=respx.MockResponse(200, content=content))
    found = fetch_raw(fb.http, RawList(ENTRIES, "bare", "time_entries"), texts=FIELDS)
    assert [r.fields for r in found] == [fields]
    assert loads(found.items[0].text)["id"] == fields["id"]


def test_an_error_beside_the_rows_is_raised_as_texts_too(httpx2_mock, fb):
    body = {
        "time_entries": [],
        "response": {"errors": [{"message": "Not allowed", "errno": 1003}]},
    }
    httpx2_mock.get(f"{API}{ENTRIES}").mock(return_value=respx.MockResponse(200, json=body))
    with pytest.raises(APIError, match="Not allowed"):
        fetch_raw(fb.http, RawList(ENTRIES, "bare", "time_entries"), texts=FIELDS)
