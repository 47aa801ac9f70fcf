"""A second reading of a user message: a linear model over its word and letter n-grams.

The rules know the signs and requests their language packs name; a message that says the
same thing in words no rule lists is missed, and one that borrows the words in a context no
trigger names is caught. A model fitted (``ngram_train``) on the project's own labelled tuning
messages, every author's set but never a report half, reads the whole message: its word
pairs carry context ("last year", "in my novel") and its letter n-grams carry misspellings.

One model per decision (its ``target``): ``escalate`` (the emergency rule; the model also
names the likeliest class), ``refuse`` (denied topics) and ``block`` (injection). Each rule
uses its model's probability the same way (see the rule and docs/guardrails.md): above an
``ngram_*_above`` setting it acts on a message no rule matched; a rule hit it scores below
``ngram_veto_below`` is flagged rather than acted on, where the rule offers that.

The features are the same here and in training (``features``): pure Python, no model
library at serving time, and a distinct word's letter n-grams are looked up once per
process, so a 4 KB message costs a fraction of a millisecond.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from itertools import pairwise, repeat
from pathlib import Path
from typing import Any

from medfoundry.errors import ConfigError
from medfoundry.guardrails.text import Tokens

CHAR_SIZES = (3, 4, 5)
FORMAT = "medfoundry-ngram-v1"
TARGETS = ("escalate", "refuse", "block")
# the packaged model of each decision (data/_model/)
PACKAGED = {
    "escalate": "emergency_ngram.json",
    "refuse": "denied_ngram.json",
    "block": "injection_ngram.json",
}


def word_features(words: tuple[str, ...]) -> set[str]:
    """Words (``w:``) and adjacent word pairs (``b:``) of one text."""
    found = {"w:" + w for w in words}
    found.update(f"b:{a} {b}" for a, b in pairwise(words))
    return found


@lru_cache(maxsize=65536)
def char_features(word: str) -> tuple[str, ...]:
    """The letter n-grams of one word, padded with a space on each side (``c:``)."""
    padded = f" {word} "
    return tuple({"c:" + padded[i : i + n] for n in CHAR_SIZES for i in range(len(padded) - n + 1)})


def features(words: tuple[str, ...]) -> dict[str, float]:
    """Every feature of a text's words: a word or word pair is present (1) or not; a letter
    n-gram counts the distinct words it occurs in (so a word's letters weigh once however
    often the word is written, and serving can cache each word's letter weights)."""
    found: dict[str, float] = dict.fromkeys(word_features(words), 1.0)
    for word in set(words):
        for gram in char_features(word):
            found[gram] = found.get(gram, 0.0) + 1.0
    return found


class NgramModel:
    """Weights for one decision (``target``) and, for ``escalate``, for the emergency class."""

    def __init__(self, data: dict[str, Any], source: str) -> None:
        target = data.get("target", "escalate")  # models written before there were other targets
        if data.get("format") != FORMAT or target not in TARGETS or target not in data:
            raise ConfigError(
                f"{source} is not a {FORMAT} model; rebuild it with "
                "python -m medfoundry.guardrails.ngram_train",
                source=source,
            )
        self.source = source
        self.target: str = target
        self.bias: float = data[target]["bias"]
        self.weights: dict[str, float] = data[target]["weights"]
        classes = data.get("classes") or {"labels": [], "bias": [], "weights": {}}
        self.classes: list[str] = classes["labels"]
        self.class_bias: list[float] = classes["bias"]
        # feature -> [(class index, weight)], sparse
        self.class_weights: dict[str, list[tuple[int, float]]] = {
            f: [(int(i), w) for i, w in pairs] for f, pairs in classes["weights"].items()
        }
        self.provenance: dict[str, Any] = data.get("provenance", {})
        # word pairs keyed by (first, second), as ``Tokens.word_pairs`` gives them: no string is built per pair
        self.pairs: dict[tuple[str, str], float] = {}
        for feature, weight in self.weights.items():
            if feature.startswith("b:"):
                first, second = feature[2:].split(" ", 1)
                self.pairs[first, second] = weight
        self._known_words: dict[str, float] = {}

    def _word_weight(self, word: str) -> float:
        """The weight of ``word`` and its letter n-grams (computed once per word)."""
        weight = self._known_words.get(word)
        if weight is None:
            weights = self.weights
            weight = weights.get("w:" + word, 0.0) + sum(weights.get(g, 0.0) for g in char_features(word))
            if len(self._known_words) > 200_000:
                self._known_words.clear()
            self._known_words[word] = weight
        return weight

    def score(self, tokens: Tokens) -> float:
        """The probability that ``tokens`` call for the model's decision (a current emergency,
        a request to refuse, an attack to block)."""
        known = self._known_words
        words = tokens.positions  # each distinct word once
        try:  # the common case, every word seen before: summed in C, no Python loop
            score = self.bias + sum(map(known.__getitem__, words))
        except KeyError:
            score = self.bias
            for word in words:
                weight = known.get(word)
                score += weight if weight is not None else self._word_weight(word)
        score += sum(map(self.pairs.get, tokens.word_pairs, repeat(0.0)))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))

    def label(self, words: tuple[str, ...]) -> str:
        """The likeliest emergency class of a text's words (an ``escalate`` model only)."""
        if not self.classes:
            raise ConfigError(
                f"{self.source} names no classes (its target is {self.target})", source=self.source
            )
        scores = list(self.class_bias)
        for feature in word_features(words):
            for index, weight in self.class_weights.get(feature, ()):
                scores[index] += weight
        return self.classes[max(range(len(scores)), key=scores.__getitem__)]

    def evidence(self, tokens: Tokens, top: int = 3) -> tuple[int, ...]:
        """The positions of the (up to) ``top`` words weighing most towards the decision."""
        weights = self.weights
        ranked = sorted(
            ((weights.get("w:" + w, 0.0), at[0]) for w, at in tokens.positions.items()), reverse=True
        )
        return tuple(sorted(at for weight, at in ranked[:top] if weight > 0))


def _packaged(target: str) -> tuple[str, str]:
    name = PACKAGED[target]
    path = resources.files("medfoundry.guardrails").joinpath("data", "_model", name)
    return path.read_text(encoding="utf-8"), f"medfoundry/guardrails/data/_model/{name}"


_MODELS: dict[tuple[str, str], NgramModel] = {}


def load_model(path: str | None = None, target: str = "escalate") -> NgramModel:
    """The packaged model for ``target``, or the one at ``path`` (cached per process); a model
    fitted for another decision is a configuration error."""
    key = (path or "", target)
    model = _MODELS.get(key)
    if model is None:
        if path is None:
            text, source = _packaged(target)
        else:
            file = Path(path)
            if not file.is_file():
                raise ConfigError(f"n-gram model {file} does not exist", source="ngram_model")
            text, source = file.read_text(encoding="utf-8"), str(file)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{source}: not JSON ({exc.msg}, line {exc.lineno})", source=source) from exc
        model = NgramModel(data, source)
        if model.target != target:
            raise ConfigError(
                f"{source} is a model for {model.target!r}, not {target!r}; fit one with "
                f"python -m medfoundry.guardrails.ngram_train --target {target}",
                source=source,
            )
        _MODELS[key] = model
    return model
