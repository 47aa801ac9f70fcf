"""A surrogate must never re-introduce one of the patient's real identifiers."""

from __future__ import annotations

import pytest

from medfoundry.deid.operators import Context, Surrogate


@pytest.mark.parametrize("value,type_", [("Marta", "NAME"), ("Okafor", "NAME"), ("Springfield", "LOCATION")])
def test_surrogate_redraws_when_it_equals_a_real_identifier(value: str, type_: str) -> None:
    key = b"k" * 32
    first = Surrogate().apply(value, type_, Context(key=key, patient_id="p1"))
    # Pretend the patient's relative is really called what the surrogate came out as.
    clashing = Context(key=key, patient_id="p1", avoid=frozenset({first.lower()}))
    second = Surrogate().apply(value, type_, clashing)
    assert second.lower() != first.lower()
    again = Surrogate().apply(
        value, type_, Context(key=key, patient_id="p1", avoid=frozenset({first.lower()}))
    )
    assert again == second  # still deterministic for the same key and patient


def test_a_surrogate_never_equals_a_known_name_without_its_glued_digits() -> None:
    from medfoundry.deid.records import avoid_words
    from medfoundry.deid.spans import KnownPHI

    avoid = avoid_words(KnownPHI(names=("Abe604 Kshlerin58",)))
    assert {"kshlerin", "abe604", "kshlerin58"} <= avoid
    assert Context(key=b"k" * 32, avoid=avoid).collides("Kshlerin")
