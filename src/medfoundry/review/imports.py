"""Batches for reviewers: an evaluation's per-item generated answers, or a task dataset's examples."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medfoundry.datasets.chat import register_chat_jsonl
from medfoundry.datasets.versions import get_version
from medfoundry.errors import InputError, NotFound
from medfoundry.review.tasks import NewTask, create_task
from medfoundry.review_policy import DEFAULT_REASONS
from medfoundry.store.database import Store
from medfoundry.store.models import Evaluation

TEXT_FIELDS = ("output", "answer", "prediction", "completion")


@dataclass(frozen=True)
class ImportResult:
    created: list[str]
    skipped: int
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "created": len(self.created), "skipped": self.skipped, "tasks": self.created}


def _lines(store: Store, artifact_id: str) -> list[dict[str, Any]]:
    text = store.read_artifact(artifact_id).decode("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def from_evaluation(
    store: Store, evaluation_id: str, *, limit: int | None = None, reviewers: int = 1,
    taxonomy: tuple[str, ...] = DEFAULT_REASONS, actor: str = "system",
) -> ImportResult:  # fmt: skip
    """One task per prediction with generated text (multiple-choice rows have none and are skipped)."""
    with store.sessions() as session:
        evaluation = session.get(Evaluation, evaluation_id)
    if evaluation is None:
        raise NotFound(f"no evaluation with id {evaluation_id}", hint="list them with 'medfoundry eval list'")
    if not evaluation.artifact_id:
        raise InputError(f"evaluation {evaluation_id} stored no per-item predictions")
    created: list[str] = []
    skipped = 0
    for row in _lines(store, evaluation.artifact_id):
        output = next((row[f] for f in TEXT_FIELDS if isinstance(row.get(f), str) and row[f].strip()), None)
        if output is None or (limit is not None and len(created) >= limit):
            skipped += 1
            continue
        item = f"{row.get('benchmark', evaluation.suite)}/{row.get('id', len(created))}"
        prompt = str(row["prompt"]) if isinstance(row.get("prompt"), str) else f"[{item}]"
        reference = {k: row[k] for k in ("gold", "reference") if k in row}
        new = NewTask(
            source="evaluation", source_ref=f"{evaluation_id}:{item}",
            messages=[{"role": "user", "content": prompt}], output=output,
            source_record=json.dumps(reference, default=str) if reference else None,
            model_id=evaluation.model_id, mode="flag", reasons=("evaluation",), reviewers=reviewers, taxonomy=taxonomy,
        )  # fmt: skip
        created.append(create_task(store, new, actor=actor).id)
    return ImportResult(created, skipped, evaluation_id)


def from_dataset(
    store: Store, ref: str, *, limit: int | None = None, reviewers: int = 1,
    taxonomy: tuple[str, ...] = DEFAULT_REASONS, actor: str = "system",
) -> ImportResult:  # fmt: skip
    """One task per chat example: the conversation before the last assistant turn, and that turn.

    ``ref`` is a dataset version (id, NAME, NAME@N) or a chat JSONL file, registered (PHI-scanned) first.
    """
    path = Path(ref).expanduser()
    version = register_chat_jsonl(store, path) if ref.endswith(".jsonl") or path.is_file() else get_version(store, ref)
    if version.kind != "task" or version.phi or version.artifact_id is None:
        raise InputError(
            f"dataset version {version.id} is a {version.kind} version"
            + (" holding PHI" if version.phi else ""),
            hint="import a de-identified task (chat) dataset version",
        )
    created: list[str] = []
    skipped = 0
    for row in _lines(store, version.artifact_id):
        messages = row.get("messages") or []
        last = max((i for i, m in enumerate(messages) if m.get("role") == "assistant"), default=None)
        if last is None or (limit is not None and len(created) >= limit):
            skipped += 1
            continue
        new = NewTask(
            source="dataset", source_ref=f"{version.id}:{len(created) + skipped}",
            messages=[{"role": m["role"], "content": m["content"]} for m in messages[:last]],
            output=messages[last]["content"], source_record=row.get("source") if isinstance(row.get("source"), str) else None,
            mode="flag", reasons=("dataset",), reviewers=reviewers, taxonomy=taxonomy,
        )  # fmt: skip
        created.append(create_task(store, new, actor=actor).id)
    return ImportResult(created, skipped, version.id)
