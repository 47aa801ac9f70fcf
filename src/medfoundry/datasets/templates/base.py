"""The task-template protocol and registry."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from medfoundry.ingest.records import PatientRecord
from medfoundry.registry import Registry

SYSTEM_PROMPT = (
    "You are a clinical documentation assistant. Use only facts present in the record you are given; "
    "if something is not in the record, say it is not documented."
)


@dataclass(frozen=True)
class TaskConfig:
    """What a template may need besides the records (files the user supplies)."""

    criteria_file: Path | None = None  # trial matching
    qa_file: Path | None = None  # clinical QA
    max_examples_per_patient: int = 8
    max_source_chars: int = (
        3000  # the rendered record in a prompt is cut to this (fits small context windows)
    )


TaskOptions = TaskConfig  # the older name


@dataclass
class Example:
    id: str
    patient_id: str
    task: str
    messages: list[dict[str, str]]
    source: str = ""  # the text the answer must be faithful to (kept for evaluation)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def reference(self) -> str:
        return self.messages[-1]["content"]

    def prompt_messages(self) -> list[dict[str, str]]:
        return self.messages[:-1]

    def to_row(self, split: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "patient_id": self.patient_id,
            "task": self.task,
            "messages": self.messages,
            "source": self.source,
            "meta": self.meta,
            "split": split,
        }


class TaskTemplate(Protocol):
    name: str
    description: str

    def examples(self, records: Iterable[PatientRecord], options: TaskConfig) -> Iterator[Example]: ...

    def score(self, predictions: list[str], examples: list[Example]) -> dict[str, float]: ...


class PerRecordTemplate:
    """A template whose examples come from one record at a time."""

    def examples(self, records: Iterable[PatientRecord], options: TaskConfig) -> Iterator[Example]:
        for record in records:
            yield from self.record_examples(record, options)

    def record_examples(self, record: PatientRecord, options: TaskConfig) -> Iterator[Example]:
        raise NotImplementedError


task_templates: Registry[TaskTemplate] = Registry("task template")
task_templates.register("patient-summary", "medfoundry.datasets.templates.summary:PatientSummary")
task_templates.register("note-drafting", "medfoundry.datasets.templates.notes:NoteDrafting")
task_templates.register("ed-triage", "medfoundry.datasets.templates.triage:EDTriage")
task_templates.register("trial-matching", "medfoundry.datasets.templates.trials:TrialMatching")
task_templates.register("clinical-qa", "medfoundry.datasets.templates.qa:ClinicalQA")


def clip(text: str, limit: int, *, keep_after: str = "## Timeline") -> str:
    """``text`` cut to about ``limit`` characters: everything before ``keep_after`` (the record's
    summary) is kept, then the *latest* lines of the rest that fit, saying what was left out."""
    if len(text) <= limit:
        return text
    head, marker, rest = text.partition(keep_after)
    if not marker:
        return text[:limit].rsplit("\n", 1)[0] + "\n[... later entries omitted ...]"
    budget = max(0, limit - len(head) - len(marker))
    kept: list[str] = []
    for line in reversed(rest.splitlines()):
        if sum(len(k) + 1 for k in kept) + len(line) + 1 > budget:
            break
        kept.append(line)
    return head + marker + "\n[... earlier entries omitted ...]\n" + "\n".join(reversed(kept))


def chat(user: str, answer: str) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": user},
        {"role": "assistant", "content": answer},
    ]
