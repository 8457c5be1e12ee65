"""The chase list page (demo mode): ranked, every overdue invoice, a reminder sent through the
confirm card lands in the audit log and counts on the list."""

from __future__ import annotations

from store.audit import emails_sent, recent_audit
from store.db import make_engine, make_sessions


def open_chase(app):
    at = app().run()
    at.switch_page("pages/chase.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Chase list"
    return at


def test_the_list_and_a_draft(app):
    at = open_chase(app)
    assert at.dataframe  # the ranked list
    subject = next(t for t in at.text_input if t.label == "Subject")
    body = next(t for t in at.text_area if t.label == "Message")
    assert "invoice" in subject.value.lower()
    assert body.value.startswith("Hi ")


def test_send_one_reminder_through_the_confirm_card(app, data_dir):
    at = open_chase(app)
    picker = next(s for s in at.selectbox if s.label == "Invoice")
    invoice_id = picker.value
    next(t for t in at.text_input if t.label == "Subject").set_value("Gentle nudge")
    next(b for b in at.button if b.label == "Review reminder").click().run()
    assert not at.exception
    assert any("Proposed change: Email invoice" in m.value for m in at.markdown)
    next(b for b in at.button if b.label == "Confirm").click().run()
    assert not at.exception
    assert any(s.value.startswith("Done: Email invoice") for s in at.success)
    engine = make_engine(f"sqlite:///{data_dir / 'copilot.db'}")
    sessions = make_sessions(engine)
    (entry,) = [
        e
        for e in recent_audit(sessions, "local", _account(sessions))
        if e["action"] == "send_invoice_email"
    ]
    assert entry["arguments"]["subject"] == "Gentle nudge"
    assert entry["records"] == {"invoice": [invoice_id]}
    assert emails_sent(sessions, "local", _account(sessions))[invoice_id][0] == 1
    engine.dispose()


def test_cancel_sends_nothing(app, data_dir):
    at = open_chase(app)
    next(b for b in at.button if b.label == "Review reminder").click().run()
    next(b for b in at.button if b.label == "Cancel").click().run()
    assert not at.exception
    assert "Nothing was sent." in [i.value for i in at.info]
    engine = make_engine(f"sqlite:///{data_dir / 'copilot.db'}")
    assert recent_audit(make_sessions(engine), "local", _account(make_sessions(engine))) == []
    engine.dispose()


def _account(sessions) -> str:
    from sqlalchemy import select

    from store.schema import AuditEntry

    with sessions() as session:
        keys = session.scalars(select(AuditEntry.account_key)).all()
    return keys[0] if keys else "none"


def test_a_blank_subject_uses_freshbooks_template_and_says_so(app):
    at = open_chase(app)
    next(t for t in at.text_input if t.label == "Subject").set_value("   ")
    next(b for b in at.button if b.label == "Review reminder").click().run()
    assert not at.exception
    assert not at.error
    card = list(at.table)
    assert card
    assert "FreshBooks' invoice email template" in str(card[0].value)
