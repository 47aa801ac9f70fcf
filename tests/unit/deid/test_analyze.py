"""``analyze_text``: the interface the serving guardrail calls."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from medfoundry.deid import Span, analyze_text


def test_span_is_a_frozen_dataclass() -> None:
    span = Span(0, 3, "NAME", "name")
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = 1  # type: ignore[misc]
    assert span.to_dict() == {"start": 0, "end": 3, "type": "NAME", "detector": "name"}


def test_telegraphic_note() -> None:
    text = "pt seen by dr okafor at st brendan hosp 3/14, wife marta at bedside. AFIB, INR 2.3, q2h."
    got = {(text[s.start : s.end], s.type) for s in analyze_text(text)}
    assert got == {("okafor", "NAME"), ("st brendan hosp", "LOCATION"), ("3/14", "DATE"), ("marta", "NAME")}


def test_spans_are_sorted_disjoint_and_inside_the_text() -> None:
    text = "Mr. John Smith, 93 yo, MRN 12345678, seen 7/22/2019 at Boston Medical Center; call 617-555-1234."
    spans = analyze_text(text)
    assert spans == sorted(spans)
    for a, b in itertools.pairwise(spans):
        assert a.end <= b.start
    types = {s.type for s in spans}
    assert {"NAME", "AGE", "MRN", "DATE", "LOCATION", "PHONE"} <= types


def test_empty_and_phi_free_text() -> None:
    assert analyze_text("") == []
    assert analyze_text("No acute distress. Lungs clear bilaterally. Continue metoprolol 25 mg bid.") == []
