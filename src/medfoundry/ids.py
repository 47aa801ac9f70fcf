"""Object ids: a type prefix plus a sortable, random suffix (``dsv_01hx...``).

The prefix tells what an id names, so ``lineage show ID`` needs nothing else.
"""

from __future__ import annotations

import os
import time

PREFIXES = {
    "artifact": "art",
    "model": "mdl",
    "dataset": "ds",
    "dataset_version": "dsv",
    "job": "job",
    "evaluation": "evl",
    "deployment": "dep",
    "api_key": "key",
    "review_task": "rvt",
}
_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lowercase


def _b32(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_id(object_type: str) -> str:
    prefix = PREFIXES[object_type]
    millis = int(time.time() * 1000)
    randomness = int.from_bytes(os.urandom(10), "big")
    return f"{prefix}_{_b32(millis, 10)}{_b32(randomness, 16)}"


def object_type_of(object_id: str) -> str | None:
    prefix = object_id.split("_", 1)[0]
    for object_type, known in PREFIXES.items():
        if known == prefix:
            return object_type
    return None
