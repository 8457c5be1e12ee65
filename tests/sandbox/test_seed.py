"""The deterministic demo-data generator: shapes, integrity, money, realism and size."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sandbox.seed import SIZES, BusinessData, DemoData, generate
from sandbox.seed.money import invoice_totals, rounding_exact

TODAY = dt.date(2025, 11, 25)
MONEY = re.compile(r"^-?\d+\.\d{2}$")
EASTERN = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
ISO_NAIVE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")
ACCOUNTING = ("clients", "invoices", "payments", "expenses", "expense_categories", "staff",
              "items", "taxes", "estimates")  # fmt: skip
ALL_KINDS = (*ACCOUNTING, "projects", "time_entries", "services")
LEGACY_ID = {"clients": "userid", "invoices": "invoiceid", "payments": "logid",
             "expenses": "expenseid", "expense_categories": "categoryid", "staff": "userid",
             "items": "itemid", "taxes": "taxid", "estimates": "estimateid"}  # fmt: skip


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate(7, "small", TODAY)


@pytest.fixture(scope="module")
def studio(demo: DemoData) -> BusinessData:
    return demo.businesses[0]


def businesses(demo: DemoData) -> Iterator[BusinessData]:
    yield from demo.businesses


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def amount(money: dict[str, str]) -> Decimal:
    return Decimal(money["amount"])


def walk(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    """Every (key, value) pair in nested dicts and lists."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k, v
            yield from walk(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item, key)


# -- determinism and size -----------------------------------------------------------------------
def test_same_arguments_give_identical_data(demo: DemoData) -> None:
    assert generate(7, "small", TODAY) == demo


def test_a_different_seed_gives_different_books(demo: DemoData) -> None:
    other = generate(8, "small", TODAY)
    assert other.user["business_memberships"] != demo.user["business_memberships"]
    assert other.businesses[0].invoices != demo.businesses[0].invoices
    assert other.businesses[0].time_entries != demo.businesses[0].time_entries


def test_history_is_anchored_on_today(demo: DemoData) -> None:
    later = generate(7, "small", TODAY + dt.timedelta(days=100))
    first = min(day(i["create_date"]) for i in later.businesses[0].invoices)
    assert first > min(day(i["create_date"]) for i in demo.businesses[0].invoices)
    assert max(day(i["create_date"]) for i in later.businesses[0].invoices) > TODAY


def test_without_a_day_each_business_is_anchored_on_its_own_today() -> None:
    # 21:30 in New York and Toronto on 31 March is already 1 April in UTC: the books are
    # anchored on the businesses' day, so nothing is dated after it.
    evening = dt.datetime(2027, 3, 31, 21, 30, tzinfo=ZoneInfo("America/New_York"))
    with time_machine.travel(evening, tick=False):
        anchored = generate(7, "small")
    assert anchored == generate(7, "small", dt.date(2027, 3, 31))
    for business in anchored.businesses:
        assert evening.astimezone(ZoneInfo(business.timezone)).date() == dt.date(2027, 3, 31)
        for kind in ("invoices", "payments", "expenses"):
            dates = [day(r.get("create_date") or r["date"]) for r in getattr(business, kind)]
            assert max(dates) <= dt.date(2027, 3, 31), (business.name, kind)


@pytest.mark.parametrize(
    ("index", "kind", "low", "high"),
    [
        (0, "clients", 12, 14), (0, "invoices", 130, 240), (0, "payments", 120, 260),
        (0, "expenses", 300, 300), (0, "time_entries", 600, 600), (0, "projects", 10, 60),
        (0, "estimates", 5, 40), (0, "team_members", 4, 6), (0, "lines", 200, 600),
        (1, "clients", 5, 5), (1, "invoices", 35, 100), (1, "expenses", 70, 90),
        (1, "time_entries", 150, 150),
    ],
)  # fmt: skip
def test_small_counts(demo: DemoData, index: int, kind: str, low: int, high: int) -> None:
    assert low <= demo.businesses[index].counts()[kind] <= high


def test_medium_is_about_a_tenth_of_large() -> None:
    medium = generate(7, "medium", TODAY)
    totals = Counter()
    for business in medium.businesses:
        totals.update(business.counts())
    assert 800 <= totals["invoices"] <= 1400
    assert totals["expenses"] == 2000
    assert totals["time_entries"] == 5000
    assert 45 <= totals["clients"] <= 60
    for business in medium.businesses:  # bigger books exercise the discount and tax edge cases
        for document in (*business.invoices, *business.estimates):
            assert rounding_exact(document["lines"], document["discount_value"])
    large_targets = Counter()
    for scale in SIZES["large"].values():
        large_targets.update({"invoices": scale.invoices, "time_entries": scale.time_entries})
    assert large_targets["invoices"] == 10_000
    assert large_targets["time_entries"] == 50_000


