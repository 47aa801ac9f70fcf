"""The detector protocol, the registry of detectors, and the regex-table base class."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import ClassVar, NamedTuple

from medfoundry.deid.detectors.view import Digits, TextView, Words, text_view
from medfoundry.deid.spans import Span
from medfoundry.registry import Registry


def _wordish(char: str) -> bool:
    return char.isalnum() or char == "_"


class Detector:
    """Finds PHI spans in a text. Subclasses are small: constants plus ``find``."""

    name: ClassVar[str] = ""
    types: ClassVar[tuple[str, ...]] = ()

    def find(self, text: str) -> Iterator[Span]:
        raise NotImplementedError


DETECTORS: Registry[type[Detector]] = Registry("PHI detector")


def register(cls: type[Detector]) -> type[Detector]:
    """Class decorator: register a detector under its ``name``."""
    DETECTORS.register(cls.name, cls)
    return cls


class Pattern(NamedTuple):
    """One regex of a detector. ``boundary``: the match must start a word (checked in
    Python, so the regex can begin with a plain character class, which ``re`` scans for
    several times faster than a pattern that begins with ``\\b`` or a lookbehind).
    ``gate``: substrings of which one must occur in the (lowered) text for it to run.
    ``starts``: where every match of ``regex`` begins (in ASCII text), so the regex is
    tried there only instead of scanning the whole text (see ``view``): digit runs, words,
    or a function of the (lowered) text and its view for shapes those cannot say.
    ``fast_precheck``: on ASCII text, the same test as ``precheck``, on the digit runs.
    ``precheck_near``: ``(runs, before, after)``: every ``precheck`` match lies within ``before``
    characters before and ``after`` after the start of one of ``runs`` (the next character
    included, for a ``\\b``), so on ASCII text it is searched for in those windows only."""

    type: str
    regex: str
    boundary: bool = False
    gate: tuple[str, ...] = ()
    precheck: str = ""  # a cheap regex that must match somewhere for ``regex`` to run
    starts: Digits | Words | Callable[[str, TextView], list[int]] | None = None
    fast_precheck: tuple[Digits, ...] = ()
    precheck_near: tuple[Digits, int, int] | None = None


class PatternDetector(Detector):
    """A table of ``(type, regex)`` patterns with an optional ``validate`` hook.

    A pattern's group named ``phi`` (when present) is the span; otherwise the whole match.
    With ``lowercase = True`` the patterns (written in lowercase) run on ``text.lower()``,
    which is several times faster than ``re.IGNORECASE``; ``validate`` still gets the
    original text. ``gate``: substrings of which one must occur (lowercased) for the
    detector to run at all.
    """

    patterns: ClassVar[tuple[Pattern | tuple[str, str], ...]] = ()
    lowercase: ClassVar[bool] = False
    gate: ClassVar[tuple[str, ...]] = ()
    _compiled: ClassVar[list[tuple[Pattern, re.Pattern[str]]] | None] = None
    _prechecks: ClassVar[dict[str, re.Pattern[str]]] = {}

    @classmethod
    def compiled(cls) -> list[tuple[Pattern, re.Pattern[str]]]:
        if cls.__dict__.get("_compiled") is None:
            table = [p if isinstance(p, Pattern) else Pattern(*p) for p in cls.patterns]
            cls._compiled = [(p, re.compile(p.regex)) for p in table]
            cls._prechecks = {p.precheck: re.compile(p.precheck) for p in table if p.precheck}
        return cls._compiled or []

    def validate(self, match: re.Match[str], type_: str, text: str) -> str | None:
        """Return the span's type, or None to drop the match (``text`` is the original)."""
        return type_

    def matches(
        self, spec: Pattern, pattern: re.Pattern[str], subject: str, view: TextView
    ) -> Iterator[re.Match[str]]:
        """``pattern.finditer(subject)``, tried only at ``spec.starts`` where it can."""
        if view.fast and spec.starts:
            starts = spec.starts(subject, view) if callable(spec.starts) else view.starts(spec.starts)
            return matches_at(pattern, subject, starts)
        return pattern.finditer(subject)

    def _prechecked(self, spec: Pattern, subject: str, view: TextView) -> bool:
        """Whether ``spec.precheck`` matches somewhere in ``subject``."""
        precheck = self._prechecks[spec.precheck]
        if view.fast and spec.precheck_near is not None:
            runs, before, after = spec.precheck_near
            return any(precheck.search(subject, max(0, at - before), at + after) for at in view.starts(runs))
        return precheck.search(subject) is not None

    def find(self, text: str) -> Iterator[Span]:
        view = text_view(text)
        subject = view.lower if self.lowercase else text
        if self.gate and not view.has_any(self.gate, subject):
            return
        for spec, pattern in self.compiled():
            if spec.gate and not view.has_any(spec.gate, subject):
                continue
            if view.fast and spec.fast_precheck:
                if not any(view.starts(runs) for runs in spec.fast_precheck):
                    continue
            elif spec.precheck and not self._prechecked(spec, subject, view):
                continue
            for match in self.matches(spec, pattern, subject, view):
                if spec.boundary and match.start() and _wordish(subject[match.start() - 1]):
                    continue
                kept = self.validate(match, spec.type, text)
                if kept is None:
                    continue
                group = "phi" if "phi" in pattern.groupindex and match.group("phi") else 0
                start, end = match.span(group)
                if end > start:
                    yield Span(start, end, kept, self.name)


def matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer(text)`` yields when every match begins at one of ``starts``
    (sorted): the pattern is tried only there. For patterns that never match ``""``."""
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)):
            end = match.end()
            yield match


def preceding(text: str, start: int, width: int = 24) -> str:
    """The lowercase text just before ``start`` (for context-word checks)."""
    return text[max(0, start - width) : start].lower()
