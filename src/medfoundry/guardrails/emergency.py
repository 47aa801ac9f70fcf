"""Emergency and crisis signs in what the user writes → an escalation notice and flag.

The signs are concepts in lay language with combination rules per emergency class, and
the context triggers that tell a current emergency from history, negation, education or
fiction, all as data (``guardrails/data/<language>/``; see ``lexicon`` and ``concepts``).
Only user turns are read: a system prompt or an earlier answer that mentions chest pain
escalates nothing.

Each escalation reports, per class, the matched evidence as offsets into the request's
messages (never the text), the rule's confidence and the resource the notice names, in
the language of the message: the local emergency number, 988 for suicide and crisis,
Poison Control for ingestions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from pydantic import Field

from medfoundry.errors import ConfigError
from medfoundry.guardrails.answers import affirmed_question
from medfoundry.guardrails.base import Action, InputContext, Rule, RuleConfig
from medfoundry.guardrails.concepts import Analyzer, Hit, RuleHit, told_over_hits
from medfoundry.guardrails.lexicon import RESOURCES, Pack, load_packs
from medfoundry.guardrails.ngram import NgramModel, load_model
from medfoundry.guardrails.text import Tokens, tokens_of


class EmergencyConfig(RuleConfig):
    notice: str | None = Field(
        None,
        description="Text put before the response when emergency signs are found (replaces the "
        "language pack's notices for every language and resource).",
    )
    min_confidence: float = Field(
        0.5, ge=0, le=1, description="Rule hits below this confidence are flagged, not escalated."
    )
    languages: list[str] = Field(
        default_factory=list,
        description="Directories of extra language packs (a folder per language, as guardrails/data/en).",
    )
    ngram: bool = Field(
        True,
        description="Read each user turn with the n-gram model too (guardrails.ngram): it adds "
        "escalations the rules miss and flags, rather than escalates, rule hits it finds unlikely.",
    )
    ngram_model: str | None = Field(
        None,
        description="Path of a model JSON written by medfoundry.guardrails.ngram_train (default: packaged).",
    )
    ngram_add_above: float = Field(
        0.9,
        ge=0,
        le=1,
        description="A message no rule matched is escalated when the model's probability is above this.",
    )
    ngram_veto_below: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Rule hits in a message the model scores below this are flagged, not escalated (0 turns it off).",
    )
    ngram_veto_max_confidence: float = Field(
        0.9,
        ge=0,
        le=1,
        description="Rule hits of this confidence or more are escalated whatever the model says of the whole message.",
    )
    ngram_local_veto_below: float = Field(
        0.02,
        ge=0,
        le=1,
        description="Rule hits from ngram_veto_max_confidence up to ngram_local_veto_max_confidence are flagged, "
        "not escalated, when the model scores the text around their evidence below this (0 turns it off).",
    )
    ngram_local_veto_max_confidence: float = Field(
        0.95,
        ge=0,
        le=1,
        description="Rule hits of this confidence or more are escalated whatever the model says.",
    )
    ngram_local_window: int = Field(
        200,
        ge=0,
        description="Characters read on each side of a hit's evidence for the local veto.",
    )
    ngram_veto_exempt: list[str] = Field(
        default_factory=lambda: ["suicide_self_harm"],
        description="Classes neither veto ever flags (a wish to die is screened however it is worded).",
    )


@dataclass(frozen=True)
class Finding:
    """One class found in one message (with facts from other user turns, if it needed them)."""

    message: int
    language: str
    hit: RuleHit
    evidence: tuple[tuple[int, int, int], ...]  # (message, start, end): character offsets in that message


def _check_classes(names: list[str], analyzer: Analyzer, field: str) -> None:
    """A misspelt class would silently match nothing: name the field and the known classes."""
    known = {name for pack in analyzer.packs.values() for name in pack.classes}
    unknown = sorted(set(names) - known)
    if unknown:
        raise ConfigError(
            [
                f"{field}: unknown emergency class {', '.join(map(repr, unknown))}; known: {', '.join(sorted(known))}"
            ],
            source="guardrail policy",
        )


def analyzer_for(languages: list[str] | tuple[str, ...] = ()) -> Analyzer:
    return _analyzer(tuple(languages))


_ANALYZERS: dict[tuple[str, ...], Analyzer] = {}


def _analyzer(languages: tuple[str, ...]) -> Analyzer:
    analyzer = _ANALYZERS.get(languages)
    if analyzer is None:
        analyzer = _ANALYZERS[languages] = Analyzer(load_packs(languages))
    return analyzer


def scan(
    analyzer: Analyzer,
    texts: list[str],
    roles: list[str] | None,
    kind: str = "emergency",
    only: set[str] | None = None,
    cache: dict[tuple[Any, ...], Any] | None = None,
) -> tuple[list[Finding], Pack]:
    """Rule hits of ``kind`` (``emergency`` classes or ``denied`` topics; ``only`` these names) in
    every user message, and the language of the last user message. In a chat, the facts each user
    turn states (``Analyzer.facts``) are carried into the other user turns: the age given in
    answer to "how old is she?" counts for the fever told before it. ``cache`` (one per request)
    keeps each text's analysis for the next rule that scans it."""
    users = [i for i in range(len(texts)) if roles is None or roles[i] == "user"]
    plain = {index: _analysis(analyzer, texts[index], cache) for index in users}
    facts: dict[int, list[Hit]] = {}
    origin: dict[Hit, tuple[int, int, int]] = {}  # a fact's message and character span
    if len(users) > 1:
        for index in users:
            tokens, language, _ = plain[index]
            facts[index] = analyzer.facts(tokens, language)
            for fact in facts[index]:
                origin.setdefault(fact, (index, tokens.spans[fact.first][0], tokens.spans[fact.last][1]))
    # what each user turn tells that answers an earlier turn's hit (a normal reading after a warmth felt)
    answers = (
        {index: analyzer.answers(plain[index][0], plain[index][1]) for index in users}
        if kind == "emergency" and len(users) > 1 and analyzer.answering
        else {}
    )
    findings: list[Finding] = []
    language = analyzer.default
    # user turns that tell the episode as over (read back over earlier turns): "resolved" or "cared"
    closes: dict[int, str | None] = {}
    for index in users:
        carried = list({h: None for other in users if other != index for h in facts.get(other, ())})
        keys = frozenset(h.key for h in carried)
        tokens, language, hits = plain[index] if not keys else _analysis(analyzer, texts[index], cache, keys)
        if kind == "emergency" and roles is not None:
            closed = partial(_closed_later, analyzer, users, index, plain, closes)
            findings.extend(
                _affirmed(analyzer, texts, roles, index, tokens, carried, closed, only, cache, origin)
            )
        if not hits:
            continue
        hits = told_over_hits(hits, _closed_later(analyzer, users, index, plain, closes))
        packs = analyzer.rule_packs(tokens, language)
        later = (
            frozenset().union(*(answers[other] for other in users if other > index))
            if answers
            else frozenset()
        )
        # a code-switched text's signs serve either language's rules (emergencies only: a denied topic is
        # read in the words of its own language)
        switched = analyzer.switched(tokens) if kind == "emergency" else frozenset()
        for rule_hit in analyzer.rule_hits(
            hits, packs, kind, tokens.sentences, only, carried, later, switched
        ):
            offsets = tokens.spans
            evidence = {
                origin[h] if h.carried else (index, offsets[h.first][0], offsets[h.last][1])
                for h in rule_hit.hits
            }
            findings.append(
                Finding(
                    index,
                    _language_of(rule_hit, language, packs, analyzer.default),
                    rule_hit,
                    tuple(sorted(evidence)),
                )
            )
    return findings, language


