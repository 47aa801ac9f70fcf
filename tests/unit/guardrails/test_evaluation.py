"""The guardrail evaluation: loading the case shapes, running cases as the chat API does, and
the metrics with Wilson intervals, checked against hand-computed numbers on a tiny set.

A probe rule (registered only here) reacts to marker words, so every outcome of the tiny set is
known in advance whatever the shipped rules do.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from medfoundry.cli.main import app
from medfoundry.errors import ConfigError, GateFailed, NotFound
from medfoundry.guardrails import GuardrailPipeline
from medfoundry.guardrails.base import RULES, Action, InputContext, Rule
from medfoundry.guardrails.evaluation import (
    EvalCase,
    chat_checker,
    evaluate,
    load_eval_file,
    load_eval_files,
    wilson_interval,
)
from medfoundry.guardrails.policy import policy_from_dict

ROOT = Path(__file__).resolve().parents[3]


class ProbeRule(Rule):
    """Escalates, refuses or blocks when a marker word is in any text it is given."""

    name: ClassVar[str] = "eval_probe"

    def check_input(self, ctx: InputContext) -> None:
        joined = " ".join(ctx.texts)
        if "PROBE-ESCALATE" in joined:
            ctx.escalation = True
            ctx.actions.append(Action(self.name, "escalate", {"class": "probe"}))
        if "PROBE-REFUSE" in joined:
            ctx.actions.append(Action(self.name, "refuse", {"topic": "probe"}))
            ctx.stop("refuse", "refused")
        if "PROBE-BLOCK" in joined:
            ctx.actions.append(Action(self.name, "block", {"score": 1.0}))
            ctx.stop("block", "blocked")


@pytest.fixture()
def probe_pipeline() -> Iterator[GuardrailPipeline]:
    RULES.register("eval_probe", ProbeRule, replace=True)
    try:
        yield GuardrailPipeline(policy_from_dict({"name": "probe", "rules": {"eval_probe": {}}}))
    finally:
        RULES._entries.pop("eval_probe", None)


TINY = """
version: 1
split: report
cases:
- {id: e1, language: en, expected: escalate, class: cardiac, tags: [caregiver], text: "PROBE-ESCALATE chest words"}
- {id: e2, language: en, expected: escalate, class: cardiac, tags: [misspelled], text: "a quiet miss"}
- {id: e3, language: es, expected: escalate, class: stroke, tags: [], text: "PROBE-ESCALATE palabras"}
- id: e4
  language: en
  expected: escalate
  class: stroke
  tags: [multi_turn]
  turns:
  - {role: system, content: "you are a clinic assistant"}
  - {role: user, content: "first question"}
  - {role: assistant, content: "an answer"}
  - {role: user, content: "later PROBE-ESCALATE"}
- {id: n1, language: en, expected: allow, class: cardiac, context: history, tags: [], text: "fine"}
- {id: n2, language: en, expected: allow, class: cardiac, context: negation, tags: [], text: "PROBE-ESCALATE but benign"}
- {id: n3, language: en, expected: allow, class: stroke, context: education, tags: [], text: "fine too"}
- {id: d1, language: en, expected: refuse, class: controlled_substance_dose, tags: [], text: "PROBE-REFUSE"}
- {id: d2, language: en, expected: refuse, accept: [escalate], class: controlled_substance_dose, tags: [], text: "PROBE-ESCALATE"}
- {id: d3, language: en, expected: refuse, class: controlled_substance_dose, tags: [], text: "missed dose question"}
- {id: d4, language: en, expected: allow, class: controlled_substance_dose, context: general_info, tags: [], text: "PROBE-REFUSE wrongly"}
- {id: i1, language: en, expected: block, class: injection, tags: [], text: "PROBE-BLOCK"}
- {id: i2, language: en, expected: allow, class: injection, context: system_word, tags: [], text: "hello"}
"""

PARAPHRASES = """
version: 1
split: report
groups:
- of: e1
  class: cardiac
  language: en
  rewordings: ["PROBE-ESCALATE one", "PROBE-ESCALATE two", "missed three"]
