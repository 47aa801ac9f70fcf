"""``medfoundry deid eval``: recall, precision and F1 against gold PHI spans.

Gold formats: see ``medfoundry.deid.gold_readers`` (spans-jsonl, presidio-json, brat,
asq-phi). Scores are binary (PHI or not): a gold span counts as found when any predicted
span overlaps it; a predicted span is correct when it overlaps any gold span. Reported
overall and per type, span level and token level (whitespace tokens inside spans), with
95% Wilson intervals; recall per gold type and subtype (``NAME.clinician``), precision per
predicted type; per error class (the gold line's ``class``); "clinical text changed" on
the texts without any gold span (the output must equal the input byte for byte); and the
most frequent false-positive and false-negative tokens (digits shown as ``9``), which is
what a site adds to its allow-list or deny-list.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medfoundry.deid.analyzer import Analyzer
from medfoundry.deid.gold_readers import GOLD_FORMATS, GoldText, base_type, read_gold
from medfoundry.deid.operators import Context
from medfoundry.deid.spans import KnownPHI, Span
from medfoundry.deid.text import TextDeidentifier

__all__ = [
    "GOLD_FORMATS",
    "NOT_PHI",
    "SAFE_HARBOR_IGNORED",
    "EvalResult",
    "GoldText",
    "evaluate",
    "read_gold",
    "score",
]

# presidio-research entity types that are not HIPAA identifiers: not scored by default.
NOT_PHI = frozenset({"TITLE", "NRP", "ORGANIZATION"})
# Gold labels that Safe Harbor does not require removing (bare years, ages up to 89, states,
# countries, sex, profession): not scored by default, and a prediction over them is no error.
SAFE_HARBOR_IGNORED = frozenset(
    {"DATE.year", "AGE.le89", "LOCATION.state", "LOCATION.country", "SEX", "PROFESSION"}
)
_TOKEN = re.compile(r"\w+")
_WORD = re.compile(r"\S+")
_EDGE_PUNCTUATION = ".,;:()[]\"'"
EXAMPLES_KEPT = 20


def wilson(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of a proportion; (0, 1) when there is nothing to count."""
    if total == 0:
        return (0.0, 1.0)
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return (round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4))


def _proportion(successes: int, total: int) -> dict[str, Any]:
    value = successes / total if total else 1.0
    return {"value": round(value, 4), "ci95": list(wilson(successes, total))}


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
class SpanCounts:
    """Recall side (gold spans found) and precision side (predicted spans correct)."""

    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0
    texts: int = 0

    def to_dict(self) -> dict[str, Any]:
        recall, precision = _proportion(self.found, self.gold), _proportion(self.correct, self.predicted)
        return {
            "texts": self.texts,
            "gold": self.gold,
            "found": self.found,
            "recall": recall["value"],
            "recall_ci95": recall["ci95"],
            "predicted": self.predicted,
            "correct": self.correct,
            "precision": precision["value"],
            "precision_ci95": precision["ci95"],
        }


@dataclass
class Integrity:
    """PHI-free texts (no gold span at all) whose de-identified output differs from the input."""

    phi_free_texts: int = 0
    changed: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "phi_free_texts": self.phi_free_texts,
            "changed": self.changed,
            "unchanged_share": _proportion(self.phi_free_texts - self.changed, self.phi_free_texts),
            "examples": self.examples,
        }


@dataclass
class EvalResult:
    texts: int = 0
    corpus: str = ""
    span: Tally = field(default_factory=Tally)
    token: Tally = field(default_factory=Tally)
    span_by_type: dict[str, Tally] = field(default_factory=dict)
    token_by_type: dict[str, Tally] = field(default_factory=dict)
    overall: SpanCounts = field(default_factory=SpanCounts)
    recall_by_label: dict[str, SpanCounts] = field(default_factory=dict)
    precision_by_type: dict[str, SpanCounts] = field(default_factory=dict)
    by_class: dict[str, SpanCounts] = field(default_factory=dict)
    integrity: Integrity = field(default_factory=Integrity)
    false_positive_tokens: Counter[str] = field(default_factory=Counter)
    false_negative_tokens: Counter[str] = field(default_factory=Counter)
    missed: list[dict[str, Any]] = field(default_factory=list)  # raw text: terminal only

    def to_dict(self, top_tokens: int = 20) -> dict[str, Any]:
        by_type: dict[str, SpanCounts] = {}
        for label, counts in self.recall_by_label.items():
            merged = by_type.setdefault(base_type(label), SpanCounts())
            merged.gold += counts.gold
            merged.found += counts.found
        for type_, counts in self.precision_by_type.items():
            merged = by_type.setdefault(type_, SpanCounts())
            merged.predicted += counts.predicted
            merged.correct += counts.correct
        return {
            "corpus": self.corpus,
            "texts": self.texts,
            "span": self.span.scores(),
            "token": self.token.scores(),
            "span_recall_by_type": {t: v.scores() for t, v in sorted(self.span_by_type.items())},
            "token_recall_by_type": {t: v.scores() for t, v in sorted(self.token_by_type.items())},
            "span_overall": self.overall.to_dict(),
            "span_by_type": {t: v.to_dict() for t, v in sorted(by_type.items())},
            "span_recall_by_subtype": {
                t: v.to_dict() for t, v in sorted(self.recall_by_label.items()) if "." in t
            },
            "span_by_class": {c: v.to_dict() for c, v in sorted(self.by_class.items())},
            "clinical_text_changed": self.integrity.to_dict(),
            "top_false_positive_tokens": _top(self.false_positive_tokens, top_tokens),
            "top_false_negative_tokens": _top(self.false_negative_tokens, top_tokens),
        }


