"""``medfoundry deid eval``: recall, precision and F1 against gold PHI spans.

Gold formats: ``spans-jsonl`` (``{"id", "text", "spans": [{"start", "end", "type"}]}``
per line) and ``presidio-json`` (presidio-research's list of ``{full_text, spans:
[{entity_type, start_position, end_position}]}``). Scores are binary (PHI or not),
reported overall and per gold type: span level (a gold span counts as found when any
predicted span overlaps it; a predicted span is correct when it overlaps any gold
span) and token level (whitespace tokens inside spans).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medfoundry.deid.analyzer import Analyzer
from medfoundry.deid.spans import KnownPHI, Span
from medfoundry.errors import InputError

# presidio-research entity types that are not HIPAA identifiers: not scored by default.
NOT_PHI = frozenset({"TITLE", "NRP", "ORGANIZATION"})
_TOKEN = re.compile(r"\w+")


@dataclass
class GoldText:
    id: str
    text: str
    spans: list[tuple[int, int, str]]


@dataclass
class Tally:
    tp: int = 0
    fn: int = 0
    fp: int = 0

    def scores(self) -> dict[str, float | int]:
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
        return {
            "recall": round(recall, 4),
            "precision": round(precision, 4),
            "f1": round(f1, 4),
            "tp": self.tp,
            "fn": self.fn,
            "fp": self.fp,
        }


@dataclass
class EvalResult:
    texts: int = 0
    span: Tally = field(default_factory=Tally)
    token: Tally = field(default_factory=Tally)
    span_by_type: dict[str, Tally] = field(default_factory=dict)
    token_by_type: dict[str, Tally] = field(default_factory=dict)
    missed: list[dict[str, Any]] = field(default_factory=list)  # raw text: terminal only

    def to_dict(self) -> dict[str, Any]:
        return {
            "texts": self.texts,
            "span": self.span.scores(),
            "token": self.token.scores(),
            "span_recall_by_type": {t: v.scores() for t, v in sorted(self.span_by_type.items())},
            "token_recall_by_type": {t: v.scores() for t, v in sorted(self.token_by_type.items())},
        }


def read_gold(path: Path, fmt: str) -> Iterator[GoldText]:
    if not path.exists():
        raise InputError(f"no gold file at {path}")
    if fmt == "presidio-json":
        data = json.loads(path.read_text())
        if not isinstance(data, list):
            raise InputError(f"{path}: expected a JSON list of presidio-research samples")
        for i, sample in enumerate(data):
            spans = [
                (s["start_position"], s["end_position"], s["entity_type"]) for s in sample.get("spans", [])
            ]
            yield GoldText(str(i), sample["full_text"], spans)
    elif fmt == "spans-jsonl":
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if line.strip():
                item = json.loads(line)
                spans = [(s["start"], s["end"], s.get("type", "PHI")) for s in item.get("spans", [])]
                yield GoldText(str(item.get("id", number)), item["text"], spans)
    else:
        raise InputError(f"unknown gold format '{fmt}'", hint="use spans-jsonl or presidio-json")


def _tokens(text: str, start: int, end: int) -> set[int]:
    return {m.start() for m in _TOKEN.finditer(text, start, end)}


def score(gold: GoldText, predicted: list[Span], result: EvalResult, ignore: frozenset[str]) -> None:
    spans = [s for s in gold.spans if s[2] not in ignore]
    ignored = [s for s in gold.spans if s[2] in ignore]
    result.texts += 1
    for start, end, type_ in spans:
        hit = any(p.start < end and start < p.end for p in predicted)
        tally = result.span_by_type.setdefault(type_, Tally())
        if hit:
            result.span.tp += 1
            tally.tp += 1
        else:
            result.span.fn += 1
            tally.fn += 1
            result.missed.append(
                {
                    "id": gold.id,
                    "type": type_,
                    "value": gold.text[start:end],
                    "context": gold.text[max(0, start - 40) : end + 40],
                }
            )
    for p in predicted:
        overlaps_ignored = any(p.start < e and s < p.end for s, e, _ in ignored)
        if not any(p.start < e and s < p.end for s, e, _ in spans) and not overlaps_ignored:
            result.span.fp += 1
    predicted_tokens = (
        set().union(*(_tokens(gold.text, p.start, p.end) for p in predicted)) if predicted else set()
    )
    ignored_tokens = set().union(*(_tokens(gold.text, s, e) for s, e, _ in ignored)) if ignored else set()
    gold_tokens: set[int] = set()
    for start, end, type_ in spans:
        tokens = _tokens(gold.text, start, end)
        gold_tokens |= tokens
        tally = result.token_by_type.setdefault(type_, Tally())
        tally.tp += len(tokens & predicted_tokens)
        tally.fn += len(tokens - predicted_tokens)
    result.token.tp += len(gold_tokens & predicted_tokens)
    result.token.fn += len(gold_tokens - predicted_tokens)
    result.token.fp += len(predicted_tokens - gold_tokens - ignored_tokens)


def evaluate(
    path: Path,
    fmt: str,
    analyzer: Analyzer,
    *,
    ignore: frozenset[str] = NOT_PHI,
    known: KnownPHI | None = None,
) -> EvalResult:
    result = EvalResult()
    for gold in read_gold(path, fmt):
        score(gold, analyzer.analyze(gold.text, known=known), result, ignore)
    return result