def _language_of(rule_hit: RuleHit, language: Pack, packs: list[Pack], default: Pack) -> str:
    """The language of a finding: the text's, or, for a text that uses no function word of any pack
    (``Analyzer.rule_packs`` then gives every pack), the language of the concepts the rule matched."""
    if language is default and len(packs) > 1:
        codes = Counter(h.key.split(":", 1)[0] for h in rule_hit.hits)
        known = [code for code, _ in codes.most_common() if any(p.code == code for p in packs)]
        if known:
            return known[0]
    return language.code


def _affirmed(
    analyzer: Analyzer,
    texts: list[str],
    roles: list[str],
    index: int,
    said: Tokens,
    carried: list[Hit],
    closed: Callable[[], str | None],
    only: set[str] | None,
    cache: dict[tuple[Any, ...], Any] | None,
    origin: dict[Hit, tuple[int, int, int]],
) -> list[Finding]:
    """Rule hits of the yes/no question the assistant asked just before user turn ``index`` when the
    turn (``said``: its tokens) affirms it ("Are you thinking about ending your life?" / "yes. tonight":
    ``answers``), read
    as the user's statement with the rest of the reply; the evidence names the question's words in
    the assistant turn and the affirmation."""
    asked = index - 1
    if asked < 0 or roles[asked] != "assistant":
        return []
    affirmed = affirmed_question(texts[asked], texts[index], analyzer.packs.values(), said)
    if affirmed is None:
        return []
    keys = frozenset(h.key for h in carried)
    tokens, language, hits = _analysis(analyzer, affirmed.text, cache, keys)
    hits = told_over_hits(hits, closed() if hits else None)
    packs = analyzer.rule_packs(tokens, language)
    findings = []
    switched = analyzer.switched(tokens)
    for rule_hit in analyzer.rule_hits(
        hits, packs, "emergency", tokens.sentences, only, carried, switched=switched
    ):
        evidence = {(index, *affirmed.affirmation)}
        for h in rule_hit.hits:
            start, end = tokens.spans[h.first][0], tokens.spans[h.last][1]
            evidence.add(origin[h] if h.carried else affirmed.origin(start, end, asked, index))
        findings.append(Finding(index, language.code, rule_hit, tuple(sorted(evidence))))
    return findings


