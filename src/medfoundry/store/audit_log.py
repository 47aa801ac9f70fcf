"""An append-only, hash-chained audit log.

Each event's hash covers its sequence number, time, actor, action, object, details
and the previous event's hash, so editing, deleting or reordering any event breaks
the chain at that point, which ``verify`` reports. Details must never hold PHI:
ids, counts and hashes only.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, desc, func, insert, select

from medfoundry.store.db import serialized_transaction
from medfoundry.store.models import AuditEvent

GENESIS_HASH = "0" * 64
_AUDIT_LOCK_KEY = 0x6D66_6175  # advisory lock id for appends on PostgreSQL


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_hash(
    seq: int, ts: str, actor: str, action: str, object_type: str, object_id: str, details: str, prev_hash: str
) -> str:
    body = canonical_json([seq, ts, actor, action, object_type, object_id, details, prev_hash])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def default_actor() -> str:
    explicit = os.environ.get("MEDFOUNDRY_ACTOR")
    if explicit:
        return explicit
    try:
        return f"user:{getpass.getuser()}"
    except (KeyError, OSError):
        return f"uid:{os.getuid()}"


@dataclass(frozen=True)
class Event:
    seq: int
    ts: str
    actor: str
    action: str
    object_type: str
    object_id: str
    details: dict[str, Any]
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _to_event(row: AuditEvent) -> Event:
    return Event(
        seq=row.seq,
        ts=row.ts,
        actor=row.actor,
        action=row.action,
        object_type=row.object_type,
        object_id=row.object_id,
        details=json.loads(row.details),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    events: int
    head_hash: str
    broken_at_seq: int | None = None
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class AuditLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def append(
        self,
        action: str,
        object_type: str,
        object_id: str,
        details: dict[str, Any] | None = None,
        *,
        actor: str | None = None,
    ) -> Event:
        """Append one event; safe under concurrent writers in many processes."""
        details_text = canonical_json(details or {})
        actor = actor or default_actor()
        with serialized_transaction(self.engine, _AUDIT_LOCK_KEY) as conn:
            last = conn.execute(
                select(AuditEvent.seq, AuditEvent.hash).order_by(desc(AuditEvent.seq)).limit(1)
            ).first()
            seq = last.seq + 1 if last else 1
            prev = last.hash if last else GENESIS_HASH
            ts = datetime.now(UTC).isoformat(timespec="microseconds")
            digest = event_hash(seq, ts, actor, action, object_type, object_id, details_text, prev)
            conn.execute(
                insert(AuditEvent).values(
                    seq=seq,
                    ts=ts,
                    actor=actor,
                    action=action,
                    object_type=object_type,
                    object_id=object_id,
                    details=details_text,
                    prev_hash=prev,
                    hash=digest,
                )
            )
        return Event(seq, ts, actor, action, object_type, object_id, details or {}, prev, digest)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(AuditEvent)).scalar_one())

    def iter_events(self, batch: int = 1000) -> Iterator[Event]:
        """All events in chain order, read in batches."""
        for row in self._iter_rows(batch):
            yield _to_event(row)

    def _iter_rows(self, batch: int = 1000) -> Iterator[Any]:
        after = 0
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(AuditEvent).where(AuditEvent.seq > after).order_by(AuditEvent.seq).limit(batch)
                ).all()
            if not rows:
                return
            yield from rows
            after = rows[-1].seq

    def tail(self, n: int = 20, *, object_id: str | None = None, action: str | None = None) -> list[Event]:
        query = select(AuditEvent).order_by(desc(AuditEvent.seq)).limit(n)
        if object_id:
            query = query.where(AuditEvent.object_id == object_id)
        if action:
            query = query.where(AuditEvent.action == action)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [_to_event(row) for row in reversed(rows)]  # type: ignore[arg-type]

    def for_objects(self, object_ids: set[str]) -> list[Event]:
        return [event for event in self.iter_events() if event.object_id in object_ids]

    def verify(self) -> VerifyResult:
        """Walk the chain; report the first event whose link or content does not check."""
        expected_seq = 1
        prev = GENESIS_HASH
        count = 0
        for row in self._iter_rows():
            problem = _check_link(row, expected_seq, prev)
            if problem:
                return VerifyResult(False, count, prev, broken_at_seq=row.seq, problem=problem)
            prev = row.hash
            expected_seq += 1
            count += 1
        return VerifyResult(True, count, prev)


def _check_link(event: Any, expected_seq: int, prev: str) -> str | None:
    if event.seq != expected_seq:
        return (
            f"events {expected_seq}..{event.seq - 1} are missing (deleted)"
            if event.seq > expected_seq
            else f"sequence number {event.seq} is out of order"
        )
    if event.prev_hash != prev:
        return "its previous-hash does not match the event before it (events were reordered or replaced)"
    recomputed = event_hash(
        event.seq,
        event.ts,
        event.actor,
        event.action,
        event.object_type,
        event.object_id,
        event.details,  # the stored text, hashed exactly as written
        event.prev_hash,
    )
    if recomputed != event.hash:
        return "its content does not match its hash (the event was edited)"
    return None
