"""Measuring a guardrail policy on a labelled message set: sensitivity and specificity with CIs.

Each case is a user message (or a chat with roles) and the outcome it must draw:
``escalate`` (an emergency), ``refuse`` (a denied topic), ``block`` (prompt injection) or
``allow``. Cases run through ``GuardrailPipeline.check_input`` exactly as the chat API
calls it: the contents of every turn, with the turns' roles where the pipeline accepts them.

Three file shapes load: the evaluation set (``version``/``split``/``cases``, see
``tests/data/guardrails/README.md``), its paraphrase files (``groups`` of three rewordings
that must stay caught) and the red-team list (``tests/redteam/cases.yaml``).

Reports hold ids, classes, outcomes and rule actions, never message text.
"""

from __future__ import annotations

import inspect
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from medfoundry.errors import ConfigError, MedfoundryError, NotFound
from medfoundry.guardrails.base import GuardrailRejected
from medfoundry.guardrails.pipeline import GuardrailPipeline, InputVerdict

Expected = Literal["escalate", "allow", "refuse", "block"]
SECTIONS = ("emergency", "denied_topics", "injection", "phi")
# The action each section's positives must draw; a negative "passes" when it does not draw it.
SECTION_ACTION = {"emergency": "escalate", "denied_topics": "refuse", "injection": "block", "phi": "redact"}
INTERVENTIONS = frozenset({"escalate", "refuse", "block", "reject", "error"})
_DENIED_CLASSES = {"controlled_substance_dose", "denied_topic"}
_INJECTION_CLASSES = {"injection"}
_PHI_CLASSES = {"phi", "phi_leak"}
Z95 = 1.959963984540054
# The emergency classes of issue 14 (item 1), as the evaluation set names them.
EMERGENCY_CLASSES = (
    "cardiac",
    "stroke",
    "anaphylaxis",
    "severe_bleeding",
    "respiratory_distress",
    "sepsis_meningitis",
    "infant_fever",
    "poisoning",
    "overdose",
    "seizure",
    "head_injury",
    "diabetic",
    "pregnancy",
    "suicide_self_harm",
    "homicidal",
    "heat_cold",
    "drowning",
    "electrocution",
    "airway_burn",
    "acute_abdomen",
    "torsion",
    "pe_dissection",
)
CSSRS_CONSTRUCTS = ("wish", "thoughts", "method", "intent", "plan", "preparatory")


# --- the case file models ---------------------------------------------------------------


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["system", "user", "assistant", "developer", "tool"]
    content: str


class CaseRecord(BaseModel):
    """One message of the evaluation set (see tests/data/guardrails/README.md)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    id: str = Field(min_length=1)
    language: str = Field(min_length=2, max_length=8)
    expected: Expected
    accept: list[Literal["escalate", "refuse", "block"]] = Field(default_factory=list)
    class_: str = Field(alias="class", min_length=1)
    subclass: str | None = None
    context: str | None = None
    tags: list[str] = Field(default_factory=list)
    text: str | None = None
    turns: list[Turn] | None = None

    @model_validator(mode="after")
    def _one_message(self) -> CaseRecord:
        if (self.text is None) == (self.turns is None):
            raise ValueError("give exactly one of 'text' or 'turns'")
        if self.turns is not None and not any(t.role == "user" for t in self.turns):
            raise ValueError("'turns' needs at least one user turn")
        return self


class ParaphraseGroup(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    of: str = Field(min_length=1)
    class_: str = Field(alias="class", min_length=1)
    language: str = Field(min_length=2, max_length=8)
    rewordings: list[str] = Field(min_length=1)


class RedTeamRecord(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    category: str
    input: str
    expected: Literal["redact", "escalate", "refuse", "block", "none"]


# --- loaded cases and outcomes ----------------------------------------------------------


@dataclass(frozen=True)
class EvalCase:
    """A case ready to run; ``texts``/``roles`` are what the chat API hands the pipeline."""

    id: str
    section: str
    expected: str  # escalate | allow | refuse | block | redact
    cls: str
    language: str
    texts: tuple[str, ...]
    roles: tuple[str, ...]
    accept: frozenset[str] = frozenset()
    subclass: str | None = None
    context: str | None = None
    tags: tuple[str, ...] = ()
    source: str = ""
    paraphrase_of: str | None = None

    @property
    def positive(self) -> bool:
        return self.expected != "allow"


@dataclass(frozen=True)
class CaseOutcome:
    case: EvalCase
    got: tuple[str, ...]  # sorted outcomes: escalate, refuse, block, redact, reject, error, or allow
    rules: tuple[dict[str, Any], ...]  # the pipeline's actions (no raw text by contract)

    @property
    def correct(self) -> bool:
        case = self.case
        if not case.positive:
            return not INTERVENTIONS.intersection(self.got)
        return case.expected in self.got or bool(case.accept.intersection(self.got))


@dataclass(frozen=True)
class Rate:
    """``k`` of ``n`` with the 95% Wilson score interval."""

    k: int
    n: int

    @property
    def rate(self) -> float | None:
        return self.k / self.n if self.n else None

    @property
    def ci95(self) -> tuple[float, float] | None:
        return wilson_interval(self.k, self.n)

    def to_dict(self) -> dict[str, Any]:
        ci = self.ci95
        return {
            "k": self.k,
            "n": self.n,
            "rate": None if self.rate is None else round(self.rate, 4),
            "ci95": None if ci is None else [round(ci[0], 4), round(ci[1], 4)],
        }


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval for ``k`` successes in ``n`` trials (None when ``n`` is 0)."""
    if n <= 0:
        return None
    if not 0 <= k <= n:
        raise ValueError(f"k={k} must lie in 0..n={n}")
    p = k / n
    denom = 1 + z * z / n
    center = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, center - half), min(1.0, center + half)


