"""What several detectors want to know about one text, worked out once per text.

The analyzer runs every detector on the same text object, so ``text_view`` keeps the
last text's view: its lowercase form, its words, where its digit runs and some words
start. The fast paths built on it hold for ASCII text only (there ``\\d`` is ``[0-9]``,
``\\s`` is one of ``SPACE`` and IGNORECASE folds only A-Z); for any other text ``fast``
is False and the detectors run their plain regex scans, the reference the fast paths
must agree with (tests turn ``FAST_PATHS`` off to compare the two).
"""

from __future__ import annotations

import functools
import string
from collections.abc import Iterable
from typing import NamedTuple

FAST_PATHS = True
SPACE = "".join(c for c in map(chr, range(128)) if c.isspace())  # what \s matches in ASCII
LETTERS = string.ascii_lowercase

# Byte tables: lowercase letters (digits) to themselves, any other byte to a space.
_LETTERS_ONLY = bytes(c if chr(c) in LETTERS else 32 for c in range(256))
_DIGITS_ONLY = bytes(c if chr(c) in string.digits else 32 for c in range(256))


# Opening quotes, brackets and Spanish opening marks that may stand between a sentence's end and its
# first word.
_OPENERS = " \t\"'¿¡(«"


def starts_sentence(text: str, at: int, ends: str = ".!?:\n") -> bool:
    """Whether the word at ``text[at]`` begins a sentence (or the text): only openers lie between it
    and one of ``ends``. Reads back from ``at`` without copying the text before it."""
    i = at
    while i > 0 and text[i - 1] in _OPENERS:
        i -= 1
    return i == 0 or text[i - 1] in ends


class Digits(NamedTuple):
    """Matches start at a run of ``least`` to ``most`` digits followed by one of ``then``
    (by anything, or the end, when empty), or ``lead`` letters before such a run; when
    ``first`` is given, the run begins with one of its digits."""

    least: int
    most: int = 10**6
    then: str = ""
    lead: int = 0
    first: str = ""


class Words(NamedTuple):
    """Matches start where one of ``words`` occurs in the lowercase text."""

    words: tuple[str, ...]


class TextView:
    def __init__(self, text: str) -> None:
        self.text = text
        self.fast = FAST_PATHS and text.isascii()
        lowered = text.lower()
        self.lower_keeps_length = len(lowered) == len(text)
        if not self.lower_keeps_length:  # a few non-ASCII letters grow when lowered: keep those
            lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        self.lower = lowered
        self._letters = ""
        self._words: frozenset[str] | None = None
        self._joined_words = ""
        self._runs: dict[tuple[int, str], list[int]] | None = None
        self._starts: dict[Digits | Words, list[int]] = {}
        self._has: dict[tuple[tuple[str, ...], bool], bool] = {}

    @property
    def letters(self) -> str:
        """The lowercase text with every character but a-z a space, between two spaces (for ASCII
        text, the character at ``i`` in ``lower`` is at ``i + 1`` here)."""
        if not self._letters:
            self._letters = " " + self.lower.encode().translate(_LETTERS_ONLY).decode() + " "
        return self._letters

    @property
    def words(self) -> frozenset[str]:
        """The maximal runs of letters in the lowercase text (ASCII text)."""
        if self._words is None:
            self._words = frozenset(self.letters.split())
        return self._words

    def word_starts(self, words: Iterable[str]) -> list[int]:
        """Where one of ``words`` (letters only) is a whole run of letters, in order (ASCII text)."""
        letters = self.letters
        found = []
        for word in words:
            needle = f" {word} "
            at = letters.find(needle)
            while at >= 0:
                found.append(at)  # the space before the word: the word's offset in ``lower``
                at = letters.find(needle, at + len(word) + 1)
        return sorted(found)

    def has_any(self, needles: tuple[str, ...], subject: str) -> bool:
        """Whether one of ``needles`` occurs in ``subject``: this text or ``lower``."""
        key = (needles, subject is self.text)
        found = self._has.get(key)
        if found is None:
            if self.fast and subject is self.lower:
                # a needle of letters a-z occurs only inside a run of letters: the words are shorter
                letters, others = _by_kind(needles)
                words = self.joined_words
                found = any(needle in words for needle in letters) or any(
                    needle in subject for needle in others
                )
            else:
                found = any(needle in subject for needle in needles)
            self._has[key] = found
        return found

    @property
    def joined_words(self) -> str:
        """The distinct ``words``, joined by spaces (ASCII text)."""
        if not self._joined_words:
            self._joined_words = " ".join(self.words)
        return self._joined_words

    def starts(self, anchor: Digits | Words) -> list[int]:
        """Where a match can start, in order (ASCII text)."""
        found = self._starts.get(anchor)
        if found is None:
            found = self._starts[anchor] = sorted(
                self._occurrences(anchor.words) if isinstance(anchor, Words) else self._digit_starts(anchor)
            )
        return found

    def _occurrences(self, words: tuple[str, ...]) -> set[int]:
        joined = self.joined_words
        found: set[int] = set()
        for word in words:
            if word.isalpha() and word not in joined:
                continue  # letters occur only inside a word; the words are shorter to search
            at = self.lower.find(word)
            while at >= 0:
                found.add(at)
                at = self.lower.find(word, at + 1)
        return found

    def _digit_runs(self) -> dict[tuple[int, str], list[int]]:
        """The starts of the digit runs, by the run's length and the character after it."""
        if self._runs is None:
            runs: dict[tuple[int, str], list[int]] = {}
            shape, at = self.lower.encode().translate(_DIGITS_ONLY), 0
            for digits in shape.split():  # faster than a regex scan, which makes a match per run
                start = shape.find(digits, at)
                at = start + len(digits)
                runs.setdefault((len(digits), self.lower[at : at + 1]), []).append(start)
            self._runs = runs  # only once complete: another thread may be reading this view
        return self._runs

    def _digit_starts(self, anchor: Digits) -> list[int]:
        lower = self.lower
        least, most, then, lead, first = anchor
        return [
            start - lead
            for (length, after), starts in self._digit_runs().items()
            if least <= length <= most and (not then or (after and after in then))
            for start in starts
            if (not lead or (start >= lead and lower[start - lead : start].isalpha()))
            and (not first or lower[start] in first)
        ]


@functools.lru_cache(maxsize=1024)
def _by_kind(needles: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``needles`` split into those of letters a-z only and the others."""
    letters = tuple(n for n in needles if n.isascii() and n.isalpha() and n.islower())
    return letters, tuple(n for n in needles if n not in letters)


_last: TextView | None = None


def text_view(text: str) -> TextView:
    """The view of ``text``, reused while the detectors work through the same text."""
    global _last
    view = _last
    if view is None or view.text is not text or view.fast != (FAST_PATHS and text.isascii()):
        view = _last = TextView(text)
    return view
