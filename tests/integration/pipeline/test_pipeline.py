"""The pipeline end to end on generated data and a tiny local model: resume, force, evidence."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from medfoundry.errors import ConfigError
from medfoundry.evidence import build_evidence_pack, verify_evidence_pack
from medfoundry.pipeline.runner import pipeline_status, run_pipeline
from medfoundry.pipeline.spec import load_pipeline_spec
from medfoundry.store.database import Store
from medfoundry.synth import SynthOptions, write_bulk_ndjson


def _spec(tmp_path: Path, base: str, **evaluate: Any) -> Path:
    export = tmp_path / "fhir"
    if not export.exists():
        write_bulk_ndjson(export, SynthOptions(patients=6, seed=11))
    spec = {
        "name": "test-pipeline",
        "source": {"path": "fhir"},
        "deid": {"executor": "serial"},
        "task": {"name": "patient-summary", "validation_fraction": 0.34, "max_source_chars": 600},
        "train": {"overrides": {"base_model": base, "max_steps": 3, "batch_size": 2, "max_seq_length": 1024}},
        "evaluate": {"task_eval_limit": 2, "max_new_tokens": 8, **evaluate},
        "deploy": {"enabled": False},
    }
    path = tmp_path / "pipeline.yaml"
    path.write_text(yaml.safe_dump(spec))
    return path


def test_invalid_spec_reports_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nsource: {}\ntask: {name: 3, validation_fraction: 2}\nextra: 1\n")
    with pytest.raises(ConfigError) as caught:
        load_pipeline_spec(bad)
    text = str(caught.value)
    assert "source" in text and "task.validation_fraction" in text and "extra" in text


@pytest.mark.slow
def test_pipeline_resumes_after_a_failure_and_packs_evidence(
    store: Store, tiny_model_dir: Path, tmp_path: Path
) -> None:
    # 1. a run that fails at training: the base model does not exist
    failing = load_pipeline_spec(_spec(tmp_path, str(tmp_path / "no-such-model")))
    first = run_pipeline(store, failing)
    states = {s.stage: s.state for s in first.stages}
    assert not first.ok
    assert states["build"] == "succeeded", [s.error for s in first.stages]
    assert states == {"ingest": "succeeded", "deid": "succeeded", "build": "succeeded", "train": "failed",
                      "evaluate": "skipped"}  # fmt: skip

    # 2. fixed: the finished stages are reused, training onwards runs
    fixed = load_pipeline_spec(_spec(tmp_path, str(tiny_model_dir)))
    second = run_pipeline(store, fixed)
    assert second.ok, [s.error for s in second.stages]
    assert [s.state for s in second.stages] == ["cached", "cached", "cached", "succeeded", "succeeded"]
    assert second.output("build") == first.output("build")
    status = {s.stage: s.state for s in pipeline_status(store, "test-pipeline")}
    assert status["train"] == "succeeded" and status["deploy"] == "not run"

    # 3. --from deid reruns de-identification and everything after it
    third = run_pipeline(store, fixed, from_stage="deid")
    assert [s.state for s in third.stages][:2] == ["cached", "succeeded"]

    # 4. the evidence pack of the trained model verifies, and any edit is caught
    model_id = second.output("train")["model"]
    pack = tmp_path / "evidence.zip"
    result = build_evidence_pack(store, model_id, pack)
    assert result.audit_events > 0
    report = verify_evidence_pack(pack)
    assert report.ok, report.problems
    names = zipfile.ZipFile(pack).namelist()
    assert {
        "model_card.md",
        "lineage.json",
        "manifest.json",
        "audit/events.jsonl",
        "audit/chain.jsonl",
    } <= set(names)
    assert any(n.startswith("datasets/") and n.endswith(".md") for n in names)
    assert any(n.startswith("evaluation/") and n.endswith("scorecard.json") for n in names)
    card = zipfile.ZipFile(pack).read("model_card.md").decode()
    assert "tiny random-weight stand-in" in card
    _tamper(pack, "model_card.md")
    tampered = verify_evidence_pack(pack)
    assert not tampered.ok and any("model_card.md" in p for p in tampered.problems)


def _tamper(pack: Path, name: str) -> None:
    with zipfile.ZipFile(pack) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    files[name] = files[name] + b"\nedited\n"
    with zipfile.ZipFile(pack, "w") as archive:
        for n, body in files.items():
            archive.writestr(n, body)


def test_evidence_proof_detects_an_edited_event(tmp_path: Path) -> None:
    from medfoundry.evidence.chain import check_proof

    event = {"seq": 1, "ts": "t", "actor": "a", "action": "x", "object_type": "model", "object_id": "mdl_1",
             "details": {}, "prev_hash": "0" * 64}  # fmt: skip
    from medfoundry.store.audit_log import canonical_json, event_hash

    event["hash"] = event_hash(1, "t", "a", "x", "model", "mdl_1", canonical_json({}), "0" * 64)
    links = [{"seq": 1, "prev_hash": "0" * 64, "hash": event["hash"]}]
    assert check_proof([event], links, str(event["hash"])) == []
    edited = {**event, "details": {"i": 1}}
    assert check_proof([edited], links, str(event["hash"]))
    assert check_proof([event], links, "f" * 64)  # wrong head
    assert json.dumps(event)  # plain JSON, as the pack stores it


@pytest.mark.slow
def test_compare_base_scores_the_base_on_the_same_patients_and_gates_against_it(
    store: Store, tiny_model_dir: Path, tmp_path: Path
) -> None:
    gates = tmp_path / "gates.yaml"
    gates.write_text("max_drop_vs_base: 0.0\n")
    spec = load_pipeline_spec(_spec(tmp_path, str(tiny_model_dir), compare_base=True, gates=str(gates)))
    run = run_pipeline(store, spec)
    assert run.output("train").get("model"), [s.error for s in run.stages]
    from sqlalchemy import select

    from medfoundry.store.models import Evaluation

    with store.session() as session:
        scorecard = session.scalars(select(Evaluation)).one().scorecard
    tuned = {b["benchmark"]: b for b in scorecard["benchmarks"]}["patient-summary"]
    base = scorecard["base"]["benchmarks"]["patient-summary"]
    assert base["n"] == tuned["n"] >= 1  # the same held-out examples
    (gate,) = scorecard["gates"]
    assert "below the base model" in gate["gate"]
    rouge_drop = tuned["metrics"]["rouge_l"] - base["metrics"]["rouge_l"]
    assert gate["passed"] is (rouge_drop >= 0)
    evaluate_state = {s.stage: s.state for s in run.stages}["evaluate"]
    assert evaluate_state == ("succeeded" if rouge_drop >= 0 else "failed")
