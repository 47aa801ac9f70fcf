"""The ``Store``: one object giving a stage the database, artifacts and the key."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from medfoundry.errors import NotFound, StoreError
from medfoundry.ids import new_id
from medfoundry.settings import Settings, get_settings
from medfoundry.store import crypto, migrate
from medfoundry.store.artifacts import BlobStore, iter_file
from medfoundry.store.audit_log import AuditLog
from medfoundry.store.db import check_connection, is_sqlite, make_engine
from medfoundry.store.models import Artifact
from medfoundry.version import code_version


def load_key(settings: Settings) -> bytes | None:
    if settings.key:
        return crypto.decode_key(settings.key, source="MEDFOUNDRY_KEY")
    if settings.key_file.exists():
        return crypto.decode_key(settings.key_file.read_text(), source=str(settings.key_file))
    return None


class Store:
    """Database engine, sessions, artifact files and the encryption key of one home."""

    def __init__(self, settings: Settings | None = None, *, migrate_schema: bool = True) -> None:
        self.settings = settings or get_settings()
        self.engine = make_engine(self.settings.effective_database_url)
        check_connection(self.engine)
        if migrate_schema:
            migrate.upgrade(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.key = load_key(self.settings)
        self.blobs = BlobStore(self.settings.artifacts_dir, self.key)
        self.audit = AuditLog(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A writing session, committed on success and rolled back on error.

        On SQLite it takes the writer lock up front (``BEGIN IMMEDIATE``, waiting out the busy
        timeout): a deferred transaction that reads and then writes fails at once with "database
        is locked" when another process wrote in between (WAL snapshot), as a worker and a CLI
        command do side by side. Reading code uses ``sessions()``, which takes no lock.
        """
        with self.engine.connect() as connection:
            if is_sqlite(self.engine):
                connection.info["begin_mode"] = "IMMEDIATE"
            with self.sessions(bind=connection) as session, session.begin():
                yield session

    def close(self) -> None:
        self.engine.dispose()

    def put_artifact(
        self,
        data: Iterable[bytes] | Path | bytes,
        *,
        kind: str,
        name: str,
        phi: bool = False,
        meta: dict[str, Any] | None = None,
    ) -> Artifact:
        """Store bytes, a file or a stream of chunks; PHI is encrypted at rest."""
        if isinstance(data, Path):
            chunks: Iterable[bytes] = iter_file(data)
        elif isinstance(data, bytes):
            chunks = [data]
        else:
            chunks = data
        sha, size, relpath = self.blobs.write(chunks, encrypt=phi)
        artifact = Artifact(
            id=new_id("artifact"),
            sha256=sha,
            size=size,
            kind=kind,
            name=name,
            phi=phi,
            encrypted=phi,
            relpath=relpath,
            meta=meta or {},
            code_version=code_version(),
        )
        with self.session() as session:
            session.add(artifact)
        return artifact

    def get_artifact(self, artifact_id: str) -> Artifact:
        with self.sessions() as session:
            artifact = session.get(Artifact, artifact_id)
        if artifact is None:
            raise NotFound(
                f"no artifact with id {artifact_id}", hint="list them with 'medfoundry artifacts list'"
            )
        return artifact

    def find_artifact_by_hash(self, sha256: str) -> Artifact | None:
        with self.sessions() as session:
            return session.scalars(select(Artifact).where(Artifact.sha256 == sha256).limit(1)).first()

    def open_artifact(self, artifact_id: str) -> Iterator[bytes]:
        artifact = self.get_artifact(artifact_id)
        return self.blobs.read(
            artifact.relpath, encrypted=artifact.encrypted, name=artifact.id, expected_sha256=artifact.sha256
        )

    def read_artifact(self, artifact_id: str) -> bytes:
        return b"".join(self.open_artifact(artifact_id))

    def export_artifact(self, artifact_id: str, destination: Path) -> Path:
        """Write an artifact's plaintext to ``destination`` atomically."""
        tmp = destination.with_name(f".{destination.name}.partial")
        try:
            with tmp.open("wb") as out:
                for piece in self.open_artifact(artifact_id):
                    out.write(piece)
            os.replace(tmp, destination)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return destination


def open_store(settings: Settings | None = None) -> Store:
    """Open the home's store; tells the user to run ``init`` when there is none."""
    settings = settings or get_settings()
    if settings.database_url is None and not settings.sqlite_path.exists():
        raise StoreError(
            f"no medfoundry home at {settings.resolved_home}",
            hint="run 'medfoundry init' (or set MEDFOUNDRY_HOME to an existing home)",
        )
    return Store(settings)
