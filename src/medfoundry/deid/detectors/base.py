"""The detector protocol, the registry of detectors, and the regex-table base class."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar, NamedTuple

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
    ``gate``: substrings of which one must occur in the (lowered) text for it to run."""

    type: str
    regex: str
    boundary: bool = False
    gate: tuple[str, ...] = ()
    precheck: str = ""  # a cheap regex that must match somewhere for ``regex`` to run


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

    def find(self, text: str) -> Iterator[Span]:
        subject = text
        if self.lowercase:
            subject = text.lower()
            if len(subject) != len(text):  # a few non-ASCII letters change length when lowered
                subject = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        if self.gate and not any(g in subject for g in self.gate):
            return
        for spec, pattern in self.compiled():
            if spec.gate and not any(g in subject for g in spec.gate):
                continue
            if spec.precheck and not self._prechecks[spec.precheck].search(subject):
                continue
            for match in pattern.finditer(subject):
                if spec.boundary and match.start() and _wordish(subject[match.start() - 1]):
                    continue
                kept = self.validate(match, spec.type, text)
                if kept is None:
                    continue
                group = "phi" if "phi" in pattern.groupindex and match.group("phi") else 0
                start, end = match.span(group)
                if end > start:
                    yield Span(start, end, kept, self.name)


def preceding(text: str, start: int, width: int = 24) -> str:
    """The lowercase text just before ``start`` (for context-word checks)."""
    return text[max(0, start - width) : start].lower()