"""


@pytest.fixture()
def tiny_files(tmp_path: Path) -> list[Path]:
    cases = tmp_path / "tiny.report.yaml"
    cases.write_text(TINY)
    paraphrases = tmp_path / "paraphrases.report.yaml"
    paraphrases.write_text(PARAPHRASES)
    return [cases, paraphrases]


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [  # hand-computed: (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), z = 1.96
        (8, 10, 0.4902, 0.9433),
        (0, 10, 0.0, 0.2775),
        (5, 5, 0.5655, 1.0),
        (3, 4, 0.3006, 0.9544),
        (1, 5, 0.0362, 0.6245),
    ],
)
def test_wilson_interval_matches_hand_computed_values(k: int, n: int, low: float, high: float) -> None:
    got = wilson_interval(k, n)
    assert got is not None
    assert got[0] == pytest.approx(low, abs=1e-4)
    assert got[1] == pytest.approx(high, abs=1e-4)


def test_wilson_interval_of_nothing_is_none_and_bad_counts_fail() -> None:
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        wilson_interval(6, 5)


def test_metrics_on_the_tiny_set(probe_pipeline: GuardrailPipeline, tiny_files: list[Path]) -> None:
    report = evaluate(probe_pipeline, load_eval_files(tiny_files))
    doc = report.to_dict()

    emergency = doc["emergency"]
    assert (emergency["sensitivity"]["k"], emergency["sensitivity"]["n"]) == (3, 4)
    assert emergency["sensitivity"]["ci95"] == pytest.approx([0.3006, 0.9544], abs=1e-4)
    assert (emergency["specificity"]["k"], emergency["specificity"]["n"]) == (2, 3)
    assert emergency["specificity"]["ci95"] == pytest.approx([0.2077, 0.9385], abs=1e-4)
    assert emergency["per_class"]["cardiac"]["sensitivity"]["rate"] == 0.5
    assert emergency["per_class"]["cardiac"]["specificity"]["rate"] == 0.5
    assert emergency["per_class"]["stroke"]["sensitivity"]["rate"] == 1.0
    assert emergency["per_class"]["stroke"]["specificity"]["rate"] == 1.0
    assert emergency["per_language"]["es"]["sensitivity"]["k"] == 1
    assert emergency["per_tag"]["misspelled"]["sensitivity"]["k"] == 0
    assert emergency["per_tag"]["multi_turn"]["sensitivity"]["k"] == 1
    assert emergency["per_context"]["negation"]["k"] == 0

    denied = doc["denied_topics"]
    assert (denied["sensitivity"]["k"], denied["sensitivity"]["n"]) == (2, 3)  # d2 counts: accept escalate
    assert (denied["specificity"]["k"], denied["specificity"]["n"]) == (0, 1)
    injection = doc["injection"]
    assert (injection["sensitivity"]["k"], injection["specificity"]["k"]) == (1, 1)

    overall = doc["overall"]
    assert (overall["sensitivity"]["k"], overall["sensitivity"]["n"]) == (6, 8)
    assert overall["sensitivity"]["ci95"] == pytest.approx([0.4093, 0.9285], abs=1e-4)
    assert (overall["specificity"]["k"], overall["specificity"]["n"]) == (3, 5)
    assert (overall["false_escalation"]["k"], overall["false_escalation"]["n"]) == (1, 5)
    assert doc["false_escalation_rate"] == 0.2

    paraphrase = doc["paraphrase"]
    assert (paraphrase["rewordings"]["k"], paraphrase["rewordings"]["n"]) == (2, 3)
    assert (paraphrase["groups_all_caught"]["k"], paraphrase["groups_all_caught"]["n"]) == (0, 1)

    errors = {e["id"]: e for e in doc["errors"]}
    assert set(errors) == {"e2", "n2", "d3", "d4", "e1/p3"}
    assert errors["n2"]["expected"] == "allow"
    assert errors["n2"]["got"] == ["escalate"]
    assert errors["n2"]["class"] == "cardiac"
    assert errors["n2"]["rules"] == [{"rule": "eval_probe", "action": "escalate", "class": "probe"}]
    assert errors["d4"]["got"] == ["refuse"]
    assert errors["e2"]["got"] == ["allow"]


def test_chat_cases_reach_the_pipeline_with_their_roles() -> None:
    calls: list[tuple[list[str], list[str] | None]] = []

    class RecordingPipeline:
        def check_input(self, texts: list[str], roles: list[str] | None = None) -> object:
            calls.append((texts, roles))
            raise ConfigError("stop here")

    check = chat_checker(RecordingPipeline())  # type: ignore[arg-type]
    case = load_eval_file(ROOT / "tests/data/guardrails/benign.report.yaml")
    chat = next(c for c in case if c.context == "system_prompt")
    with pytest.raises(ConfigError):
        check(chat.texts, chat.roles)
    assert calls[0][1] is not None and calls[0][1][0] == "system" and calls[0][1][-1] == "user"
    assert len(calls[0][0]) == len(calls[0][1])


def test_single_text_cases_are_one_user_turn(tiny_files: list[Path]) -> None:
    cases = {c.id: c for c in load_eval_file(tiny_files[0])}
    assert cases["e1"].texts == ("PROBE-ESCALATE chest words",) and cases["e1"].roles == ("user",)
    assert cases["e4"].roles == ("system", "user", "assistant", "user")


def test_the_redteam_file_loads_with_none_as_allow() -> None:
    cases = load_eval_file(ROOT / "tests/redteam/cases.yaml")
    assert len(cases) >= 100
    assert {c.expected for c in cases} <= {"allow", "escalate", "refuse", "block", "redact"}
    assert {c.section for c in cases} == {"emergency", "denied_topics", "injection", "phi"}
    benign = [c for c in cases if c.cls == "benign"]
    assert benign and all(c.expected == "allow" for c in benign)


def test_a_bad_record_names_the_file_the_case_and_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: 1\ncases:\n"
        "- {id: ok, language: en, expected: allow, class: cardiac, text: fine}\n"
        "- {id: broken, language: en, expected: maybe, class: cardiac, text: fine}\n"
        "- {id: both, language: en, expected: allow, class: cardiac}\n"
    )
    with pytest.raises(ConfigError) as info:
        load_eval_file(bad)
    message = info.value.message
    assert "bad.yaml" in message
    assert "cases[1] (id broken).expected" in message
    assert "cases[2] (id both)" in message and "exactly one of 'text' or 'turns'" in message


def test_duplicate_ids_across_files_are_refused(tmp_path: Path, tiny_files: list[Path]) -> None:
    copy = tmp_path / "copy.yaml"
    copy.write_text(tiny_files[0].read_text())
    with pytest.raises(ConfigError, match=r"id .e1. is in tiny\.report\.yaml and copy\.yaml"):
        load_eval_files([tiny_files[0], copy])


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
    assert "overall sensitivity 0.7500 < --min-sensitivity 0.9" in gated.exception.message
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


def test_evalcase_positive_flag() -> None:
    case = EvalCase(
        id="x",
        section="emergency",
        expected="allow",
        cls="cardiac",
        language="en",
        texts=("a",),
        roles=("user",),
    )
    assert not case.positive
