from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from medfoundry.errors import StoreError, TamperedError, WrongKeyError
from medfoundry.settings import Settings
from medfoundry.store import crypto
from medfoundry.store.database import Store
from medfoundry.store.models import Artifact


def _file_of(store: Store, artifact: Artifact) -> Path:
    return store.settings.artifacts_dir / artifact.relpath


def test_phi_artifact_is_encrypted_at_rest_and_round_trips(any_store: Store) -> None:
    data = os.urandom(3 * 1024 * 1024 + 5)
    artifact = any_store.put_artifact(data, kind="raw", name="records.jsonl", phi=True)
    on_disk = _file_of(any_store, artifact).read_bytes()
    assert artifact.encrypted and on_disk.startswith(crypto.MAGIC)
    assert data[:4096] not in on_disk
    assert artifact.sha256 == hashlib.sha256(data).hexdigest() and artifact.size == len(data)
    assert any_store.read_artifact(artifact.id) == data


def test_plain_artifact_is_content_addressed(store: Store) -> None:
    first = store.put_artifact(b"same bytes", kind="report", name="a.json")
    second = store.put_artifact(b"same bytes", kind="report", name="b.json")
    assert first.relpath == second.relpath and first.id != second.id
    assert _file_of(store, first).read_bytes() == b"same bytes"


def test_stream_input_is_not_held_in_memory(store: Store) -> None:
    def chunks() -> Iterator[bytes]:
        for i in range(40):
            yield bytes([i]) * 100_000

    artifact = store.put_artifact(chunks(), kind="raw", name="big", phi=True)
    assert artifact.size == 4_000_000
    assert sum(len(piece) for piece in store.open_artifact(artifact.id)) == 4_000_000


def test_modified_byte_fails_loudly(store: Store) -> None:
    artifact = store.put_artifact(b"x" * 10_000, kind="raw", name="r", phi=True)
    path = _file_of(store, artifact)
    blob = bytearray(path.read_bytes())
    blob[crypto.HEADER_SIZE + 100] ^= 0xFF
    path.write_bytes(bytes(blob))
    with pytest.raises(TamperedError, match="integrity"):
        store.read_artifact(artifact.id)


def test_modified_plain_artifact_fails_its_hash(store: Store) -> None:
    artifact = store.put_artifact(b"report v1", kind="report", name="r.txt")
    _file_of(store, artifact).write_bytes(b"report v2")
    with pytest.raises(TamperedError, match="sha256"):
        store.read_artifact(artifact.id)


def test_wrong_key_gives_a_clear_error(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    artifact = store.put_artifact(b"phi", kind="raw", name="r", phi=True)
    monkeypatch.setenv("MEDFOUNDRY_KEY", crypto.encode_key(crypto.generate_key()))
    other = Store(Settings())
    try:
        with pytest.raises(WrongKeyError, match="different key"):
            other.read_artifact(artifact.id)
    finally:
        other.close()


def test_key_from_environment_overrides_key_file(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    key = crypto.generate_key()
    monkeypatch.setenv("MEDFOUNDRY_KEY", crypto.encode_key(key))
    env_store = Store(Settings())
    try:
        artifact = env_store.put_artifact(b"phi", kind="raw", name="r", phi=True)
        assert env_store.read_artifact(artifact.id) == b"phi"
    finally:
        env_store.close()
    with pytest.raises(WrongKeyError):
        store.read_artifact(artifact.id)


def test_malformed_key_is_reported(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDFOUNDRY_KEY", "not-base64!")
    with pytest.raises(StoreError, match="MEDFOUNDRY_KEY"):
        Store(Settings())


def test_interrupted_write_leaves_nothing_behind(store: Store) -> None:
    def failing() -> Iterator[bytes]:
        yield b"partial"
        raise RuntimeError("disk went away")

    with pytest.raises(RuntimeError):
        store.put_artifact(failing(), kind="raw", name="r", phi=True)
    leftovers = [p for p in store.settings.artifacts_dir.rglob("*") if p.is_file()]
    assert leftovers == []


def test_export_writes_plaintext_atomically(store: Store, tmp_path: Path) -> None:
    artifact = store.put_artifact(b"hello", kind="raw", name="r", phi=True)
    destination = store.export_artifact(artifact.id, tmp_path / "out.txt")
    assert destination.read_bytes() == b"hello"
