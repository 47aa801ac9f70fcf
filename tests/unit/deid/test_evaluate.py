"""Scoring against gold spans: span (any overlap) and token level, per type."""

from __future__ import annotations

import json
from pathlib import Path

from medfoundry.deid.analyzer import Analyzer
from medfoundry.deid.evaluate import EvalResult, GoldText, evaluate, read_gold, score
from medfoundry.deid.spans import Span


def test_score_counts_overlaps_and_tokens() -> None:
    gold = GoldText(
        "1", "Dr John Smith saw Mary on 7/22", [(3, 13, "NAME"), (18, 22, "NAME"), (26, 30, "DATE")]
    )
    result = EvalResult()
    score(
        gold,
        [Span(3, 7, "NAME", "x"), Span(26, 30, "DATE", "x"), Span(0, 2, "NAME", "x")],
        result,
        frozenset(),
    )
    document = result.to_dict()
    assert document["span"]["tp"] == 2 and document["span"]["fn"] == 1 and document["span"]["fp"] == 1
    assert document["token"]["tp"] == 3 and document["token"]["fn"] == 2 and document["token"]["fp"] == 1
    assert [m["value"] for m in result.missed] == ["Mary"]


def test_spans_jsonl_round_trip(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    text = "Call 617-555-1234 on 07/22/2019."
    gold.write_text(
        json.dumps(
            {
                "id": "a",
                "text": text,
                "spans": [{"start": 5, "end": 17, "type": "PHONE"}, {"start": 21, "end": 31, "type": "DATE"}],
            }
        )
        + "\n"
    )
    result = evaluate(gold, "spans-jsonl", Analyzer())
    assert result.to_dict()["span"]["recall"] == 1.0 and result.to_dict()["span"]["precision"] == 1.0


def test_presidio_format_on_shared_data(shared_data: Path, tmp_path: Path) -> None:
    samples = json.loads((shared_data / "deid" / "synth_dataset_v2.json").read_text())[:40]
    subset = tmp_path / "subset.json"
    subset.write_text(json.dumps(samples))
    texts = list(read_gold(subset, "presidio-json"))
    assert len(texts) == 40 and all(t.text[s:e] for t in texts for s, e, _ in t.spans)
    document = evaluate(subset, "presidio-json", Analyzer()).to_dict()
    assert document["span"]["recall"] > 0.5 and document["span"]["precision"] > 0.7
