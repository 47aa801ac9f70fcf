"""Write sessions of two processes' stores on one SQLite home."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from medfoundry.ids import new_id
from medfoundry.settings import Settings
from medfoundry.store.database import Store
from medfoundry.store.models import Dataset


def _count(store: Store) -> int:
    with store.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Dataset)) or 0)


def test_a_session_that_reads_then_writes_survives_another_writer(store: Store) -> None:
    """A worker and a CLI command write the same database: one session reads, the other
    commits a row, then the first writes. Under a deferred transaction SQLite refused the
    first one's write at once ("database is locked"); it must wait its turn instead."""
    other = Store(Settings())
    other_wrote = threading.Event()
    errors: list[BaseException] = []

    def write_from_the_other_process() -> None:
        try:
            with other.session() as session:
                session.add(Dataset(id=new_id("dataset"), name="written-by-the-other"))
            other_wrote.set()
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    try:
        with store.session() as session:
            session.scalars(select(Dataset)).all()  # the read that used to fix the snapshot
            writer = threading.Thread(target=write_from_the_other_process)
            writer.start()
            other_wrote.wait(0.5)  # it lands now, or waits for this session to commit
            session.add(Dataset(id=new_id("dataset"), name="written-here"))
        writer.join(timeout=30)
        assert not errors and other_wrote.is_set()
        assert _count(store) == 2
    finally:
        other.close()
