"""Clinical QA from the user's own JSONL: {"question", "answer", "context"?} per line."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from medfoundry.datasets.templates.base import Example, TaskOptions, chat
from medfoundry.datasets.templates.metrics import mean, normalize, token_f1
from medfoundry.errors import ConfigError, InputError
from medfoundry.ingest.records import PatientRecord


class ClinicalQA:
    name = "clinical-qa"
    description = "questions and answers from your JSONL (exact match and token F1; needs --qa)"

    def examples(self, records: Iterable[PatientRecord], options: TaskOptions) -> Iterator[Example]:
        if options.qa_file is None:
            raise ConfigError(
                "the clinical-qa task needs a JSONL of questions", hint="pass --qa questions.jsonl"
            )
        with options.qa_file.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"{options.qa_file}:{number}"
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{where}: not valid JSON ({exc.msg})") from None
                if not isinstance(row, dict) or not all(
                    isinstance(row.get(k), str) for k in ("question", "answer")
                ):
                    raise InputError(f"{where}: needs string fields 'question' and 'answer'")
                context = row.get("context") or ""
                prompt = (f"Context:\n{context}\n\n" if context else "") + f"Question: {row['question']}"
                yield Example(
                    id=str(row.get("id", f"qa:{number}")),
                    patient_id=str(row.get("patient_id", "")),
                    task=self.name,
                    messages=chat(prompt, row["answer"]),
                    source=context,
                )

    def score(self, predictions: list[str], examples: list[Example]) -> dict[str, float]:
        pairs = list(zip(predictions, examples, strict=True))
        return {
            "exact_match": mean([float(normalize(p) == normalize(e.reference)) for p, e in pairs]),
            "token_f1": mean([token_f1(p, e.reference) for p, e in pairs]),
        }
