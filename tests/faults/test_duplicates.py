"""A create whose answer never comes is never silently made twice.

Through the agent loop with a scripted model and every create tool, on the sandbox behind the
faulty transport:

- the write happened but its answer was lost (a 504 after the write, a read timeout): the app
  finds the record, tells the user it may already exist, offers no retry, audits "unconfirmed",
  and exactly one record exists;
- the write never reached FreshBooks (connect timeout, refused, a 500 before processing): the
  app finds nothing, says so, and a second Confirm makes exactly one record;
- the look-up fails too: the user is told to check first (audited "unconfirmed");
- the write succeeded but re-reading it failed: reported done, with its id.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from agent.loop import ApprovalNeeded, Conversation, TurnFinished, WriteDone
from agent.tool import ToolContext
from fbclient import BusinessClient
from fbclient.models.time_entries import TimeEntryInput

from ..support.audit import MemoryAudit
from ..support.constants import CATEGORY, FERNHILL, RATED_PROJECTS
from ..support.faulty_transport import Faults
from ..support.records import partly_paid_invoice
from ..support.scripted_agent import agent_with, strict_call
from ..support.turns import of_type, run

_serial = itertools.count(1)


@dataclass(frozen=True)
class Create:
    """A create tool: its arguments for a test's unique mark, and how to count what it made."""

    arguments: Callable[[ToolContext, int], dict[str, Any]]
    count: Callable[[BusinessClient, int], int]
    kind: str  # the record kind in record_ids
    read_back: str  # the path of the GET that re-reads the created record


def mark(n: int) -> str:
    return f"fault-test-{n}"


def _unbilled_arguments(ctx: ToolContext, n: int) -> dict[str, Any]:
    # Unbilled time of its own for this test: one billable hour on a project with a rate.
    client_id, project_id = list(RATED_PROJECTS.items())[n % len(RATED_PROJECTS)]
    day = datetime.now(UTC).replace(hour=14, minute=0, second=0, microsecond=0)
    ctx.books.time_entries.create(
        TimeEntryInput(
            is_logged=True,
            started_at=day - timedelta(days=2),
            duration=3600,
            client_id=client_id,
            project_id=project_id,
            billable=True,
        )
    )
    return {"client_id": client_id, "project_id": project_id, "notes": mark(n)}


def _invoices_noted(books: BusinessClient, client_id: int, n: int) -> int:
    return sum(1 for i in books.invoices.list(customerid=client_id) if i.notes == mark(n))


