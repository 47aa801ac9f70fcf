from __future__ import annotations

import stat

from medfoundry.settings import Settings
from medfoundry.store import migrate
from medfoundry.store.database import Store
from medfoundry.store.home import init_home


def test_init_creates_a_private_key_and_the_first_audit_event(database_url: str) -> None:
    result = init_home()
    settings = Settings()
    assert result.key_created
    assert stat.S_IMODE(settings.key_file.stat().st_mode) == 0o600
    assert result.schema_version == migrate.head_revision()
    assert result.audit_events == 1


def test_init_is_idempotent(database_url: str) -> None:
    first = init_home()
    key_before = Settings().key_file.read_bytes()
    second = init_home()
    assert not second.key_created and not second.created
    assert Settings().key_file.read_bytes() == key_before
    assert second.audit_events == first.audit_events == 1


def test_sqlite_runs_in_wal_mode_with_foreign_keys(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
