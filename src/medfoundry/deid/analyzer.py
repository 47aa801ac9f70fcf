"""``analyze_text``: every enabled detector over a text, overlaps merged.

Order: the detectors propose spans; a span that a clinical safe pattern covers is dropped
("Pain 7/10", "600x12"); a site's allow-list drops spans whose words it lists; the
patient's known identifiers and the site's deny-list add spans nothing can veto; then
overlaps merge.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from medfoundry.deid.detectors import DEFAULT_DETECTORS, DETECTORS, Detector
from medfoundry.deid.detectors.known import matcher_for
from medfoundry.deid.detectors.safe import drop_safe
from medfoundry.deid.spans import KnownPHI, Span, resolve_overlaps

if TYPE_CHECKING:
    from medfoundry.deid.config import DeidConfig

_WORDS = re.compile(r"[^\W_]+(?:['\u2019.-][^\W_]+)*")


class DenyList:
    """A site's always-PHI terms (type -> terms), found as whole words in any case."""

    def __init__(self, terms: Mapping[str, Iterable[str]]) -> None:
        self._patterns: list[tuple[str, re.Pattern[str]]] = []
        for type_, values in terms.items():
            words = sorted({v.strip() for v in values if v.strip()}, key=len, reverse=True)
            if words:
                body = "|".join(re.escape(w) for w in words)
                self._patterns.append((type_, re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)))

    def find(self, text: str) -> Iterator[Span]:
        for type_, pattern in self._patterns:
            for match in pattern.finditer(text):
                yield Span(match.start(), match.end(), type_, "deny_list")


class Analyzer:
    """A fixed set of detector instances; cheap to call many times.

    ``safe_patterns``: drop candidates a clinical measurement pattern covers.
    ``allow_list``: words and phrases that are never PHI at this site (any case); a span
    whose text, or every word of it, is listed is dropped. ``deny_list``: PHI type ->
    terms always reported as that type.
    """

    def __init__(
        self,
        detectors: Sequence[str] = DEFAULT_DETECTORS,
        *,
        detector_options: Mapping[str, Mapping[str, object]] | None = None,
        safe_patterns: bool = True,
        allow_list: Iterable[str] = (),
        deny_list: Mapping[str, Iterable[str]] | None = None,
        language: str = "en",
    ) -> None:
        options = detector_options or {}
        self.detectors: list[Detector] = [DETECTORS.get(name)(**options.get(name, {})) for name in detectors]
        self.safe_patterns = safe_patterns
        self.language = language
        self.allow = frozenset(term.strip().casefold() for term in allow_list if term.strip())
        self.deny = DenyList(deny_list) if deny_list else None

    @classmethod
    def from_config(cls, config: DeidConfig) -> Analyzer:
        options = {"hf": {"model": config.hf_model}} if config.hf_model else None
        return cls(
            config.detector_names(),
            detector_options=options,
            safe_patterns=config.safe_patterns,
            allow_list=config.allow_list,
            deny_list=config.deny_list,
        )

    def analyze(self, text: str, *, known: KnownPHI | None = None) -> list[Span]:
        found: list[Span] = []
        for detector in self.detectors:
            found.extend(detector.find(text))
        if found and self.safe_patterns:
            found = drop_safe(text, found, self.language)
        if found and self.allow:
            found = [span for span in found if not self._allowed(text[span.start : span.end])]
        if known is not None and not known.is_empty():
            found.extend(matcher_for(known).find(text))
        if self.deny is not None:
            found.extend(self.deny.find(text))
        return resolve_overlaps(found)

    def _allowed(self, value: str) -> bool:
        folded = value.strip().casefold()
        if folded in self.allow:
            return True
        words = _WORDS.findall(folded)
        return bool(words) and all(word in self.allow for word in words)


@functools.cache
def default_analyzer() -> Analyzer:
    return Analyzer()


def analyze_text(text: str, *, known: KnownPHI | None = None) -> list[Span]:
    """Find the PHI in ``text`` with the default detectors (and ``known`` identifiers).

    Returns non-overlapping spans sorted by start; offsets index into ``text``.
    """
    return default_analyzer().analyze(text, known=known)
