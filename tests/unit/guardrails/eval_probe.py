"""A probe rule and a tiny hand-made case set whose every outcome is known in advance, shared by
the evaluation tests and the CLI tests of ``medfoundry guardrails eval``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from medfoundry.guardrails import GuardrailPipeline
from medfoundry.guardrails.base import RULES, Action, InputContext, Rule
from medfoundry.guardrails.policy import policy_from_dict


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


def probe_pipeline_ctx() -> Iterator[GuardrailPipeline]:
    """Register the probe rule for one test and build a pipeline of it alone."""
    RULES.register("eval_probe", ProbeRule, replace=True)
    try:
        yield GuardrailPipeline(policy_from_dict({"name": "probe", "rules": {"eval_probe": {}}}))
    finally:
        RULES._entries.pop("eval_probe", None)


def write_tiny_files(tmp_path: Path) -> list[Path]:
    cases = tmp_path / "tiny.report.yaml"
    cases.write_text(TINY)
    paraphrases = tmp_path / "paraphrases.report.yaml"
    paraphrases.write_text(PARAPHRASES)
    return [cases, paraphrases]
