"""Language packs: the guardrails' words, context triggers and rules, as data files.

A pack is a folder named by its language code (``data/en``, ``data/es``) holding YAML files;
every file may have any of these sections, merged across the folder's files:

``language``  code, name, ``function_words`` (language detection), ``common_words`` (never read
              as typos), ``numbers`` (number words), ``messages`` (notices and refusals)
``concepts``  name → lay terms ("heavy squeezing", "sweat*" for every ending, ``<num>`` for a
              number, ``<num5>`` / ``<num10>`` for one of at least 5 / 10, ``<year>``, ``<fevertemp>`` /
              ``<normaltemp>`` for a temperature's whole degrees in the fever / normal range, ``_`` for any one word);
              or ``{terms: [...], gap: N, not_followed_by: [...], not_preceded_by: [...]}`` (extra
              words allowed between a term's words, default 1; neighbours that mean another sense;
              ``carries: true`` for a fact about the person that holds for a whole chat)
``context``   ConText triggers (negated, historical, hypothetical, frame, current, resolved,
              joking, pseudo, terminator) with direction and window
``emergency`` class → resource, sources, combination rules (every concept group in ``all`` found
              within ``within`` words, in current context)
``denied``    topic → reason and rules, the same way
``injection`` weighted regular expressions with substring gates

Adding a language is adding a folder; ``load_packs(extra_dirs=...)`` also reads folders
outside the package (a deployment's own words).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from medfoundry.errors import ConfigError
from medfoundry.guardrails.text import words

Category = Literal[
    "negated",
    "historical",
    "baseline",
    "past",
    "hypothetical",
    "frame",
    "current",
    "recent",
    "resolved",
    "cared",
    "joking",
    "pseudo",
    "terminator",
]
# ``before``: every word before the trigger in the message, earlier sentences too, whatever
# terminators lie between ("he was sweaty and shaky. He drank juice and now feels fine")
Direction = Literal["forward", "backward", "both", "sentence", "message", "before"]
RESOURCES = ("emergency", "poison", "crisis")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LanguageSection(_Model):
    code: str
    name: str
    function_words: list[str] = Field(default_factory=list)
    common_words: list[str] = Field(default_factory=list)
    dictionary: Literal["english-words"] | None = Field(
        None,
        description="A word list whose words are spelled correctly (never read as typos): "
        "'english-words' is the web2 list of the english-words package.",
    )
    numbers: dict[str, int] = Field(default_factory=dict, description="Number words and their values.")
    interchangeable: list[list[str]] = Field(
        default_factory=list,
        description="Groups of words that stand for each other in concept terms (possessives, "
        "pronouns): a term written with 'my' also matches 'his', 'her', 'their'.",
    )
    affirmations: list[str] = Field(
        default_factory=list,
        description="Words that, opening a reply, answer a yes/no question yes ('yes', 'yeah', 'a little'): "
        "the question the assistant just asked is then read as the user's own statement.",
    )
    answer_negations: list[str] = Field(
        default_factory=list,
        description="Words that, right after an affirmation, take it back ('I am not', 'yes no').",
    )
    question_words: list[str] = Field(
        default_factory=list,
        description="Words that open a question a yes does not answer ('how', 'what', 'when').",
    )
    addressee: dict[str, str] = Field(
        default_factory=dict,
        description="Words addressing the user, as the user says them in an affirmed question "
        "('yourself': 'myself', 'you': 'i').",
    )
    strength_links: list[str] = Field(
        default_factory=list,
        description="Words written between a drug's name and its strength ('de': 'clonazepam de 0.5'); "
        "see ConceptSpec.names_strength.",
    )
    strength_units: list[str] = Field(
        default_factory=list,
        description="Units of a drug's strength ('mg', 'ml'): an interval right after one is the regimen as "
        "written ('10 mg every 6 hours'; see ConceptSpec.not_after_drug).",
    )
    count_cues: list[str] = Field(
        default_factory=list,
        description="Words that, right after a whole number written after a drug's name, make it a count of "
        "pills, not the strength ('take oxycodone 3 today', 'tomar clonazepam 2 esta noche').",
    )
    plan_cues: list[str] = Field(
        default_factory=list,
        description="Words of a request or plan ('can', 'going', 'puedo'): before a regimen's interval in its "
        "sentence they make it asked, not told ('can I take my oxycodone 5 mg every 2 hours').",
    )
    messages: dict[str, str] = Field(default_factory=dict)


class ConceptSpec(_Model):
    terms: list[str]
    gap: int = Field(1, ge=0, le=6)
    not_followed_by: list[str] = Field(
        default_factory=list,
        description="Words that, right after a term, mean another sense (drowning in work); '<num>' for any "
        "number, '<year>' for a year ('4 seizures since 2019' is no cluster).",
    )
    not_preceded_by: list[str] = Field(
        default_factory=list,
        description="Words that, right before a term, mean another sense (food poisoning); '<num>' for "
        "any number (a number before 'second seizure' makes it a length, not an ordinal).",
    )
    carries: bool = Field(
        False,
        description="A fact about the person (an infant's age, a pregnancy, a blood thinner, the drug "
        "named) that holds for the whole chat: found in one user turn, it serves its rule group in the "
        "other user turns.",
    )
    names_strength: bool = Field(
        False,
        description="Drug names: a number written right after one ('xanax 0.5', 'oxycodone 10 mg'; with a "
        "language's strength_links, 'clonazepam de 0.5') is the drug's strength, so a term's number is never "
        "read across the name ('take <num>' does not match 'take xanax 0.5').",
    )
    not_after_drug: bool = Field(
        False,
        description="The terms are not read right after a drug's name, its strength or a strength unit "
        "('oxycodone 10 mg every 6 hours', 'tramadol de 50 cada 8 horas') in a sentence with no plan cue "
        "before them: there they are the regimen as written on the label, not a change asked.",
    )


class TriggerSpec(_Model):
    category: Category
    direction: Direction = "forward"
    window: int = Field(6, ge=1, le=60)
    terms: list[str]


class RuleSpec(_Model):
    all: list[str | list[str]] = Field(description="Concept groups; each needs one of its concepts found.")
    within: int = Field(12, ge=1, le=200, description="Most words the matched concepts may span.")
    confidence: float = Field(0.9, gt=0, le=1)
    ignore_history: bool = Field(
        False,
        description="A past event that may still be an emergency (had a seizure that lasted 8 minutes): "
        "weak past cues ('had a') do not apply; dated history ('last year') still does.",
    )
    ignore_hypothetical: bool = Field(
        False, description="Questions count too (a lethal-dose question is denied however it is asked)."
    )
    unless: list[str] = Field(
        default_factory=list, description="Concepts that, in the same sentence, make the rule not apply."
    )
    unless_in_message: list[str] = Field(
        default_factory=list,
        description="Concepts that, anywhere in the message, make the rule not apply (a bare condition "
        "name in a message that asks about it: 'got curious', 'what should I teach him').",
    )
    unless_together: list[list[str]] = Field(
        default_factory=list,
        description="Sets of concepts that, all found in one sentence of the rule's hit, make the rule not apply, "
        "though none does alone: a wish to be dead blamed on a form, with a laugh ('this form makes me want to die "
        "lol'), is an idiom of exasperation; the laugh or the form alone is not.",
    )
    unless_answered_later: list[str] = Field(
        default_factory=list,
        description="Concepts that, told in a later user turn of the chat, answer the rule's hit in an earlier "
        "one: a baby felt warm, then a normal reading given when the assistant asked for one.",
    )
    background: list[str] = Field(
        default_factory=list,
        description="Concepts of the rule that are risk factors: dated history ('surgery two weeks ago', "
        "'a cyst found last month') does not cancel them; another group must still be current.",
    )
    ignore_resolution: bool = Field(
        False,
        description="A resolution cue ('seems fine now', 'totally normal since') does not apply: harm comes "
        "before symptoms (a swallowed button battery, a large acetaminophen amount).",
    )
    count_recovery: bool = Field(
        False,
        description="A recent event that is still an emergency once over (a seizure of 8 minutes, a head hit on "
        "a blood thinner, epinephrine used for anaphylaxis): a hit told as over by itself ('seems fine now') "
        "counts; one already seen by care ('cared': 'the CT was clear', 'they sent him home') or dated does not.",
    )
    count_jokes: bool = Field(
        False,
        description="A laughter or joke cue ('lol', 'jk') does not dismiss it (a wish to be dead is "
        "never dismissed on a 'lol').",
    )


class ClassSpec(_Model):
    resource: Literal["emergency", "poison", "crisis"] = "emergency"
    sources: list[str] = Field(default_factory=list)
    rules: list[RuleSpec]


class TopicSpec(_Model):
    reason: str
    sources: list[str] = Field(default_factory=list)
    rules: list[RuleSpec]


class InjectionPatternSpec(_Model):
    weight: float = Field(
        ge=-1,
        le=1,
        description="Added to the score when the pattern matches; a negative weight marks a benign sense "
        "of words attacks also use ('developer mode' on a child's tablet).",
    )
    pattern: str
    gate: list[str] = Field(
        default_factory=list,
        description="Substring groups ('a|b|c': one of them) that must all be present before the regex "
        "runs; each must be implied by the regex.",
    )
    kind: str = "override"

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from exc
        return value

    @field_validator("weight")
    @classmethod
    def _nonzero(cls, value: float) -> float:
        if value == 0:
            raise ValueError("a weight of 0 changes no score; remove the pattern or give it a weight")
        return value


class PackFile(_Model):
    language: LanguageSection | None = None
    concepts: dict[str, list[str] | ConceptSpec] = Field(default_factory=dict)
    context: list[TriggerSpec] = Field(default_factory=list)
    emergency: dict[str, ClassSpec] = Field(default_factory=dict)
    denied: dict[str, TopicSpec] = Field(default_factory=dict)
    injection: list[InjectionPatternSpec] = Field(default_factory=list)


@dataclass(frozen=True)
class Rule:
    groups: tuple[tuple[str, ...], ...]  # concept names (pack-qualified), one needed per group
    within: int
    confidence: float
    ignore_history: bool
    unless: tuple[str, ...] = ()
    ignore_hypothetical: bool = False
    unless_in_message: tuple[str, ...] = ()
    ignore_resolution: bool = False
    count_jokes: bool = False
    background: frozenset[str] = frozenset()
    unless_answered_later: tuple[str, ...] = ()  # told in a later user turn, they cancel the rule's hit
    count_recovery: bool = False  # a recovery by itself does not end it (seen by care or dated does)
    unless_together: tuple[tuple[str, ...], ...] = ()  # each set, all in one sentence of the hit, cancels it


@dataclass(frozen=True)
class Pack:
    """One language's guardrail data, validated."""

    code: str
    name: str
    function_words: frozenset[str]
    common_words: frozenset[str]
    numbers: dict[str, int]
    messages: dict[str, str]
    concepts: dict[str, ConceptSpec]
    triggers: tuple[TriggerSpec, ...]
    classes: dict[str, ClassSpec]
    topics: dict[str, TopicSpec]
    injection: tuple[InjectionPatternSpec, ...]
    rules: dict[str, tuple[Rule, ...]] = field(default_factory=dict)  # class or topic → compiled rules
    interchangeable: tuple[frozenset[str], ...] = ()
    affirmations: tuple[tuple[str, ...], ...] = ()  # each a phrase's words
    answer_negations: frozenset[str] = frozenset()
    question_words: frozenset[str] = frozenset()
    addressee: dict[str, str] = field(default_factory=dict)
    strength_links: frozenset[str] = frozenset()
    strength_units: frozenset[str] = frozenset()
    count_cues: frozenset[str] = frozenset()
    plan_cues: frozenset[str] = frozenset()

    def message(self, key: str, fallback: Pack | None = None) -> str:
        if key in self.messages:
            return self.messages[key]
        if fallback is not None and key in fallback.messages:
            return fallback.messages[key]
        raise KeyError(key)