def test_unknown_size_is_refused() -> None:
    with pytest.raises(ValueError, match="size"):
        generate(7, "huge", TODAY)  # type: ignore[arg-type]  # an unknown size on purpose


# -- identity -------------------------------------------------------------------------------------
def test_identity_has_two_businesses_with_books(demo: DemoData) -> None:
    user = demo.user
    assert user["id"] == user["identity_id"]
    memberships = user["business_memberships"]
    by_id = {m["business"]["id"]: m for m in memberships}
    assert len(demo.businesses) >= 2
    for business in demo.businesses:
        membership = by_id[business.business_id]
        assert membership["role"] == "owner"
        assert membership["business"]["account_id"] == business.account_id
        assert membership["business"]["business_uuid"] == business.business_uuid
        assert membership["business"]["timezone"] == business.timezone
    assert len({b.account_id for b in demo.businesses}) == len(demo.businesses)
    assert len({b.business_id for b in demo.businesses}) == len(demo.businesses)
    assert len({b.currency_code for b in demo.businesses}) == len(demo.businesses)


def test_memberships_cover_the_edge_cases(demo: DemoData) -> None:
    memberships = demo.user["business_memberships"]
    business_ids = {m["business"]["id"] for m in memberships}
    assert all(m["id"] not in business_ids for m in memberships)
    assert len({m["id"] for m in memberships}) == len(memberships)
    assert any(m["business"]["account_id"] is None for m in memberships)
    assert any(m["role"] != "owner" for m in memberships)
    for m in memberships:
        account = m["business"]["account_id"]
        assert account is None or re.fullmatch(r"[A-Za-z][A-Za-z0-9]{5}", account)
        assert m["unacknowledged_change"] is False
        assert m["business"]["active"] is True
        assert set(m["business"]["address"]) >= {"street", "city", "province", "country"}
    accounts = {m["business"]["account_id"] for m in memberships} - {None}
    assert set(demo.user["permissions"]) == accounts
    assert {r["accountid"] for r in demo.user["roles"]} == accounts


def test_lookup_by_account_and_business_id(demo: DemoData, studio: BusinessData) -> None:
    assert demo.by_account_id(studio.account_id) is studio
    assert demo.by_business_id(studio.business_id) is studio
    assert demo.by_account_id("nope00") is None


# -- ids and integrity ----------------------------------------------------------------------------
def test_ids_are_unique_and_never_shared_between_businesses(demo: DemoData) -> None:
    seen: dict[int, tuple[int, str]] = {}
    for business in demo.businesses:
        ids = [(kind, r["id"]) for kind in ALL_KINDS for r in getattr(business, kind)]
        ids += [("lines", line["lineid"]) for i in business.invoices for line in i["lines"]]
        ids += [("lines", line["lineid"]) for e in business.estimates for line in e["lines"]]
        for kind, key in ids:
            assert isinstance(key, int)
            assert key not in seen, (kind, key, seen.get(key))
            seen[key] = (business.business_id, kind)


@pytest.mark.parametrize("kind", ACCOUNTING)
def test_accounting_records_carry_both_id_keys(studio: BusinessData, kind: str) -> None:
    for record in getattr(studio, kind):
        assert record["id"] == record[LEGACY_ID[kind]]


def test_references_resolve(demo: DemoData) -> None:
    for b in demo.businesses:
        clients = {c["id"]: c for c in b.clients}
        projects = {p["id"]: p for p in b.projects}
        services = {s["id"] for s in b.services}
        staff = {s["id"] for s in b.staff}
        categories = {c["id"] for c in b.expense_categories}
        for invoice in b.invoices:
            assert invoice["customerid"] in clients
            assert invoice["currency_code"] == clients[invoice["customerid"]]["currency_code"]
            for line in invoice["lines"]:
                assert line["invoiceid"] == invoice["id"]
                assert line["modern_project_id"] in (None, *projects)
        for expense in b.expenses:
            assert expense["categoryid"] in categories
            assert expense["staffid"] in staff
            assert expense["clientid"] == 0 or expense["clientid"] in clients
        for entry in b.time_entries:
            assert entry["project_id"] in projects
            assert entry["service_id"] in services
            assert entry["client_id"] == projects[entry["project_id"]]["client_id"]
        for project in b.projects:
            assert project["client_id"] is None or project["client_id"] in clients
            assert {s["id"] for s in project["services"]} <= services
        for category in b.expense_categories:
            assert category["parentid"] is None or category["parentid"] in categories
        assert {r["service_id"] for r in b.service_rates} <= services
        assert all(e["customerid"] in clients for e in b.estimates)


