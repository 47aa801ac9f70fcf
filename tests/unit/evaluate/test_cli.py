"""``medfoundry eval`` end to end on a tiny local model: scorecards, gates, base models, compare."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from medfoundry.audit import lineage
from medfoundry.catalog.resolve import register_model
from medfoundry.catalog.tiny import build_tiny_model
from medfoundry.evaluate import latest_evaluation
from medfoundry.store.database import Store
from medfoundry.store.models import AuditEvent

from .conftest import CliRun
from .fixtures import write_custom, write_ddi, write_medqa

Cli = Callable[..., CliRun]


def test_benchmark_run_json_and_store(
    store: Store, run_cli: Cli, tiny_model_dir: Path, tmp_path: Path
) -> None:
    data = write_medqa(tmp_path / "medqa.jsonl", n=6)
    run = run_cli(
        "eval",
        "run",
        str(tiny_model_dir),
        "--benchmark",
        "medqa",
        "--data",
        str(data),
        "--limit",
        "4",
        "--json",
    )
    assert run.code == 0, run.stderr
    card = run.json()
    (result,) = card["benchmarks"]
    assert result["benchmark"] == "medqa" and result["n"] == 4
    assert set(result["metrics"]) == {"acc", "acc_norm"} and card["gates"] == [] and card["passed"] is None
    assert card["dtype"] == "float32" and card["note"]
    evaluation = latest_evaluation(store, card["model"]["id"])
    assert evaluation is not None and evaluation.id == card["id"] and evaluation.passed is None
    predictions = store.read_artifact(evaluation.artifact_id).decode().splitlines()
    assert len(predictions) == 4 and '"loglikelihoods"' in predictions[0]
    parents = {p.id for p in lineage.show(store, evaluation.id).parents}
    assert card["model"]["id"] in parents and f"source:{data}" in parents
    with store.sessions() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_id == evaluation.id)
        ).all()
    assert actions == ["evaluation.run"]
    assert (Path(card["report_dir"]) / "report.png").read_bytes()[:4] == b"\x89PNG"
    assert "<svg" in (Path(card["report_dir"]) / "report.html").read_text()


def test_failing_gate_exits_non_zero(
    store: Store, run_cli: Cli, tiny_model_dir: Path, tmp_path: Path
) -> None:
    gates = tmp_path / "gates.yaml"
    gates.write_text("absolute:\n  - medqa.acc >= 0.99\n  - medqa.acc_norm >= 0.0\n")
    data = write_medqa(tmp_path / "medqa.jsonl")
    run = run_cli(
        "eval",
        "run",
        str(tiny_model_dir),
        "--benchmark",
        "medqa",
        "--data",
        str(data),
        "--gates",
        str(gates),
        "--json",
    )
    assert run.code == 10, run.stderr  # GateFailed
    card = run.json()
    assert card["passed"] is False and [g["passed"] for g in card["gates"]] == [False, True]
    assert "medqa.acc >= 0.99" in run.stderr
    stored = latest_evaluation(store, card["model"]["id"])
    assert stored is not None and stored.passed is False


@pytest.mark.slow
def test_passing_gates_and_relative_to_base(
    store: Store, run_cli: Cli, tiny_model_dir: Path, tmp_path: Path
) -> None:
    base = register_model(store, str(tiny_model_dir), name="base")
    child_dir = build_tiny_model(tmp_path / "child", seed=1)
    child = register_model(store, str(child_dir), name="child", parent_id=base.id)
    gates = tmp_path / "gates.yaml"
    gates.write_text("absolute: ['ddi.micro_f1 >= 0.0']\nmax_drop_vs_base: 100\n")
    data = write_ddi(tmp_path / "ddi")
    run = run_cli(
        "eval", "run", child.id, "--benchmark", "ddi", "--data", str(data), "--gates", str(gates), "--json"
    )
    assert run.code == 0, run.stderr
    card = run.json()
    assert card["passed"] is True and card["base"]["model_id"] == base.id
    base_eval = latest_evaluation(store, base.id, "ddi")
    assert (
        base_eval is not None and card["base"]["evaluation_id"] == base_eval.id
    )  # the base was evaluated too
    (result,) = card["benchmarks"]
    assert result["n"] == 4 and set(result["metrics"]) == {"micro_f1", "accuracy"}
    assert {g["benchmark"] for g in card["gates"]} == {"ddi"}

    compare = run_cli("eval", "compare", base_eval.id, card["id"], "--json")
    assert compare.code == 0, compare.stderr
    rows = compare.json()["rows"]
    assert {r["metric"] for r in rows} == {"micro_f1", "accuracy"}
    assert all(r["delta"] == pytest.approx(r["b"] - r["a"]) for r in rows)


@pytest.mark.slow
def test_generative_benchmarks_run(
    store: Store, run_cli: Cli, tiny_model_dir: Path, shared_data: Path, tmp_path: Path
) -> None:
    bench = shared_data / "bench"
    for name, data, metrics in [
        ("ner-bc5cdr-chem", bench / "ner" / "BC5CDR-chem-IOB", {"f1", "precision", "recall"}),
        (
            "icd10",
            bench / "icd10" / "codiesp_sample",
            {"f1", "precision", "recall", "f1_category", "invalid_codes"},
        ),
        ("custom", write_custom(tmp_path / "mine.jsonl"), {"score", "acc", "exact_match", "rubric"}),
    ]:
        run = run_cli(
            "eval",
            "run",
            str(tiny_model_dir),
            "--benchmark",
            name,
            "--data",
            str(data),
            "--limit",
            "1" if name != "custom" else "4",
            "--json",
        )
        assert run.code == 0, run.stderr
        assert set(run.json()["benchmarks"][0]["metrics"]) == metrics


@pytest.mark.slow
def test_generate_mode_for_multiple_choice(
    store: Store, run_cli: Cli, tiny_model_dir: Path, tmp_path: Path
) -> None:
    data = write_medqa(tmp_path / "medqa.jsonl", n=2)
    run = run_cli(
        "eval",
        "run",
        str(tiny_model_dir),
        "--benchmark",
        "medqa",
        "--data",
        str(data),
        "--mode",
        "generate",
        "--chat",
        "--json",
    )
    assert run.code == 0, run.stderr
    assert run.json()["benchmarks"][0]["mode"] == "generate"


@pytest.mark.slow
def test_suite_run_and_list(store: Store, run_cli: Cli, tiny_model_dir: Path, shared_data: Path) -> None:
    run = run_cli(
        "eval",
        "run",
        str(tiny_model_dir),
        "--suite",
        "medical-mcq",
        "--limit",
        "2",
        "--dtype",
        "bfloat16",
        "--json",
    )
    assert run.code == 0, run.stderr
    card = run.json()
    assert [b["benchmark"] for b in card["benchmarks"]] == ["medqa", "medmcqa", "pubmedqa"]
    assert card["dtype"] == "bfloat16" and card["suite"] == "medical-mcq"
    listing = run_cli("eval", "list", "--json").json()
    assert "medical-core" in {s["name"] for s in listing["suites"]}


@pytest.mark.parametrize(
    "args,code,needle",
    [
        (["--benchmark", "medqaa", "--data", "x"], 3, "did you mean 'medqa'"),
        (["--benchmark", "medqa"], 2, "--data"),
        (["--suite", "nope"], 3, "no evaluation suite 'nope'"),
        (["--suite", "medical-core", "--benchmark", "medqa"], 2, "exactly one"),
    ],
)
def test_user_errors(
    store: Store, run_cli: Cli, tiny_model_dir: Path, args: list[str], code: int, needle: str
) -> None:
    run = run_cli("eval", "run", str(tiny_model_dir), *args)
    assert run.code == code and needle in run.stderr and "Traceback" not in run.stderr


def test_latest_evaluation_is_none_without_one(any_store: Store, tiny_model_dir: Path) -> None:
    model = register_model(any_store, str(tiny_model_dir))
    assert latest_evaluation(any_store, model.id) is None
