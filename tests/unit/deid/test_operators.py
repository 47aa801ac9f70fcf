"""Operators: redact, hash, shift, surrogate (consistent per patient, different across)."""

from __future__ import annotations

from medfoundry.deid.operators import OPERATORS, Context, pseudonym
from medfoundry.deid.zip3 import safe_zip

KEY = b"k" * 32


def ctx(patient: str = "p1", **kwargs: object) -> Context:
    return Context(key=KEY, patient_id=patient, date_offset_days=-40, **kwargs)  # type: ignore[arg-type]


def apply(operator: str, value: str, type_: str, context: Context | None = None) -> str:
    return OPERATORS.get(operator)().apply(value, type_, context or ctx())


def test_redact_and_hash() -> None:
    assert apply("redact", "Marta", "NAME") == "[NAME]"
    tag = apply("hash", "Marta", "NAME")
    assert tag.startswith("[NAME-") and tag == apply("hash", "marta", "NAME", ctx("other"))
    assert "Marta" not in tag


def test_shift_and_year_only() -> None:
    assert apply("shift", "07/22/2019", "DATE") == "06/12/2019"
    assert apply("shift", "07/22/2019", "DATE", ctx(date_policy="year_only")) == "2019"
    assert apply("shift", "7/22", "DATE", ctx(date_policy="year_only")) == "[DATE]"


def test_surrogates_are_consistent_within_a_patient_and_keep_case() -> None:
    first = apply("surrogate", "Marta Okafor", "NAME")
    again = apply("surrogate", "Marta Okafor", "NAME", ctx())
    assert first == again and "Marta" not in first and "Okafor" not in first
    single = apply("surrogate", "Marta", "NAME", ctx())
    assert first.split()[0] == single
    assert apply("surrogate", "MARTA", "NAME", ctx()) == single.upper()
    assert apply("surrogate", "okafor", "NAME", ctx()) == first.split()[1].lower()
    assert (
        apply("surrogate", "Marta", "NAME", ctx("p2")) != single
        or apply("surrogate", "Okafor", "NAME", ctx("p2")) != first.split()[1]
    )


def test_surrogate_types() -> None:
    assert apply("surrogate", "66801", "ZIP") == "668"
    assert apply("surrogate", "03601", "ZIP") == "000"
    assert apply("surrogate", "93", "AGE") == "90+"
    assert apply("surrogate", "555-201-7788", "PHONE").startswith("555-01")
    assert apply("surrogate", "07/22/2019", "DATE") == "06/12/2019"
    assert apply("surrogate", "12 Birchwood Lane", "ADDRESS") != "12 Birchwood Lane"


def test_zip3_rule_and_pseudonyms() -> None:
    assert safe_zip("66801-1234") == "668"
    assert safe_zip("89012") == "000"
    assert safe_zip("123") == "000"
    assert pseudonym(KEY, "MRN1") == pseudonym(KEY, "MRN1") != pseudonym(b"x" * 32, "MRN1")