def test_payments_match_their_invoice_and_never_overpay(demo: DemoData) -> None:
    for b in demo.businesses:
        invoices = {i["id"]: i for i in b.invoices}
        paid: Counter[int] = Counter()
        for payment in b.payments:
            invoice = invoices[payment["invoiceid"]]
            assert payment["clientid"] == invoice["customerid"]
            assert payment["amount"]["code"] == invoice["currency_code"]
            assert day(payment["date"]) >= day(invoice["create_date"])
            assert amount(payment["amount"]) > 0
            paid[invoice["id"]] += amount(payment["amount"])
        for invoice in b.invoices:
            total = invoice_totals(invoice["lines"], invoice["discount_value"])[3]
            assert paid[invoice["id"]] <= total
            assert amount(invoice["amount"]) == total
            if invoice["status"] == 1:
                assert paid[invoice["id"]] == 0


def test_expense_status_follows_its_invoice(demo: DemoData) -> None:
    for b in demo.businesses:
        invoices = {i["id"]: i for i in b.invoices}
        for expense in b.expenses:
            status = expense["status"]
            assert status in (0, 1, 2, 4)
            assert (expense["clientid"] != 0) == (status != 0)
            if status in (2, 4):
                invoice = invoices[expense["invoiceid"]]
                assert expense["id"] in {line["expenseid"] for line in invoice["lines"]}
                assert (invoice["v3_status"] == "paid") == (status == 4)
            else:
                assert expense["invoiceid"] is None


# -- money and formats ----------------------------------------------------------------------------
def test_invoice_totals_worked_example() -> None:
    lines = [
        {"qty": "4", "unit_cost": {"amount": "5.00", "code": "CAD"}, "taxAmount1": "13"},
        {"qty": "6", "unit_cost": {"amount": "4.00", "code": "CAD"}, "taxAmount1": "0"},
    ]
    assert invoice_totals(lines, "10") == (
        Decimal("44.00"),
        Decimal("-4.40"),
        Decimal("2.34"),
        Decimal("41.94"),
    )
    assert invoice_totals([], None) == (Decimal(0), Decimal(0), Decimal(0), Decimal(0))


def test_invoice_totals_round_half_up_per_line() -> None:
    line = {"qty": "1", "unit_cost": {"amount": "10.00", "code": "USD"}, "taxAmount1": "8.875"}
    # 0.8875 rounds up to 0.89 on each line, so two lines carry 1.78 of tax, not 1.77.
    assert invoice_totals([line, line], "0")[2] == Decimal("1.78")
    assert invoice_totals([{**line, "qty": Decimal("2.5")}], None)[3] == Decimal("27.22")


def test_money_objects_are_two_decimal_strings(demo: DemoData) -> None:
    count = 0
    for b in demo.businesses:
        for kind in ALL_KINDS:
            for key, value in walk(getattr(b, kind)):
                if isinstance(value, dict) and set(value) == {"amount", "code"}:
                    assert isinstance(value["amount"], str), key
                    assert MONEY.match(value["amount"]), (key, value)
                    assert re.fullmatch(r"[A-Z]{3}", value["code"])
                    count += 1
                assert not isinstance(value, float), key
    assert count > 1000


def test_seeded_documents_need_no_rounding(demo: DemoData) -> None:
    """Totals are the same whether a server rounds tax per line or once per invoice."""
    for b in demo.businesses:
        for document in (*b.invoices, *b.estimates):
            assert rounding_exact(document["lines"], document["discount_value"])


def test_line_amounts_and_taxes_match_the_tax_list(demo: DemoData) -> None:
    for b in demo.businesses:
        taxes = {t["name"]: t["amount"] for t in b.taxes}
        for invoice in b.invoices:
            for line in invoice["lines"]:
                assert isinstance(line["qty"], str)
                qty, unit = Decimal(line["qty"]), amount(line["unit_cost"])
                assert amount(line["amount"]) == (qty * unit).quantize(Decimal("0.01"))
                assert line["unit_cost"]["code"] == invoice["currency_code"]
                if line["taxName1"]:
                    assert taxes[line["taxName1"]] == line["taxAmount1"]


