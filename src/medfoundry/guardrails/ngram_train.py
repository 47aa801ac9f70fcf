"""Fit an n-gram model (``guardrails.ngram``) on labelled tuning messages.

    python -m medfoundry.guardrails.ngram_train [--target escalate|refuse|block] \\
        --out src/medfoundry/guardrails/data/_model/emergency_ngram.json \\
        tests/data/guardrails/emergency.tune.yaml tests/data/guardrails/benign.tune.yaml ...

Reads evaluation files (``guardrails.evaluation`` format): the cases expecting the target
decision (``escalate``: emergencies; ``refuse``: denied topics; ``block``: injection) are
positives, every other case (hard negatives, benign twins, the other sections) a negative;
refuses a report-half file, so the numbers measured on it stay out-of-sample. Needs
scikit-learn (the ``dev`` extra); serving reads the written JSON with no model library.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from medfoundry.errors import ConfigError
from medfoundry.guardrails.evaluation import load_eval_file
from medfoundry.guardrails.ngram import FORMAT, TARGETS, features, word_features
from medfoundry.guardrails.text import Tokens

# For the escalate model, denied-topic and injection cases (dose questions, attacks, their
# benign twins) are not emergencies and teach it everyday medication wording; a lethal-dose
# question is left out, as it may also be a crisis.
NOT_NEGATIVES = frozenset({"lethal_dose"})
CLASS_C = 1.0


@dataclass(frozen=True)
class TrainConfig:
    """How the escalate model is regularised (the defaults are the shipped model's)."""

    c: float = 0.5  # inverse L2 strength of the escalate model
    min_messages: int = 2  # a feature seen in one message only is that message's, not the language's
    min_sources: int = 1  # nor is one seen in one source file (one author's set) only
    char_scale: float = 0.3  # letter n-grams enter the fit scaled by this (folded back into the weights)
    calibrate: bool = False  # Platt-scale on scores from models that never saw the message's source

    def __post_init__(self) -> None:
        if self.c <= 0 or self.char_scale <= 0 or self.min_messages < 1 or self.min_sources < 1:
            raise ConfigError(f"invalid n-gram training settings: {self}", source="ngram_train")


@dataclass(frozen=True)
class Example:
    words: tuple[str, ...]
    positive: bool  # the case expects the model's decision
    label: str  # the emergency class of an escalate positive, else ""
    source: str = ""  # the file it came from: one author's set


def load_examples(paths: Sequence[Path], target: str = "escalate") -> list[Example]:
    """One example per user turn of every case; a case expecting ``target`` is a positive."""
    if target not in TARGETS:
        raise ConfigError(f"unknown target {target!r}; choose one of {TARGETS}", source="ngram_train")
    examples: list[Example] = []
    for path in paths:
        split = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("split")
        if split == "report" or path.name.endswith(".report.yaml"):
            raise ConfigError(
                f"{path} is a report half; the model is fitted on tuning sets only",
                source=str(path),
            )
        for case in load_eval_file(path):
            if target == "escalate" and case.cls in NOT_NEGATIVES:
                continue
            positive = case.expected == target
            label = case.cls if positive and target == "escalate" else ""
            for text, role in zip(case.texts, case.roles, strict=True):
                if role == "user":
                    examples.append(Example(Tokens.of(text).words, positive, label, path.name))
    return examples


def _scale(feature: str, char_scale: float) -> float:
    """The factor a feature enters the fit with: ``char_scale`` for letter n-grams ("c…"), else 1."""
    return char_scale if feature[0] == "c" else 1.0


def _matrix(
    rows: Sequence[dict[str, float] | set[str]], vocabulary: dict[str, int], char_scale: float = 1.0
) -> Any:
    from scipy.sparse import csr_matrix

    indptr: list[int] = [0]
    indices: list[int] = []
    values: list[float] = []
    for row in rows:
        kept = sorted(
            (vocabulary[f], (row[f] if isinstance(row, dict) else 1.0) * _scale(f, char_scale))
            for f in row
            if f in vocabulary
        )
        indices.extend(i for i, _ in kept)
        values.extend(v for _, v in kept)
        indptr.append(len(indices))
    return csr_matrix((values, indices, indptr), shape=(len(rows), len(vocabulary)))


def _vocabulary(
    rows: Sequence[dict[str, float] | set[str]],
    sources: Sequence[str] = (),
    min_messages: int = 2,
    min_sources: int = 1,
) -> dict[str, int]:
    """The features seen in at least ``min_messages`` messages from at least ``min_sources`` sources."""
    counts = Counter(f for row in rows for f in row)
    kept = {f for f, n in counts.items() if n >= min_messages}
    if min_sources > 1:
        seen: dict[str, set[str]] = {}
        for row, source in zip(rows, sources, strict=True):
            for f in row:
                if f in kept:
                    seen.setdefault(f, set()).add(source)
        kept = {f for f in kept if len(seen[f]) >= min_sources}
    return {f: i for i, f in enumerate(sorted(kept))}


def _linear(
    rows: Sequence[dict[str, float]], labels: Sequence[bool], sources: Sequence[str], config: TrainConfig
) -> tuple[float, dict[str, float]]:
    """The bias and per-feature weights of an L2 logistic fit (letter scaling folded back in)."""
    from sklearn.linear_model import LogisticRegression

    vocabulary = _vocabulary(rows, sources, config.min_messages, config.min_sources)
    model = LogisticRegression(C=config.c, max_iter=5000, class_weight="balanced")
    model.fit(_matrix(rows, vocabulary, config.char_scale), list(labels))
    weights = {
        f: float(w) * _scale(f, config.char_scale) for f, w in zip(vocabulary, model.coef_[0], strict=True)
    }
    return float(model.intercept_[0]), weights


def _score(bias: float, weights: dict[str, float], row: dict[str, float]) -> float:
    return bias + sum(weights.get(f, 0.0) * v for f, v in row.items())


def _platt(
    rows: Sequence[dict[str, float]], labels: Sequence[bool], sources: Sequence[str], config: TrainConfig
) -> tuple[float, float]:
    """Scale ``a`` and shift ``b`` of the logit that calibrate it on out-of-source scores: each
    message scored by a model fitted without its source file (sources dealt into up to 5 folds)."""
    from sklearn.linear_model import LogisticRegression

    names = sorted(set(sources))
    folds = min(5, len(names))
    if folds < 2:
        raise ConfigError("calibration needs messages from at least two files", source="ngram_train")
    fold_of = {name: i % folds for i, name in enumerate(names)}
    scores = [0.0] * len(rows)
    for k in range(folds):
        train = [i for i, s in enumerate(sources) if fold_of[s] != k]
        bias, weights = _linear(
            [rows[i] for i in train], [labels[i] for i in train], [sources[i] for i in train], config
        )
        for i, s in enumerate(sources):
            if fold_of[s] == k:
                scores[i] = _score(bias, weights, rows[i])
    platt = LogisticRegression(C=1e6, max_iter=1000)
    platt.fit([[x] for x in scores], list(labels))
    return float(platt.coef_[0][0]), float(platt.intercept_[0])


def fit(
    examples: list[Example], config: TrainConfig | None = None, target: str = "escalate"
) -> dict[str, Any]:
    """The model as the JSON ``NgramModel`` reads (with a class head for ``escalate`` only)."""
    from sklearn.linear_model import LogisticRegression

    config = config or TrainConfig()
    rows = [features(e.words) for e in examples]
    targets = [e.positive for e in examples]
    sources = [e.source for e in examples]
    bias, fitted = _linear(rows, targets, sources, config)
    if config.calibrate:
        scale, shift = _platt(rows, targets, sources, config)
        bias = scale * bias + shift
        fitted = {f: scale * w for f, w in fitted.items()}
    weights = {f: round(w, 4) for f, w in fitted.items() if abs(w) >= 0.005}

    positives = [e for e in examples if e.positive and e.label]
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
    model: dict[str, Any] = {
        "format": FORMAT,
        "target": target,
        target: {"bias": round(bias, 4), "weights": weights},
    }
    if target == "escalate":
        model["classes"] = {"labels": labels, "bias": class_bias, "weights": class_weights}
    return model


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="evaluation files (tuning halves only)")
    parser.add_argument("--out", type=Path, required=True, help="where to write the model JSON")
    parser.add_argument(
        "--target", choices=TARGETS, default="escalate", help="the decision the model predicts"
    )
    default = TrainConfig()
    parser.add_argument("--c", type=float, default=default.c, help="inverse L2 strength")
    parser.add_argument(
        "--min-messages", type=int, default=default.min_messages, help="a feature's fewest messages"
    )
    parser.add_argument(
        "--min-sources", type=int, default=default.min_sources, help="a feature's fewest files"
    )
    parser.add_argument(
        "--char-scale", type=float, default=default.char_scale, help="letter n-gram scale in the fit"
    )
    parser.add_argument(
        "--calibrate", action=argparse.BooleanOptionalAction, default=default.calibrate,
        help="Platt-scale on out-of-file scores",
    )  # fmt: skip
    args = parser.parse_args(argv)
    config = TrainConfig(args.c, args.min_messages, args.min_sources, args.char_scale, args.calibrate)
    examples = load_examples(args.files, args.target)
    model = fit(examples, config, args.target)
    digest = hashlib.sha256()
    for path in sorted(args.files):
        digest.update(path.name.encode() + path.read_bytes())
    model["provenance"] = {
        "trained_on": sorted(p.name for p in args.files),
        "training_sha256": digest.hexdigest(),
        "messages": len(examples),
        "positives": sum(e.positive for e in examples),
        "features": len(model[args.target]["weights"]),
        "settings": asdict(config),
        "command": f"python -m medfoundry.guardrails.ngram_train --target {args.target} --out OUT FILES",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(examples)} messages, {len(model[args.target]['weights'])} weighted features")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
