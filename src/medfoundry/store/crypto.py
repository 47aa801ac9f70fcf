"""AES-256-GCM encryption of PHI artifacts, streamed in chunks.

File layout::

    magic "MFENC1\\n" | key check (16 bytes) | nonce prefix (8 bytes) | chunk size (4 bytes)
    then per chunk: ciphertext + 16-byte tag

Each chunk's nonce is the random prefix plus the chunk counter, and its associated
data binds the header, the counter and whether it is the last chunk, so reordering,
truncating, extending or editing the file fails authentication. The key check is an
HMAC of a constant under the key: a wrong key is told apart from a tampered file.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import stat
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from medfoundry.errors import StoreError, TamperedError, WrongKeyError

MAGIC = b"MFENC1\n"
CHUNK_SIZE = 1 << 20
TAG_SIZE = 16
_HEADER = struct.Struct(">16s8sI")
HEADER_SIZE = len(MAGIC) + _HEADER.size
KEY_BYTES = 32


def generate_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def encode_key(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


def decode_key(text: str, *, source: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except ValueError as exc:
        raise StoreError(f"the encryption key in {source} is not valid base64") from exc
    if len(key) != KEY_BYTES:
        raise StoreError(f"the encryption key in {source} is {len(key)} bytes; AES-256 needs {KEY_BYTES}")
    return key


def key_check(key: bytes) -> bytes:
    return hmac.new(key, b"medfoundry key check v1", hashlib.sha256).digest()[:16]


def key_id(key: bytes) -> str:
    """A short public fingerprint of a key, safe to print."""
    return key_check(key)[:4].hex()


def write_key_file(path: Path, key: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(encode_key(key) + "\n")


def key_file_mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _nonce(prefix: bytes, counter: int) -> bytes:
    return prefix + struct.pack(">I", counter)


def _aad(header: bytes, counter: int, last: bool) -> bytes:
    return header + struct.pack(">I?", counter, last)


def encrypt_stream(chunks: Iterable[bytes], out: BinaryIO, key: bytes) -> None:
    """Encrypt an iterable of plaintext pieces into ``out``, re-chunked to CHUNK_SIZE."""
    aead = AESGCM(key)
    prefix = os.urandom(8)
    header = MAGIC + _HEADER.pack(key_check(key), prefix, CHUNK_SIZE)
    out.write(header)
    counter = 0
    pending = bytearray()
    for piece in chunks:
        pending += piece
        while len(pending) > CHUNK_SIZE:
            block = bytes(pending[:CHUNK_SIZE])
            del pending[:CHUNK_SIZE]
            out.write(aead.encrypt(_nonce(prefix, counter), block, _aad(header, counter, False)))
            counter += 1
    out.write(aead.encrypt(_nonce(prefix, counter), bytes(pending), _aad(header, counter, True)))


def decrypt_stream(source: BinaryIO, key: bytes, *, name: str) -> Iterator[bytes]:
    """Yield plaintext chunks; raise on a wrong key or any modification."""
    header = source.read(HEADER_SIZE)
    if len(header) < HEADER_SIZE or not header.startswith(MAGIC):
        raise TamperedError(f"artifact {name} is not a medfoundry encrypted file (bad header)")
    check, prefix, chunk_size = _HEADER.unpack(header[len(MAGIC) :])
    if not hmac.compare_digest(check, key_check(key)):
        raise WrongKeyError(
            f"artifact {name} was encrypted with a different key than the one configured "
            f"(configured key id {key_id(key)})",
            hint="set MEDFOUNDRY_KEY or restore the home's key file that was used when it was stored",
        )
    aead = AESGCM(key)
    counter = 0
    block = source.read(chunk_size + TAG_SIZE)
    while True:
        following = source.read(chunk_size + TAG_SIZE)
        last = not following
        try:
            yield aead.decrypt(_nonce(prefix, counter), block, _aad(header, counter, last))
        except InvalidTag as exc:
            raise TamperedError(
                f"artifact {name} failed its integrity check at chunk {counter}: it was modified "
                "or truncated after it was written",
                hint="restore it from a backup; do not use its contents",
            ) from exc
        if last:
            return
        block = following
        counter += 1