CREATES: dict[str, Create] = {
    "create_client": Create(
        lambda ctx, n: {
            "organization": mark(n),
            "email": f"{mark(n)}@example.com",
            "currency_code": "USD",
        },
        lambda books, n: books.clients.list_page(1, 10, {"email": f"{mark(n)}@example.com"}).total,
        "client",
        r"/users/clients/\d+$",
    ),
    "create_invoice": Create(
        lambda ctx, n: {
            "client_id": FERNHILL,
            "create_date": (date(2021, 1, 1) + timedelta(days=n)).isoformat(),
            "notes": mark(n),
            "lines": [
                {
                    "name": "Consulting",
                    "description": None,
                    "quantity": "2",
                    "unit_cost": "150.00",
                    "tax_name": None,
                    "tax_percent": None,
                }
            ],
        },
        lambda books, n: _invoices_noted(books, FERNHILL, n),
        "invoice",
        r"/invoices/invoices/\d+$",
    ),
    "record_payment": Create(
        lambda ctx, n: {
            "invoice_id": partly_paid_invoice(ctx.books, "GBP").id,
            "amount": f"{n}.01",
            "currency_code": "GBP",
            "note": mark(n),
        },
        lambda books, n: sum(
            1
            for p in books.payments.list({"invoiceid": partly_paid_invoice(books, "GBP").id})
            if p.note == mark(n)
        ),
        "payment",
        r"/payments/payments/\d+$",
    ),
    "create_expense": Create(
        lambda ctx, n: {
            "amount": f"{n}.07",
            "currency_code": "USD",
            "category_id": CATEGORY,
            "expense_date": (date(2021, 3, 1) + timedelta(days=n)).isoformat(),
            "vendor": mark(n),
        },
        lambda books, n: sum(
            1 for e in books.expenses.list({"categoryid": CATEGORY}) if e.vendor == mark(n)
        ),
        "expense",
        r"/expenses/expenses/\d+$",
    ),
    "create_project": Create(
        lambda ctx, n: {"title": mark(n), "client_id": FERNHILL, "rate": "100"},
        lambda books, n: sum(1 for p in books.projects.list() if p.title == mark(n)),
        "project",
        r"/project/\d+$",
    ),
    "log_time": Create(
        lambda ctx, n: {
            "hours": "1.5",
            "work_date": (date(2021, 5, 1) + timedelta(days=n)).isoformat(),
            "project_id": RATED_PROJECTS[20000005],
            "note": mark(n),
        },
        lambda books, n: sum(
            1 for e in books.time_entries.list(client_id=20000005) if e.note == mark(n)
        ),
        "time_entry",
        r"/time_entries/\d+$",
    ),
    "invoice_unbilled_time": Create(
        _unbilled_arguments,
        lambda books, n: _invoices_noted(books, list(RATED_PROJECTS)[n % len(RATED_PROJECTS)], n),
        "invoice",
        r"/invoices/invoices/\d+$",
    ),
}


@dataclass
class Flow:
    """One create through the loop: the click's events and what to look at afterwards."""

    events: list[Any]
    convo: Conversation
    agent: Any
    model: Any
    audit: MemoryAudit


def confirm_create(
    tool_ctx: ToolContext,
    faults: Faults,
    name: str,
    n: int,
    arm: Callable[[], Any],
    *,
    retry: bool = False,
) -> Flow:
    """Ask for the create, wait for the card, ``arm`` the faults, click Confirm.

    The request log then holds only what the click sent. With ``retry`` the model proposes
    the same create again after the failure (call "w2").
    """
    arguments = CREATES[name].arguments(tool_ctx, n)
    then = [[strict_call(name, "w2", **arguments)], ["Done."]] if retry else [["Noted."]]
    audit = MemoryAudit()
    agent, model = agent_with([[strict_call(name, "w1", **arguments)], *then], audit)
    convo = Conversation()
    asked = run(agent.send(convo, tool_ctx, f"Please do {name}"))
    assert isinstance(asked[-1], ApprovalNeeded), asked
    faults.forget()
    arm()
    events = run(agent.decide(convo, tool_ctx, "w1", approve=True))
    return Flow(events, convo, agent, model, audit)


def the_write(events: list[Any]) -> WriteDone:
    (done,) = of_type(events, WriteDone)
    return done


@pytest.mark.parametrize("kind", ["html_504_after_write", "timeout_after"])
@pytest.mark.parametrize("name", sorted(CREATES))
def test_a_create_whose_answer_was_lost_is_found_not_retried(tool_ctx, faults, name, kind):
    n = next(_serial)
    flow = confirm_create(
        tool_ctx, faults, name, n, lambda: faults.inject(kind, method="POST", times=1)
    )

    done = the_write(flow.events)
    assert not done.ok
    assert done.unconfirmed
    assert "may already have been created" in done.summary
    (found_id,) = done.record_ids[CREATES[name].kind]
    assert f"id {found_id}" in done.summary  # the user sees which record to check
    assert isinstance(flow.events[-1], TurnFinished)
    told = flow.model.last_tool_results()[0]["result"]
    assert (told["outcome"], told["write_status"]) == ("unconfirmed", "maybe_done")
    assert told["possibly_created"][0]["id"] == found_id
    assert "Do not propose it again" in told["note"]
    (entry,) = flow.audit.entries
    assert (entry["action"], entry["outcome"]) == (name, "unconfirmed")
    assert entry["record_ids"] == {CREATES[name].kind: [found_id]}
    assert len(faults.requests("POST")) == 1  # never retried

    faults.calm()
    assert CREATES[name].count(tool_ctx.books, n) == 1  # made once, not lost, not twice


