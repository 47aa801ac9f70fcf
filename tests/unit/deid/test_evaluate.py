"""Scoring against gold spans: span (any overlap) and token level, per type."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from medfoundry.deid.analyzer import Analyzer
from medfoundry.deid.config import load_config
from medfoundry.deid.evaluate import (
    SAFE_HARBOR_IGNORED,
    EvalResult,
    GoldText,
    check_integrity,
    evaluate,
    read_gold,
    score,
    wilson,
)
from medfoundry.deid.operators import Context
from medfoundry.deid.spans import Span
from medfoundry.deid.textfile import deidentifier_for


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


# --- Wilson intervals, per-type precision, ignored labels, classes, integrity, top tokens ---


@pytest.mark.parametrize(
    ("successes", "total", "expected"),
    [
        (0, 0, (0.0, 1.0)),  # nothing counted: the whole interval
        (5, 10, (0.2366, 0.7634)),  # p=0.5: centre 0.5, half-width 1.96*sqrt(0.034604)/1.38416
        (10, 10, (0.7225, 1.0)),  # p=1: (1+0.19208)/1.38416 -/+ 0.13877
        (0, 10, (0.0, 0.2775)),
    ],
)
def test_wilson_interval_hand_computed(successes: int, total: int, expected: tuple[float, float]) -> None:
    low, high = wilson(successes, total)
    assert low == pytest.approx(expected[0], abs=1e-4) and high == pytest.approx(expected[1], abs=1e-4)


def test_scores_carry_confidence_intervals_and_precision_by_predicted_type() -> None:
    text = "wife maria called, Pain 7/10, seen by dr. bowman, PG 33445"
    gold = GoldText(
        "1",
        text,
        [(5, 10, "NAME.relative"), (42, 48, "NAME.clinician"), (53, 58, "PHONE.pager")],
        "relative_name",
    )
    predicted = [Span(5, 10, "NAME", "x"), Span(24, 28, "DATE", "x"), Span(42, 48, "NAME", "x")]
    result = EvalResult()
    score(gold, predicted, result, frozenset())
    document = result.to_dict()
    assert document["span_by_type"]["NAME"]["gold"] == 2 and document["span_by_type"]["NAME"]["found"] == 2
    assert document["span_by_type"]["NAME"]["precision"] == 1.0
    assert document["span_by_type"]["DATE"] == {
        "texts": 0, "gold": 0, "found": 0, "recall": 1.0, "recall_ci95": [0.0, 1.0],
        "predicted": 1, "correct": 0, "precision": 0.0, "precision_ci95": [0.0, 0.7935],
    }  # fmt: skip
    assert document["span_by_type"]["PHONE"]["recall"] == 0.0
    assert document["span_recall_by_subtype"]["PHONE.pager"]["found"] == 0
    assert document["span_recall_by_subtype"]["NAME.clinician"]["found"] == 1
    overall = document["span_overall"]
    assert (overall["gold"], overall["found"], overall["predicted"], overall["correct"]) == (3, 2, 3, 2)
    assert overall["recall_ci95"] == list(wilson(2, 3))
    assert document["span_by_class"]["relative_name"]["texts"] == 1
    assert document["span_by_class"]["relative_name"]["gold"] == 3
    assert document["top_false_positive_tokens"] == [{"token": "9/99", "count": 1}]
    assert document["top_false_negative_tokens"] == [{"token": "99999", "count": 1}]


def test_ignored_labels_are_neither_scored_nor_false_positives() -> None:
    text = "MI in '92, ohio, seen 7/6"
    gold = GoldText("1", text, [(6, 9, "DATE.year"), (11, 15, "LOCATION.state"), (22, 25, "DATE")])
    predicted = [Span(6, 9, "DATE", "x"), Span(22, 25, "DATE", "x")]
    result = EvalResult()
    score(gold, predicted, result, SAFE_HARBOR_IGNORED)
    document = result.to_dict()
    assert document["span_overall"]["gold"] == 1 and document["span_overall"]["predicted"] == 1
    assert document["span"]["fp"] == 0 and set(document["span_recall_by_type"]) == {"DATE"}
    assert "DATE.year" not in document["span_recall_by_subtype"]


def test_top_tokens_are_case_folded_and_counted_across_texts() -> None:
    result = EvalResult()
    for text in ("CO 5.2 PAP 38/20", "co 4.1, Pap 40/22"):
        spans = [Span(m.start(), m.end(), "NAME", "x") for m in re.finditer(r"(?i)\b(co|pap)\b", text)]
        score(GoldText("t", text, []), spans, result, frozenset())
    tokens = result.to_dict(top_tokens=1)["top_false_positive_tokens"]
    assert len(tokens) == 1 and tokens[0]["count"] == 2 and tokens[0]["token"] in {"co", "pap"}
    assert result.to_dict(top_tokens=0)["top_false_positive_tokens"] == []


def test_integrity_counts_changed_phi_free_texts_only() -> None:
    result = EvalResult()
    clean = GoldText("a", "Pain 7/10, Apgar 8/9.", [])
    check_integrity(clean, clean.text, [], result)
    changed = GoldText("b", "Hx Parkinson disease.", [])
    check_integrity(changed, "Hx Wilkinson disease.", [Span(3, 12, "NAME", "names")], result)
    with_phi = GoldText("c", "wife maria here", [(5, 10, "NAME")])
    check_integrity(with_phi, "wife [NAME] here", [Span(5, 10, "NAME", "names")], result)
    integrity = result.to_dict()["clinical_text_changed"]
    assert integrity["phi_free_texts"] == 2 and integrity["changed"] == 1
    assert integrity["examples"] == [
        {"id": "b", "changed": [{"value": "Parkinson", "type": "NAME", "detector": "names"}]}
    ]
    assert integrity["unchanged_share"]["value"] == 0.5


def test_evaluate_with_the_deidentifier_compares_output_bytes(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    rows = [
        {"id": "a", "text": "Lungs clear, SR 80s.", "spans": []},
        {
            "id": "b",
            "text": "Call 617-555-1234 today.",
            "spans": [],
        },  # gold says PHI-free: counted as changed
    ]
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows))
    config = load_config(None)
    engine = deidentifier_for(config)
    result = evaluate(
        gold,
        "spans-jsonl",
        engine.analyzer,
        deidentifier=engine,
        context_for=lambda text_id: Context(key=b"k" * 32, patient_id=text_id, date_offset_days=30),
    )
    integrity = result.to_dict()["clinical_text_changed"]
    assert integrity["phi_free_texts"] == 2 and integrity["changed"] == 1
    assert integrity["examples"][0]["id"] == "b"


def test_cli_eval_reports_each_corpus_with_integrity_and_top_tokens(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from medfoundry.cli.main import app

    hard = tmp_path / "hard.jsonl"
    hard.write_text(json.dumps({"id": "h", "text": "Seen by Dr. Okafor on 7/22.", "spans": [
        {"start": 12, "end": 18, "type": "NAME", "subtype": "clinician"}, {"start": 22, "end": 26, "type": "DATE"}],
        "class": "clinician_credential"}) + "\n")  # fmt: skip
    clean = tmp_path / "clean.jsonl"
    clean.write_text(json.dumps({"id": "c", "text": "Lungs clear, SR 80s.", "spans": []}) + "\n")
    result = CliRunner().invoke(app, ["deid", "eval", str(hard), str(clean), "--json", "--show-missed", "0"])
    assert result.exit_code == 0, result.output
    corpora = json.loads(result.stdout)["corpora"]
    assert set(corpora) == {"hard.jsonl", "clean.jsonl"}
    assert corpora["hard.jsonl"]["span_recall_by_subtype"]["NAME.clinician"]["found"] == 1
    assert corpora["hard.jsonl"]["span_by_class"]["clinician_credential"]["gold"] == 2
    assert corpora["clean.jsonl"]["clinical_text_changed"] == {
        "phi_free_texts": 1, "changed": 0, "unchanged_share": {"value": 1.0, "ci95": list(wilson(1, 1))}, "examples": []
    }  # fmt: skip
    assert "top_false_negative_tokens" in corpora["hard.jsonl"]
    text_mode = CliRunner().invoke(app, ["deid", "eval", str(hard), str(clean), "--show-missed", "0"])
    assert text_mode.exit_code == 0 and "clinical text changed: 0 of 1" in text_mode.output
