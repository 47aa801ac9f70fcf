"""Prompt-injection and jailbreak heuristics: weighted patterns summed into a score.

Only user turns are scored (a system prompt that says "do not reveal this prompt" is the
operator's, not an attack). Each text is scored as written and as it reads once decoded:
base64 and hex runs, ROT13, and leetspeak ("1gn0r3 y0ur ru13s"); the highest score counts.
Patterns are the built-in English ones below plus each language pack's ``injection``
section: overrides, role markers inside the user's text ("system:", "developer mode"),
instructions addressed to the assistant inside a pasted document, requests for other
patients' records and for the system prompt. A pack pattern with a negative weight marks a
benign sense of words attacks also use ("developer mode" on a child's tablet); the score never
goes below 0.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from pydantic import Field

from medfoundry.guardrails.base import Action, InputContext, Rule, RuleConfig
from medfoundry.guardrails.lexicon import load_packs
from medfoundry.guardrails.ngram import load_model
from medfoundry.guardrails.text import fold, tokens_of


class Pattern(NamedTuple):
    """A weighted regex and its gate: groups of words, each group needing one present.

    The gate is implied by the regex (each group lists the alternatives the regex
    requires), so checking it first — plain substring tests, far cheaper than a regex
    that begins with ``\\b`` over a 4 KB message — changes no score.
    """

    weight: float
    regex: re.Pattern[str]
    gate: tuple[tuple[str, ...], ...]

    def matches(self, lowered: str, found: _GateWords | None = None) -> bool:
        """Whether the regex matches; ``found``, the text's gate words, answers the gate
        without a substring search of the whole text per alternative."""
        if found is None:
            return all(any(word in lowered for word in group) for group in self.gate) and bool(
                self.regex.search(lowered)
            )
        return all(found.any_of(group) for group in self.gate) and bool(self.regex.search(lowered))


class _GateIndex:
    """The gate words of a set of patterns, for finding which of them a text contains.

    A gate word without whitespace can only occur inside a run of characters that gate words
    use, so the words each distinct run contains (cached across requests) give every such word
    present. A word with spaces ("tell me") needs each of its pieces present, and only then is
    searched for in the whole text: the answer is the plain substring test's, always.
    """

    def __init__(self, gates: Sequence[tuple[tuple[str, ...], ...]]) -> None:
        words = {word for gate in gates for group in gate for word in group}
        self.pieces = frozenset(piece for word in words for piece in word.split())
        self.spaced = {word: tuple(word.split()) for word in words if word.split() != [word]}
        self.groups = {
            group: (
                frozenset(word for word in group if word not in self.spaced),
                tuple((word, self.spaced[word]) for word in group if word in self.spaced),
            )
            for gate in gates
            for group in gate
        }
        alphabet = sorted({char for piece in self.pieces for char in piece})
        self.runs = re.compile("[" + "".join(re.escape(c) for c in alphabet) + "]+") if alphabet else None
        # the same runs in ASCII text: every other byte to a space, then ``split`` (no match objects)
        self._ascii_runs = (
            bytes(c if chr(c) in alphabet else 32 for c in range(256))
            if alphabet and all(c.isascii() and not c.isspace() for c in alphabet)
            else None
        )
        self._in_run: dict[str, frozenset[str]] = {}
        # each pattern (by position) under the first piece of each word of its first gate group: a
        # pattern none of whose pieces is present fails that group, so it is not even tried
        self.always: list[int] = []
        self.by_piece: dict[str, list[int]] = {}
        for position, gate in enumerate(gates):
            if not gate or any(not word.split() for word in gate[0]):
                self.always.append(position)
                continue
            for piece in {word.split()[0] for word in gate[0]}:
                self.by_piece.setdefault(piece, []).append(position)

    def candidates(self, found: _GateWords) -> list[int]:
        """The positions of the patterns whose first gate group may pass, in order."""
        by_piece = self.by_piece
        return sorted({*self.always, *(i for piece in found.present for i in by_piece.get(piece, ()))})

    def _distinct_runs(self, lowered: str) -> set[str]:
        assert self.runs is not None
        if self._ascii_runs is not None and lowered.isascii():
            return {run.decode() for run in set(lowered.encode().translate(self._ascii_runs).split())}
        return set(self.runs.findall(lowered))

    def found(self, lowered: str) -> _GateWords:
        present: set[str] = set()
        if self.runs is not None:
            cache = self._in_run
            for run in self._distinct_runs(lowered):
                inside = cache.get(run)
                if inside is None:
                    inside = frozenset(piece for piece in self.pieces if piece in run)
                    if len(cache) > 200_000:
                        cache.clear()
                    cache[run] = inside
                present.update(inside)
        return _GateWords(lowered, present, self.groups)


class _GateWords:
    """Which gate words one text contains (``any_of`` answers as
    ``any(word in lowered for word in group)`` would)."""

    __slots__ = ("groups", "lowered", "present", "searched")

    def __init__(
        self,
        lowered: str,
        present: set[str],
        groups: dict[tuple[str, ...], tuple[frozenset[str], tuple[tuple[str, tuple[str, ...]], ...]]],
    ) -> None:
        self.lowered, self.present, self.groups = lowered, present, groups
        self.searched: dict[str, bool] = {}  # a word with spaces: whether the text contains it

    def any_of(self, group: tuple[str, ...]) -> bool:
        plain, spaced = self.groups[group]
        present = self.present
        if not present.isdisjoint(plain):
            return True
        for word, pieces in spaced:
            if present.issuperset(pieces):
                found = self.searched.get(word)
                if found is None:
                    found = self.searched[word] = word in self.lowered
                if found:
                    return True
        return False


def _gate(groups: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """Gate groups, the one with fewest alternatives first: a group that fails stops the check,
    and each alternative is a substring search of the whole text (the order changes no score)."""
    return tuple(sorted((tuple(group.split("|")) for group in groups), key=len))


def _pattern(weight: float, regex: str, *gate: str) -> Pattern:
    return Pattern(weight, re.compile(regex), _gate(gate))


# the words before "do anything now" that make it a complaint ("it barely does anything now"), not DAN
_NOT_DAN = "barely hardly doesnt doesn't dont don't didnt didn't cant can't cannot wont won't not never isnt isn't".split()

# A request whose weights sum to the threshold or more is blocked.
PATTERNS: tuple[Pattern, ...] = (
    _pattern(
        0.7,
        r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(previous|prior|above|earlier|all|your|system|these)\b.{0,30}\b(instructions?|prompts?|rules?|directions?|guidelines?|polic(y|ies)|guardrails?)",
        "ignore|disregard|forget|override|bypass",
        "instruction|prompt|rule|direction|guideline|polic|guardrail",
    ),
    _pattern(
        0.6,
        r"\b(reveal|print|show|repeat|output|leak|tell me)\b.{0,40}\b(system|hidden|initial|original|secret)\s+(prompt|instructions?|message|rules)",
        "system|hidden|initial|original|secret",
        "prompt|instruction|message|rules",
    ),
    _pattern(
        0.6,
        r"\b(you are now|from now on you are|act as|pretend (to be|you are)|roleplay as)\b.{0,60}\b(dan|unfiltered|uncensored|jailbroken|unrestricted|no (rules|restrictions|limits|filters)|evil|without (any )?(rules|restrictions|limits))",
        "you are now|from now on you are|act as|pretend|roleplay as",
    ),
    _pattern(0.6, r"\b(developer|god|debug|dan|jailbreak|sudo|admin)\s+mode\b", "mode"),
    # "DAN: do anything now", not a drug or a plan that "barely does anything now"
    _pattern(
        0.6,
        r"\bjailbreak|\bjailbroken\b|\b" + "".join(f"(?<!{w} )" for w in _NOT_DAN) + r"do anything now\b",
        "jailbr|do anything now",
    ),
    _pattern(
        0.4,
        r"\b(no|without|free from)\s+(ethical|safety|moral|content)\s+(guidelines|restrictions|filters|rules|limits)",
        "ethical|safety|moral|content",
        "guidelines|restrictions|filters|rules|limits",
    ),
    _pattern(0.4, r"\b(new|updated|real) (system )?instructions?\s*:", "instruction"),
    _pattern(
        0.6,
        r"<\|?(im_start|system|endoftext)\|?>|\[/?(inst|system)\]|###\s*(system|instruction)",
        "im_start|system|endoftext|inst",
    ),
    _pattern(
        0.6,
        r"\b(bypass|disable|turn off|switch off|circumvent)\b.{0,30}\b(filter|guardrail|safety|moderation|censorship|restrictions?)",
        "bypass|disable|turn off|switch off|circumvent",
    ),
    _pattern(
        0.3, r"\byou have no (content )?(policy|policies|rules|restrictions|limits|filters)", "you have no"
    ),
    _pattern(0.3, r"\bhypothetically\b.{0,60}\b(no rules|not bound|unrestricted)", "hypothetically"),
    _pattern(0.3, r"\bbase64\b.{0,40}\b(decode|execute|follow)", "base64"),
)


class InjectionConfig(RuleConfig):
    threshold: float = Field(0.6, gt=0, description="Block when the summed pattern weights reach this.")
    languages: list[str] = Field(
        default_factory=list,
        description="Directories of extra language packs (a folder per language, as guardrails/data/en).",
    )
    ngram: bool = Field(
        True, description="Read each user turn with the n-gram block model too (guardrails.ngram)."
    )
    ngram_model: str | None = Field(
        None,
        description="Path of a model JSON written by medfoundry.guardrails.ngram_train --target block "
        "(default: packaged).",
    )
    ngram_block_above: float = Field(
        0.99,
        ge=0,
        le=1,
        description="A message the patterns did not flag is blocked when the model's probability is above this.",
    )
    ngram_flagged_above: float = Field(
        0.8,
        ge=0,
        le=1,
        description="A message the patterns flagged (score above 0, below the threshold) is blocked when the "
        "model's probability is above this.",
    )


_BASE64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")
_HEX = re.compile(r"[0-9a-fA-F]{16,}")
# bytes: a base64 character to "a", any other (and each byte of a non-ASCII character) to a space
_BASE64_MARKS = bytes(
    97 if chr(c).isascii() and (chr(c).isalnum() or chr(c) in "+/") else 32 for c in range(256)
)
_LONG_RUN = b"a" * 16
# round 26 (dev88): "9" for "g" too ("re9las de se9uridad"), as leetspeak writes it beside the others
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "9": "g", "@": "a", "$": "s", "!": "i"}
)
# "1" stands for "l" as often as for "i": before e/a it is usually "l" ("ru1e5", "f1ag"), else "i"
_LEET_ONE_AS_L = re.compile(r"1(?=[ea34@])")
_ROT13_CUES = (
    "rot13",
    "rot-13",
    "rot 13",
    "rot_13",
    "decod",
    "decipher",
    "descifr",
    "cipher",
    "caesar",
    "cesar",
)
_LEETY = re.compile(r"[a-z][013457][a-z]|[013457][a-z]{2}")
# each ``_LEETY`` match holds one of these (and they never overlap): fewer than 3 rule it out cheaply
_LEET_DIGIT = re.compile(r"[013457][a-z]")


def _printable(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    letters = sum(ch.isalpha() or ch.isspace() for ch in text)
    return text if text and letters / len(text) >= 0.8 else None


def _has_long_run(text: str) -> bool:
    """Whether ``text`` has 16 base64 characters in a row (hex digits are base64 characters too):
    a translation and one substring search, far faster than the regex scans that would find none."""
    return _LONG_RUN in text.encode().translate(_BASE64_MARKS)


def _leet_words(lowered: str) -> int:
    """``len(set(_LEETY.findall(lowered)))`` (0 with fewer than 3 ``_LEET_DIGIT`` matches): a
    ``_LEETY`` match begins at such a digit or the letter before it, so only those places are tried."""
    digits = [m.start() for m in _LEET_DIGIT.finditer(lowered)]
    if len(digits) < 3:
        return 0
    found: set[str] = set()
    end = 0
    for start in sorted({s for d in digits for s in (d - 1, d) if s >= 0}):
        if start >= end and (match := _LEETY.match(lowered, start)):
            found.add(match.group())
            end = match.end()
    return len(found)


def decoded_variants(text: str) -> list[str]:
    """The text's readings: base64 and hex runs decoded, ROT13, and leetspeak undone."""
    variants: list[str] = []
    long_runs = _has_long_run(text)
    for run in _BASE64.findall(text) if long_runs else ():
        if len(run) % 4 in (0, 2, 3):
            try:
                decoded = _printable(base64.b64decode(run + "=" * (-len(run) % 4), validate=False))
            except (binascii.Error, ValueError):
                decoded = None
            if decoded:
                variants.append(decoded)
    for run in _HEX.findall(text) if long_runs else ():
        try:
            decoded = _printable(bytes.fromhex(run[: len(run) // 2 * 2]))
        except ValueError:
            decoded = None
        if decoded:
            variants.append(decoded)
    lowered = text.lower()
    if any(cue in lowered for cue in _ROT13_CUES):  # a ROT13 payload comes with a request to decode it
        variants.append(codecs.encode(text, "rot13"))
    if _leet_words(lowered) >= 3:  # several words in leetspeak, not "A1c" or "B12"
        variants.append(text.translate(_LEET))
        if "1" in text:
            variants.append(_LEET_ONE_AS_L.sub("l", text).translate(_LEET))
    return variants


# The key words of an override ("ignore all previous instructions", "ignora las instrucciones anteriores"),
# en and es, whose one-slip misspellings are read as the word: a letter dropped, two neighbours swapped or a
# letter doubled ("ignroe", "previus", "instrucitons", "iggnore"), the common typing slips (Damerau, 1964).
# Only words of 6 letters or more, and no slip that is itself a word ("forge" is not "forget"). Round 13:
# "everything" of a system-prompt extraction too ("repeat evrything above this message").
_TYPO_KEYWORDS = (
    "ignore ignora disregard forget olvida previous earlier instructions instruction guidelines restrictions "
    "override bypass developer system prompt anteriores instrucciones instruccion restricciones indicaciones "
    "politicas sistema desarrollador everything"
).split()
_NOT_TYPOS = frozenset({"forge"})


def _slips(word: str) -> set[str]:
    dropped = {word[:i] + word[i + 1 :] for i in range(len(word))}
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    doubled = {word[:i] + word[i] + word[i:] for i in range(len(word))}
    return {slip for slip in dropped | swapped | doubled if len(slip) >= 5} - {word}


def _typo_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for word in _TYPO_KEYWORDS:
        for slip in _slips(word):
            table.setdefault(slip, word)
    excluded = {*_TYPO_KEYWORDS, *_NOT_TYPOS}
    return {slip: word for slip, word in table.items() if slip not in excluded}


_TYPOS = _typo_table()
_WORD = re.compile(r"[a-z]+")
# the same runs of ASCII text without match objects: every byte but a-z to a space, then ``split``
_A_Z_ONLY = bytes(c if 97 <= c <= 122 else 32 for c in range(256))
_TYPO_BYTES = frozenset(slip.encode() for slip in _TYPOS if slip.isascii())


def typo_reading(lowered: str) -> str | None:
    """The folded text with the override key words' one-slip misspellings corrected, or None if it has none."""
    if lowered.isascii():
        if _TYPO_BYTES.isdisjoint(lowered.encode().translate(_A_Z_ONLY).split()):
            return None
    elif _TYPOS.keys().isdisjoint(_WORD.findall(lowered)):
        return None
    return _WORD.sub(lambda m: _TYPOS.get(m.group(), m.group()), lowered)


def _pack_patterns(languages: tuple[str, ...]) -> tuple[Pattern, ...]:
    return tuple(
        Pattern(spec.weight, re.compile(spec.pattern), _gate(spec.gate))
        for pack in load_packs(languages)
        for spec in pack.injection
    )


_INDEXES: dict[tuple[tuple[tuple[str, ...], ...], ...], _GateIndex] = {}


def _index(patterns: tuple[Pattern, ...]) -> _GateIndex:
    gates = tuple(p.gate for p in PATTERNS) + tuple(p.gate for p in patterns)
    index = _INDEXES.get(gates)
    if index is None:
        if len(_INDEXES) > 64:
            _INDEXES.clear()
        index = _INDEXES[gates] = _GateIndex(gates)
    return index


def _score(lowered: str, patterns: tuple[Pattern, ...], index: _GateIndex | None = None) -> float:
    if index is None:
        return sum(p.weight for p in PATTERNS if p.matches(lowered)) + sum(
            p.weight for p in patterns if p.matches(lowered)
        )
    found = index.found(lowered)
    # only the patterns whose gate may pass, summed in the same order (the same float)
    every, builtin = PATTERNS + patterns, len(PATTERNS)
    tried = [i for i in index.candidates(found) if every[i].matches(lowered, found)]
    return sum(every[i].weight for i in tried if i < builtin) + sum(
        every[i].weight for i in tried if i >= builtin
    )


def injection_score(text: str, languages: tuple[str, ...] = ()) -> float:
    """The text's injection score (0 to 1): its own or, if higher, a decoded reading's."""
    patterns = _pack_patterns(languages) if languages else _PACK_PATTERNS
    index = _index(patterns)
    folded = fold(text)
    best = _score(folded, patterns, index)
    if best < 1.0 and (corrected := typo_reading(folded)) is not None:
        best = max(best, _score(corrected, patterns, index))
    if best < 1.0:
        for variant in decoded_variants(text):
            best = max(best, _score(fold(variant), patterns, index))
    return round(min(1.0, max(0.0, best)), 3)


_PACK_PATTERNS = _pack_patterns(())


class InjectionRule(Rule):
    name = "injection"
    config_model = InjectionConfig
    config: InjectionConfig

    def __init__(self, config: RuleConfig) -> None:
        super().__init__(config)
        self.model = load_model(self.config.ngram_model, target="block") if self.config.ngram else None

    def check_input(self, ctx: InputContext) -> None:
        languages = tuple(self.config.languages)
        user = ctx.user_texts()
        score = max((injection_score(t, languages) for t in _readings([t for _, t in user])), default=0.0)
        details: dict[str, object] = {"score": score, "threshold": self.config.threshold}
        if score >= self.config.threshold:
            ctx.actions.append(Action(self.name, "block", details))
            ctx.stop("block", _block_message(ctx))
            return
        # the model reads the turns as the user wrote them (its features are words, not the patterns' decodings)
        probability = 0.0
        if self.model is not None:
            probability = max((self.model.score(tokens_of(t, ctx.analyses)) for _, t in user), default=0.0)
            details["ngram"] = {"probability": round(probability, 3)}
        if probability > (self.config.ngram_flagged_above if score > 0 else self.config.ngram_block_above):
            ctx.actions.append(Action(self.name, "block", {**details, "source": "ngram"}))
            ctx.stop("block", _block_message(ctx))
        elif score > 0:
            ctx.actions.append(Action(self.name, "flag", details))


def _readings(turns: list[str]) -> list[str]:
    """What the patterns score: each user turn, and in a chat the user's turns read as one text too, so an
    instruction split over two turns ("ignore all your" … "previous instructions") or a payload pasted in
    one turn and the order to decode and follow it in the next is read whole (OWASP LLM01: multi-turn and
    payload-splitting injection). Joined with a space: a pattern's ``.`` does not cross a line break."""
    return [*turns, " ".join(turns)] if len(turns) > 1 else turns


def _block_message(ctx: InputContext) -> str:
    from medfoundry.guardrails.emergency import analyzer_for
    from medfoundry.guardrails.text import Tokens

    analyzer = analyzer_for()
    user = ctx.user_texts()
    language = analyzer.language(Tokens.of(user[-1][1])) if user else analyzer.default
    return language.message("block_injection", analyzer.default)
