"""One CodeableConcept-to-text: the renderer (with codes) and task facts (bare) name a concept alike."""

from __future__ import annotations

from typing import Any

import pytest

from medfoundry.datasets.templates.facts import display
from medfoundry.ingest.text import concept_text

SNOMED = "http://snomed.info/sct"


@pytest.mark.parametrize(
    ("concept", "with_codes", "bare"),
    [
        ({"text": "appendicitis, acute", "coding": [{"system": SNOMED, "code": "74400008", "display": "Appendicitis"}]},
         "Appendicitis (SNOMED 74400008)", "Appendicitis"),
        ({"text": "free text only"}, "free text only", "free text only"),
        ({"coding": [{"system": SNOMED, "code": "74400008"}]}, "74400008", "74400008"),
        ({"coding": [{"code": "x"}, {"system": "urn:local", "code": "y", "display": "Local name"}]},
         "Local name", "Local name"),
        (None, "", ""),
        ("not a concept", "", ""),
    ],
)  # fmt: skip
def test_render_and_facts_agree(concept: Any, with_codes: str, bare: str) -> None:
    assert concept_text(concept) == with_codes
    assert concept_text(concept, codes=False) == bare
    assert display(concept) == bare