def _closed_later(
    analyzer: Analyzer,
    users: list[int],
    index: int,
    plain: dict[int, tuple[Tokens, Pack, list[Hit]]],
    closes: dict[int, str | None],
) -> str | None:
    """Whether a later user turn tells the episode as over ("he's completely fine, eating and
    playing", "they sent me home"): its recovery reads back over the earlier turns as over earlier
    sentences (``Analyzer.closes``); rules that ignore resolution (a button battery, a wish to die)
    still count them, and so do ``count_recovery`` rules unless care has seen it (``"cared"``, the
    answer then; else ``"resolved"`` or ``None``). ``closes`` keeps each turn's answer for the request."""
    found: str | None = None
    for later in users:
        if later <= index:
            continue
        if later not in closes:
            tokens, language, _ = plain[later]
            closes[later] = analyzer.closes(tokens, language)
        if closes[later] == "cared":
            return "cared"
        found = found or closes[later]
    return found


def _analysis(
    analyzer: Analyzer,
    text: str,
    cache: dict[tuple[Any, ...], Any] | None,
    carried: frozenset[str] = frozenset(),
) -> tuple[Tokens, Pack, list[Hit]]:
    """A text's tokens, language and hits (given the concepts ``carried`` from other turns), made
    once per request."""
    key: tuple[Any, ...] = (id(analyzer), text, carried) if carried else (id(analyzer), text)
    analysis = cache.get(key) if cache is not None else None
    if analysis is None:
        if carried:
            tokens, language, _ = _analysis(analyzer, text, cache)
        else:
            tokens = tokens_of(text, cache)
            language = analyzer.language(tokens)
        analysis = (tokens, language, analyzer.hits(tokens, language, carried=carried))
        if cache is not None:
            cache[key] = analysis
    return analysis


