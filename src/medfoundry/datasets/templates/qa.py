"""Clinical QA from the user's own JSONL: {"question", "answer", "context"?} per line."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from medfoundry.datasets.templates.base import Example, TaskConfig, chat
from medfoundry.datasets.templates.metrics import mean, normalize, token_f1
from medfoundry.errors import ConfigError, InputError
from medfoundry.ingest.records import PatientRecord
from medfoundry.jsonl import jsonl_where, read_jsonl


class ClinicalQA:
    name = "clinical-qa"
    description = "questions and answers from your JSONL (exact match and token F1; needs --qa)"

    def examples(self, records: Iterable[PatientRecord], options: TaskConfig) -> Iterator[Example]:
        if options.qa_file is None:
            raise ConfigError(
                "the clinical-qa task needs a JSONL of questions", hint="pass --qa questions.jsonl"
            )
        for number, row in read_jsonl(options.qa_file, objects=False):
            where = jsonl_where(options.qa_file, number)
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
