"""``medfoundry guardrails eval``: JSON without message text, the human error listing, Markdown,
thresholds, and the project's evaluation set through the real default policy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medfoundry.cli.main import app
from medfoundry.errors import GateFailed, NotFound
from medfoundry.guardrails import GuardrailPipeline
from tests.unit.guardrails.eval_probe import probe_pipeline_ctx, write_tiny_files

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture()
def probe_pipeline() -> Iterator[GuardrailPipeline]:
    yield from probe_pipeline_ctx()


@pytest.fixture()
def tiny_files(tmp_path: Path) -> list[Path]:
    return write_tiny_files(tmp_path)


def test_cli_json_has_the_numbers_and_no_message_text(
    probe_pipeline: GuardrailPipeline, tiny_files: list[Path], tmp_path: Path
) -> None:
    policy = tmp_path / "probe.yaml"
    policy.write_text("name: probe\nrules:\n  eval_probe: {}\n")
    result = CliRunner().invoke(
        app, ["guardrails", "eval", *map(str, tiny_files), "--policy", str(policy), "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["overall"]["sensitivity"]["k"] == 6
    assert doc["emergency"]["per_class"]["cardiac"]["sensitivity"]["n"] == 2
    assert doc["files"] == [str(f) for f in tiny_files]
    assert "quiet miss" not in result.stdout and "wrongly" not in result.stdout


def test_cli_lists_the_errors_with_their_text_and_gates_on_thresholds(
    probe_pipeline: GuardrailPipeline, tiny_files: list[Path], tmp_path: Path
) -> None:
    policy = tmp_path / "probe.yaml"
    policy.write_text("name: probe\nrules:\n  eval_probe: {}\n")
    runner = CliRunner()
    result = runner.invoke(app, ["guardrails", "eval", str(tiny_files[0]), "--policy", str(policy)])
    assert result.exit_code == 0, result.output
    assert "4 errors" in result.output
    assert "e2" in result.output and "a quiet miss" in result.output
    assert "expected allow, got escalate" in result.output

    gated = runner.invoke(
        app,
        [
            "guardrails",
            "eval",
            str(tiny_files[0]),
            "--policy",
            str(policy),
            "--json",
            "--min-sensitivity",
            "0.9",
        ],
    )
    assert isinstance(gated.exception, GateFailed) and gated.exception.exit_code == 10
    assert "emergency sensitivity 0.7500 < --min-sensitivity 0.9" in gated.exception.message
    passing = runner.invoke(
        app,
        [
            "guardrails", "eval", str(tiny_files[0]), "--policy", str(policy), "--json",
            "--min-sensitivity", "0.7", "--max-false-escalation", "0.25",
        ],
    )  # fmt: skip
    assert passing.exit_code == 0, passing.output
    class_gate = runner.invoke(
        app,
        ["guardrails", "eval", str(tiny_files[0]), "--policy", str(policy), "--min-class-sensitivity", "0.9"],
    )
    assert isinstance(class_gate.exception, GateFailed)
    assert "class cardiac sensitivity 0.5000" in class_gate.exception.message


def test_cli_unknown_policy_name_says_what_to_give(tiny_files: list[Path]) -> None:
    result = CliRunner().invoke(app, ["guardrails", "eval", str(tiny_files[0]), "--policy", "no-such-policy"])
    assert isinstance(result.exception, NotFound) and result.exception.exit_code == 3
    assert "no-such-policy" in result.exception.message


def test_cli_markdown_tables_have_the_numbers(
    probe_pipeline: GuardrailPipeline, tiny_files: list[Path], tmp_path: Path
) -> None:
    policy = tmp_path / "probe.yaml"
    policy.write_text("name: probe\nrules:\n  eval_probe: {}\n")
    result = CliRunner().invoke(
        app, ["guardrails", "eval", *map(str, tiny_files), "--policy", str(policy), "--markdown"]
    )
    assert result.exit_code == 0, result.output
    assert "| emergency | 3/4 = 0.750 [0.301, 0.954] | 2/3 = 0.667 [0.208, 0.939] |" in result.stdout
    assert "| cardiac | 1/2 = 0.500" in result.stdout
    assert "| paraphrase rewordings | 2/3 = 0.667" in result.stdout
    assert "quiet miss" not in result.stdout


def test_the_project_report_half_runs_through_the_default_policy_without_errors() -> None:
    files = sorted((ROOT / "tests/data/guardrails").glob("*.report.yaml"))
    result = CliRunner().invoke(
        app, ["guardrails", "eval", *map(str, files), "--policy", "default", "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["emergency"]["sensitivity"]["n"] >= 150
    assert doc["emergency"]["specificity"]["n"] >= 150
    assert doc["paraphrase"]["rewordings"]["n"] >= 60
    assert not [e for e in doc["errors"] if "error" in e["got"]]  # every case ran; none failed closed
    assert len(doc["emergency"]["per_class"]) == 22


def test_policy_names_resolve_to_the_builtin_default_and_shipped_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from medfoundry.cli.guardrails import resolve_policy
    from medfoundry.guardrails import Policy

    monkeypatch.chdir(ROOT)
    assert resolve_policy("default") == Policy()
    shipped = resolve_policy("patient-facing")
    assert shipped.name == "patient-facing"
    assert resolve_policy("configs/guardrails/clinician.yaml").audience == "clinician"
