"""Creating a medfoundry home: directories, database, key file, first audit event."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Any

from medfoundry import __version__
from medfoundry.settings import Settings, get_settings
from medfoundry.store import crypto, migrate
from medfoundry.store.database import Store
from medfoundry.store.db import redact_url


@dataclass(frozen=True)
class InitResult:
    home: str
    database: str
    schema_version: str | None
    key_file: str
    key_created: bool
    key_id: str
    audit_events: int
    created: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def init_home(settings: Settings | None = None) -> InitResult:
    """Create or complete the home; running it again changes nothing."""
    settings = settings or get_settings()
    home = settings.resolved_home
    created = not home.exists()
    home.mkdir(parents=True, exist_ok=True)
    os.chmod(home, 0o700)
    settings.artifacts_dir.mkdir(exist_ok=True)
    key_created = False
    if not settings.key and not settings.key_file.exists():
        crypto.write_key_file(settings.key_file, crypto.generate_key())
        key_created = True
    store = Store(settings)
    try:
        assert store.key is not None
        if store.audit.count() == 0:
            store.audit.append(
                "home.init",
                "home",
                "home",
                {"medfoundry_version": __version__, "database": store.engine.dialect.name},
            )
        return InitResult(
            home=str(home),
            database=redact_url(settings.effective_database_url),
            schema_version=migrate.current_revision(store.engine),
            key_file="MEDFOUNDRY_KEY" if settings.key else str(settings.key_file),
            key_created=key_created,
            key_id=crypto.key_id(store.key),
            audit_events=store.audit.count(),
            created=created,
        )
    finally:
        store.close()
