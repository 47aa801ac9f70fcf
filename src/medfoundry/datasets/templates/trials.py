"""Clinical trial matching: criteria + record → eligible / not eligible / unknown per criterion.

The user's criteria file (YAML) gives each criterion machine-checkable rules, so the
labels come from the record's structured data; a criterion the data cannot decide
is "unknown", which is what the model must learn to say too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError

from medfoundry.datasets.templates import facts
from medfoundry.datasets.templates.base import Example, TaskConfig, chat, clip
from medfoundry.errors import ConfigError
from medfoundry.ingest.records import PatientRecord

Status = Literal["eligible", "not eligible", "unknown"]
_LINE = re.compile(
    r"^\s*([A-Za-z0-9_.-]+)\s*:\s*(eligible|not eligible|unknown)\s*$", re.IGNORECASE | re.MULTILINE
)


class AgeRule(BaseModel):
    min: int | None = Field(default=None, description="Youngest eligible age in years.")
    max: int | None = Field(default=None, description="Oldest eligible age in years.")


class Rule(BaseModel):
    age: AgeRule | None = None
    condition: str | None = Field(default=None, description="A SNOMED code or words of the condition's name.")
    medication: str | None = Field(default=None, description="An RxNorm code or words of the drug's name.")


class Criterion(BaseModel):
    id: str
    kind: Literal["inclusion", "exclusion"]
    text: str
    rule: Rule | None = Field(default=None, description="Omit when the record cannot decide it (→ unknown).")


class CriteriaFile(BaseModel):
    trial: str
    criteria: list[Criterion] = Field(min_length=1)


def load_criteria(path: Path) -> CriteriaFile:
    try:
        return CriteriaFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise ConfigError(f"criteria file {path} does not exist") from None
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise ConfigError(problems, source=str(path)) from None


def _codes_and_names(resources: Iterable[dict[str, object]], field: str) -> tuple[set[str], str]:
    codes, names = set(), []
    for resource in resources:
        concept = resource.get(field)
        if isinstance(concept, dict):
            codes |= {str(c.get("code")) for c in concept.get("coding", [])}
            names.append(facts.display(concept).lower())
    return codes, " | ".join(names)


def _age(record: PatientRecord, today: date) -> int | None:
    birth = (record.patient or {}).get("birthDate")
    if not isinstance(birth, str) or len(birth) < 4 or not birth[:4].isdigit():
        return None
    return today.year - int(
        birth[:4]
    )  # year precision: de-identified birth dates keep only the year reliably


def evaluate_rule(rule: Rule | None, record: PatientRecord, today: date) -> bool | None:
    """True/False when the record decides the rule, None when it cannot."""
    if rule is None:
        return None
    results: list[bool] = []
    if rule.age is not None:
        age = _age(record, today)
        if age is None:
            return None
        results.append(
            (rule.age.min is None or age >= rule.age.min) and (rule.age.max is None or age <= rule.age.max)
        )
    for wanted, resources, field in (
        (rule.condition, record.resources.get("Condition", []), "code"),
        (rule.medication, record.resources.get("MedicationRequest", []), "medicationCodeableConcept"),
    ):
        if wanted:
            codes, names = _codes_and_names(resources, field)
            results.append(wanted in codes or wanted.lower() in names)
    return all(results) if results else None


def criterion_status(criterion: Criterion, record: PatientRecord, today: date) -> Status:
    met = evaluate_rule(criterion.rule, record, today)
    if met is None:
        return "unknown"
    eligible = met if criterion.kind == "inclusion" else not met
    return "eligible" if eligible else "not eligible"


def overall(statuses: Sequence[str]) -> str:
    if "not eligible" in statuses:
        return "not eligible"
    return "unknown" if "unknown" in statuses else "eligible"


def parse_statuses(text: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2).lower() for m in _LINE.finditer(text)}


class TrialMatching:
    name = "trial-matching"
    description = (
        "trial criteria + record → eligible / not eligible / unknown per criterion (needs --criteria)"
    )

    def examples(self, records: Iterable[PatientRecord], options: TaskConfig) -> Iterator[Example]:
        if options.criteria_file is None:
            raise ConfigError(
                "the trial-matching task needs a criteria file", hint="pass --criteria criteria.yaml"
            )
        trial = load_criteria(options.criteria_file)
        today = date.today()
        listing = "\n".join(f"{c.id} ({c.kind}): {c.text}" for c in trial.criteria)
        from medfoundry.ingest.render import render_record

        for record in records:
            statuses = [criterion_status(c, record, today) for c in trial.criteria]
            answer = "\n".join(f"{c.id}: {s}" for c, s in zip(trial.criteria, statuses, strict=True))
            answer += f"\nOverall: {overall(statuses)}"
            source = clip(render_record(record, notes=False), options.max_source_chars)
            prompt = f"Trial {trial.trial}. For each criterion answer eligible, not eligible or unknown.\n{listing}\n\n"
            yield Example(
                id=f"{record.patient_id}:trial:{trial.trial}",
                patient_id=record.patient_id,
                task=self.name,
                messages=chat(prompt + source, answer),
                source=source,
                meta={"labels": {c.id.lower(): s for c, s in zip(trial.criteria, statuses, strict=True)},
                      "overall": overall(statuses)},
            )  # fmt: skip

    def score(self, predictions: list[str], examples: list[Example]) -> dict[str, float]:
        per_criterion, overall_hits = [], []
        for prediction, example in zip(predictions, examples, strict=True):
            parsed = parse_statuses(prediction)
            labels = example.meta["labels"]
            per_criterion += [parsed.get(cid) == status for cid, status in labels.items()]
            overall_hits.append(parsed.get("overall") == example.meta["overall"])
        return {
            "criterion_accuracy": sum(per_criterion) / len(per_criterion) if per_criterion else 0.0,
            "overall_accuracy": sum(overall_hits) / len(overall_hits) if overall_hits else 0.0,
        }