def _top(counter: Counter[str], limit: int) -> list[dict[str, Any]]:
    return [{"token": token, "count": count} for token, count in counter.most_common(limit)]


def _shape(word: str) -> str:
    """A token as reported: case-folded, edge punctuation dropped, every digit shown as 9."""
    return re.sub(r"\d", "9", word.strip(_EDGE_PUNCTUATION).lower())


def _words(text: str, start: int, end: int) -> list[str]:
    return [shape for m in _WORD.finditer(text, start, end) if (shape := _shape(m.group()))]


def _tokens(text: str, start: int, end: int) -> set[int]:
    return {m.start() for m in _TOKEN.finditer(text, start, end)}


def _is_ignored(label: str, ignore: frozenset[str]) -> bool:
    return label in ignore or base_type(label) in ignore


def _overlaps(start: int, end: int, spans: list[tuple[int, int, str]]) -> bool:
    return any(start < e and s < end for s, e, _ in spans)


def score(gold: GoldText, predicted: list[Span], result: EvalResult, ignore: frozenset[str]) -> None:
    spans = [s for s in gold.spans if not _is_ignored(s[2], ignore)]
    ignored = [s for s in gold.spans if _is_ignored(s[2], ignore)]
    result.texts += 1
    group = result.by_class.setdefault(gold.group, SpanCounts()) if gold.group else None
    if group is not None:
        group.texts += 1
    for start, end, label in spans:
        hit = any(p.start < end and start < p.end for p in predicted)
        type_ = base_type(label)
        tally = result.span_by_type.setdefault(type_, Tally())
        by_label = result.recall_by_label.setdefault(label, SpanCounts())
        for counts in (by_label, result.overall, group):
            if counts is not None:
                counts.gold += 1
                counts.found += hit
        if hit:
            result.span.tp += 1
            tally.tp += 1
            continue
        result.span.fn += 1
        tally.fn += 1
        result.false_negative_tokens.update(_words(gold.text, start, end))
        result.missed.append(
            {
                "id": gold.id,
                "type": label,
                "value": gold.text[start:end],
                "context": gold.text[max(0, start - 40) : end + 40],
            }
        )
    for p in predicted:
        correct = _overlaps(p.start, p.end, spans)
        if not correct and _overlaps(p.start, p.end, ignored):
            continue
        for counts in (result.precision_by_type.setdefault(p.type, SpanCounts()), result.overall, group):
            if counts is not None:
                counts.predicted += 1
                counts.correct += correct
        if not correct:
            result.span.fp += 1
            result.false_positive_tokens.update(_words(gold.text, p.start, p.end))
    _score_tokens(gold, predicted, spans, ignored, result)


def _score_tokens(
    gold: GoldText,
    predicted: list[Span],
    spans: list[tuple[int, int, str]],
    ignored: list[tuple[int, int, str]],
    result: EvalResult,
) -> None:
    predicted_tokens = (
        set().union(*(_tokens(gold.text, p.start, p.end) for p in predicted)) if predicted else set()
    )
    ignored_tokens = set().union(*(_tokens(gold.text, s, e) for s, e, _ in ignored)) if ignored else set()
    gold_tokens: set[int] = set()
    for start, end, label in spans:
        tokens = _tokens(gold.text, start, end)
        gold_tokens |= tokens
        tally = result.token_by_type.setdefault(base_type(label), Tally())
        tally.tp += len(tokens & predicted_tokens)
        tally.fn += len(tokens - predicted_tokens)
    result.token.tp += len(gold_tokens & predicted_tokens)
    result.token.fn += len(gold_tokens - predicted_tokens)
    result.token.fp += len(predicted_tokens - gold_tokens - ignored_tokens)


def check_integrity(gold: GoldText, output: str, predicted: list[Span], result: EvalResult) -> None:
    """Count a text with no gold span whose de-identified output is not byte-identical."""
    if gold.spans:
        return
    result.integrity.phi_free_texts += 1
    if output == gold.text:
        return
    result.integrity.changed += 1
    if len(result.integrity.examples) < EXAMPLES_KEPT:
        changes = [
            {"value": gold.text[p.start : p.end], "type": p.type, "detector": p.detector} for p in predicted
        ]
        result.integrity.examples.append({"id": gold.id, "changed": changes})


def evaluate(
    path: Path,
    fmt: str,
    analyzer: Analyzer,
    *,
    ignore: frozenset[str] = NOT_PHI | SAFE_HARBOR_IGNORED,
    known: KnownPHI | None = None,
    deidentifier: TextDeidentifier | None = None,
    context_for: Callable[[str], Context] | None = None,
) -> EvalResult:
    """Score ``analyzer`` (or ``deidentifier``, which also rewrites the text) on one corpus.

    With a deidentifier and ``context_for`` (a Context per text id), "clinical text changed"
    compares the real output with the input; with an analyzer alone, any predicted span on
    a PHI-free text counts as a change (every operator rewrites its span).
    """
    result = EvalResult(corpus=corpus_name(path))
    for gold in read_gold(path, fmt):
        if deidentifier is not None and context_for is not None:
            done = deidentifier.deidentify(gold.text, context_for(gold.id), known=known)
            predicted, output = done.spans, done.text
        else:
            predicted = analyzer.analyze(gold.text, known=known)
            output = gold.text if not predicted else "\0changed"
        score(gold, predicted, result, ignore)
        check_integrity(gold, output, predicted, result)
    return result


def corpus_name(path: Path) -> str:
    """A short name for a gold file or folder: ``notes.report.jsonl``, ``meddocan/report``."""
    return f"{path.parent.name}/{path.name}" if path.is_dir() else path.name
