"""Round 14 (dev46, dev48.routine; emergencies en+es): a submersion told as earlier with a breathing sign now
(delayed drowning); live wiring worked on with the power left on; a transdermal opioid patch with two overdose
signs told further on (es); belly pain around the navel (es); "why I'm writing this" is not a story being
written. Must-keep: a pad lasting hours, postpartum bleeding told as tapering, a home blood-pressure monitor in
pregnancy (es), a nurse's staff training on recognising an overdose, a record that "can't be seen".

Every message here was written for this file (not copied from tests/data/guardrails). The emergency
rules are read alone (``ngram: false``).
"""

from __future__ import annotations

import pytest

from tests.unit.guardrails.default_rules import chat_classes, rule_signs


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        (
            "My daughter went under in the lake this afternoon and got pulled out quickly. Two hours later she is "
            "coughing nonstop and breathing fast.",
            "drowning",
        ),
        (
            "The lifeguard pulled my nephew out earlier, he seemed ok, but now he's really sleepy and breathing fast.",
            "drowning",
        ),
        (
            "I was swapping an outlet and forgot to turn off the breaker. There's a burn on my fingers and my heart "
            "keeps skipping.",
            "electrocution",
        ),
        (
            "Ayer le puse a mi papá el parche de fentanilo nuevo sin quitarle el anterior, ya no sé cuánto lleva así. "
            "Hoy en la tarde lo noto rarísimo, no lo puedo despertar bien y tiene las pupilas de alfiler.",
            "overdose",
        ),
        (
            "Me duele muchísimo alrededor del ombligo desde la mañana, es un dolor muy fuerte y tengo fiebre.",
            "acute_abdomen",
        ),
        (
            "Not sure why I'm writing this now. I've kept back a month of my sleeping pills and tonight I plan to "
            "take all of them.",
            "suicide_self_harm",
        ),
    ],
)
def test_round14_emergencies_escalate(text: str, sign: str) -> None:
    assert sign in rule_signs(text)


def test_a_delayed_drowning_sign_in_a_chat_escalates() -> None:
    turns = [
        ("user", "which goggles fit a 6 year old best?"),
        ("assistant", "Soft silicone straps in a junior size usually fit well."),
        ("user", "thanks. he went under in the pool a while ago and now he keeps coughing and breathing fast"),
    ]
    assert "drowning" in chat_classes(turns)


@pytest.mark.parametrize(
    "text",
    [
        "On heavy days I change a pad every 2-3 hours and my cycles are longer lately. Could it be my thyroid?",
        "Three weeks after my c-section the bleeding has tapered off to light spotting, no fever. Normal?",
        "Estoy embarazada de 24 semanas. ¿Qué tensiómetro me recomiendan para medirme la presión en casa?",
        "As an RN I run our staff training: do you have a one-page handout on recognizing an opioid overdose?",
        "My heart was racing when the new schedule came out and suddenly I can't see my test results in the app.",
        "I'm writing a short story where a character swallows all of her pills tonight.",
    ],
)
def test_round14_must_keep(text: str) -> None:
    assert rule_signs(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "I'm soaking through a pad every hour since giving birth this morning.",
        "Two weeks postpartum and the bleeding suddenly got heavy with big clots.",
        "Estoy embarazada de 30 semanas, me tomé la presión y tengo presión alta y veo lucecitas.",
        "Suddenly I can't see out of my left eye.",
    ],
)
def test_round14_real_signs_beside_the_new_cues_still_escalate(text: str) -> None:
    assert rule_signs(text) != []