# --- loading ----------------------------------------------------------------------------


def section_of(cls: str, expected: str) -> str:
    if expected == "escalate":
        return "emergency"
    if expected == "refuse" or cls in _DENIED_CLASSES:
        return "denied_topics"
    if expected == "block" or cls in _INJECTION_CLASSES:
        return "injection"
    if expected == "redact" or cls in _PHI_CLASSES:
        return "phi"
    return "emergency"


def _problems(exc: ValidationError, where: str) -> list[str]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        out.append(f"{where}{'.' + loc if loc else ''}: {err['msg']}")
    return out


def load_eval_file(path: Path | str) -> list[EvalCase]:
    """Read one case file of any of the three shapes; errors name the file and the case."""
    path = Path(path)
    if not path.is_file():
        raise NotFound(f"case file {path} does not exist", hint="see tests/data/guardrails/README.md")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}", source=str(path)) from exc
    if isinstance(data, list):
        return _redteam_cases(data, path)
    if isinstance(data, dict) and isinstance(data.get("cases"), list):
        return _set_cases(data["cases"], path)
    if isinstance(data, dict) and isinstance(data.get("groups"), list):
        return _paraphrase_cases(data["groups"], path)
    raise ConfigError(
        "expected a mapping with 'cases' (evaluation set) or 'groups' (paraphrases), "
        "or a list of red-team cases",
        source=str(path),
        hint="see tests/data/guardrails/README.md for the format",
    )


def _set_cases(items: list[Any], path: Path) -> list[EvalCase]:
    cases: list[EvalCase] = []
    problems: list[str] = []
    for index, item in enumerate(items):
        where = f"cases[{index}]" + (f" (id {item.get('id')})" if isinstance(item, dict) else "")
        try:
            record = CaseRecord.model_validate(item)
        except ValidationError as exc:
            problems.extend(_problems(exc, where))
            continue
        if record.turns is not None:
            texts = tuple(t.content for t in record.turns)
            roles = tuple(t.role for t in record.turns)
        else:
            texts, roles = (record.text or "",), ("user",)
        cases.append(
            EvalCase(
                id=record.id,
                section=section_of(record.class_, record.expected),
                expected=record.expected,
                cls=record.class_,
                language=record.language,
                texts=texts,
                roles=roles,
                accept=frozenset(record.accept),
                subclass=record.subclass,
                context=record.context,
                tags=tuple(record.tags),
                source=path.name,
            )
        )
    if problems:
        raise ConfigError(problems, source=str(path))
    return cases


