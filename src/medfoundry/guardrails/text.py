"""Text helpers shared by rules: normalisation and misspelling-tolerant phrase matching."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9']+")


def normalize(text: str) -> str:
    """Lowercase, strip accents, fold curly quotes; keeps offsets irrelevant (matching only)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return text.lower().replace("\u2019", "'")


def words(text: str) -> list[str]:
    return _WORD.findall(normalize(text).replace("'", ""))


@lru_cache(maxsize=65536)
def close_enough(word: str, target: str) -> bool:
    """Equal, or one edit (insert/delete/substitute/transpose) apart for words of 4+ letters."""
    if word == target:
        return True
    if len(target) < 4 or abs(len(word) - len(target)) > 1:
        return False
    return _edit_distance_at_most_one(word, target)


def _edit_distance_at_most_one(a: str, b: str) -> bool:
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def contains_phrase(tokens: list[str], phrase: tuple[str, ...], *, window: int = 0) -> bool:
    """True when the words of ``phrase`` occur in order, each close enough, at most
    ``window`` extra words apart."""
    first = phrase[0]
    strict = len(phrase) == 1 and len(first) < 7  # a lone short word ("stroke") must match exactly
    for start, token in enumerate(tokens):
        if not (token == first if strict else close_enough(token, first)):
            continue
        pos, ok = start, True
        for part in phrase[1:]:
            limit = min(len(tokens), pos + 2 + window)
            nxt = next((j for j in range(pos + 1, limit) if close_enough(tokens[j], part)), None)
            if nxt is None:
                ok = False
                break
            pos = nxt
        if ok:
            return True
    return False