@pytest.mark.parametrize("kind", ["timeout_before", "connect_error", "json_500"])
@pytest.mark.parametrize("name", sorted(CREATES))
def test_a_create_that_never_reached_freshbooks_can_be_tried_again(tool_ctx, faults, name, kind):
    n = next(_serial)
    arm = lambda: faults.inject(kind, method="POST", times=1)  # noqa: E731
    flow = confirm_create(tool_ctx, faults, name, n, arm, retry=True)

    done = the_write(flow.events)
    assert not done.ok
    assert not done.unconfirmed
    assert "nothing was created, so you can try again" in done.summary
    told = flow.model.received[1][-1]  # what the model read before proposing the retry
    assert '"write_status":"not_done"' in told["content"]
    assert flow.audit.entries[0]["outcome"] == "error"
    assert CREATES[name].count(tool_ctx.books, n) == 0
    assert isinstance(flow.events[-1], ApprovalNeeded)  # the retry is a new card: a new click

    again = run(flow.agent.decide(flow.convo, tool_ctx, "w2", approve=True))
    assert the_write(again).ok
    assert [e["outcome"] for e in flow.audit.entries] == ["error", "ok"]
    assert CREATES[name].count(tool_ctx.books, n) == 1
    assert len(faults.requests("POST")) == 2  # one per click


def test_when_the_check_fails_too_the_user_is_told_to_look_first(tool_ctx, faults):
    n = next(_serial)

    def arm() -> None:
        faults.inject("html_504_after_write", method="POST", times=1)
        faults.inject("html_502", method="GET", path="/invoices/invoices")  # the look-up fails

    flow = confirm_create(tool_ctx, faults, "create_invoice", n, arm)
    done = the_write(flow.events)
    assert done.unconfirmed
    assert "could not check whether it was created" in done.summary
    assert flow.model.last_tool_results()[0]["result"]["write_status"] == "unknown"
    assert flow.audit.entries[0]["outcome"] == "unconfirmed"
    faults.calm()
    assert CREATES["create_invoice"].count(tool_ctx.books, n) == 1


@pytest.mark.parametrize("name", sorted(CREATES))
def test_a_create_whose_re_read_fails_is_reported_done(tool_ctx, faults, name):
    n = next(_serial)
    path = CREATES[name].read_back
    flow = confirm_create(
        tool_ctx, faults, name, n, lambda: faults.inject("html_502", method="GET", path=path)
    )

    done = the_write(flow.events)
    assert done.ok, done.summary
    (made,) = done.record_ids[CREATES[name].kind]
    assert flow.audit.entries[0]["outcome"] == "ok"
    assert flow.audit.entries[0]["record_ids"][CREATES[name].kind] == [made]
    assert faults.requests("GET", path)  # the re-read was tried, and failed
    faults.calm()
    assert CREATES[name].count(tool_ctx.books, n) == 1


def test_an_update_without_an_answer_is_not_called_a_failure(tool_ctx, faults):
    call = strict_call("update_client", "w1", client_id=FERNHILL, note=mark(next(_serial)))
    audit = MemoryAudit()
    agent, _ = agent_with([[call], ["Noted."]], audit)
    convo = Conversation()
    run(agent.send(convo, tool_ctx, "Change the note"))
    faults.inject("timeout_after", method="PUT", times=1)
    done = the_write(run(agent.decide(convo, tool_ctx, "w1", approve=True)))
    assert done.unconfirmed
    assert not done.ok
    assert "may or may not have happened" in done.summary
    assert audit.entries[0]["outcome"] == "unconfirmed"
    assert len(faults.requests("PUT")) == 1
