"""Text helpers shared by rules: normalisation, tokens with offsets, typo-tolerant lookups.

Typo tolerance maps a word the writer misspelled onto a lexicon word one edit away
("chset" → "chest"); it never maps a correctly spelled word onto another one ("can" is
not "cant", "want" is not "wont"): a token that is itself a known word (a registered
lexicon word or a language's common word) only ever matches exactly, and only words of
``FUZZY_MIN`` letters or more are matched with a typo at all.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import pairwise
from typing import Any

_WORD = re.compile(r"[a-z0-9']+")
FUZZY_MIN = 5  # shorter words (can/cant, die/dye) are too often another real word one edit away


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
    """Equal, or one edit (insert/delete/substitute/transpose) apart for words of ``FUZZY_MIN``+ letters."""
    if word == target:
        return True
    if len(target) < FUZZY_MIN or len(word) < FUZZY_MIN - 1 or abs(len(word) - len(target)) > 1:
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
        self.known: frozenset[str] = frozenset()  # correctly spelled words: matched exactly only
        self.by_variant: dict[str, tuple[str, ...]] = {}
        self.version = 0
        self._lock = threading.Lock()

    def add(self, words: Iterable[str]) -> None:
        with self._lock:
            new = set(words) - self.words
            if not new:
                return
            for word in new:
                if len(word) >= FUZZY_MIN:  # shorter words only ever match exactly
                    for variant in _deletions(word):  # tuples: readers never see one half-built
                        self.by_variant[variant] = (*self.by_variant.get(variant, ()), word)
            self.words = self.words | new
            self.version += 1

    def add_known(self, words: Iterable[str]) -> None:
        """Words that are spelled correctly (a language's common words): never read as a typo."""
        with self._lock:
            new = set(words) - self.known
            if new:
                self.known = self.known | new
                self.version += 1


_VOCABULARY = _Vocabulary()


@lru_cache(maxsize=65536)
def _near_targets(word: str, version: int) -> tuple[str, ...]:
    """The registered targets within one edit of ``word`` with the same first letter, unless
    ``word`` is itself a registered or known word (``version`` keys the cache to the
    vocabulary it was computed against; words recur across requests, so most are hits)."""
    if word in _VOCABULARY.words or word in _VOCABULARY.known:
        return (word,) if word in _VOCABULARY.words else ()
    by_variant = _VOCABULARY.by_variant
    return tuple(
        {
            target
            for variant in _deletions(word)
            for target in by_variant.get(variant, ())
            if word[0] == target[0] and close_enough(word, target)  # typos rarely hit the first letter
        }
    )


def register_targets(phrases: Iterable[str]) -> None:
    """Index the words of ``phrases`` for lookups in texts (rules call this once)."""
    _VOCABULARY.add(word for phrase in phrases for word in phrase.split())


def register_known_words(words: Iterable[str]) -> None:
    """Declare correctly spelled words, which typo tolerance must never map to another word."""
    _VOCABULARY.add_known(words)


def is_known(word: str) -> bool:
    """A registered lexicon word or a correctly spelled common word (never read as a typo)."""
    return word in _VOCABULARY.words or word in _VOCABULARY.known


COMPOUND_PART_MIN = 3  # "car" + "seat"; two-letter pieces ("at", "in") would split too many misspellings
# both pieces everyday words (wordfreq Zipf scale): "seat", "belt", "car", not "suff", "sock"
COMPOUND_PART_ZIPF = 4.0


@lru_cache(maxsize=65536)
def is_compound(word: str) -> bool:
    """Two everyday English words run together ("seatbelt" is seat + belt, "seatbelts" its plural,
    "carseat" car + seat): a dictionary lacks most closed compounds, and the head of one is the word
    it is, not a misspelled prefix ("seat" in "seatbelt" is no "sweat"). The pieces must be common
    (wordfreq, ``medfoundry.deid.lexicon.zipf``): rare dictionary words would split misspellings
    ("smotering" is no "smote" + "ring")."""
    from medfoundry.deid.lexicon import zipf

    def common(piece: str) -> bool:
        return len(piece) >= COMPOUND_PART_MIN and zipf(piece) >= COMPOUND_PART_ZIPF

    return any(
        common(word[:cut]) and (common(word[cut:]) or (word[-1] == "s" and common(word[cut:-1])))
        for cut in range(COMPOUND_PART_MIN, len(word) - COMPOUND_PART_MIN + 1)
    )


def near_targets(word: str) -> tuple[str, ...]:
    """The registered words ``word`` stands for: itself if registered, else the registered
    words one edit away when ``word`` is not a known word (a misspelling)."""
    return _near_targets(word, _VOCABULARY.version)


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
            if len(word) >= FUZZY_MIN - 1:  # targets have FUZZY_MIN+ letters; lengths differ by at most 1
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
        if strict or len(target) < FUZZY_MIN:
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


class _Fold(dict[int, str]):
    """Character → its lowercase, accent-free form, one character for one (offsets hold).

    Combining marks become an apostrophe, which tokens drop, so "e" + U+0301 reads as "e".
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        lowered = char.lower()
        if len(lowered) != 1:
            lowered = char
        if unicodedata.combining(char) or char in "\u2019\u2018\u02bc":
            folded = "'"
        else:
            base = unicodedata.normalize("NFKD", lowered)[:1]
            folded = base if base.isascii() and base.isalnum() else lowered
        self[code] = folded
        return folded


_FOLD = _Fold()
# Emoji that mark a laugh or a joke (Unicode CLDR names: face with tears of joy, rolling on the floor
# laughing, grinning squinting face, cat with tears of joy, upside-down face, winking face, the three
# faces with tongue; Emojipedia: used for laughter, irony or joking): each is a token of its own, so the
# packs can name them as they name "lol" ("I'm going to kill him" with an upside-down face is the hyperbole
# "kill him lol" is). Other emoji are not read.
LAUGH_EMOJI = "\U0001f602\U0001f923\U0001f606\U0001f639\U0001f643\U0001f609\U0001f61b\U0001f61c\U0001f61d"
# A run of letters/digits (apostrophes inside are dropped from the token); each CJK
# ideograph is a token of its own, since those languages do not put spaces between words.
_TOKEN = re.compile(rf"[\u3400-\u9fff\uf900-\ufaff{LAUGH_EMOJI}]|[^\W_\u3400-\u9fff\uf900-\ufaff][\w']*")
# ``[…][…]*`` and ``\n\n*`` are ``[…]+`` and ``\n+``: written so each branch begins with a
# character set, which lets the regex engine skip ahead to the next candidate (a faster split)
_SENTENCE_END = re.compile(
    r"[.!?;\u3002\uff01\uff1f\u061f][.!?;\u3002\uff01\uff1f\u061f]*(?=\s|$|[\"')\]])|\n\n*|[\u3002\uff01\uff1f]"
)
# The same two for folded text that is lowercase ASCII (``_plain``), where ``[^\W_]`` is ``[a-z0-9]``
# and the other branches cannot match: two to three times faster.
_TOKEN_ASCII = re.compile(r"[a-z0-9][a-z0-9_']*")
_SENTENCE_END_ASCII = re.compile(r"[.!?;][.!?;]*(?=\s|$|[\"')\]])|\n\n*")


def _plain(folded: str) -> bool:
    """Whether the ASCII patterns read ``folded`` as the general ones do: it is ASCII and lowercase
    (folding keeps an uppercase ASCII letter for a few symbols such as "\u2102")."""
    return folded.isascii() and folded.lower() == folded


def fold(text: str) -> str:
    """Lowercase and strip accents keeping every character's offset."""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD)


@dataclass(frozen=True)
class Tokens:
    """The words of one text with their sentence numbers (and, on demand, character offsets)."""

    words: tuple[str, ...]
    sentences: tuple[int, ...]
    folded: str

    @classmethod
    def of(cls, text: str) -> Tokens:
        folded = fold(text)
        token, sentence_end = (_TOKEN_ASCII, _SENTENCE_END_ASCII) if _plain(folded) else (_TOKEN, _SENTENCE_END)
        words: list[str] = []
        sentences: list[int] = []
        for number, part in enumerate(sentence_end.split(folded)):
            found = token.findall(part)
            if found:
                words.extend(found)
                sentences.extend([number] * len(found))
        if "'" in folded:
            kept = [(w.replace("'", ""), n) for w, n in zip(words, sentences, strict=True)]
            kept = [(w, n) for w, n in kept if w]
            words, sentences = [w for w, _ in kept], [n for _, n in kept]
        return cls(tuple(words), tuple(sentences), folded)

    @cached_property
    def positions(self) -> dict[str, list[int]]:
        """Each distinct word and where it occurs."""
        return self.positions_of(range(len(self.words)))

    @cached_property
    def word_pairs(self) -> tuple[tuple[str, str], ...]:
        """Each distinct pair of adjacent words, in text order (the n-gram models read them)."""
        return tuple(dict.fromkeys(pairwise(self.words)))

    def positions_of(self, indices: Iterable[int]) -> dict[str, list[int]]:
        """Each distinct word at ``indices`` (in order) and where among them it occurs."""
        words = self.words
        found: dict[str, list[int]] = {}
        for index in indices:
            word = words[index]
            at = found.get(word)
            if at is None:
                found[word] = [index]
            else:
                at.append(index)
        return found

    @cached_property
    def spans(self) -> list[tuple[int, int]]:
        """Each word's (start, end) character offsets in the text."""
        token = _TOKEN_ASCII if _plain(self.folded) else _TOKEN
        return [m.span() for m in token.finditer(self.folded) if m.group().replace("'", "")]

    @property
    def starts(self) -> list[int]:
        return [s for s, _ in self.spans]

    @property
    def ends(self) -> list[int]:
        return [e for _, e in self.spans]


def tokens_of(text: str, cache: dict[tuple[Any, ...], Any] | None) -> Tokens:
    """``Tokens.of(text)``, made once per request when given the request's cache
    (``InputContext.analyses``): the injection model, the concept scans and the other models
    read the same words."""
    if cache is None:
        return Tokens.of(text)
    key = ("tokens", text)
    tokens: Tokens | None = cache.get(key)
    if tokens is None:
        tokens = cache[key] = Tokens.of(text)
    return tokens