def test_timestamp_formats(studio: BusinessData) -> None:
    for kind in ("clients", "invoices", "payments", "expenses", "items", "taxes"):
        assert all(EASTERN.match(r["updated"]) for r in getattr(studio, kind))
    assert all(EASTERN.match(c["signup_date"]) for c in studio.clients)
    for project in studio.projects:
        assert ISO_NAIVE.match(project["created_at"])
        assert ISO_NAIVE.match(project["updated_at"])
    for entry in studio.time_entries:
        assert ISO_Z.match(entry["started_at"])
        assert ISO_Z.match(entry["created_at"])
    assert all(ISO_Z.match(m["created_at"]) for m in studio.team_members)


def test_nothing_happens_after_today(demo: DemoData) -> None:
    """Events are dated up to today; only due dates may lie ahead."""
    limit = TODAY.isoformat()
    for b in demo.businesses:
        for kind in ACCOUNTING:
            for key, value in walk(getattr(b, kind)):
                if key in ("date", "create_date", "updated", "created_at", "signup_date",
                           "date_paid", "last_login") and value:  # fmt: skip
                    assert value[:10] <= limit, (kind, key, value)
        for entry in b.time_entries:
            assert entry["local_started_at"][:10] < limit
            assert entry["created_at"][:10] <= limit
        for project in b.projects:
            assert project["created_at"][:10] <= limit
            assert project["updated_at"][:10] <= limit


def test_invoice_fields(demo: DemoData) -> None:
    for b in demo.businesses:
        numbers = [i["invoice_number"] for i in b.invoices]
        assert numbers == [f"{n:04d}" for n in range(1, len(numbers) + 1)]
        dates = [i["create_date"] for i in b.invoices]
        assert dates == sorted(dates)
        for invoice in b.invoices:
            offset = invoice["due_offset_days"]
            assert offset in (0, 15, 30, 45)
            assert day(invoice["due_date"]) == day(invoice["create_date"]) + dt.timedelta(offset)
            assert invoice["status"] in (1, 2, 3)
            assert Decimal(invoice["discount_value"]) >= 0
            assert invoice["lines"]


def test_projects_and_time_entries_shape(studio: BusinessData) -> None:
    for project in studio.projects:
        assert project["project_type"] in ("fixed_price", "hourly_rate")
        assert project["billing_method"] in (
            "business_rate", "project_rate", "service_rate", "team_member_rate"
        )  # fmt: skip
        assert project["budget"] is None or isinstance(project["budget"], int)
        assert project["billed_status"] in ("billed", "partially_billed", "unbilled")
        assert project["sample"] is False
    logged = Counter()
    for entry in studio.time_entries:
        assert 900 <= entry["duration"] <= 14400
        assert entry["duration"] % 900 == 0
        assert entry["is_logged"] is True
        assert entry["timer"] is None
        assert not entry["billed"] or entry["billable"]
        logged[entry["project_id"]] += entry["duration"]
    for project in studio.projects:
        assert project["logged_duration"] == logged[project["id"]]


def test_team_members(demo: DemoData) -> None:
    for b in demo.businesses:
        members = b.team_members
        assert any(m["business_role_name"] == "owner" for m in members)
        assert any(m["identity_id"] is None for m in members)
        assert any(not m["active"] for m in members)
        identities = {m["identity_id"] for m in members} - {None}
        assert demo.user["identity_id"] in identities
        assert {e["identity_id"] for e in b.time_entries} <= identities
    studio = demo.businesses[0]
    assert 4 <= len(studio.team_members) <= 6


# -- realism --------------------------------------------------------------------------------------
def receivables(b: BusinessData, today: dt.date) -> dict[str, int]:
    counts: Counter[str] = Counter()
    paid: Counter[int] = Counter()
    for payment in b.payments:
        paid[payment["invoiceid"]] += amount(payment["amount"])
    for invoice in b.invoices:
        total = amount(invoice["amount"])
        if invoice["status"] == 1:
            counts["draft"] += 1
        elif paid[invoice["id"]] < total and day(invoice["due_date"]) < today:
            counts["overdue"] += 1
        if 0 < paid[invoice["id"]] < total:
            counts["partial"] += 1
    return counts


def unbilled_recently(b: BusinessData, today: dt.date) -> int:
    since = (today - dt.timedelta(weeks=4)).isoformat()
    return sum(
        1
        for e in b.time_entries
        if e["billable"] and not e["billed"] and e["local_started_at"] >= since
    )


@pytest.mark.parametrize(
    ("seed", "today"),
    [(7, TODAY), (1, dt.date(2024, 3, 9)), (42, dt.date(2025, 1, 1)), (99, dt.date(2025, 6, 30))],
)
def test_the_books_tell_a_story(seed: int, today: dt.date) -> None:
    studio = generate(seed, "small", today).businesses[0]
    counts = receivables(studio, today)
    assert counts["overdue"] >= 2
    assert counts["partial"] >= 1
    assert counts["draft"] >= 2
    assert unbilled_recently(studio, today) >= 3