def _paraphrase_cases(items: list[Any], path: Path) -> list[EvalCase]:
    cases: list[EvalCase] = []
    problems: list[str] = []
    for index, item in enumerate(items):
        try:
            group = ParaphraseGroup.model_validate(item)
        except ValidationError as exc:
            problems.extend(_problems(exc, f"groups[{index}]"))
            continue
        for number, text in enumerate(group.rewordings, start=1):
            cases.append(
                EvalCase(
                    id=f"{group.of}/p{number}",
                    section="emergency",
                    expected="escalate",
                    cls=group.class_,
                    language=group.language,
                    texts=(text,),
                    roles=("user",),
                    source=path.name,
                    paraphrase_of=group.of,
                )
            )
    if problems:
        raise ConfigError(problems, source=str(path))
    return cases


def _redteam_cases(items: list[Any], path: Path) -> list[EvalCase]:
    cases: list[EvalCase] = []
    problems: list[str] = []
    for index, item in enumerate(items):
        try:
            record = RedTeamRecord.model_validate(item)
        except ValidationError as exc:
            problems.extend(_problems(exc, f"[{index}]"))
            continue
        expected = "allow" if record.expected == "none" else record.expected
        cases.append(
            EvalCase(
                id=record.id,
                section=section_of(record.category, expected),
                expected=expected,
                cls=record.category,
                language="en",
                texts=(record.input,),
                roles=("user",),
                source=path.name,
            )
        )
    if problems:
        raise ConfigError(problems, source=str(path))
    return cases


def load_eval_files(paths: Iterable[Path | str]) -> list[EvalCase]:
    """Every case of every file; ids must be unique across the files."""
    cases: list[EvalCase] = []
    seen: dict[str, str] = {}
    duplicates: list[str] = []
    for path in paths:
        for case in load_eval_file(path):
            if case.id in seen:
                duplicates.append(f"id '{case.id}' is in {seen[case.id]} and {case.source}")
            seen[case.id] = case.source
            cases.append(case)
    if duplicates:
        raise ConfigError(duplicates, hint="give every case a unique id")
    return cases


# --- running ----------------------------------------------------------------------------

Checker = Callable[[Sequence[str], Sequence[str]], InputVerdict]


def chat_checker(pipeline: GuardrailPipeline) -> Checker:
    """``check_input`` as the chat API calls it: every turn's content, plus the roles when the
    pipeline takes them (a pipeline without roles reads every turn, as the API then did)."""
    takes_roles = "roles" in inspect.signature(pipeline.check_input).parameters

    def check(texts: Sequence[str], roles: Sequence[str]) -> InputVerdict:
        if takes_roles:
            checked: InputVerdict = cast(Any, pipeline).check_input(list(texts), list(roles))
            return checked
        return pipeline.check_input(list(texts))

    return check


def outcomes_of(verdict: InputVerdict) -> tuple[str, ...]:
    got = {a.action for a in verdict.actions if a.action in {"escalate", "refuse", "block", "redact"}}
    if verdict.escalation:
        got.add("escalate")
    if verdict.decision in ("refuse", "block"):
        got.add(verdict.decision)
    return tuple(sorted(got)) or ("allow",)


def run_case(check: Checker, case: EvalCase) -> CaseOutcome:
    try:
        verdict = check(case.texts, case.roles)
    except GuardrailRejected:
        return CaseOutcome(case, ("reject",), ())
    except MedfoundryError as exc:
        return CaseOutcome(case, ("error",), ({"error": type(exc).__name__},))
    rules = tuple(a.to_dict() for a in verdict.actions)
    return CaseOutcome(case, outcomes_of(verdict), rules)


def evaluate(pipeline: GuardrailPipeline, cases: Sequence[EvalCase]) -> EvaluationReport:
    check = chat_checker(pipeline)
    return EvaluationReport([run_case(check, case) for case in cases])


# --- the report ---------------------------------------------------------------------------


def _sens_spec(outcomes: Sequence[CaseOutcome], action: str) -> dict[str, Rate]:
    """Sensitivity: positives handled; specificity: negatives that did not draw ``action``."""
    positives = [o for o in outcomes if o.case.positive]
    negatives = [o for o in outcomes if not o.case.positive]
    return {
        "sensitivity": Rate(sum(o.correct for o in positives), len(positives)),
        "specificity": Rate(sum(action not in o.got for o in negatives), len(negatives)),
    }


def _by(
    outcomes: Sequence[CaseOutcome], key: Callable[[CaseOutcome], Iterable[str]]
) -> dict[str, list[CaseOutcome]]:
    groups: dict[str, list[CaseOutcome]] = defaultdict(list)
    for outcome in outcomes:
        for name in key(outcome):
            groups[name].append(outcome)
    return dict(sorted(groups.items()))


