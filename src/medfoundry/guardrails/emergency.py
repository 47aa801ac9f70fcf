"""Emergency signs in a patient-facing message → an escalation notice and flag.

Phrases match word by word, tolerating one typo per word of four or more letters, so
"chest pian" and "suicidel" are caught. A purely educational question ("what are the
risk factors for stroke?") without a personal reference is flagged, not escalated.
"""

from __future__ import annotations

from pydantic import Field

from medfoundry.guardrails.base import Action, InputContext, Rule, RuleConfig
from medfoundry.guardrails.text import TokenIndex, contains_phrase, register_targets

P = tuple[str, ...]
SIGNS: dict[str, tuple[tuple[P, int], ...]] = {
    "chest_pain": (
        (("chest", "pain"), 1),
        (("chest", "pains"), 1),
        (("chest", "pressure"), 1),
        (("chest", "tightness"), 1),
        (("chest", "hurts"), 1),
        (("chest", "feels", "tight"), 1),
        (("crushing", "chest"), 1),
        (("tightness", "chest"), 2),
        (("pressure", "chest"), 2),
        (("heart", "attack"), 1),
        (("pain", "chest"), 2),
    ),
    "stroke": (
        (("face", "drooping"), 2),
        (("face", "droopy"), 2),
        (("face", "droops"), 2),
        (("slurred", "speech"), 1),
        (("slurring",), 0),
        (("having", "stroke"), 2),
        (("stroke",), 0),
        (("sudden", "numbness"), 1),
        (("arm", "weakness"), 1),
        (("one", "side", "numb"), 2),
        (("one", "side", "weak"), 2),
        (("cant", "lift", "arm"), 2),
        (("cant", "move", "side"), 3),
    ),
    "severe_bleeding": (
        (("severe", "bleeding"), 1),
        (("heavy", "bleeding"), 1),
        (("bleeding", "heavily"), 1),
        (("bleeding", "wont", "stop"), 1),
        (("bleeding", "not", "stopping"), 1),
        (("cant", "stop", "bleeding"), 1),
        (("blood", "everywhere"), 1),
        (("coughing", "blood"), 1),
        (("vomiting", "blood"), 1),
        (("gushing", "blood"), 1),
        (("soaked", "blood"), 2),
        (("bleeding", "lot"), 2),
        (("losing", "blood"), 2),
    ),
    "suicidal_ideation": (
        (("suicidal",), 0),
        (("suicide",), 0),
        (("kill", "myself"), 1),
        (("end", "my", "life"), 1),
        (("want", "to", "die"), 1),
        (("take", "my", "own", "life"), 0),
        (("hurt", "myself"), 1),
        (("not", "worth", "living"), 1),
        (("better", "off", "dead"), 0),
        (("self", "harm"), 0),
    ),
    "overdose": (
        (("overdose",), 0),
        (("overdosed",), 0),
        (("overdosing",), 0),
        (("took", "too", "many"), 2),
        (("swallowed", "bottle"), 3),
        (("took", "whole", "bottle"), 2),
        (("took", "too", "much"), 2),
        (("ate", "pills"), 3),
    ),
    "anaphylaxis": (
        (("anaphylaxis",), 0),
        (("anaphylactic",), 0),
        (("throat", "closing"), 2),
        (("throat", "swelling"), 2),
        (("throat", "swollen"), 2),
        (("tongue", "swelling"), 2),
        (("lips", "swelling"), 2),
        (("epipen",), 0),
        (("allergic", "reaction", "breathe"), 4),
    ),
    "breathing": (
        (("cant", "breathe"), 1),
        (("cannot", "breathe"), 1),
        (("struggling", "breathe"), 2),
        (("not", "breathing"), 1),
        (("turning", "blue"), 1),
    ),
}
PERSONAL = frozenset(
    "i im ive me my mine myself we our us he hes she shes his her him they theyre their husband wife son "
    "daughter mom mum dad mother father child kid baby friend partner grandma grandpa brother sister".split()
)
EDUCATIONAL = (
    ("what", "causes"),
    ("risk", "factors"),
    ("what", "is"),
    ("what", "are"),
    ("how", "prevent"),
    ("signs", "of"),
    ("symptoms", "of"),
    ("difference", "between"),
    ("explain",),
    ("define",),
)
register_targets(" ".join(phrase) for phrases in SIGNS.values() for phrase, _ in phrases)
register_targets(" ".join(cue) for cue in EDUCATIONAL)
NOTICE = (
    "If this is an emergency, call 911 (or your local emergency number) or go to the nearest "
    "emergency department now. This assistant cannot provide emergency care."
)
CRISIS_NOTICE = (
    " If you are thinking about suicide or self-harm, call or text 988 (Suicide & Crisis Lifeline)."
)


class EmergencyConfig(RuleConfig):
    notice: str = Field(NOTICE, description="Text put before the response when emergency signs are found.")


def emergency_signs(text: str, index: TokenIndex | None = None) -> tuple[list[str], bool]:
    """The categories of emergency signs found and whether the text is personal (not educational)."""
    index = index or TokenIndex.of(text)
    found = [
        category
        for category, phrases in SIGNS.items()
        if any(contains_phrase(index, phrase, window=window) for phrase, window in phrases)
    ]
    personal = bool(PERSONAL.intersection(index.tokens)) or not any(
        contains_phrase(index, cue, window=2) for cue in EDUCATIONAL
    )
    return found, personal


class EmergencyRule(Rule):
    name = "emergency"
    config_model = EmergencyConfig
    config: EmergencyConfig

    def check_input(self, ctx: InputContext) -> None:
        signs: set[str] = set()
        personal = False
        for text in ctx.texts:
            found, is_personal = emergency_signs(text, ctx.token_index(text))
            if found:
                signs.update(found)
                personal = personal or is_personal
        if not signs:
            return
        details = {"signs": sorted(signs)}
        if ctx.audience != "patient" or not personal:
            ctx.actions.append(Action(self.name, "flag", details))
            return
        ctx.escalation = True
        notice = self.config.notice + (CRISIS_NOTICE if "suicidal_ideation" in signs else "")
        ctx.notices.append(notice)
        ctx.actions.append(Action(self.name, "escalate", details))
