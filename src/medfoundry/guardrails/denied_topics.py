"""Denied topics: a request on a topic the policy denies is refused with a reason.

A topic is a list of term groups; it matches when every group has a term in the text
(terms are words or phrases, misspelling-tolerant). Built-in topics are below; a
policy adds its own under ``custom``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from medfoundry.guardrails.base import Action, InputContext, Rule, RuleConfig
from medfoundry.guardrails.text import TokenIndex, contains_phrase, register_targets


class Topic(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    reason: str = Field(description="Said to the user in the refusal.")
    all_of: list[list[str]] = Field(description="Every group must have one of its terms in the text.")


CONTROLLED = (
    "oxycodone oxycontin hydrocodone vicodin norco percocet fentanyl morphine methadone buprenorphine suboxone "
    "codeine tramadol hydromorphone dilaudid opioid opioids opiate opiates alprazolam xanax lorazepam ativan "
    "diazepam valium clonazepam klonopin benzodiazepine benzodiazepines benzo benzos adderall amphetamine "
    "vyvanse methylphenidate ritalin zolpidem ambien ketamine pregabalin lyrica testosterone modafinil"
).split()
BUILTIN_TOPICS: dict[str, Topic] = {
    topic.name: topic
    for topic in (
        Topic(
            name="controlled_substance_dosing",
            reason="changing the dose of a controlled substance",
            all_of=[
                CONTROLLED,
                "increase increasing raise raising double doubling triple higher highest extra more another bump up "
                "decrease lower reduce cut taper stop quit skip adjust change".split(),
                "dose doses dosage dosing mg milligrams pill pills tablet tablets patch take taking".split(),
            ],
        ),
        Topic(
            name="lethal_dose",
            reason="lethal or fatal amounts of a drug",
            all_of=[
                ["lethal", "fatal", "deadly", "to die", "kill a person", "kill someone", "kill me"],
                ["dose", "dosage", "amount", "how much", "how many", "pills", "mg"],
            ],
        ),
    )
}


class DeniedTopicConfig(RuleConfig):
    topics: list[str] = Field(default_factory=list, description="Built-in or custom topic names to deny.")
    custom: list[Topic] = Field(default_factory=list, description="Topics defined by this policy.")

    @model_validator(mode="after")
    def _known_topics(self) -> DeniedTopicConfig:
        known = set(BUILTIN_TOPICS) | {t.name for t in self.custom}
        unknown = [t for t in self.topics if t not in known]
        if unknown:
            raise ValueError(f"unknown topics {unknown}; built-in topics are {sorted(BUILTIN_TOPICS)}")
        return self


def topic_matches(topic: Topic, tokens: list[str] | TokenIndex) -> bool:
    index = tokens if isinstance(tokens, TokenIndex) else TokenIndex(tokens)
    return all(
        any(contains_phrase(index, tuple(term.split()), window=1) for term in group) for group in topic.all_of
    )


class DeniedTopicRule(Rule):
    name = "denied_topic"
    config_model = DeniedTopicConfig
    config: DeniedTopicConfig

    def __init__(self, config: RuleConfig) -> None:
        super().__init__(config)
        custom = {t.name: t for t in self.config.custom}
        self.topics = [custom.get(name) or BUILTIN_TOPICS[name] for name in self.config.topics]
        register_targets(term for topic in self.topics for group in topic.all_of for term in group)

    def check_input(self, ctx: InputContext) -> None:
        index = ctx.token_index("\n".join(ctx.texts))
        for topic in self.topics:
            if topic_matches(topic, index):
                ctx.actions.append(Action(self.name, "refuse", {"topic": topic.name}))
                ctx.stop(
                    "refuse",
                    f"I can't help with {topic.reason} here. Please talk to your prescribing clinician "
                    "or pharmacist.",
                )
                return
