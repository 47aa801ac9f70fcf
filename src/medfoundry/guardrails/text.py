"""Text helpers shared by rules: normalisation and misspelling-tolerant phrase matching."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9']+")


def normalize(text: str) -> str:
    """Lowercase, strip accents, fold curly quotes; keeps offsets irrelevant (matching only)."""
    if text.isascii():  # the common case; NFKD over 4 KB costs more than every rule's matching
        return text.lower()
    text = (
        unicodedata.normalize("NFKD", text.replace("\u2019", "'")).encode("ascii", "ignore").decode("ascii")
    )
    return text.lower()


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


@lru_cache(maxsize=65536)
def _deletions(word: str) -> frozenset[str]:
    """The word and every string one character shorter (a symmetric-delete neighbourhood)."""
    return frozenset((word, *(word[:i] + word[i + 1 :] for i in range(len(word)))))


class TokenIndex:
    """Where each target word occurs (typo-tolerant) in a text's tokens; built once per text.

    Typo-tolerant lookups go through the words' one-deletion neighbourhoods, so a lookup
    costs a few dictionary probes however many distinct words the text has: two words
    within one edit of each other share a neighbour (a transposition too).
    """

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self._by_word: dict[str, list[int]] = {}
        for pos, token in enumerate(tokens):
            positions = self._by_word.get(token)
            if positions is None:
                self._by_word[token] = [pos]
            else:
                positions.append(pos)
        self._neighbours: dict[str, list[str]] | None = None
        self._cache: dict[tuple[str, bool], list[int]] = {}

    def _neighbourhood(self) -> dict[str, list[str]]:
        if self._neighbours is None:
            self._neighbours = {}
            for word in self._by_word:
                if len(word) >= 3:  # fuzzy targets have 4+ letters and lengths differ by at most 1
                    for variant in _deletions(word):
                        self._neighbours.setdefault(variant, []).append(word)
        return self._neighbours

    def positions(self, target: str, *, strict: bool = False) -> list[int]:
        key = (target, strict)
        found = self._cache.get(key)
        if found is None:
            if strict or len(target) < 4:
                found = self._by_word.get(target, [])
            else:
                neighbours = self._neighbourhood()
                candidates = {w for variant in _deletions(target) for w in neighbours.get(variant, ())}
                found = sorted(p for w in candidates if close_enough(w, target) for p in self._by_word[w])
            self._cache[key] = found
        return found

    @classmethod
    def of(cls, text: str) -> TokenIndex:
        return cls(words(text))


def contains_phrase(tokens: list[str] | TokenIndex, phrase: tuple[str, ...], *, window: int = 0) -> bool:
    """True when the words of ``phrase`` occur in order, each close enough, at most
    ``window`` extra words apart."""
    index = tokens if isinstance(tokens, TokenIndex) else TokenIndex(tokens)
    strict = len(phrase) == 1 and len(phrase[0]) < 7  # a lone short word ("stroke") must match exactly
    starts = index.positions(phrase[0], strict=strict)
    if not starts or len(phrase) == 1:
        return bool(starts)
    rest = [index.positions(part) for part in phrase[1:]]
    if not all(rest):
        return False
    for pos in starts:
        for positions in rest:
            nxt = next((p for p in positions if pos < p <= pos + 1 + window), None)
            if nxt is None:
                break
            pos = nxt
        else:
            return True
    return False
