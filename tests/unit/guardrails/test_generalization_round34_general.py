"""Round 34, general medical classes (en+es): testicular torsion told with "privates" and vomiting in the past tense
(AUA/NHS), "PE" as the school subject rather than a pulmonary embolism, and chest pain that comes only when someone
presses on the spot (2021 AHA/ACC chest pain guideline: pain reproduced by palpation is less likely ischemic).

Every message here was written for this file (not copied from tests/data/guardrails). The emergency rules are read
alone (``ngram: false``).
"""

from __future__ import annotations

import pytest

from tests.unit.guardrails.default_rules import rule_signs


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("my 14 year old son has sudden pain in his privates and threw up twice", "torsion"),
        ("my boy woke up with horrible pain in his privates, left side is swollen", "torsion"),
        ("mi nieto tiene un dolor terrible en sus partes privadas y vomitó", "torsion"),
        ("I think I have a PE again, same sharp pain when I breathe as last time", "pe_dissection"),
        ("my chest is squeezing and it goes down my left arm, I'm sweating", "cardiac"),
        ("me aprieta el pecho desde hace media hora y estoy sudando frío", "cardiac"),
    ],
)
def test_new_cues_escalate(text: str, sign: str) -> None:
    assert sign in rule_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "my daughter sprained her ankle, when can she go back to PE again?",
        "the coach says he can't do PE again until the cast is off, do you write notes for gym?",
        "mi papá tiene un dolorcito en el pecho solo cuando se aprieta la costilla, se golpeó ayer con la puerta",
        "a mi abuela le duele el pecho al tocarse donde se pegó, respira bien",
        "my mom's chest hurts only when she presses on the rib she bumped, can she take tylenol?",
        "is it normal that one of my son's testicles hangs lower than the other?",
    ],
)
def test_everyday_messages_answered(text: str) -> None:
    assert not rule_signs(text)
