"""A second reading of a user message: a linear model over its word and letter n-grams.

The emergency rules know the signs the lexicon names; a message that describes an emergency
in words no rule lists is missed, and one that borrows the words in a context no trigger
names is escalated. This model was fitted (``ngram_train``) on the project's own labelled
tuning messages, every author's set but never a report half, and reads the whole message:
its word pairs carry context ("last year", "in my novel") and its letter n-grams carry
misspellings. Its probability joins the rules in ``EmergencyRule`` (see there and
docs/guardrails.md): above ``ngram_add_above`` it escalates a message no rule matched; a rule
hit it scores below ``ngram_veto_below`` is flagged rather than escalated.

The features are the same here and in training (``features``): pure Python, no model
library at serving time, and a distinct word's letter n-grams are looked up once per
process, so a 4 KB message costs a fraction of a millisecond.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

from medfoundry.errors import ConfigError
from medfoundry.guardrails.text import Tokens

CHAR_SIZES = (3, 4, 5)
FORMAT = "medfoundry-ngram-v1"


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
    """Weights for the ``escalate`` decision and, among emergencies, for the class."""

    def __init__(self, data: dict[str, Any], source: str) -> None:
        if data.get("format") != FORMAT:
            raise ConfigError(
                f"{source} is not a {FORMAT} model; rebuild it with "
                "python -m medfoundry.guardrails.ngram_train",
                source=source,
            )
        self.source = source
        self.bias: float = data["escalate"]["bias"]
        self.weights: dict[str, float] = data["escalate"]["weights"]
        self.classes: list[str] = data["classes"]["labels"]
        self.class_bias: list[float] = data["classes"]["bias"]
        # feature -> [(class index, weight)], sparse
        self.class_weights: dict[str, list[tuple[int, float]]] = {
            f: [(int(i), w) for i, w in pairs] for f, pairs in data["classes"]["weights"].items()
        }
        self.provenance: dict[str, Any] = data.get("provenance", {})
        # word pairs as first word -> second word -> weight: no string is built per pair
        self.pairs: dict[str, dict[str, float]] = {}
        for feature, weight in self.weights.items():
            if feature.startswith("b:"):
                first, second = feature[2:].split(" ", 1)
                self.pairs.setdefault(first, {})[second] = weight
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
        """The probability that ``tokens`` describe a current emergency."""
        known = self._known_words
        score = self.bias
        for word in tokens.positions:
            weight = known.get(word)
            score += weight if weight is not None else self._word_weight(word)
        pairs = self.pairs
        for a, b in dict.fromkeys(pairwise(tokens.words)):  # each distinct pair once, in text order
            following = pairs.get(a)
            if following is not None and b in following:
                score += following[b]
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))

    def label(self, words: tuple[str, ...]) -> str:
        """The likeliest emergency class of a text's words."""
        scores = list(self.class_bias)
        for feature in word_features(words):
            for index, weight in self.class_weights.get(feature, ()):
                scores[index] += weight
        return self.classes[max(range(len(scores)), key=scores.__getitem__)]

    def evidence(self, tokens: Tokens, top: int = 3) -> tuple[int, ...]:
        """The positions of the (up to) ``top`` words weighing most towards an emergency."""
        weights = self.weights
        ranked = sorted(
            ((weights.get("w:" + w, 0.0), at[0]) for w, at in tokens.positions.items()), reverse=True
        )
        return tuple(sorted(at for weight, at in ranked[:top] if weight > 0))


def _packaged() -> tuple[str, str]:
    path = resources.files("medfoundry.guardrails").joinpath("data", "_model", "emergency_ngram.json")
    return path.read_text(encoding="utf-8"), "medfoundry/guardrails/data/_model/emergency_ngram.json"


_MODELS: dict[str, NgramModel] = {}


def load_model(path: str | None = None) -> NgramModel:
    """The packaged model, or the one at ``path`` (cached per process)."""
    key = path or ""
    model = _MODELS.get(key)
    if model is None:
        if path is None:
            text, source = _packaged()
        else:
            file = Path(path)
            if not file.is_file():
                raise ConfigError(f"n-gram model {file} does not exist", source="ngram_model")
            text, source = file.read_text(encoding="utf-8"), str(file)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{source}: not JSON ({exc.msg}, line {exc.lineno})", source=source) from exc
        model = _MODELS[key] = NgramModel(data, source)
    return model