def _rates(rates: dict[str, Rate]) -> dict[str, Any]:
    return {name: rate.to_dict() for name, rate in rates.items()}


@dataclass
class EvaluationReport:
    outcomes: list[CaseOutcome] = field(default_factory=list)

    def section(self, name: str, *, paraphrases: bool = False) -> list[CaseOutcome]:
        return [
            o
            for o in self.outcomes
            if o.case.section == name and (o.case.paraphrase_of is not None) == paraphrases
        ]

    @property
    def errors(self) -> list[CaseOutcome]:
        return [o for o in self.outcomes if not o.correct]

    def section_summary(self, name: str) -> dict[str, Any]:
        outcomes = self.section(name)
        action = SECTION_ACTION[name]
        negatives = [o for o in outcomes if not o.case.positive]
        summary: dict[str, Any] = _rates(_sens_spec(outcomes, action))
        summary["false_intervention"] = Rate(
            sum(bool(INTERVENTIONS.intersection(o.got)) for o in negatives), len(negatives)
        ).to_dict()
        summary["per_class"] = {
            cls: _rates(_sens_spec(group, action))
            for cls, group in _by(outcomes, lambda o: [o.case.cls]).items()
        }
        summary["per_language"] = {
            lang: _rates(_sens_spec(group, action))
            for lang, group in _by(outcomes, lambda o: [o.case.language]).items()
        }
        summary["per_tag"] = {
            tag: _rates(_sens_spec(group, action))
            for tag, group in _by(outcomes, lambda o: o.case.tags).items()
        }
        summary["per_subclass"] = {
            sub: _rates(_sens_spec(group, action))
            for sub, group in _by(
                [o for o in outcomes if o.case.positive],
                lambda o: [o.case.subclass] if o.case.subclass else [],
            ).items()
        }
        summary["per_context"] = {
            ctx: Rate(sum(action not in o.got for o in group), len(group)).to_dict()
            for ctx, group in _by(negatives, lambda o: [o.case.context] if o.case.context else []).items()
        }
        return summary

    def paraphrase_summary(self) -> dict[str, Any]:
        outcomes = [o for o in self.outcomes if o.case.paraphrase_of is not None]
        groups = _by(outcomes, lambda o: [o.case.paraphrase_of or ""])
        return {
            "rewordings": Rate(sum(o.correct for o in outcomes), len(outcomes)).to_dict(),
            "groups_all_caught": Rate(
                sum(all(o.correct for o in g) for g in groups.values()), len(groups)
            ).to_dict(),
            "per_class": {
                cls: Rate(sum(o.correct for o in g), len(g)).to_dict()
                for cls, g in _by(outcomes, lambda o: [o.case.cls]).items()
            },
        }

    def overall(self) -> dict[str, Any]:
        main = [o for o in self.outcomes if o.case.paraphrase_of is None]
        positives = [o for o in main if o.case.positive]
        negatives = [o for o in main if not o.case.positive]
        return {
            "sensitivity": Rate(sum(o.correct for o in positives), len(positives)).to_dict(),
            "specificity": Rate(sum(o.correct for o in negatives), len(negatives)).to_dict(),
            "false_escalation": Rate(sum("escalate" in o.got for o in negatives), len(negatives)).to_dict(),
        }

    def to_dict(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "cases": len(self.outcomes),
            "overall": self.overall(),
            "false_escalation_rate": self.overall()["false_escalation"]["rate"],
        }
        for name in SECTIONS:
            if self.section(name):
                document[name] = self.section_summary(name)
        if any(o.case.paraphrase_of for o in self.outcomes):
            document["paraphrase"] = self.paraphrase_summary()
        document["errors"] = [error_record(o) for o in self.errors]
        return document


def error_record(outcome: CaseOutcome) -> dict[str, Any]:
    """A wrong outcome, without the message text."""
    case = outcome.case
    record: dict[str, Any] = {
        "id": case.id,
        "expected": case.expected,
        "got": list(outcome.got),
        "class": case.cls,
        "section": case.section,
        "language": case.language,
        "rules": list(outcome.rules),
    }
    if case.context:
        record["context"] = case.context
    if case.paraphrase_of:
        record["paraphrase_of"] = case.paraphrase_of
    return record
