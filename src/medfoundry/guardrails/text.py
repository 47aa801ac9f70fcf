"""Text helpers shared by rules: normalisation and misspelling-tolerant phrase matching."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
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


class _Vocabulary:
    """Every word rules look up (process-wide), with the one-deletion neighbourhoods of
    those long enough to match with a typo.

    Rules register their words once; a text's words then find the targets they are within
    one edit of by a few dictionary probes each, however many targets there are. Two
    words within one edit share a neighbour (a transposition too).
    """

    def __init__(self) -> None:
        self.words: frozenset[str] = frozenset()
        self.by_variant: dict[str, tuple[str, ...]] = {}
        self.version = 0
        self._lock = threading.Lock()

    def add(self, words: Iterable[str]) -> None:
        with self._lock:
            new = set(words) - self.words
            if not new:
                return
            for word in new:
                if len(word) >= 4:  # shorter words only ever match exactly
                    for variant in _deletions(word):  # tuples: readers never see one half-built
                        self.by_variant[variant] = (*self.by_variant.get(variant, ()), word)
            self.words = self.words | new
            self.version += 1


_VOCABULARY = _Vocabulary()


@lru_cache(maxsize=65536)
def _near_targets(word: str, version: int) -> tuple[str, ...]:
    """The registered targets within one edit of ``word`` (``version`` keys the cache to the
    vocabulary it was computed against; words recur across requests, so most are hits)."""
    by_variant = _VOCABULARY.by_variant
    return tuple(
        {
            target
            for variant in _deletions(word)
            for target in by_variant.get(variant, ())
            if close_enough(word, target)
        }
    )


def register_targets(phrases: Iterable[str]) -> None:
    """Index the words of ``phrases`` for lookups in texts (rules call this once)."""
    _VOCABULARY.add(word for phrase in phrases for word in phrase.split())


class TokenIndex:
    """Where each vocabulary word occurs (exactly or within one edit) in a text's tokens.

    Built once per text (and again only when new words are registered): one pass over
    the distinct tokens and one over the tokens, then every lookup is a dictionary probe.
    """

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self._version = -1
        self._positions: dict[str, list[int]] = {}
        self._near: dict[str, set[str]] = {}
        self._cache: dict[str, list[int]] = {}

    def _build(self) -> None:
        vocabulary = _VOCABULARY
        self._version = vocabulary.version
        distinct = set(self.tokens)
        near: dict[str, set[str]] = {}
        for word in distinct:
            if len(word) >= 3:  # targets have 4+ letters and lengths differ by at most 1
                for target in _near_targets(word, vocabulary.version):
                    near.setdefault(target, set()).add(word)
        wanted = (distinct & vocabulary.words).union(*near.values())
        positions: dict[str, list[int]] = {word: [] for word in wanted}
        for index, token in enumerate(self.tokens):
            found = positions.get(token)
            if found is not None:
                found.append(index)
        self._positions, self._near, self._cache = positions, near, {}

    def positions(self, target: str, *, strict: bool = False) -> list[int]:
        """Token positions of ``target`` (within one edit when it has 4+ letters, unless ``strict``)."""
        if target not in _VOCABULARY.words:
            _VOCABULARY.add((target,))
        if self._version != _VOCABULARY.version:
            self._build()
        if strict or len(target) < 4:
            return self._positions.get(target, [])
        found = self._cache.get(target)
        if found is None:
            found = sorted(p for word in self._near.get(target, ()) for p in self._positions[word])
            self._cache[target] = found
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