def resource_of(analyzer: Analyzer, name: str) -> str:
    for pack in analyzer.packs.values():
        if name in pack.classes:
            return pack.classes[name].resource
    return "emergency"


def notice_text(analyzer: Analyzer, language: Pack, resources: set[str]) -> str:
    """The emergency notice, then the line for each further resource, in ``language``."""
    english = analyzer.default
    lines = [
        language.message(f"notice_{r}", english) for r in RESOURCES if r in resources or r == "emergency"
    ]
    return " ".join(lines)


class EmergencyRule(Rule):
    name = "emergency"
    runs_after_block = True
    config_model = EmergencyConfig
    config: EmergencyConfig

    def __init__(self, config: RuleConfig) -> None:
        super().__init__(config)
        self.analyzer = analyzer_for(self.config.languages)
        _check_classes(self.config.ngram_veto_exempt, self.analyzer, "rules.emergency.ngram_veto_exempt")
        self.model: NgramModel | None = load_model(self.config.ngram_model) if self.config.ngram else None

    def _tokens(self, ctx: InputContext, text: str) -> Tokens:
        """The tokens ``scan`` made of ``text`` for this request (made again only if it did not)."""
        analysis = ctx.analyses.get((id(self.analyzer), text))
        return analysis[0] if analysis is not None else Tokens.of(text)

    def _likeliest(self, ctx: InputContext, texts: list[str]) -> tuple[int, float] | None:
        """The user turn the model finds likeliest an emergency, and its probability."""
        if self.model is None:
            return None
        best: tuple[int, float] | None = None
        for index, text in enumerate(texts):
            if ctx.roles is not None and ctx.roles[index] != "user":
                continue
            probability = self.model.score(self._tokens(ctx, text))
            if best is None or probability > best[1]:
                best = (index, probability)
        return best

    def check_input(self, ctx: InputContext) -> None:
        texts = ctx.original or ctx.texts
        findings, language = scan(self.analyzer, texts, ctx.roles, cache=ctx.analyses)
        likeliest = self._likeliest(ctx, texts)
        if not findings:
            if likeliest is not None and likeliest[1] > self.config.ngram_add_above:
                if self._joked(ctx, texts[likeliest[0]]):
                    self._flag_joke(ctx, texts, *likeliest)
                else:
                    self._escalate_by_model(ctx, texts, *likeliest)
            return
        best: dict[str, Finding] = {}
        evidence: dict[str, list[dict[str, int]]] = {}
        for f in findings:
            name = f.hit.name
            if name not in best or best[name].hit.confidence < f.hit.confidence:
                best[name] = f
            evidence.setdefault(name, []).extend(
                {"message": m, "start": s, "end": e} for m, s, e in f.evidence
            )
        languages = {f.language for f in findings}
        notice_language = self.analyzer.packs.get(findings[-1].language, language)
        escalate = {name for name, f in best.items() if f.hit.confidence >= self.config.min_confidence}
        details_model: dict[str, Any] = {}
        if likeliest is not None:
            probability = likeliest[1]
            details_model["probability"] = round(probability, 3)
            vetoed = (
                {
                    n
                    for n in escalate
                    if best[n].hit.confidence < self.config.ngram_veto_max_confidence
                    and n not in self.config.ngram_veto_exempt
                }
                if probability < self.config.ngram_veto_below
                else set()
            )
            local = self._local_probabilities(texts, escalate - vetoed, best, evidence)
            if local:
                details_model["local_probability"] = {n: round(p, 3) for n, p in sorted(local.items())}
                vetoed |= {n for n, p in local.items() if p < self.config.ngram_local_veto_below}
            if vetoed:
                details_model["flagged_not_escalated"] = sorted(vetoed)
                escalate -= vetoed
        classes: list[dict[str, Any]] = [
            {
                "class": name,
                "confidence": round(f.hit.confidence, 2),
                "resource": resource_of(self.analyzer, name),
                "evidence": evidence[name],
            }
            for name, f in sorted(best.items())
        ]
        details: dict[str, Any] = {
            "signs": sorted(best),
            "classes": classes,
            "languages": sorted(languages),
        }
        if details_model:
            details["ngram"] = details_model
        resources = {resource_of(self.analyzer, name) for name in escalate}
        self._act(ctx, details, notice_language, resources)

    def _local_probabilities(
        self,
        texts: list[str],
        names: set[str],
        best: dict[str, Finding],
        evidence: dict[str, list[dict[str, int]]],
    ) -> dict[str, float]:
        """For the classes in ``names`` whose best hit lies in the local veto's confidence band, the
        model's highest probability over the text around each piece of their evidence: a sign
        buried in a long message about a form is read where it is told, not diluted by the form."""
        config, model = self.config, self.model
        if model is None or config.ngram_local_veto_below <= 0:
            return {}
        window, found = config.ngram_local_window, {}
        for name in names:
            confidence = best[name].hit.confidence
            if name in config.ngram_veto_exempt or not (
                config.ngram_veto_max_confidence <= confidence < config.ngram_local_veto_max_confidence
            ):
                continue
            found[name] = max(
                model.score(Tokens.of(texts[e["message"]][max(0, e["start"] - window) : e["end"] + window]))
                for e in evidence[name]
            )
        return found

    def _act(self, ctx: InputContext, details: dict[str, Any], language: Pack, resources: set[str]) -> None:
        """Escalate with the notice for ``resources`` (none: nothing to escalate), or only flag
        (also for a clinician audience)."""
        if ctx.audience != "patient" or not resources:
            ctx.actions.append(Action(self.name, "flag", details))
            return
        ctx.escalation = True
        ctx.notices.append(self.config.notice or notice_text(self.analyzer, language, resources))
        ctx.actions.append(Action(self.name, "escalate", details))

    def _joked(self, ctx: InputContext, text: str) -> bool:
        """Whether the rules read a sign in ``text`` next to a laugh or joke cue ("I'm going to murder her
        (kidding obviously lol)"): they saw the words the model weighs and judged them a joke, which the
        model, blind to the cue's scope, does not overrule. The rules that count jokes (a wish to be dead)
        have findings of their own and never reach here."""
        return any(hit.joking for hit in _analysis(self.analyzer, text, ctx.analyses)[2])

    def _flag_joke(self, ctx: InputContext, texts: list[str], message: int, probability: float) -> None:
        """The model's escalation of a message the rules read as a joke, kept as a flag."""
        assert self.model is not None
        label = self.model.label(self._tokens(ctx, texts[message]).words)
        details = {"signs": [label], "ngram": {"probability": round(probability, 3), "not_added": "joking"}}
        ctx.actions.append(Action(self.name, "flag", details))

    def _escalate_by_model(
        self, ctx: InputContext, texts: list[str], message: int, probability: float
    ) -> None:
        """An escalation no rule matched: the model's class, its weightiest words as evidence."""
        assert self.model is not None
        tokens = self._tokens(ctx, texts[message])
        label = self.model.label(tokens.words)
        language = self.analyzer.language(tokens)
        resource = resource_of(self.analyzer, label)
        spans = [tokens.spans[i] for i in self.model.evidence(tokens)]
        details: dict[str, Any] = {
            "signs": [label],
            "classes": [
                {
                    "class": label,
                    "confidence": round(probability, 2),
                    "resource": resource,
                    "evidence": [{"message": message, "start": s, "end": e} for s, e in spans],
                    "source": "ngram",
                }
            ],
            "languages": [language.code],
            "ngram": {"probability": round(probability, 3)},
        }
        self._act(ctx, details, language, {resource})
