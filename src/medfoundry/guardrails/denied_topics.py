"""Denied topics: a request on a topic the policy denies is refused with a reason.

Built-in topics are concept rules with context in the language packs (``data/<lang>/denied.yaml``):
``controlled_substance_dosing`` (taking more of one's own opioid, benzodiazepine or stimulant,
changing its timing or stopping it without the prescriber) and ``lethal_dose``. A general
question about what a drug does matches no rule and is answered. The refusal names the
reason and points to the prescriber, in the message's language. Only user turns are read.

A policy may add its own topics under ``custom``: lists of term groups, matching when every
group has a term in the text (misspelling-tolerant).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from medfoundry.guardrails.base import Action, InputContext, Rule, RuleConfig
from medfoundry.guardrails.emergency import analyzer_for, scan
from medfoundry.guardrails.lexicon import load_packs
from medfoundry.guardrails.text import TokenIndex, contains_phrase, register_targets


class Topic(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    reason: str = Field(description="Said to the user in the refusal.")
    all_of: list[list[str]] = Field(description="Every group must have one of its terms in the text.")


def builtin_topics() -> list[str]:
    return sorted({name for pack in load_packs() for name in pack.topics})


class DeniedTopicConfig(RuleConfig):
    topics: list[str] = Field(default_factory=list, description="Built-in or custom topic names to deny.")
    custom: list[Topic] = Field(default_factory=list, description="Topics defined by this policy.")
    languages: list[str] = Field(
        default_factory=list,
        description="Directories of extra language packs (a folder per language, as guardrails/data/en).",
    )

    @model_validator(mode="after")
    def _known_topics(self) -> DeniedTopicConfig:
        known = set(builtin_topics()) | {t.name for t in self.custom}
        unknown = [t for t in self.topics if t not in known]
        if unknown:
            raise ValueError(f"unknown topics {unknown}; built-in topics are {builtin_topics()}")
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
        self.custom = [custom[name] for name in self.config.topics if name in custom]
        self.builtin = {name for name in self.config.topics if name not in custom}
        self.analyzer = analyzer_for(self.config.languages)
        register_targets(term for topic in self.custom for group in topic.all_of for term in group)

    def check_input(self, ctx: InputContext) -> None:
        user = ctx.user_texts()
        if self.builtin:
            findings, language = scan(
                self.analyzer,
                ctx.original or ctx.texts,
                ctx.roles,
                kind="denied",
                only=self.builtin,
                cache=ctx.analyses,
            )
            if findings:
                finding = max(findings, key=lambda f: f.hit.confidence)
                pack = self.analyzer.packs.get(finding.language, language)
                reason = (
                    pack.topics[finding.hit.name].reason
                    if finding.hit.name in pack.topics
                    else (self.analyzer.default.topics[finding.hit.name].reason)
                )
                template = pack.message("refusal_denied", self.analyzer.default)
                self._refuse(ctx, finding.hit.name, template.format(reason=reason))
                return
        if self.custom:
            index = ctx.token_index("\n".join(t for _, t in user))
            for topic in self.custom:
                if topic_matches(topic, index):
                    template = self.analyzer.default.message("refusal_denied")
                    self._refuse(ctx, topic.name, template.format(reason=topic.reason))
                    return

    def _refuse(self, ctx: InputContext, topic: str, message: str) -> None:
        ctx.actions.append(Action(self.name, "refuse", {"topic": topic}))
        ctx.stop("refuse", message)