def test_old_billable_time_is_billed_and_recent_time_is_not(studio: BusinessData) -> None:
    cutoff = (TODAY - dt.timedelta(days=70)).isoformat()
    old = [e for e in studio.time_entries if e["billable"] and e["local_started_at"] < cutoff]
    assert old
    assert all(e["billed"] for e in old)
    assert any(not e["billable"] for e in studio.time_entries)


def test_late_payers_and_top_clients(studio: BusinessData) -> None:
    invoices = {i["id"]: i for i in studio.invoices}
    late = Counter()
    for payment in studio.payments:
        invoice = invoices[payment["invoiceid"]]
        if day(payment["date"]) > day(invoice["due_date"]) + dt.timedelta(days=14):
            late[invoice["customerid"]] += 1
    assert sum(late.values()) >= 10
    assert len(late) < len(studio.clients)  # lateness belongs to some clients, not all
    revenue = Counter()
    for invoice in studio.invoices:
        if invoice["currency_code"] == studio.currency_code:
            revenue[invoice["customerid"]] += amount(invoice["amount"])
    top = sum(v for _, v in revenue.most_common(3))
    assert top > Decimal("0.6") * sum(revenue.values())


def test_several_currencies_and_some_foreign_expenses(studio: BusinessData) -> None:
    assert {c["currency_code"] for c in studio.clients} == {"USD", "CAD", "EUR", "GBP"}
    foreign = [e for e in studio.expenses if e["amount"]["code"] != studio.currency_code]
    assert 0 < len(foreign) < len(studio.expenses) / 5


def test_archived_records_exist(demo: DemoData) -> None:
    studio = demo.businesses[0]
    assert 1 <= sum(c["vis_state"] == 2 for c in studio.clients) <= 3
    states = Counter(r.get("vis_state") for kind in ACCOUNTING for r in getattr(studio, kind))
    assert states[2] >= 4
    assert set(states) <= {0, 2, None}  # nothing deleted; taxes carry no vis_state
    assert any(not p["active"] for b in demo.businesses for p in b.projects)


def test_expenses_look_like_a_studio(studio: BusinessData) -> None:
    vendors = Counter(e["vendor"] for e in studio.expenses)
    assert {"Adobe", "Figma", "WeWork"} <= set(vendors)
    assert vendors["Adobe"] >= 30  # a monthly subscription over three years
    categories = {c["id"]: c for c in studio.expense_categories}
    assert any(c["parentid"] for c in categories.values())
    used = {e["categoryid"] for e in studio.expenses}
    assert all(c["transaction_posted"] == (c["id"] in used) for c in categories.values())
    assert any(e["status"] == 4 for e in studio.expenses)
    weekdays = sum(day(e["date"]).weekday() < 5 for e in studio.expenses)
    assert weekdays > 0.7 * len(studio.expenses)


def test_estimates_cover_every_status(demo: DemoData) -> None:
    studio = demo.businesses[0]
    assert {e["status"] for e in studio.estimates} == {1, 2, 3, 5, 6}
    numbers = [e["estimate_number"] for e in studio.estimates]
    assert numbers == [f"{n:04d}" for n in range(1, len(numbers) + 1)]
    quoted = {i["estimateid"] for i in studio.invoices} - {0}
    invoiced = {e["id"] for e in studio.estimates if e["status"] == 6}
    assert quoted == invoiced


def test_work_follows_the_seasons(studio: BusinessData) -> None:
    hours = Counter()
    for entry in studio.time_entries:
        hours[int(entry["local_started_at"][5:7])] += entry["duration"]
    assert hours[10] > hours[8] * 1.3  # October is busy, August is vacation
    weekdays = sum(day(e["local_started_at"]).weekday() < 5 for e in studio.time_entries)
    assert weekdays > 0.9 * len(studio.time_entries)


def test_expense_tax_is_the_included_share(demo: DemoData) -> None:
    taxed = 0
    for b in demo.businesses:
        rates = {t["name"]: Decimal(t["amount"]) for t in b.taxes}
        for expense in b.expenses:
            if expense["taxName1"]:
                rate, total = rates[expense["taxName1"]], amount(expense["amount"])
                assert Decimal(expense["taxPercent1"]) == rate
                share = (total * rate / (100 + rate)).quantize(Decimal("0.01"))
                assert amount(expense["taxAmount1"]) == share
                taxed += 1
    assert taxed > 20
