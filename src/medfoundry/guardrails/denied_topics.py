"""Denied topics: a request on a topic the policy denies is refused with a reason.

Built-in topics are concept rules with context in the language packs (``data/<lang>/denied.yaml``):
``controlled_substance_dosing`` (taking more of one's own opioid, benzodiazepine or stimulant,
changing its timing or stopping it without the prescriber) and ``lethal_dose``. A general
question about what a drug does matches no rule and is answered. The refusal names the
reason and points to the prescriber, in the message's language. Only user turns are read.

An n-gram model (``guardrails.ngram``, target ``refuse``) reads each user turn too, for the
dose topic: a message no rule matched is refused when the model is sure of it and a controlled
drug is named; a policy may also have dose rule hits the model finds unlikely flagged instead of
refused (``ngram_veto_below``, off by default; a lethal-dose hit is always refused).

A policy may add its own topics under ``custom``: lists of term groups, matching when every
group has a term in the text (misspelling-tolerant).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from medfoundry.guardrails.base import Action, InputContext, Rule, RuleConfig
from medfoundry.guardrails.emergency import analyzer_for, scan
from medfoundry.guardrails.lexicon import Pack, load_packs
from medfoundry.guardrails.ngram import NgramModel, load_model
from medfoundry.guardrails.text import TokenIndex, contains_phrase, register_targets, tokens_of

# the built-in topic the n-gram model reads for (its positives are dose requests)
MODEL_TOPIC = "controlled_substance_dosing"


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
    ngram: bool = Field(
        True,
        description=f"Read each user turn with the n-gram refuse model too (when {MODEL_TOPIC} is denied).",
    )
    ngram_model: str | None = Field(
        None,
        description="Path of a model JSON written by medfoundry.guardrails.ngram_train --target refuse "
        "(default: packaged).",
    )
    ngram_refuse_above: float = Field(
        0.98,
        ge=0,
        le=1,
        description="A message no rule matched is refused when the model's probability is above this.",
    )
    ngram_needs_drug: bool = Field(
        True,
        description="The model alone refuses only a chat whose user turns name a controlled drug "
        "(the packs' `controlled` concept): it reads the request, the lexicon says the drug is controlled.",
    )
    ngram_veto_below: float = Field(
        0.0,
        ge=0,
        le=1,
        description=f"A {MODEL_TOPIC} rule hit in a message the model scores below this is flagged, not refused "
        "(0 turns it off).",
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
        self.model: NgramModel | None = (
            load_model(self.config.ngram_model, target="refuse")
            if self.config.ngram and MODEL_TOPIC in self.builtin
            else None
        )
        register_targets(term for topic in self.custom for group in topic.all_of for term in group)

    def check_input(self, ctx: InputContext) -> None:
        user = ctx.user_texts()
        if self.builtin:
            texts = ctx.original or ctx.texts
            findings, language = scan(
                self.analyzer, texts, ctx.roles, kind="denied", only=self.builtin, cache=ctx.analyses
            )
            turns = [texts[index] for index, _ in user]  # as written: the scan reads the originals too
            likeliest = self._likeliest(ctx, turns)
            model: dict[str, float | str] = {}
            if likeliest is not None:
                model["probability"] = round(likeliest[1], 3)
                if findings and likeliest[1] < self.config.ngram_veto_below:
                    vetoed = [f for f in findings if f.hit.name == MODEL_TOPIC]
                    if vetoed:
                        findings = [f for f in findings if f.hit.name != MODEL_TOPIC]
                        ctx.actions.append(
                            Action(
                                self.name,
                                "flag",
                                {"topic": MODEL_TOPIC, "ngram": {**model, "flagged_not_refused": True}},
                            )
                        )
            if findings:
                finding = max(findings, key=lambda f: f.hit.confidence)
                pack = self.analyzer.packs.get(finding.language, language)
                self._refuse_topic(ctx, finding.hit.name, pack, {"ngram": model} if model else {})
                return
            if (
                likeliest is not None
                and likeliest[1] > self.config.ngram_refuse_above
                and (not self.config.ngram_needs_drug or self._names_controlled(ctx, turns))
            ):
                pack = self.analyzer.language(tokens_of(likeliest[0], ctx.analyses))
                self._refuse_topic(ctx, MODEL_TOPIC, pack, {"source": "ngram", "ngram": model})
                return
        if self.custom:
            index = ctx.token_index("\n".join(t for _, t in user))
            for topic in self.custom:
                if topic_matches(topic, index):
                    template = self.analyzer.default.message("refusal_denied")
                    self._refuse(ctx, topic.name, template.format(reason=topic.reason))
                    return

    def _names_controlled(self, ctx: InputContext, turns: list[str]) -> bool:
        """Whether a user turn names a controlled drug (not negated, resolved or joking)."""
        for turn in turns:
            tokens = tokens_of(turn, ctx.analyses)
            facts = self.analyzer.facts(tokens, self.analyzer.language(tokens))
            if any(fact.key.endswith(":controlled") for fact in facts):
                return True
        return False

    def _likeliest(self, ctx: InputContext, turns: list[str]) -> tuple[str, float] | None:
        """The user turn the model finds likeliest a request to refuse, and its probability."""
        if self.model is None:
            return None
        scored = [(turn, self.model.score(tokens_of(turn, ctx.analyses))) for turn in turns]
        return max(scored, key=lambda pair: pair[1], default=None)

    def _refuse_topic(self, ctx: InputContext, name: str, pack: Pack, details: dict[str, object]) -> None:
        """Refuse with the topic's reason in the message's language (the pack's, else the default's)."""
        default = self.analyzer.default
        reason = (pack.topics[name] if name in pack.topics else default.topics[name]).reason
        template = pack.message("refusal_denied", default)
        self._refuse(ctx, name, template.format(reason=reason), details)

    def _refuse(
        self, ctx: InputContext, topic: str, message: str, details: dict[str, object] | None = None
    ) -> None:
        ctx.actions.append(Action(self.name, "refuse", {"topic": topic, **(details or {})}))
        ctx.stop("refuse", message)