class _WordLoader(yaml.SafeLoader):
    """YAML without the 1.1 booleans: "no", "on", "yes" are words here; true/false stay booleans."""


_WordLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_WordLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _files(folder: Traversable | Path) -> list[Traversable | Path]:
    return sorted(
        (f for f in folder.iterdir() if f.is_file() and f.name.endswith((".yaml", ".yml"))),
        key=lambda f: f.name,
    )


def _load_pack(folder: Traversable | Path) -> Pack:
    language: LanguageSection | None = None
    concepts: dict[str, ConceptSpec] = {}
    triggers: list[TriggerSpec] = []
    classes: dict[str, ClassSpec] = {}
    topics: dict[str, TopicSpec] = {}
    injection: list[InjectionPatternSpec] = []
    for path in _files(folder):
        where = f"{folder.name}/{path.name}"
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_WordLoader) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"not valid YAML: {exc}", source=where) from exc
        try:
            part = PackFile.model_validate(data)
        except ValidationError as exc:
            errors = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
            raise ConfigError(errors, source=where) from exc
        if part.language is not None:
            language = part.language
        for name, concept in part.concepts.items():
            if name in concepts:  # a second definition would silently replace the first file's terms
                raise ConfigError(
                    f"concepts.{name}: already defined in another file of this pack; rename one of them",
                    source=where,
                )
            concepts[name] = concept if isinstance(concept, ConceptSpec) else ConceptSpec(terms=concept)
        triggers.extend(part.context)
        classes.update(part.emergency)
        topics.update(part.denied)
        injection.extend(part.injection)
    if language is None:
        raise ConfigError(
            "no file has a 'language' section (code, name, function_words, messages)", source=folder.name
        )
    pack = Pack(
        code=language.code,
        name=language.name,
        function_words=frozenset(language.function_words),
        common_words=frozenset(language.common_words) | dictionary_words(language.dictionary),
        numbers=dict(language.numbers),
        messages=dict(language.messages),
        concepts=concepts,
        triggers=tuple(triggers),
        classes=classes,
        topics=topics,
        injection=tuple(injection),
        interchangeable=tuple(frozenset(w.lower() for w in group) for group in language.interchangeable),
        affirmations=tuple(tuple(words(a)) for a in language.affirmations if words(a)),
        answer_negations=frozenset(w for a in language.answer_negations for w in words(a)),
        question_words=frozenset(w for a in language.question_words for w in words(a)),
        addressee={k.lower(): v.lower() for k, v in language.addressee.items()},
        strength_links=frozenset(w for link in language.strength_links for w in words(link)),
        strength_units=frozenset(w for unit in language.strength_units for w in words(unit)),
        count_cues=frozenset(w for cue in language.count_cues for w in words(cue)),
        plan_cues=frozenset(w for cue in language.plan_cues for w in words(cue)),
    )
    problems: list[str] = []
    specs: list[tuple[str, str, ClassSpec | TopicSpec]] = [
        *(("emergency", name, spec) for name, spec in classes.items()),
        *(("denied", name, spec) for name, spec in topics.items()),
    ]
    for kind, name, spec in specs:
        if name in pack.rules:
            problems.append(f"{kind}.{name}: the name is used by both a class and a topic")
        compiled = []
        for i, rule in enumerate(spec.rules):
            groups = tuple(tuple([g] if isinstance(g, str) else g) for g in rule.all)
            missing = [
                c
                for group in (
                    *groups,
                    rule.unless,
                    rule.unless_in_message,
                    rule.background,
                    rule.unless_answered_later,
                    *rule.unless_together,
                )
                for c in group
                if c not in concepts
            ]
            if missing:
                problems.append(f"{kind}.{name}.rules[{i}]: unknown concepts {missing}")
            qualified = tuple(tuple(f"{pack.code}:{c}" for c in group) for group in groups)
            unless = tuple(f"{pack.code}:{c}" for c in rule.unless)
            compiled.append(
                Rule(
                    qualified,
                    rule.within,
                    rule.confidence,
                    rule.ignore_history,
                    unless,
                    rule.ignore_hypothetical,
                    tuple(f"{pack.code}:{c}" for c in rule.unless_in_message),
                    rule.ignore_resolution,
                    rule.count_jokes,
                    frozenset(f"{pack.code}:{c}" for c in rule.background),
                    tuple(f"{pack.code}:{c}" for c in rule.unless_answered_later),
                    rule.count_recovery,
                    tuple(tuple(f"{pack.code}:{c}" for c in together) for together in rule.unless_together),
                )
            )
        pack.rules[name] = tuple(compiled)
    if problems:
        raise ConfigError(problems, source=f"language pack '{folder.name}'")
    return pack


