from __future__ import annotations

import itertools
import json
import subprocess
import sys

import pytest
from sqlalchemy import delete, select, update

from medfoundry.store.audit_log import GENESIS_HASH
from medfoundry.store.database import Store
from medfoundry.store.models import AuditEvent


def _fill(store: Store, n: int = 5) -> None:
    for i in range(n):
        store.audit.append("test.event", "job", f"job_{i}", {"i": i})


def test_a_fresh_chain_verifies_and_links(any_store: Store) -> None:
    _fill(any_store)
    events = list(any_store.audit.iter_events())
    assert [e.seq for e in events] == list(range(1, 7))
    assert events[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    result = any_store.audit.verify()
    assert result.ok and result.events == 6 and result.head_hash == events[-1].hash


def test_an_edited_event_is_found(any_store: Store) -> None:
    _fill(any_store)
    with any_store.session() as session:
        session.execute(update(AuditEvent).where(AuditEvent.seq == 4).values(details=json.dumps({"i": 99})))
    result = any_store.audit.verify()
    assert not result.ok and result.broken_at_seq == 4 and "edited" in (result.problem or "")


def test_an_edited_actor_is_found(any_store: Store) -> None:
    _fill(any_store)
    with any_store.session() as session:
        session.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(actor="someone-else"))
    assert any_store.audit.verify().broken_at_seq == 2


def test_a_deleted_event_is_found(any_store: Store) -> None:
    _fill(any_store)
    with any_store.session() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.seq == 3))
    result = any_store.audit.verify()
    assert not result.ok and result.broken_at_seq == 4 and "missing" in (result.problem or "")


def test_a_deleted_tail_changes_the_head_hash(any_store: Store) -> None:
    _fill(any_store)
    head = any_store.audit.verify().head_hash
    with any_store.session() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.seq == 6))
    result = any_store.audit.verify()
    assert result.ok and result.head_hash != head  # only an anchored head can prove a truncation


def test_reordered_events_are_found(any_store: Store) -> None:
    _fill(any_store)
    with any_store.session() as session:
        rows = {r.seq: r for r in session.scalars(select(AuditEvent).where(AuditEvent.seq.in_([3, 4])))}
        session.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(seq=-3))
        session.execute(update(AuditEvent).where(AuditEvent.seq == 4).values(seq=3))
        session.execute(update(AuditEvent).where(AuditEvent.seq == -3).values(seq=4))
        assert rows
    result = any_store.audit.verify()
    assert not result.ok and result.broken_at_seq == 3


def test_tail_filters_and_orders(any_store: Store) -> None:
    _fill(any_store)
    tail = any_store.audit.tail(2)
    assert [e.seq for e in tail] == [5, 6]
    assert [e.object_id for e in any_store.audit.tail(10, object_id="job_1")] == ["job_1"]


APPENDER = """
import sys
from medfoundry.store.database import Store
store = Store()
for i in range(int(sys.argv[1])):
    store.audit.append("concurrency.test", "job", f"writer-{sys.argv[2]}", {"i": i})
store.close()
"""


@pytest.mark.slow
def test_two_processes_appending_500_each_leave_a_valid_chain(any_store: Store) -> None:
    writers = [
        subprocess.Popen([sys.executable, "-c", APPENDER, "500", str(n)], stderr=subprocess.PIPE, text=True)
        for n in range(2)
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    result = any_store.audit.verify()
    assert result.ok, result.problem
    assert result.events == 1001  # the init event plus 2 x 500
