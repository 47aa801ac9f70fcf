"""``analyze_text``: every enabled detector over a text, overlaps merged."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

from medfoundry.deid.detectors import DEFAULT_DETECTORS, DETECTORS, Detector
from medfoundry.deid.detectors.known import matcher_for
from medfoundry.deid.spans import KnownPHI, Span, resolve_overlaps


class Analyzer:
    """A fixed set of detector instances; cheap to call many times."""

    def __init__(
        self,
        detectors: Sequence[str] = DEFAULT_DETECTORS,
        *,
        detector_options: Mapping[str, Mapping[str, object]] | None = None,
    ) -> None:
        options = detector_options or {}
        self.detectors: list[Detector] = [DETECTORS.get(name)(**options.get(name, {})) for name in detectors]

    def analyze(self, text: str, *, known: KnownPHI | None = None) -> list[Span]:
        found: list[Span] = []
        for detector in self.detectors:
            found.extend(detector.find(text))
        if known is not None and not known.is_empty():
            found.extend(matcher_for(known).find(text))
        return resolve_overlaps(found)


@functools.cache
def default_analyzer() -> Analyzer:
    return Analyzer()


def analyze_text(text: str, *, known: KnownPHI | None = None) -> list[Span]:
    """Find the PHI in ``text`` with the default detectors (and ``known`` identifiers).

    Returns non-overlapping spans sorted by start; offsets index into ``text``.
    """
    return default_analyzer().analyze(text, known=known)