@lru_cache(maxsize=4)
def dictionary_words(name: str | None) -> frozenset[str]:
    if name is None:
        return frozenset()
    from english_words import get_english_words_set

    return frozenset(w for w in get_english_words_set(["web2"], lower=True, alpha=True) if len(w) >= 4)


@lru_cache(maxsize=8)
def load_packs(extra_dirs: tuple[str, ...] = ()) -> tuple[Pack, ...]:
    """The packaged language packs (English first), then those under ``extra_dirs``.

    Each extra directory is either one pack (it has a ``language`` section) or a folder of packs;
    a pack whose code is already loaded replaces it.
    """
    folders: list[Traversable | Path] = []
    data = resources.files("medfoundry.guardrails").joinpath("data")
    builtin = sorted((f for f in data.iterdir() if f.is_dir() and not f.name.startswith("_")), key=_en_first)
    folders.extend(builtin)
    for extra in extra_dirs:
        root = Path(extra)
        if not root.is_dir():
            raise ConfigError(f"language pack directory {root} does not exist", source="languages")
        if any(_files(root)):
            folders.append(root)
        else:
            folders.extend(sorted(f for f in root.iterdir() if f.is_dir()))
    packs: dict[str, Pack] = {}
    for folder in folders:
        pack = _load_pack(folder)
        packs[pack.code] = pack
    return tuple(packs.values())


def _en_first(folder: Traversable) -> tuple[int, str]:
    return (0 if folder.name == "en" else 1, folder.name)


def all_words(packs: Iterable[Pack]) -> set[str]:
    return {w for pack in packs for w in pack.common_words | pack.function_words}
