"""API keys: shown once at creation, stored as a SHA-256 hash, scoped, expiring, revocable."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from medfoundry.errors import InputError, NotFound
from medfoundry.ids import new_id
from medfoundry.store.database import Store
from medfoundry.store.models import ApiKey

SCOPES = ("viewer", "invoke", "reviewer", "deploy", "admin")
# What each scope may do. viewer: the console, read-only; reviewer: viewer plus human review
# (not invoke: a clinician checking outputs does not call the model); admin: everything.
GRANTS = {
    "viewer": frozenset({"viewer"}),
    "invoke": frozenset({"viewer", "invoke"}),
    "reviewer": frozenset({"viewer", "reviewer"}),
    "deploy": frozenset({"viewer", "invoke", "deploy"}),
    "admin": frozenset(SCOPES),
}
KEY_PREFIX = "mf-"
_DURATION = re.compile(r"^(\d+)([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def scope_allows(granted: str, needed: str) -> bool:
    return needed in GRANTS.get(granted, frozenset())


def parse_expiry(value: str | None, *, now: datetime | None = None) -> datetime | None:
    """``30d``, ``12h``, ``90m`` or an ISO-8601 date/time → an aware UTC datetime."""
    if not value:
        return None
    now = now or datetime.now(UTC)
    match = _DURATION.match(value.strip())
    if match:
        return now + timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"--expires '{value}' is neither a duration nor a date", hint="use e.g. 30d, 12h or 2027-01-31"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def create_key(
    store: Store,
    *,
    scope: str = "invoke",
    deployment: str | None = None,
    expires: str | None = None,
    name: str = "",
) -> tuple[ApiKey, str]:
    """Create a key; returns the row and the secret, which is never stored or shown again."""
    if scope not in SCOPES:
        raise InputError(f"unknown scope '{scope}'", hint=f"use one of: {', '.join(SCOPES)}")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        id=new_id("api_key"),
        name=name,
        key_hash=hash_key(secret),
        scope=scope,
        deployment=deployment,
        expires_at=parse_expiry(expires),
    )
    with store.session() as session:
        session.add(row)
    details: dict[str, Any] = {"scope": scope, "deployment": deployment, "expires_at": row.expires_at}
    store.audit.append("api_key.create", "api_key", row.id, details)
    return row, secret


def find_key(store: Store, secret: str) -> ApiKey | None:
    """The key row for a presented secret, or None when unknown."""
    with store.sessions() as session:
        return session.scalars(select(ApiKey).where(ApiKey.key_hash == hash_key(secret))).first()


def key_problem(row: ApiKey | None, *, now: datetime | None = None) -> str | None:
    """Why a key may not be used (unknown, revoked, expired), or None when it may."""
    if row is None:
        return "the API key is not valid"
    if row.revoked:
        return "the API key has been revoked"
    expires = row.expires_at
    if expires is not None:
        expires = expires if expires.tzinfo else expires.replace(tzinfo=UTC)
        if expires <= (now or datetime.now(UTC)):
            return "the API key has expired"
    return None


def list_keys(store: Store) -> list[ApiKey]:
    with store.sessions() as session:
        return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at)))


def revoke_key(store: Store, key_id: str) -> ApiKey:
    with store.session() as session:
        row = session.get(ApiKey, key_id)
        if row is None:
            raise NotFound(f"no API key with id {key_id}", hint="see 'medfoundry keys list'")
        row.revoked = True
    store.audit.append("api_key.revoke", "api_key", key_id, {})
    return row


def key_to_dict(row: ApiKey) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "scope": row.scope,
        "deployment": row.deployment,
        "expires_at": row.expires_at.isoformat() if row.expires_at else None,
        "revoked": row.revoked,
        "created_at": row.created_at.isoformat(),
    }
