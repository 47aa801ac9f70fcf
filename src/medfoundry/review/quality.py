"""The numbers of review: edit distance between an output and its correction, Cohen's kappa."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance over words (what a reviewer changes is words, not bytes)."""
    x, y = a.split(), b.split()
    if len(x) < len(y):
        x, y = y, x
    previous = list(range(len(y) + 1))
    for i, word in enumerate(x, start=1):
        current = [i]
        for j, other in enumerate(y, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other)))
        previous = current
    return previous[-1]


def edit_ratio(original: str, edited: str) -> float:
    """Word edit distance divided by the longer text's word count (0 = unchanged, 1 = rewritten)."""
    longest = max(len(original.split()), len(edited.split()))
    return edit_distance(original, edited) / longest if longest else 0.0


def cohens_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa of two raters' labels; None without pairs, 1.0 when both always agree on one label."""
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[label] * second[label] for label in first) / (n * n)
    if expected == 1.0:
        return 1.0
    return (observed - expected) / (1.0 - expected)
