"""API keys are shown once, stored hashed, scoped, expiring and revocable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from medfoundry.errors import InputError, NotFound
from medfoundry.serve.keys import (
    create_key,
    find_key,
    hash_key,
    key_problem,
    list_keys,
    parse_expiry,
    revoke_key,
    scope_allows,
)
from medfoundry.store.database import Store


def test_key_is_stored_only_as_hash(any_store: Store) -> None:
    row, secret = create_key(any_store, scope="invoke", deployment="triage", name="app")
    assert secret.startswith("mf-") and len(secret) > 40
    assert row.key_hash == hash_key(secret) and secret not in row.key_hash
    found = find_key(any_store, secret)
    assert found is not None and found.id == row.id and key_problem(found) is None
    assert find_key(any_store, secret + "x") is None
    assert secret not in str(any_store.audit.tail(1)[0].to_dict())


def test_revoke_and_expiry(any_store: Store) -> None:
    row, secret = create_key(any_store)
    revoke_key(any_store, row.id)
    assert key_problem(find_key(any_store, secret)) == "the API key has been revoked"
    with pytest.raises(NotFound):
        revoke_key(any_store, "key_missing")
    short, short_secret = create_key(any_store, expires="1h")
    later = datetime.now(UTC) + timedelta(hours=2)
    assert key_problem(find_key(any_store, short_secret), now=later) == "the API key has expired"
    assert [k.id for k in list_keys(any_store)] == [row.id, short.id]


def test_scopes_nest() -> None:
    assert scope_allows("admin", "invoke") and scope_allows("deploy", "invoke")
    assert not scope_allows("invoke", "deploy") and not scope_allows("bogus", "invoke")


def test_bad_input(any_store: Store) -> None:
    with pytest.raises(InputError, match="scope"):
        create_key(any_store, scope="root")
    with pytest.raises(InputError, match="--expires"):
        parse_expiry("soon")
    assert parse_expiry("2030-01-02") == datetime(2030, 1, 2, tzinfo=UTC)
