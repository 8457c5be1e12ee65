"""The chat page with a scripted fake model: answers, tool statuses, and the confirm card."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import agent.model
from store.db import make_engine, make_sessions
from store.schema import AuditEntry

from ..support.fake_model import FakeChatModel, tool_call


@pytest.fixture
def fake(monkeypatch):
    """Install a scripted model for the chat page (the page asks model_from_settings)."""

    def install(*script):
        model = FakeChatModel(list(script))
        monkeypatch.setattr(agent.model, "model_from_settings", lambda _settings: model)
        return model

    return install


def open_chat(app):
    at = app().run()
    at.switch_page("pages/chat.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Chat"
    return at


def test_without_a_model_the_chat_explains_how_to_enable_it(app):
    at = open_chat(app)
    assert "OPENAI_API_KEY" in at.info[0].value
    assert "OPENAI_BASE_URL" in at.info[0].value


def test_suggestions_then_an_answer_with_a_tool_status(app, fake):
    model = fake([tool_call("business_summary", {})], ["You are owed money by three clients."])
    at = open_chat(app)
    assert any(b.label == "Who owes me money?" for b in at.button)
    at.chat_input[0].set_value("Who owes me money?").run()
    assert not at.exception
    assert "You are owed money by three clients." in [m.value for m in at.markdown]
    assert any(s.label for s in at.status)  # one status element per tool call
    assert model.calls == 2
    assert "Last turn" in " ".join(c.value for c in at.caption)


def test_confirm_card_creates_the_invoice(app, fake, data_dir):
    fake_model = fake(
        [tool_call("search_clients", {"query": None, "balance": None})],
        lambda messages, tools: [
            tool_call(
                "create_invoice",
                {
                    "client_id": _first_client_id(messages),
                    "currency_code": None,
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
                    "create_date": None,
                    "due_offset_days": 30,
                    "notes": None,
                    "po_number": None,
                },
            )
        ],
        ["The invoice was created as a draft."],
    )
    at = open_chat(app)
    at.chat_input[0].set_value("Invoice my first client for 2 hours at 150").run()
    assert not at.exception, at.exception
    assert any(b.label == "Confirm" for b in at.button), [b.label for b in at.button]
    confirm = next(b for b in at.button if b.label == "Confirm")
    confirm.click().run()
    assert not at.exception, at.exception
    captions = [c.value for c in at.caption]
    assert "🔎 create invoice: done" in captions
    assert any("invoice" in s.value.lower() for s in at.success)  # the outcome survives the rerun
    assert "The invoice was created as a draft." in [m.value for m in at.markdown]
    assert fake_model.calls == 3
    engine = make_engine(f"sqlite:///{data_dir / 'copilot.db'}")
    with make_sessions(engine)() as session:
        (entry,) = session.scalars(select(AuditEntry)).all()
    engine.dispose()
    assert (entry.action, entry.outcome) == ("create_invoice", "ok")
    assert entry.record_ids["invoice"]  # the FreshBooks id of the invoice made
    at.switch_page("pages/audit.py").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 1
    assert [b.label for b in at.get("download_button")] == ["Export as JSON", "Export as CSV"]


def _first_client_id(messages) -> int:
    import json

    result = json.loads(next(m["content"] for m in reversed(messages) if m["role"] == "tool"))
    return int(result["rows"][0]["id"])


def test_an_answer_lists_the_lookups_and_records_behind_it(app, fake):
    fake(
        [tool_call("search_invoices", {"status": "overdue"})],
        ["Three invoices are overdue."],
    )
    at = open_chat(app)
    at.chat_input[0].set_value("What is overdue?").run()
    assert not at.exception
    (sources,) = [e for e in at.expander if e.label.startswith("Sources:")]
    assert sources.label.startswith("Sources: 1 lookup(s), ")
    shown = int(sources.label.split(", ")[1].split()[0])
    assert shown > 0
    assert "Search invoices (status: overdue)" in " ".join(m.value for m in sources.markdown)
    at.run()  # and again from the saved conversation, after a rerun
    assert [e.label for e in at.expander if e.label.startswith("Sources:")] == [sources.label]
