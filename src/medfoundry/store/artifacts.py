"""The content-addressed artifact store: files under the home, metadata in the database.

Files are addressed by the sha256 of their plaintext. PHI artifacts are encrypted at
rest (see ``crypto``); everything is streamed, so a multi-GB file never sits in memory.
Writes go to a temporary file first and are renamed into place, so an interrupted
write leaves nothing half-written behind.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from medfoundry.errors import NotFound, TamperedError
from medfoundry.store import crypto

READ_SIZE = 1 << 20


def iter_file(path: Path, size: int = READ_SIZE) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while piece := handle.read(size):
            yield piece


class _HashingIterator:
    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = chunks
        self.sha256 = hashlib.sha256()
        self.size = 0

    def __iter__(self) -> Iterator[bytes]:
        for piece in self._chunks:
            self.sha256.update(piece)
            self.size += len(piece)
            yield piece


class BlobStore:
    """Files on disk by content hash; knows nothing about the database."""

    def __init__(self, root: Path, key: bytes | None) -> None:
        self.root = root
        self._key = key

    def _relpath(self, sha256: str, encrypted: bool) -> str:
        suffix = ".enc" if encrypted else ""
        return f"sha256/{sha256[:2]}/{sha256}{suffix}"

    def write(self, chunks: Iterable[bytes], *, encrypt: bool) -> tuple[str, int, str]:
        """Store ``chunks``; returns (sha256, size, relpath)."""
        self.root.mkdir(parents=True, exist_ok=True)
        hashing = _HashingIterator(chunks)
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                if encrypt:
                    crypto.encrypt_stream(hashing, out, self._require_key())
                else:
                    for piece in hashing:
                        out.write(piece)
                out.flush()
                os.fsync(out.fileno())
            sha = hashing.sha256.hexdigest()
            relpath = self._relpath(sha, encrypt)
            final = self.root / relpath
            final.parent.mkdir(parents=True, exist_ok=True)
            if final.exists():
                tmp.unlink()
            else:
                os.replace(tmp, final)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return sha, hashing.size, relpath

    def read(self, relpath: str, *, encrypted: bool, name: str, expected_sha256: str) -> Iterator[bytes]:
        """Yield the plaintext; the content hash is checked when the stream ends."""
        path = self.root / relpath
        if not path.exists():
            raise NotFound(f"artifact file {path} is missing from the store", hint="restore it from a backup")
        digest = hashlib.sha256()
        if encrypted:
            with path.open("rb") as handle:
                for piece in crypto.decrypt_stream(handle, self._require_key(), name=name):
                    digest.update(piece)
                    yield piece
        else:
            for piece in iter_file(path):
                digest.update(piece)
                yield piece
        if digest.hexdigest() != expected_sha256:
            raise TamperedError(
                f"artifact {name} does not match its recorded sha256: the file was modified",
                hint="restore it from a backup; do not use its contents",
            )

    def _require_key(self) -> bytes:
        if self._key is None:
            from medfoundry.errors import StoreError

            raise StoreError(
                "no encryption key is configured, so PHI artifacts cannot be read or written",
                hint="run 'medfoundry init' or set MEDFOUNDRY_KEY",
            )
        return self._key

    def delete(self, relpath: str) -> None:
        (self.root / relpath).unlink(missing_ok=True)


@contextmanager
def staged_file(suffix: str = "") -> Iterator[tuple[Path, IO[Any]]]:
    """A temporary file for building an artifact before it is stored."""
    directory = tempfile.mkdtemp(prefix="medfoundry-")
    path = Path(directory) / f"staged{suffix}"
    try:
        with path.open("w+b") as handle:
            yield path, handle
    finally:
        shutil.rmtree(directory, ignore_errors=True)
