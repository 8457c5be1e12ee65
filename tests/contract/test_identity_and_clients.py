"""Contract: identity and clients, through the real OAuth flow, in-process and over loopback."""

from __future__ import annotations

import uuid

import pytest

from fbclient import InvalidRequestError, NotFoundError


def test_identity_has_businesses_with_ids(conn):
    me = conn.identity
    with_accounting = [b for b in me.businesses if b.has_accounting]
    assert len(with_accounting) >= 2
    assert len({b.account_id for b in with_accounting}) == len(with_accounting)
    assert any(not b.has_accounting for b in me.businesses)
    assert all(b.membership_id != b.business_id for b in me.businesses)


def test_clients_list_every_page(books):
    everyone = books.clients.list()
    assert everyone.total == len(everyone) > 0
    first_page = books.clients.list_page(per_page=5)
    assert [c.id for c in first_page.items] == [c.id for c in everyone[:5]]
    assert first_page.pages == -(-everyone.total // 5)


def test_clients_filters_and_includes(books):
    sample = books.clients.list()[0]
    found = books.clients.list({"email": sample.email}, include=["outstanding_balance"])
    assert [c.id for c in found] == [sample.id]
    by_name = books.clients.list({"organization_like": (sample.organization or "")[:4]})
    assert sample.id in {c.id for c in by_name}


def test_client_create_update_delete_restore(books):
    email = f"contract-{uuid.uuid4().hex[:8]}@example.com"
    created = books.clients.create(
        {"fname": "Contract", "lname": "Test", "email": email, "currency_code": "USD"}
    )
    assert created.email == email
    updated = books.clients.update(created.id, {"note": "from the contract test"})
    assert updated.note == "from the contract test"
    assert updated.fname == "Contract"  # partial update kept the other fields
    assert books.clients.delete(created.id).vis_state == 1
    assert books.clients.restore(created.id).vis_state == 0
    assert books.clients.archive(created.id).vis_state == 2


def test_client_validation_and_not_found(books):
    with pytest.raises(InvalidRequestError) as caught:
        books.clients.create({"note": "nobody"})
    assert caught.value.errno == 7012
    with pytest.raises(NotFoundError):
        books.clients.get(987654321)


def test_refresh_rotates_and_old_refresh_token_is_dead(conn):
    from fbclient import ReauthorizationRequired

    before = conn.store.load()
    fresh = conn.flow.refresh(before.refresh_token)
    conn.store.save(fresh)
    assert fresh.refresh_token != before.refresh_token
    with pytest.raises(ReauthorizationRequired):
        conn.flow.refresh(before.refresh_token)
    conn.fb.tokens.forget()
    assert conn.fb.identity().identity_id == conn.identity.identity_id
