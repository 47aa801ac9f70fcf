"""Scorers, one per benchmark kind: turn docs and a model into metrics and per-item predictions."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from medfoundry.evaluate.engine import ChoiceRequest, LoglikScorer, Progress
from medfoundry.evaluate.generate import generate, render
from medfoundry.evaluate.metrics import MetricValue, mean_metric, micro_metrics
from medfoundry.evaluate.prompts import PROMPTS, generative_prompt, parse_choice
from medfoundry.evaluate.readers import LETTERS, Doc
from medfoundry.evaluate.spec import BenchmarkSpec
from medfoundry.registry import Registry

FEWSHOT_SEED = 1234


@dataclass
class EvalModel:
    """What scorers need: the model, its tokenizer and the run's options."""

    model: Any
    tokenizer: Any
    batch_size: int = 8
    mode: str = "loglikelihood"  # or "generate"
    chat: bool = False
    chain_of_thought: bool = False
    num_fewshot: int = 0
    _scorer: LoglikScorer | None = field(default=None, repr=False)

    @property
    def scorer(self) -> LoglikScorer:
        if self._scorer is None:
            self._scorer = LoglikScorer(self.model, self.tokenizer, batch_size=self.batch_size)
        return self._scorer

    def generate(self, prompts: list[str], max_new_tokens: int, progress: Progress | None) -> list[str]:
        rendered = [render(self.tokenizer, p, chat=self.chat) for p in prompts]
        return generate(
            self.model,
            self.tokenizer,
            rendered,
            max_new_tokens=max_new_tokens,
            batch_size=self.batch_size,
            progress=progress,
            stop=() if self.chain_of_thought else ("\n",),
        )


Scored = tuple[dict[str, MetricValue], list[dict[str, Any]]]
Scorer = Callable[[BenchmarkSpec, list[Doc], EvalModel, Progress | None], Scored]
SCORERS: Registry[Scorer] = Registry("scorer")

# Every built-in scorer (by benchmark kind), by name: one visible table of lazy targets (plugins add theirs
# through the ``medfoundry.plugins`` entry-point group).
_BUILTIN_SCORERS = {
    "multiple_choice": "medfoundry.evaluate.scorers:score_multiple_choice",
    "ner": "medfoundry.evaluate.scorers:score_ner",
    "icd10": "medfoundry.evaluate.scorers_extra:score_icd10",
    "ddi": "medfoundry.evaluate.scorers_extra:score_ddi",
    "custom": "medfoundry.evaluate.scorers_extra:score_custom",
}
for _name, _target in _BUILTIN_SCORERS.items():
    SCORERS.register(_name, _target)


def _choices(spec: BenchmarkSpec, doc: Doc) -> list[str]:
    return spec.choices or list(LETTERS[: len(doc["options"])])


def _fewshot_prefix(spec: BenchmarkSpec, docs: list[Doc], index: int, k: int) -> str:
    """The harness's few-shot layout: k solved examples, each 'text + delimiter + answer', then '\\n\\n'."""
    if k == 0:
        return ""
    prompt = PROMPTS.get(spec.prompt or spec.name)
    pool = [d for i, d in enumerate(docs) if i != index]
    shots = random.Random(FEWSHOT_SEED + index).sample(pool, min(k, len(pool)))
    return "".join(f"{prompt(d)}{spec.target_delimiter}{_choices(spec, d)[d['gold']]}\n\n" for d in shots)


def choose(
    spec: BenchmarkSpec, docs: list[Doc], lm: EvalModel, progress: Progress | None
) -> list[dict[str, Any]]:
    """Each doc's predicted choice: by log-likelihood (as the harness) or by parsing a generation."""
    prompt = PROMPTS.get(spec.prompt or spec.name)
    texts = [_fewshot_prefix(spec, docs, i, lm.num_fewshot) + prompt(d) for i, d in enumerate(docs)]
    if lm.mode == "generate":
        asks = [
            generative_prompt(t, _choices(spec, d), chain_of_thought=lm.chain_of_thought)
            for t, d in zip(texts, docs, strict=True)
        ]
        answers = lm.generate(asks, 512 if lm.chain_of_thought else 16, progress)
        return [
            {"id": d["id"], "gold": d["gold"], "pred": parse_choice(a, _choices(spec, d)), "answer": a}
            for d, a in zip(docs, answers, strict=True)
        ]
    requests = [
        ChoiceRequest(t, tuple(spec.target_delimiter + c for c in _choices(spec, d)))
        for t, d in zip(texts, docs, strict=True)
    ]
    rows = []
    for d, scores in zip(docs, lm.scorer.score(requests, progress), strict=True):
        lengths = [float(len(c)) for c in _choices(spec, d)]
        pred = max(range(len(scores)), key=lambda i: (scores[i], -i))
        norm = [s / n for s, n in zip(scores, lengths, strict=True)]
        pred_norm = max(range(len(norm)), key=lambda i: (norm[i], -i))
        rows.append(
            {"id": d["id"], "gold": d["gold"], "pred": pred, "pred_norm": pred_norm, "loglikelihoods": scores}
        )
    return rows


def score_multiple_choice(
    spec: BenchmarkSpec, docs: list[Doc], lm: EvalModel, progress: Progress | None
) -> Scored:
    rows = choose(spec, docs, lm, progress)
    metrics = {"acc": mean_metric([float(r["pred"] == r["gold"]) for r in rows])}
    if "acc_norm" in spec.metrics and lm.mode != "generate":
        metrics["acc_norm"] = mean_metric([float(r["pred_norm"] == r["gold"]) for r in rows])
    return metrics, rows


def normalize_text(text: str) -> str:
    """Lower case, letters and digits only: '5 - Fluorouracil' == '5-fluorouracil'."""
    return re.sub(r"[\W_]+", "", text.lower())


def split_entities(answer: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"[;\n]", answer)]
    return [p for p in parts if p and normalize_text(p) not in ("", "none")]


def match_counts(predicted: list[str], gold: list[str]) -> tuple[int, int, int]:
    pred_counter = Counter(normalize_text(p) for p in predicted)
    gold_counter = Counter(normalize_text(g) for g in gold)
    return sum((pred_counter & gold_counter).values()), len(predicted), len(gold)


def score_ner(spec: BenchmarkSpec, docs: list[Doc], lm: EvalModel, progress: Progress | None) -> Scored:
    prompt = PROMPTS.get(spec.prompt or "ner")
    asks = [prompt(d, spec.entity_type or "entity") for d in docs]  # type: ignore[call-arg]
    answers = lm.generate(asks, spec.max_new_tokens, progress)
    rows, counts = [], []
    for d, answer in zip(docs, answers, strict=True):
        predicted = split_entities(answer)
        counts.append(match_counts(predicted, d["entities"]))
        rows.append({"id": d["id"], "gold": d["entities"], "pred": predicted, "answer": answer})
    return micro_metrics(counts), rows
