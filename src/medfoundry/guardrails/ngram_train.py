"""Fit the n-gram emergency model (``guardrails.ngram``) on labelled tuning messages.

    python -m medfoundry.guardrails.ngram_train --out src/medfoundry/guardrails/data/_model/emergency_ngram.json \\
        tests/data/guardrails/emergency.tune.yaml tests/data/guardrails/benign.tune.yaml ...

Reads evaluation files (``guardrails.evaluation`` format): emergencies (``escalate``) are
positives, every other case (hard negatives, denied topics, injection) a negative; refuses a report-half file, so the
numbers measured on it stay out-of-sample. Needs scikit-learn (the ``dev`` extra); serving
reads the written JSON with no model library.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from medfoundry.errors import ConfigError
from medfoundry.guardrails.evaluation import load_eval_file
from medfoundry.guardrails.ngram import FORMAT, features, word_features
from medfoundry.guardrails.text import Tokens

# Denied-topic and injection cases (dose questions, attacks, their benign twins) are not
# emergencies and teach the model everyday medication wording; a lethal-dose question is
# left out, as it may also be a crisis.
NOT_NEGATIVES = frozenset({"lethal_dose"})
MIN_COUNT = 2  # a feature seen in one message only is that message's, not the language's
ESCALATE_C = 0.5
CLASS_C = 1.0


@dataclass(frozen=True)
class Example:
    words: tuple[str, ...]
    escalate: bool
    label: str


def load_examples(paths: Sequence[Path]) -> list[Example]:
    examples: list[Example] = []
    for path in paths:
        split = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("split")
        if split == "report" or path.name.endswith(".report.yaml"):
            raise ConfigError(
                f"{path} is a report half; the model is fitted on tuning sets only",
                source=str(path),
            )
        for case in load_eval_file(path):
            if case.cls in NOT_NEGATIVES:
                continue
            escalate = case.expected == "escalate"
            for text, role in zip(case.texts, case.roles, strict=True):
                if role == "user":
                    examples.append(Example(Tokens.of(text).words, escalate, case.cls if escalate else ""))
    return examples


def _matrix(rows: Sequence[dict[str, float] | set[str]], vocabulary: dict[str, int]) -> Any:
    from scipy.sparse import csr_matrix

    indptr: list[int] = [0]
    indices: list[int] = []
    values: list[float] = []
    for row in rows:
        kept = sorted(
            (vocabulary[f], row[f] if isinstance(row, dict) else 1.0) for f in row if f in vocabulary
        )
        indices.extend(i for i, _ in kept)
        values.extend(v for _, v in kept)
        indptr.append(len(indices))
    return csr_matrix((values, indices, indptr), shape=(len(rows), len(vocabulary)))


def _vocabulary(rows: Sequence[dict[str, float] | set[str]]) -> dict[str, int]:
    counts = Counter(f for row in rows for f in row)
    return {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}


def fit(examples: list[Example]) -> dict[str, Any]:
    """The model as the JSON ``NgramModel`` reads."""
    from sklearn.linear_model import LogisticRegression

    rows = [features(e.words) for e in examples]
    vocabulary = _vocabulary(rows)
    escalate = LogisticRegression(C=ESCALATE_C, max_iter=5000, class_weight="balanced")
    escalate.fit(_matrix(rows, vocabulary), [e.escalate for e in examples])
    names = list(vocabulary)
    weights = {names[i]: round(float(w), 4) for i, w in enumerate(escalate.coef_[0]) if abs(w) >= 0.005}

    positives = [e for e in examples if e.escalate and e.label]
    class_rows = [word_features(e.words) for e in positives]
    class_vocabulary = _vocabulary(class_rows)
    labels = sorted({e.label for e in positives})
    class_weights: dict[str, list[list[float]]] = {}
    class_bias = [0.0] * len(labels)
    if len(labels) > 1:  # with one class there is nothing to tell apart
        classes = LogisticRegression(C=CLASS_C, max_iter=5000)
        classes.fit(_matrix(class_rows, class_vocabulary), [labels.index(e.label) for e in positives])
        class_names = list(class_vocabulary)
        # two classes give one row of weights, for the second class against the first
        rows_for = list(range(len(labels))) if len(labels) > 2 else [1]
        for k, b in zip(rows_for, classes.intercept_, strict=True):
            class_bias[k] = round(float(b), 3)
        for k, row in zip(rows_for, classes.coef_, strict=True):
            for i, w in enumerate(row):
                if abs(w) >= 0.02:
                    class_weights.setdefault(class_names[i], []).append([k, round(float(w), 3)])
    return {
        "format": FORMAT,
        "escalate": {"bias": round(float(escalate.intercept_[0]), 4), "weights": weights},
        "classes": {
            "labels": labels,
            "bias": class_bias,
            "weights": class_weights,
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="evaluation files (tuning halves only)")
    parser.add_argument("--out", type=Path, required=True, help="where to write the model JSON")
    args = parser.parse_args(argv)
    examples = load_examples(args.files)
    model = fit(examples)
    digest = hashlib.sha256()
    for path in sorted(args.files):
        digest.update(path.name.encode() + path.read_bytes())
    model["provenance"] = {
        "trained_on": sorted(p.name for p in args.files),
        "training_sha256": digest.hexdigest(),
        "messages": len(examples),
        "escalate": sum(e.escalate for e in examples),
        "features": len(model["escalate"]["weights"]),
        "command": "python -m medfoundry.guardrails.ngram_train --out OUT FILES",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(examples)} messages, {len(model['escalate']['weights'])} weighted features")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
