"""Scorers for ICD-10 coding, drug-drug interactions and custom question sets."""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from medfoundry.evaluate.engine import Progress
from medfoundry.evaluate.metrics import MetricValue, mean_metric, micro_metrics, prf
from medfoundry.evaluate.prompts import PROMPTS
from medfoundry.evaluate.readers import Doc
from medfoundry.evaluate.scorers import EvalModel, Scored, choose, normalize_text
from medfoundry.evaluate.spec import BenchmarkSpec

CODE_PATTERN = re.compile(r"\b([A-Za-z]\d{2}(?:\.?[0-9A-Za-z]{1,4})?)\b")
DDI_POSITIVE = ("effect", "mechanism", "advise", "int")


@lru_cache(maxsize=1)
def icd10_categories() -> frozenset[str]:
    """The 3-character ICD-10-CM categories (CDC/NCHS table, April 2026, shipped with medfoundry)."""
    table = resources.files("medfoundry.evaluate") / "data" / "icd10cm-categories-April-1-2026.csv"
    with table.open(encoding="utf-8") as handle:
        return frozenset(row["ICD10-CM-CODE"].strip().upper() for row in csv.DictReader(handle))


def normalize_code(code: str) -> str:
    """'S2249XA' / 's22.49xa' → 's22.49xa' (lower case, a dot after the category)."""
    code = code.replace(".", "").lower()
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


def parse_codes(answer: str) -> list[str]:
    return list(dict.fromkeys(normalize_code(c) for c in CODE_PATTERN.findall(answer)))


def is_valid_code(code: str) -> bool:
    return code[:3].upper() in icd10_categories()


def score_icd10(spec: BenchmarkSpec, docs: list[Doc], lm: EvalModel, progress: Progress | None) -> Scored:
    prompt = PROMPTS.get(spec.prompt or "icd10")
    answers = lm.generate([prompt(d) for d in docs], spec.max_new_tokens, progress)
    rows, code_counts, category_counts, invalid = [], [], [], 0
    for d, answer in zip(docs, answers, strict=True):
        predicted = parse_codes(answer)
        bad = [c for c in predicted if not is_valid_code(c)]
        invalid += len(bad)
        gold = set(d["codes"])
        code_counts.append((len(gold & set(predicted)), len(predicted), len(gold)))
        pred_cat, gold_cat = {c[:3] for c in predicted}, {c[:3] for c in gold}
        category_counts.append((len(pred_cat & gold_cat), len(pred_cat), len(gold_cat)))
        rows.append(
            {"id": d["id"], "gold": sorted(gold), "pred": predicted, "invalid": bad, "answer": answer}
        )
    metrics = micro_metrics(code_counts)
    metrics["f1_category"] = micro_metrics(category_counts)["f1"]
    metrics["invalid_codes"] = MetricValue(float(invalid))
    return metrics, rows


def score_ddi(spec: BenchmarkSpec, docs: list[Doc], lm: EvalModel, progress: Progress | None) -> Scored:
    labelled = [{**d, "gold": spec.choices.index(d["label"])} for d in docs]
    rows = choose(spec, labelled, lm, progress)
    counts = []
    for row in rows:
        gold = spec.choices[row["gold"]]
        pred = spec.choices[row["pred"]] if row["pred"] is not None else "none"
        row.update(gold=gold, pred=pred)
        counts.append(
            (int(pred == gold and gold in DDI_POSITIVE), int(pred in DDI_POSITIVE), int(gold in DDI_POSITIVE))
        )
    metrics = {
        "micro_f1": micro_metrics(counts)["f1"],
        "accuracy": mean_metric([float(r["pred"] == r["gold"]) for r in rows]),
    }
    return metrics, rows


def rubric_score(answer: str, rubric: list[str]) -> float:
    """The share of rubric phrases the answer contains (normalized text)."""
    text = normalize_text(answer)
    return sum(normalize_text(item) in text for item in rubric) / len(rubric) if rubric else 0.0


def score_custom(spec: BenchmarkSpec, docs: list[Doc], lm: EvalModel, progress: Progress | None) -> Scored:
    closed = [d for d in docs if "options" in d]
    open_ = [d for d in docs if "options" not in d]
    rows: dict[str, dict[str, Any]] = {}
    for row in choose(spec, closed, lm, progress) if closed else []:
        rows[row["id"]] = {**row, "score": float(row["pred"] == row["gold"])}
    prompt = PROMPTS.get(spec.prompt or "custom")
    prompts = [prompt(d) for d in open_]
    answers = lm.generate(prompts, spec.max_new_tokens, progress) if open_ else []
    for d, text, answer in zip(open_, prompts, answers, strict=True):
        exact = float(normalize_text(answer) == normalize_text(d["answer"]))
        rubric = rubric_score(answer, d["rubric"]) if d["rubric"] else None
        rows[d["id"]] = {
            "id": d["id"],
            "prompt": text,  # kept so that 'review import --evaluation' shows reviewers the question
            "gold": d["answer"],
            "answer": answer,
            "exact_match": exact,
            "rubric": rubric,
            "score": rubric if rubric is not None else exact,
        }
    ordered = [rows[d["id"]] for d in docs]
    metrics = {"score": mean_metric([r["score"] for r in ordered])}
    if closed:
        metrics["acc"] = mean_metric([rows[d["id"]]["score"] for d in closed])
    if open_:
        metrics["exact_match"] = mean_metric([rows[d["id"]]["exact_match"] for d in open_])
        rubrics = [rows[d["id"]]["rubric"] for d in open_ if d["rubric"]]
        if rubrics:
            metrics["rubric"] = mean_metric(rubrics)
    return metrics, ordered


__all__ = ["prf", "score_custom", "score_ddi", "score_icd10"]
