from __future__ import annotations

import io
import os

import pytest

from medfoundry.errors import TamperedError, WrongKeyError
from medfoundry.store import crypto


def _encrypt(plaintext: bytes, key: bytes, piece: int = 100_000) -> bytes:
    out = io.BytesIO()
    crypto.encrypt_stream((plaintext[i : i + piece] for i in range(0, len(plaintext), piece)), out, key)
    return out.getvalue()


def _decrypt(blob: bytes, key: bytes) -> bytes:
    return b"".join(crypto.decrypt_stream(io.BytesIO(blob), key, name="test"))


@pytest.mark.parametrize("size", [0, 1, crypto.CHUNK_SIZE - 1, crypto.CHUNK_SIZE, 3 * crypto.CHUNK_SIZE + 17])
def test_round_trip_at_chunk_boundaries(size: int) -> None:
    key = crypto.generate_key()
    plaintext = os.urandom(size)
    blob = _encrypt(plaintext, key)
    if size >= 16:  # a byte or two of random plaintext turns up in any ciphertext by chance
        assert plaintext not in blob
    assert _decrypt(blob, key) == plaintext


def test_wrong_key_is_reported_as_such() -> None:
    blob = _encrypt(b"secret" * 10, crypto.generate_key())
    with pytest.raises(WrongKeyError, match="different key"):
        _decrypt(blob, crypto.generate_key())


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda b: b[:-1] + bytes([b[-1] ^ 1]), id="last-byte-flipped"),
        pytest.param(
            lambda b: b[: crypto.HEADER_SIZE + 5] + b"\x00" + b[crypto.HEADER_SIZE + 6 :], id="body-edit"
        ),
        pytest.param(lambda b: b[: -(crypto.CHUNK_SIZE // 2)], id="truncated"),
        pytest.param(lambda b: b + b"extra", id="extended"),
    ],
)
def test_any_modification_fails_loudly(tamper) -> None:  # type: ignore[no-untyped-def]
    key = crypto.generate_key()
    blob = _encrypt(os.urandom(2 * crypto.CHUNK_SIZE + 100), key)
    with pytest.raises(TamperedError):
        _decrypt(tamper(blob), key)


def test_dropping_a_whole_final_chunk_is_detected() -> None:
    key = crypto.generate_key()
    blob = _encrypt(os.urandom(2 * crypto.CHUNK_SIZE + 100), key)
    without_last = blob[: crypto.HEADER_SIZE + 2 * (crypto.CHUNK_SIZE + crypto.TAG_SIZE)]
    with pytest.raises(TamperedError):
        _decrypt(without_last, key)


def test_swapping_chunks_is_detected() -> None:
    key = crypto.generate_key()
    blob = _encrypt(os.urandom(3 * crypto.CHUNK_SIZE), key)
    step = crypto.CHUNK_SIZE + crypto.TAG_SIZE
    header, body = blob[: crypto.HEADER_SIZE], blob[crypto.HEADER_SIZE :]
    chunks = [body[i : i + step] for i in range(0, len(body), step)]
    chunks[0], chunks[1] = chunks[1], chunks[0]
    with pytest.raises(TamperedError):
        _decrypt(header + b"".join(chunks), key)


def test_not_an_encrypted_file() -> None:
    with pytest.raises(TamperedError, match="bad header"):
        _decrypt(b"plain text", crypto.generate_key())
