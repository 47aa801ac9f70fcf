"""Metrics shared by the task templates: ROUGE-L, token F1, and faithfulness.

Faithfulness: every medication, condition and number the output states must be
supported by the source record. A *claim* is a mention of a known medication or
condition term (from the record vocabulary of the whole dataset, so a hallucinated
drug from another patient is caught) or a number; it is *supported* when it also
appears in the example's source text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _lcs(a: list[str], b: list[str]) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b, start=1):
            current.append(previous[j - 1] + 1 if x == y else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1]


def rouge_l(prediction: str, reference: str) -> float:
    """ROUGE-L F-measure (beta = 1) over lowercase alphanumeric tokens."""
    pred, ref = tokens(prediction), tokens(reference)
    if not pred or not ref:
        return float(pred == ref)
    lcs = _lcs(pred, ref)
    if lcs == 0:
        return 0.0
    precision, recall = lcs / len(pred), lcs / len(ref)
    return 2 * precision * recall / (precision + recall)


def token_f1(prediction: str, reference: str) -> float:
    pred, ref = Counter(tokens(prediction)), Counter(tokens(reference))
    overlap = sum((pred & ref).values())
    if not pred or not ref:
        return float(pred == ref)
    if overlap == 0:
        return 0.0
    precision, recall = overlap / sum(pred.values()), overlap / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


def normalize(text: str) -> str:
    return " ".join(tokens(text))


@dataclass(frozen=True)
class Faithfulness:
    claims: int
    unsupported: int
    unsupported_terms: tuple[str, ...]

    @property
    def unsupported_rate(self) -> float:
        return self.unsupported / self.claims if self.claims else 0.0


def faithfulness(output: str, source: str, vocabulary: Iterable[str]) -> Faithfulness:
    """Count the output's clinical claims that the source does not support."""
    out_norm, src_norm = f" {normalize(output)} ", f" {normalize(source)} "
    claims, unsupported = 0, []
    for term in sorted({normalize(t) for t in vocabulary if normalize(t)}, key=len, reverse=True):
        if f" {term} " in out_norm:
            claims += 1
            out_norm = out_norm.replace(f" {term} ", " ")  # a longer term hides its sub-terms
            if f" {term} " not in src_norm:
                unsupported.append(term)
    source_numbers = set(_NUMBER.findall(source))
    for number in _NUMBER.findall(output):
        claims += 1
        if number not in source_numbers:
            unsupported.append(number)
    return Faithfulness(claims, len(unsupported), tuple(unsupported))


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0
