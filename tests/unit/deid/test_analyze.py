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


def test_nursing_note_keeps_its_abbreviations() -> None:
    text = (
        "Neuro: A&Ox3, MAE, follows commands. CV: NSR 80s, SBP 110-130s, Lopressor held. Resp: LS clear, "
        "sats 95% on 2L NC. GI: Abd soft, +BS, tolerating PO. GU: Foley draining clear yellow urine. "
        "ID: Tmax 100.2, Vanco and Zosyn continued. Social: Wife in to visit, updated by Dr. Chen. "
        "Plan: Cont tele, f/u Echo, Cardiology consult, PT/OT eval. Dilaudid 1mg IV q3h prn. Dispo: floor."
    )
    assert [(text[s.start : s.end], s.type) for s in analyze_text(text)] == [("Chen", "NAME")]
