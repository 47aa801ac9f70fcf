"""The detector protocol, the registry of detectors, and the regex-table base class."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from medfoundry.deid.spans import Span
from medfoundry.registry import Registry


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


class PatternDetector(Detector):
    """A table of ``(type, regex)`` patterns with an optional ``validate`` hook.

    A pattern's group named ``phi`` (when present) is the span; otherwise the whole match.
    """

    patterns: ClassVar[tuple[tuple[str, str], ...]] = ()
    flags: ClassVar[int] = 0
    _compiled: ClassVar[list[tuple[str, re.Pattern[str]]] | None] = None

    @classmethod
    def compiled(cls) -> list[tuple[str, re.Pattern[str]]]:
        if cls.__dict__.get("_compiled") is None:
            cls._compiled = [(t, re.compile(p, cls.flags)) for t, p in cls.patterns]
        return cls._compiled or []

    def validate(self, match: re.Match[str], type_: str) -> str | None:
        """Return the span's type, or None to drop the match."""
        return type_

    def find(self, text: str) -> Iterator[Span]:
        for type_, pattern in self.compiled():
            for match in pattern.finditer(text):
                kept = self.validate(match, type_)
                if kept is None:
                    continue
                group = "phi" if "phi" in pattern.groupindex and match.group("phi") else 0
                start, end = match.span(group)
                if end > start:
                    yield Span(start, end, kept, self.name)


def preceding(text: str, start: int, width: int = 24) -> str:
    """The lowercase text just before ``start`` (for context-word checks)."""
    return text[max(0, start - width) : start].lower()
