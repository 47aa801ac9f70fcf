"""The clinical safe patterns (``data/en/safe_patterns.yaml``): every listed example, and the
rule that only a covering match vetoes a PHI candidate."""

from __future__ import annotations

import pytest

from medfoundry.deid.detectors.safe import is_safe, safe_matches, safe_patterns
from medfoundry.deid.spans import Span

PATTERNS = safe_patterns()


def test_every_pattern_is_named_once_and_has_examples_both_ways() -> None:
    names = [p.name for p in PATTERNS]
    assert len(names) == len(set(names))
    assert all(p.match and p.no_match for p in PATTERNS), [
        p.name for p in PATTERNS if not (p.match and p.no_match)
    ]


@pytest.mark.parametrize(("name", "example"), [(p.name, example) for p in PATTERNS for example in p.match])
def test_pattern_matches_its_whole_example(name: str, example: str) -> None:
    pattern = next(p for p in PATTERNS if p.name == name)
    match = pattern.regex.match(example.lower())
    assert match is not None and match.end() == len(example), (name, example, match and match.group())
    # And the scan over a whole text finds a match covering it.
    text = f"noted: {example}; ok"
    at = text.index(example)
    assert any(s <= at and e >= at + len(example) for s, e, _ in safe_matches(text)), (name, example)


@pytest.mark.parametrize(("name", "example"), [(p.name, example) for p in PATTERNS for example in p.no_match])
def test_pattern_does_not_match_its_counter_example(name: str, example: str) -> None:
    pattern = next(p for p in PATTERNS if p.name == name)
    assert pattern.regex.search(example.lower()) is None, (name, example)


def _span(text: str, value: str, type_: str) -> Span:
    start = text.index(value)
    return Span(start, start + len(value), type_, "test")


def test_only_a_covering_match_vetoes() -> None:
    text = "Sp02 97-100, call 555-0143"
    assert is_safe(text, _span(text, "97-100", "PHONE"))
    assert not is_safe(text, _span(text, "555-0143", "PHONE"))  # next to a measurement, not inside one


def test_unambiguous_types_are_never_vetoed() -> None:
    text = "FiO2 40% jane@example.org"
    assert not is_safe(text, _span(text, "jane@example.org", "EMAIL"))


def test_eponym_pattern_vetoes_names_but_not_dates() -> None:
    text = "Crohn disease"
    assert is_safe(text, _span(text, "Crohn", "NAME"))
    assert not is_safe(text, _span(text, "Crohn", "DATE"))


def test_patterns_tried_without_a_digit_have_gates_and_others_need_digits() -> None:
    # The engine tries a pattern whose examples all have digits only where a digit is near:
    # such a pattern must not match text without digits.
    words = " ".join(example for p in PATTERNS for example in (*p.match, *p.no_match))
    digitless = "".join(c for c in words.lower() if not c.isdigit())
    for pattern in PATTERNS:
        if pattern.needs_digit:
            assert pattern.regex.search(digitless) is None, pattern.name
        else:
            assert pattern.gate is not None, pattern.name
            digitless_examples = [e.lower() for e in pattern.match if not any(c.isdigit() for c in e)]
            assert all(pattern.gate.search(e) for e in digitless_examples), pattern.name


def test_every_example_begins_with_a_character_its_pattern_is_tried_at() -> None:
    from medfoundry.deid.detectors.safe import _by_first_char

    table = _by_first_char("en")
    for pattern in PATTERNS:
        for example in pattern.match:
            assert pattern in table.get(example.lower()[0], ()), (pattern.name, example)
