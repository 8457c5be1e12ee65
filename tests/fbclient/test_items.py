"""Items resource: decimal quantities, money unit cost, tax ids with 0 as none."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from fbclient import Money
from fbclient.models.items import ItemInput

from ..support.accounting_wire import ACCOUNTING, empty, paged, result, sent_json

BASE = f"{ACCOUNTING}/items/items"

ITEM = {
    "id": 4331,
    "itemid": 4331,
    "name": "A Cheap Item",
    "description": "It's cheap",
    "qty": "100",
    "inventory": None,
    "sku": "SQ1234",
    "tax1": 7840,
    "tax2": 0,
    "unit_cost": {"amount": "1.00", "code": "CAD"},
    "updated": "2021-06-13 10:45:20",
    "vis_state": 0,
}


def test_get_parses(httpx2_mock, books):
    httpx2_mock.get(f"{BASE}/4331").respond(json=result(item=ITEM))
    item = books.items.get(4331)
    assert (item.id, item.qty, item.inventory) == (4331, Decimal("100"), None)
    assert item.unit_cost == Money.of("1.00", "CAD")
    assert (item.tax1, item.tax2) == (7840, None)
    assert item.updated == datetime(2021, 6, 13, 14, 45, 20, tzinfo=UTC)


def test_list_pages_in_order(httpx2_mock, books):
    pages = [[{**ITEM, "id": n, "itemid": n, "inventory": "2.5"}] for n in (1, 2, 3)]
    httpx2_mock.get(BASE).mock(side_effect=paged("items", pages, per_page=1))
    items = books.items.list()
    assert [i.id for i in items] == [1, 2, 3]
    assert items.total == 3
    assert items[0].inventory == Decimal("2.5")


def test_empty_list(httpx2_mock, books):
    httpx2_mock.get(BASE).respond(json=empty("items"))
    assert books.items.list().total == 0


def test_create_envelope(httpx2_mock, books):
    route = httpx2_mock.post(BASE).respond(json=result(item=ITEM))
    books.items.create(
        ItemInput(
            name="A Cheap Item", qty=Decimal("100"), unit_cost=Money.of("1.00", "CAD"), tax1=7840
        )
    )
    assert sent_json(route) == {
        "item": {
            "name": "A Cheap Item",
            "qty": "100",
            "unit_cost": {"amount": "1.00", "code": "CAD"},
            "tax1": 7840,
        }
    }


def test_delete_is_vis_state(httpx2_mock, books):
    route = httpx2_mock.put(f"{BASE}/4331").respond(json=result(item={**ITEM, "vis_state": 1}))
    assert books.items.delete(4331).vis_state == 1
    assert sent_json(route) == {"item": {"vis_state": 1}}
