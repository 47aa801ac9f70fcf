"""Finding concepts in a text, their context (ConText), and the rules they satisfy.

1. Terms (of concepts and of context triggers) are found word by word over the text's tokens:
   exact, a prefix (``sweat*``), a number (``<num>``), any word (``_``), or a misspelling
   of a lexicon word (one edit, words of 5+ letters, never a correctly spelled word).
2. Each concept hit gets the context of the triggers whose scope covers it (ConText: a trigger
   looks forward, backward or both for a number of words, stops at a terminator, and never
   acts on words of the hit itself, so "not breathing" is a sign, not a negation).
3. A rule is satisfied when each of its concept groups has a hit in current context and
   all of them lie within ``within`` words: negated hits never count; historical and
   hypothetical ones (and any hit in a message framed as fiction or study) count only when
   a current trigger ("right now", "help") is in the same sentence; a recent one ("just",
   "for 20 minutes", "last night") outweighs history but not a hypothetical or a frame. A dated
   hit counts only for a rule's ``background`` risk factors ("knee surgery two weeks ago" for a
   clot, "a cyst found last month" for torsion), beside a current sign.
4. Emergency rules also skip hits of an episode told as over ("resolved": "now he's 112, feels
   fine", "totally normal since", which reads back over earlier sentences too) and hits next to a
   laugh or joke cue ("lol", "jk"), unless a rule says otherwise (``ignore_resolution`` where harm
   comes before symptoms, such as a swallowed button battery; ``count_jokes`` for a wish to be
   dead). Denied topics ignore both cues. In a chat, a recovery told in a later user turn reads
   back over the earlier turns too (``Analyzer.closes``, used by ``emergency.scan``); a negated
   recovery ("he doesn't feel fine") is none.

5. In a chat, facts about the person (concepts marked ``carries``: an infant's age, a pregnancy, a
   blood thinner, the drug named) found in one user turn stand for their group in the rules of
   the other user turns, however far apart (``Analyzer.facts``); that turn must still supply a
   current sign of its own ("she's 7 weeks" … later "38.4 and won't feed", or the fever first
   and the age in answer to "how old is she?").

6. A code-switched text (two packs each using several function words only they have: "se cayó de la patineta ...
   now he threw up twice") lets a hit of one pack's concept serve the same-named concept of the other pack's
   emergency rules (``Analyzer.switched``).

Who is affected is deliberately not a context: a caregiver writing about someone with them
now is an emergency like the patient writing about themself.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from operator import itemgetter
from typing import NamedTuple

from medfoundry.guardrails.lexicon import Pack, Rule, TriggerSpec
from medfoundry.guardrails.text import (
    FUZZY_MIN,
    Tokens,
    close_enough,
    is_compound,
    is_known,
    near_targets,
    register_known_words,
    register_targets,
)

ANY = "_"
NUM = "<num>"
NUM5 = "<num5>"
NUM10 = "<num10>"
YEAR = "<year>"
# a body-temperature reading by its whole degrees, with or without a unit letter ("38.4", "101f", "39c"):
# fever is 38.0 C / 100.4 F or more (NICE NG143, AAP), and 100.0-100.3 F is read as fever too (a
# reading is split at its point, so only the whole degrees are seen); 35-37 C and 95-99 F are normal
FEVER_TEMP = "<fevertemp>"
NORMAL_TEMP = "<normaltemp>"
# a number larger than one written before it in the text ("my adderall 20 … taking 40"): depends on
# the position, so it is worked out per text (``_moving_numbers``), never from a word's cached keys
NUM_UP = "<numup>"
# a number smaller than one written before it with the same word after it ("the bottle says every 6
# hours ... every 4 hours"): a shorter interval or a smaller amount of the same unit (``_moving_numbers``)
NUM_DOWN = "<numdown>"
MOVING = frozenset({NUM_UP, NUM_DOWN})
# the placeholders that stand for a count (a drug's strength is none: ``TermMatcher``); not ``NUM_UP``, since a
# larger strength than one written before ("adderall 20 ... take adderall 40") is a larger dose
COUNTS = frozenset({NUM, NUM5, NUM10, NUM_DOWN})
_RANGE_WORDS = frozenset({"to", "or"})
SUPPRESSING = frozenset({"historical", "hypothetical"})
# a code-switched text uses at least this many function words of each of two packs that no other pack shares
SWITCH_WORDS = 3


@dataclass(frozen=True)
class Term:
    key: str  # the concept (pack-qualified) or the trigger's index
    words: tuple[str, ...]
    gap: int
    not_followed_by: frozenset[str] = frozenset()
    not_preceded_by: frozenset[str] = frozenset()
    not_after_drug: bool = False  # not read right after a drug's name or strength (``TermMatcher``)


class Hit(NamedTuple):
    """A term found at token positions (a tuple: a 4 KB message makes hundreds of them, and a
    named tuple is built several times faster than a frozen dataclass)."""

    key: str
    first: int  # token positions, inclusive
    last: int
    past: bool = False  # after a weak past cue only (counts alone for rules that ignore history)
    hypothetical: bool = False  # in a question, conditional or study frame (for rules that ignore it)
    resolved: bool = False  # the episode is told as over ("feels fine now"): emergency rules skip it
    cared: bool = False  # over because care has seen it ("the CT was clear"); resolved is set too
    joking: bool = False  # next to a laugh or joke cue ("lol", "jk"): emergency rules skip it
    dated: bool = False  # dated history ("last month"): counts only as a rule's background risk factor
    carried: bool = False  # a fact from another user turn (``Analyzer.facts``); positions are that turn's


@dataclass(frozen=True)
class RuleHit:
    name: str  # the class or topic
    confidence: float
    hits: tuple[Hit, ...]


PLACEHOLDERS = frozenset({ANY, NUM, NUM5, NUM10, YEAR, NUM_UP, NUM_DOWN, FEVER_TEMP, NORMAL_TEMP})
# the placeholders a term's neighbour (``not_followed_by``, ``not_preceded_by``) may be written with
_NEIGHBOUR_PLACEHOLDERS = frozenset({NUM, YEAR})
_FIRST_LAST = itemgetter(1, 2)  # a hit's (first, last)


@dataclass(frozen=True)
class _Entry:
    """A term as indexed: under ``anchor``, its first word, or its second when the first is a
    placeholder (numbers are frequent; "<num> weeks old" is looked for at "weeks")."""

    term: Term
    lead: str | None  # a placeholder checked on the token before the anchor
    rest: tuple[str, ...]  # the words after the anchor
    needs: frozenset[str]
    rising: bool  # uses ``NUM_UP`` or ``NUM_DOWN``: the text's moving numbers must be worked out first


class TermMatcher:
    """Finds terms in tokens; built once per set of packs."""

    def __init__(
        self,
        terms: Iterable[Term],
        numbers: dict[str, int] | None = None,
        *,
        typos: bool = True,
        aliases: dict[str, str] | None = None,
        strength_names: Iterable[str] = (),
        strength_links: Iterable[str] = (),
        strength_units: Iterable[str] = (),
        count_cues: Iterable[str] = (),
        plan_cues: Iterable[str] = (),
    ) -> None:
        self.typos = typos  # context triggers are function words: matched as written
        # drug names (term words): a number right after one, or after a link word after one, is its strength
        self.strength_names = frozenset(strength_names)
        self.strength_links = frozenset(strength_links)
        self.strength_units = frozenset(strength_units)
        self.count_cues = frozenset(count_cues)
        self.plan_cues = frozenset(plan_cues)
        # a word of an interchangeable group ("my", "his", "her") stands for its group's key
        self.aliases = dict(aliases or {})
        terms = [t if not self.aliases else _aliased(t, self.aliases) for t in terms]
        self.by_anchor: dict[str, list[_Entry]] = {}
        self.prefixes: set[str] = set()
        self.numbers = dict(numbers or {})
        exact: set[str] = set()
        for term in terms:
            words = term.words
            if len(words) > 1 and words[0] in PLACEHOLDERS and words[1] not in PLACEHOLDERS:
                needs = frozenset({words[0], *words[2:]}) - {ANY, *MOVING}
                entry = _Entry(term, words[0], words[2:], needs, not MOVING.isdisjoint(words))
                self.by_anchor.setdefault(words[1], []).append(entry)
            else:
                needs = frozenset(words[1:]) - {ANY, *MOVING}
                entry = _Entry(term, None, words[1:], needs, not MOVING.isdisjoint(words))
                self.by_anchor.setdefault(words[0], []).append(entry)
            for word in words:
                if word.endswith("*"):
                    self.prefixes.add(word[:-1])
                elif word not in PLACEHOLDERS and not word.startswith("<"):
                    exact.add(word)
        if typos:
            register_targets(exact)
        self.exact = frozenset(exact)
        self.has_rising = any(not MOVING.isdisjoint(term.words) for term in terms)
        self.min_prefix = min((len(p) for p in self.prefixes), default=1)
        self.fuzzy_prefixes = [p for p in self.prefixes if len(p) >= FUZZY_MIN]
        self._keys: dict[str, frozenset[str]] = {}
        self._starts: dict[str, tuple[_Entry, ...]] = {}

    def _entries_starting(self, word: str) -> tuple[_Entry, ...]:
        """The entries anchored at any key of ``word`` (cached across requests)."""
        by_anchor = self.by_anchor
        found = tuple(e for key in self.keys(word) for e in by_anchor.get(key, ()))
        if len(self._starts) > 200_000:
            self._starts.clear()
        self._starts[word] = found
        return found

    def keys(self, token: str) -> frozenset[str]:
        """Every term word ``token`` stands for."""
        found = self._keys.get(token)
        if found is None:
            keys = {token, *near_targets(token)} if self.typos else {token}
            alias = self.aliases.get(token)
            if alias is not None:
                keys.add(alias)
            keys.update(
                token[:n] + "*" for n in range(self.min_prefix, len(token) + 1) if token[:n] in self.prefixes
            )
            if self.typos and len(token) > FUZZY_MIN and not is_known(token) and not is_compound(token):
                keys.update(p + "*" for p in self.fuzzy_prefixes if _near_prefix(token, p))
            if self.typos and len(token) >= 4 and not is_known(token):
                single = _undoubled(token)  # "stabb", "pilll": a key pressed twice, any word length
                if single != token and single in self.exact:
                    keys.add(single)
            value = int(token[:6]) if token.isdigit() else self.numbers.get(token)
            if value is not None:
                keys.add(NUM)
                if value >= 5:
                    keys.add(NUM5)
                if value >= 10:
                    keys.add(NUM10)
                if 1900 <= value <= 2100 and len(token) == 4:
                    keys.add(YEAR)
            reading = _temperature(token)
            if reading is not None:
                keys.add(reading)
            found = frozenset(keys)
            if len(self._keys) > 200_000:
                self._keys.clear()
            self._keys[token] = found
        return found

    def find(
        self,
        tokens: Tokens,
        sentences_wanted: set[int] | None = None,
        select: Callable[[set[str]], Container[str]] | None = None,
    ) -> list[Hit]:
        """Every term found (in ``sentences_wanted`` only, when given; of the keys ``select`` picks
        from the keys of the terms whose words all occur in the text, when given).

        Works per distinct word (a 4 KB message has about half as many distinct words as
        tokens): each word's keys are cached across requests, and only words that can start
        a term are looked at further.
        """
        words, sentences = tokens.words, tokens.sentences
        # a term lies within one sentence: only the words of the sentences wanted are looked at
        positions = tokens.positions if sentences_wanted is None else _positions_in(tokens, sentences_wanted)
        cache, keys_of, starts_of = self._keys, self.keys, self._starts
        word_keys = {w: cache.get(w) or keys_of(w) for w in positions}
        present: set[str] = set().union(*word_keys.values()) if word_keys else set()
        # worked out only once a term that uses them has all its other words in the text
        moving: dict[str, frozenset[int]] = {}  # ``NUM_UP`` / ``NUM_DOWN`` → their positions
        rising_read = not self.has_rising
        candidates: list[tuple[list[int], _Entry]] = []
        for word, at in positions.items():
            entries = starts_of.get(word)
            if entries is None:
                entries = self._entries_starting(word)
            for entry in entries:
                if entry.needs <= present:
                    candidates.append((at, entry))
        if select is not None:
            chosen = select({entry.term.key for _, entry in candidates})
            candidates = [(at, entry) for at, entry in candidates if entry.term.key in chosen]
        hits: list[Hit] = []
        n = len(words)
        for at, entry in candidates:  # ``at``: positions in the sentences wanted only
            if entry.rising and not rising_read:
                moving, rising_read = _moving_numbers(words, tokens.positions), True
            term, lead, rest = entry.term, entry.lead, entry.rest
            key, reach, after, before = term.key, term.gap + 2, term.not_followed_by, term.not_preceded_by
            for i in at:
                first = last = i
                sentence = sentences[i]
                if lead is not None:
                    first = i - 1
                    if first < 0 or sentences[first] != sentence:
                        continue
                    if (
                        lead != ANY
                        and lead not in word_keys[words[first]]
                        and not (lead in moving and first in moving[lead])
                    ):
                        continue
                # the term's further words, each within ``gap`` words of the previous one
                # (``_extend``, inlined: this loop runs for every occurrence of every anchor)
                for rest_word in rest:
                    stop = last + reach  # ``gap`` words between at most
                    if stop > n:
                        stop = n
                    for nxt in range(last + 1, stop):
                        if sentences[nxt] != sentence:
                            last = -1
                            break
                        if (
                            rest_word == ANY
                            or rest_word in word_keys[words[nxt]]
                            or (rest_word in moving and nxt in moving[rest_word])
                        ) and not (
                            nxt > last + 1
                            and rest_word in COUNTS
                            and self._strength(words, word_keys, nxt, last)
                        ):
                            last = nxt
                            break
                    else:
                        last = -1
                    if last < 0:
                        break
                if last < 0:
                    continue
                if after and last + 1 < n and self._one_of(words[last + 1], after):
                    continue
                if before and first > 0 and self._one_of(words[first - 1], before):
                    continue
                if term.not_after_drug and self._after_drug(words, sentences, first):
                    continue
                hits.append(Hit(key, first, last))
        hits.sort(key=_FIRST_LAST)
        return hits

    def _one_of(self, word: str, neighbours: frozenset[str]) -> bool:
        """Whether ``word``, next to a term, is one of ``neighbours``: the word itself, or a number or a year where
        they hold ``<num>`` or ``<year>`` ("a 30 second seizure" is no second seizure; "4 seizures since 2019" no
        cluster)."""
        if word in neighbours:
            return True
        wanted = neighbours & _NEIGHBOUR_PLACEHOLDERS
        return bool(wanted) and not wanted.isdisjoint(self.keys(word))

    def _strength(
        self, words: Sequence[str], word_keys: dict[str, frozenset[str]], at: int, start: int
    ) -> bool:
        """Whether the number at ``at``, reached over words skipped after ``start``, is the strength of
        the drug named before it ("take xanax 0.5", "tomo clonazepam de 0.5"): the count a term asks
        for ("take <num>") is not read across the drug's name."""
        names = self.strength_names
        if not names:
            return False
        before = at - 1
        if words[before] in self.strength_links and before - 1 > start:
            before -= 1
        if names.isdisjoint(word_keys[words[before]]):
            return False
        # a whole number followed by a time or a unit of count is how many ("take oxycodone 3 today"); a decimal
        # ("0.5", split as text is) is always a strength
        after = words[at + 1] if at + 1 < len(words) else ""
        return words[at] == "0" or after not in self.count_cues

    def _named_drug(self, words: Sequence[str], at: int) -> bool:
        """Whether the word at ``at`` (or, past a link word, the one before it) is a drug's name."""
        if at >= 0 and words[at] in self.strength_links:
            at -= 1
        return at >= 0 and not self.strength_names.isdisjoint(self.keys(words[at]))

    def _after_drug(self, words: Sequence[str], sentences: Sequence[int], first: int) -> bool:
        """Whether the term at ``first`` follows a drug's strength ("xanax 0.5", "tramadol de 50") or a
        strength unit ("10 mg") in a sentence that asks nothing before it: the regimen as written
        ("I take oxycodone 10 mg every 6 hours"), not a plan ("can I take my oxycodone 5 mg every 2 hours")."""
        prev = first - 1
        if prev < 0:
            return False
        sentence = sentences[first]
        start = prev
        while start >= 0 and sentences[start] == sentence:
            if words[start] in self.plan_cues:
                return False
            start -= 1
        word = words[prev]
        if word in self.strength_units:
            return True
        if word.isdigit():
            if prev > 0 and words[prev - 1] == "0":  # "0.5", split as text is
                prev -= 1
            return self._named_drug(words, prev - 1)
        return False


def _positions_in(tokens: Tokens, sentences: set[int]) -> dict[str, list[int]]:
    """Each distinct word of ``sentences`` and where it occurs in them (a text's sentence numbers
    never decrease, so each sentence is one run of positions)."""
    numbers = tokens.sentences
    return tokens.positions_of(
        index
        for sentence in sorted(sentences)
        for index in range(bisect_left(numbers, sentence), bisect_right(numbers, sentence))
    )


def _moving_numbers(
    words: Sequence[str], positions: dict[str, list[int]] | None = None
) -> dict[str, frozenset[int]]:
    """Positions of numbers larger than a number written before them (``NUM_UP``: "adderall 20 …
    taking 40") and of numbers smaller than one written before them with the same next word
    (``NUM_DOWN``: "every 6 hours … every 4 hours"; the unit word keeps "10 mg" from counting
    against "every 6 hours").

    Zero and the digits right after it (the "25" of "0.25", split as text is) and years are not
    amounts: they neither set the earlier number nor count as a larger one. ``positions`` (each
    distinct word's positions) lets a long text be read by its few numbers only."""
    if positions is None:
        at = [i for i, word in enumerate(words) if word.isdigit()]
    else:
        at = sorted(i for word, places in positions.items() if word.isdigit() for i in places)
    rising: set[int] = set()
    falling: set[int] = set()
    smallest: int | None = None
    largest: dict[str, int] = {}  # the largest number before each next word
    low: dict[int, int] = {}  # a range's second number → its first
    for i in at:
        word = words[i]
        if len(word) > 5:
            continue
        value = int(word)
        if value == 0 or (i > 0 and words[i - 1] == "0") or (len(word) == 4 and 1900 <= value <= 2100):
            continue
        if smallest is not None and value > smallest:
            rising.add(i)
        smallest = value if smallest is None else min(smallest, value)
        unit = words[i + 1] if i + 1 < len(words) else ""
        if unit in _RANGE_WORDS and i + 2 < len(words) and words[i + 2].isdigit():
            # "every 4 to 6 hours": the range's unit, and its low end stands for both numbers
            unit = words[i + 3] if i + 3 < len(words) else ""
            low[i + 2] = value
        if value < largest.get(unit, 0):
            falling.add(i)
        largest[unit] = max(largest.get(unit, 0), min(value, low.get(i, value)))
    return {NUM_UP: frozenset(rising), NUM_DOWN: frozenset(falling)}


def _temperature(token: str) -> str | None:
    """``FEVER_TEMP`` or ``NORMAL_TEMP`` for a token that is a body temperature's whole degrees."""
    digits = token[:-1] if token[-1:] in ("c", "f") else token
    if not (2 <= len(digits) <= 3 and digits.isdigit()):
        return None
    value = int(digits)
    if 38 <= value <= 43 or 100 <= value <= 108:
        return FEVER_TEMP
    if 35 <= value <= 37 or 95 <= value <= 99:
        return NORMAL_TEMP
    return None


def _undoubled(token: str) -> str:
    """``token`` with each doubled letter written once ("stabb" → "stab")."""
    out = [token[0]]
    for char in token[1:]:
        if char != out[-1] or not char.isalpha():
            out.append(char)
    return "".join(out)


def _aliased(term: Term, aliases: dict[str, str]) -> Term:
    """``term`` with each word of an interchangeable group replaced by the group's key
    (only words of the term's own language: keys are ``<code~n>``)."""
    code = term.key.split(":", 1)[0] + "~"
    words = tuple(aliases[w] if w in aliases and aliases[w].startswith("<" + code) else w for w in term.words)
    return (
        term
        if words == term.words
        else Term(term.key, words, term.gap, term.not_followed_by, term.not_preceded_by, term.not_after_drug)
    )


def _near_prefix(token: str, prefix: str) -> bool:
    """``token`` starts with a misspelling of ``prefix`` ("sucidal" for "suicid*")."""
    if token[0] != prefix[0] or token.startswith(prefix):
        return False
    size = len(prefix)
    return any(close_enough(token[:cut], prefix) for cut in (size - 1, size, size + 1) if cut <= len(token))


def _term_words(term: str) -> tuple[str, ...]:
    """A term's words, split as texts are ("100.4" is 100 and 4, "c-section" is c and section)."""
    words: list[str] = []
    for piece in term.replace("'", "").split():
        if piece.startswith("<") or piece.endswith("*") or piece == ANY:
            words.append(piece.lower())
        else:
            words.extend(Tokens.of(piece).words)
    return tuple(words)


class _PackRules(NamedTuple):
    ordered: list[tuple[str, Rule]]  # (class or topic, rule), in the pack's order
    by_first: dict[str, list[int]]  # concept -> the rules (positions in ``ordered``) it serves first
    always: list[int]  # rules without groups


class Analyzer:
    """Concept hits in context, and the rules of the packs they satisfy."""

    def __init__(self, packs: Sequence[Pack]) -> None:
        self.packs = {p.code: p for p in packs}
        self.default = packs[0]
        register_known_words(w for p in packs for w in (*p.common_words, *p.function_words))
        terms: list[Term] = []
        for pack in packs:
            for name, spec in pack.concepts.items():
                after, before = frozenset(spec.not_followed_by), frozenset(spec.not_preceded_by)
                terms.extend(
                    Term(f"{pack.code}:{name}", _term_words(t), spec.gap, after, before, spec.not_after_drug)
                    for t in spec.terms
                )
        # code-switching: the packs that have a concept of each name, and each pack's function words no other
        # pack shares ("ya", "estoy" are Spanish only; "a", "me", "no" are both packs')
        self._named: dict[str, frozenset[str]] = {}
        for pack in packs:
            for name in pack.concepts:
                self._named[name] = self._named.get(name, frozenset()) | {pack.code}
        self._own_words = {
            p.code: p.function_words.difference(*(o.function_words for o in packs if o is not p))
            for p in packs
        }
        self.triggers: list[tuple[str, TriggerSpec]] = [(p.code, t) for p in packs for t in p.triggers]
        trigger_terms = [
            (spec.direction in ("message", "before"), Term(str(index), _term_words(term), 0))
            for index, (_, spec) in enumerate(self.triggers)
            for term in spec.terms
        ]
        numbers = {w: v for p in packs for w, v in p.numbers.items()}
        aliases = {
            word: f"<{p.code}~{n}>"
            for p in packs
            for n, group in enumerate(p.interchangeable)
            for word in group
        }
        strength_names = {
            _term_words(t)[-1]
            for p in packs
            for spec in p.concepts.values()
            if spec.names_strength
            for t in spec.terms
            if _term_words(t)
        }
        self.concepts = TermMatcher(
            terms,
            numbers,
            aliases=aliases,
            strength_names=strength_names,
            strength_links={w for p in packs for w in p.strength_links},
            strength_units={w for p in packs for w in p.strength_units},
            count_cues={w for p in packs for w in p.count_cues},
            plan_cues={w for p in packs for w in p.plan_cues},
        )
        self.carrying = frozenset(
            f"{p.code}:{name}" for p in packs for name, spec in p.concepts.items() if spec.carries
        )
        # concepts that, told in a later user turn, answer an earlier turn's hit (``Rule.unless_answered_later``)
        self.answering = frozenset(
            key
            for p in packs
            for rules in p.rules.values()
            for rule in rules
            for key in rule.unless_answered_later
        )
        self._rule_groups = [
            (
                [frozenset(g) for g in rule.groups],
                frozenset(
                    (*rule.unless, *rule.unless_in_message, *(c for t in rule.unless_together for c in t))
                ),
            )
            for p in packs
            for rules in p.rules.values()
            for rule in rules
        ]
        # each rule under the concepts of its first group: only rules with one of them found are tried
        self._rules_by_first: dict[str, list[int]] = {}
        for index, (groups, _) in enumerate(self._rule_groups):
            for key in groups[0] if groups else ("",):  # a rule without groups: under "", always tried
                self._rules_by_first.setdefault(key, []).append(index)
        # cues with a local scope are looked for only in sentences with a sign; frames and cues that
        # read back over earlier sentences everywhere
        self.context = TermMatcher([t for frame, t in trigger_terms if not frame], numbers, typos=False)
        self.frames = TermMatcher([t for frame, t in trigger_terms if frame], numbers, typos=False)
        self._rule_index: dict[tuple[int, str], tuple[Pack, _PackRules]] = {}

    def language(self, tokens: Tokens) -> Pack:
        """The pack whose function words the text uses most (the first pack on a tie)."""
        best, best_count = self.default, 0
        positions = tokens.positions
        for pack in self.packs.values():
            count = sum(len(positions[w]) for w in pack.function_words.intersection(positions))
            if count > best_count:
                best, best_count = pack, count
        return best

    def rule_packs(self, tokens: Tokens, language: Pack) -> list[Pack]:
        """The packs whose rules judge a text: its language's, and the default (English) one too
        when the text also uses a few of its function words (mixed-language messages); every pack
        when it uses no function word of any ("lleva 10 minutos convulsionando": a short message
        is no less urgent for naming no language)."""
        positions = tokens.positions
        if language is self.default:
            if not any(not pack.function_words.isdisjoint(positions) for pack in self.packs.values()):
                return [language, *(pack for pack in self.packs.values() if pack is not language)]
            return [language]
        if sum(len(positions[w]) for w in self.default.function_words.intersection(positions)) >= 3:
            return [language, self.default]
        return [language]

    def switched(self, tokens: Tokens) -> frozenset[str]:
        """The codes of the packs a code-switched text is written in ("se cayó de la patineta ... now he threw up
        twice"): each pack with at least ``SWITCH_WORDS`` uses of function words no other pack shares, when two or
        more packs have them; else none. In such a text a sign named in one language serves the other
        language's rule group of the same concept name (``rule_hits``)."""
        positions = tokens.positions
        codes = frozenset(
            code
            for code, words in self._own_words.items()
            if sum(len(positions[w]) for w in words.intersection(positions)) >= SWITCH_WORDS
        )
        return codes if len(codes) > 1 else frozenset()

    def _aliases(self, keys: Iterable[str], switched: frozenset[str]) -> set[str]:
        """``keys`` and, for a key of a pack in ``switched``, the same concept name in its other packs."""
        out = set(keys)
        if switched:
            for key in list(out):
                code, name = key.split(":", 1)
                if code in switched:
                    out.update(f"{other}:{name}" for other in self._named.get(name, frozenset()) & switched)
        return out

    def hits(
        self,
        tokens: Tokens,
        language: Pack,
        carried: frozenset[str] = frozenset(),
        keep: frozenset[str] = frozenset(),
    ) -> list[Hit]:
        """Concept hits that stand in current context (negated/historical/hypothetical dropped),
        of the concepts some rule could use: all its groups found here or among the ``carried``
        facts of other turns (in a code-switched text, in either of its languages); ``keep``: these
        concepts' hits too."""
        hits = self._relevant(tokens, carried, keep, self.switched(tokens))
        if not hits:
            return []
        context = self._cues(tokens, hits)
        codes = {language.code}
        kept = []
        for hit in hits:
            pack = hit.key.split(":", 1)[0]
            status = self._status(hit, tokens, context, codes | {pack})
            if status != "drop":
                kept.append(
                    Hit(
                        hit.key,
                        hit.first,
                        hit.last,
                        past=status == "past",
                        hypothetical=status == "hypothetical",
                        resolved=status in ("resolved", "cared"),
                        cared=status == "cared",
                        joking=status == "joking",
                        dated=status == "dated",
                    )
                )
        return kept

    def closes(self, tokens: Tokens, language: Pack) -> str | None:
        """How this turn tells an episode as over with a recovery that reads back over everything
        before it: ``"resolved"`` ("he's completely fine, eating and playing"), ``"cared"`` when care
        has seen it ("they sent me home", "the CT was clear"), or ``None``: a ``resolved`` or ``cared``
        cue of the ``before`` direction, not negated and not followed by a relapse. In a chat it reads
        back over the earlier user turns too (``emergency.scan``)."""
        if not tokens.words:
            return None
        frames = self.frames.find(tokens)
        if not any(self.triggers[int(c.key)][1].direction == "before" for c in frames):
            return None
        codes = {p.code for p in self.rule_packs(tokens, language)}
        found = {
            spec.category
            for code, spec, _ in self._cues(tokens, self._relevant(tokens), frames)
            if code in codes and spec.category in ("resolved", "cared") and spec.direction == "before"
        }
        return _told_over(found)

    def _relevant(
        self,
        tokens: Tokens,
        carried: frozenset[str] = frozenset(),
        keep: frozenset[str] = frozenset(),
        switched: frozenset[str] = frozenset(),
    ) -> list[Hit]:
        """Concept hits (any context) of the concepts some rule could use (see ``hits``; ``switched``:
        the packs of a code-switched text, whose same-named concepts stand for each other)."""
        if not tokens.words:
            return []
        # the concepts no rule could use even if every term whose words are all in the text were
        # found are not looked for: the rules that use the rest are the same
        hits = self.concepts.find(
            tokens, select=lambda possible: keep | self._usable(possible | carried, switched)
        )
        found = {h.key for h in hits}
        relevant = self._usable(found | carried if carried else found, switched)
        if keep:
            relevant.update(keep & found)
        return [h for h in hits if h.key in relevant]

    def _usable(self, present: set[str], switched: frozenset[str] = frozenset()) -> set[str]:
        """The concepts (and ``unless`` concepts) of the rules whose every group has one of ``present``
        (with ``switched`` packs, a concept of one stands for the same name in the others)."""
        if switched:
            present = self._aliases(present, switched)
        by_first = self._rules_by_first
        usable: set[str] = set()
        for index in {i for key in (*present, "") for i in by_first.get(key, ())}:
            groups, unless = self._rule_groups[index]
            if all(not present.isdisjoint(group) for group in groups):
                usable.update(*groups, unless)
        return self._aliases(usable, switched) if switched else usable

    def _cues(
        self, tokens: Tokens, hits: list[Hit], frames: list[Hit] | None = None
    ) -> list[tuple[str, TriggerSpec, Hit]]:
        """The context cues around ``hits``: none inside a multi-word sign, and no recovery that reads
        back (``before``) when a negation touches it ("doesn't feel fine", "not back to normal") or a
        relapse follows it (``frames``: the text's frame and read-back cues, if already found)."""
        sentences = tokens.sentences
        covered = {i for h in hits for i in range(h.first, h.last + 1) if h.last > h.first}
        if frames is None:
            frames = self.frames.find(tokens)
        wanted = {sentences[h.first] for h in hits}
        context = [c for c in self._context(tokens, wanted, frames) if not _inside(c[2], covered)]
        # a recovery's own sentence, when it has no sign, is read for negations only
        recovering = {
            sentences[f.first] for f in frames if self.triggers[int(f.key)][1].direction == "before"
        }
        negations = (
            context + self._context(tokens, recovering - wanted, []) if recovering - wanted else context
        )
        return [
            c
            for c in context
            if c[1].direction != "before"
            or not (_relapsed(c[2], context, hits, sentences) or _negated_cue(c[2], negations, sentences))
        ]

    def facts(self, tokens: Tokens, language: Pack) -> list[Hit]:
        """The facts about the person this turn states (hits of ``carries`` concepts, not negated,
        resolved or joking), marked ``carried`` for the other user turns of the chat. A question
        still states them ("how much should a 7 week old drink"): they are not hypothetical there. A
        dated one ("flew home on Sunday", "when he was 6 weeks old last year") stays dated: like a
        dated hit in its own message, it serves only a rule's ``background`` risk factors."""
        if not self.carrying:
            return []
        return [
            h._replace(carried=True, past=False, hypothetical=False)
            for h in self.hits(tokens, language, keep=self.carrying)
            if h.key in self.carrying and not (h.resolved or h.joking)
        ]

    def answers(self, tokens: Tokens, language: Pack) -> frozenset[str]:
        """The ``answering`` concepts this turn tells as they are now (not negated, dated, hypothetical,
        resolved or joking): a normal reading that answers, in a later turn, a warmth felt in an earlier one."""
        if not self.answering:
            return frozenset()
        return frozenset(
            h.key
            for h in self.hits(tokens, language, keep=self.answering)
            if h.key in self.answering and not (h.dated or h.hypothetical or h.resolved or h.joking)
        )

    def _context(
        self, tokens: Tokens, sentences: set[int], frames: list[Hit] | None = None
    ) -> list[tuple[str, TriggerSpec, Hit]]:
        if frames is None:
            frames = self.frames.find(tokens)
        found = frames + self.context.find(tokens, sentences_wanted=sentences)
        # only a trigger of two or more words can contain another
        longer = [
            o for o in found if o.last > o.first and self.triggers[int(o.key)][1].category != "terminator"
        ]
        out = []
        for hit in found:
            code, spec = self.triggers[int(hit.key)]
            if spec.category == "pseudo":
                continue
            # a trigger inside a longer one ("still" in "still has", "not" in "not sure") is not one
            if any(
                o.first <= hit.first and hit.last <= o.last and o.last - o.first > hit.last - hit.first
                for o in longer
                if o.key != hit.key
            ):
                continue
            out.append((code, spec, hit))
        return out

    def _status(
        self, hit: Hit, tokens: Tokens, context: list[tuple[str, TriggerSpec, Hit]], codes: set[str]
    ) -> str:
        """``drop`` (negated), ``dated`` (historical without a recent cue: only a rule's background
        risk factor counts it), ``joking`` (a laugh or joke
        cue without a current one), ``resolved`` (told as over), ``cared`` (told as over because care
        has seen it: resolved, and not counted by ``count_recovery`` rules), ``hypothetical`` (a question,
        conditional or study frame without a current cue: only rules that ignore hypotheticals,
        such as a lethal-dose question, count it), ``past`` (only a weak past cue such as "had
        a": kept for rules about events that may still be an emergency after the fact), or
        ``current``."""
        sentence = tokens.sentences[hit.first]
        sentences = tokens.sentences
        categories: set[str] = set()
        terminators = [
            t
            for c, s, t in context
            if s.category == "terminator" and c in codes and sentences[t.first] == sentence
        ]
        for code, spec, trig in context:
            if code not in codes or spec.category == "terminator":
                continue
            if spec.direction == "message":
                categories.add(spec.category)
                continue
            if spec.direction == "before":
                if trig.first > hit.last:
                    categories.add(spec.category)
                continue
            if sentences[trig.first] != sentence:
                continue
            if hit.first <= trig.first and trig.last <= hit.last:
                continue  # a trigger word inside the hit ("not breathing") is part of the sign
            if trig.first <= hit.last and hit.first <= trig.last:
                categories.add(spec.category)  # a cue that contains the sign ("se suicidó": history)
                continue
            if spec.direction == "sentence" or _in_scope(spec, trig, hit, terminators):
                categories.add(spec.category)
        if "negated" in categories:
            return "drop"
        if "current" in categories:
            return "current"
        # a long-standing sign told as the person's usual ("same as it's been since rehab", "his baseline"):
        # dated like history, and a "still" or "today" does not make it news; only a current cue does
        if "baseline" in categories:
            return "dated"
        # a laugh beside a conditional or a question ("if I have to fill out one more form I'll jump off a
        # bridge lol") is no more a report than the plain conditional: the rules that count jokes (a wish to be
        # dead) read it as they read the conditional; so is a laugh in a message framed as lyrics or a show (round 31)
        if "joking" in categories and not categories & {"hypothetical", "frame"}:
            return "joking"
        # a question or frame before a recovery: a rule that ignores resolution (a wish to be dead) must
        # not count a leaflet's "it can cause suicidal thoughts ... I feel fine" as a report
        if "frame" in categories or "hypothetical" in categories:
            return "hypothetical"
        over = _told_over(categories)
        if over is not None:
            # told as over *and* dated with no recent cue ("years ago I took a whole bottle ... I'm well
            # now"): a past episode, which even the rules that ignore a recovery do not count
            return "dated" if "historical" in categories and "recent" not in categories else over
        if "recent" in categories:
            return "current"
        if "historical" in categories:
            return "dated"
        if "past" in categories:
            return "past"
        return "current"

    def rule_hits(
        self,
        hits: list[Hit],
        packs: Iterable[Pack],
        kind: str,
        sentences: Sequence[int] = (),
        only: set[str] | None = None,
        carried: Sequence[Hit] = (),
        answered_later: frozenset[str] = frozenset(),
        switched: frozenset[str] = frozenset(),
    ) -> list[RuleHit]:
        """Classes (``kind='emergency'``) or topics (``'denied'``) whose rules the hits satisfy
        (``sentences``: each token's sentence, for rules with ``unless``; ``carried``: facts of
        the chat's other user turns, which may stand for a group; ``answered_later``: the concepts
        later user turns tell, for rules with ``unless_answered_later``; ``switched``: the packs of a
        code-switched text (``Analyzer.switched``), whose hits serve each other's same-named concepts)."""
        own: dict[str, list[Hit]] = {}
        for hit in (*hits, *carried):
            own.setdefault(hit.key, []).append(hit)
        out: dict[str, RuleHit] = {}
        for pack in packs:
            by_key = self._switched_hits(own, pack, switched) if pack.code in switched else own
            keys = by_key.keys()
            ordered, by_first, always = self._pack_rules(pack, kind)
            # only the rules with a hit for their first group, in the packs' order
            for index in sorted({*always, *(i for key in keys for i in by_first.get(key, ()))}):
                name, rule = ordered[index]
                if only is not None and name not in only:
                    continue
                if any(keys.isdisjoint(group) for group in rule.groups):
                    continue  # a group with no hit at all: ``_satisfy`` would find no choice
                if not answered_later.isdisjoint(rule.unless_answered_later):
                    continue  # answered in a later turn (a warmth felt, then measured normal)
                found = _satisfy(rule, by_key, sentences, strict=kind == "emergency")
                if found is not None and (name not in out or out[name].confidence < rule.confidence):
                    out[name] = RuleHit(name, rule.confidence, found)
        return list(out.values())

    def _switched_hits(
        self, own: dict[str, list[Hit]], pack: Pack, switched: frozenset[str]
    ) -> dict[str, list[Hit]]:
        """``own`` with the hits of the other ``switched`` packs' concepts also under ``pack``'s concept of the
        same name ("threw up twice", en ``head_redflags``, for es ``head_redflags``)."""
        by_key = {key: list(found) for key, found in own.items()}
        for key, found in own.items():
            code, name = key.split(":", 1)
            if code != pack.code and code in switched and name in pack.concepts:
                by_key.setdefault(f"{pack.code}:{name}", []).extend(found)
        return by_key

    def _pack_rules(self, pack: Pack, kind: str) -> _PackRules:
        """The rules of ``pack``'s classes (``kind='emergency'``) or topics, in order, indexed by the
        concepts of their first group (made once per pack)."""
        cached = self._rule_index.get((id(pack), kind))
        if cached is not None and cached[0] is pack:
            return cached[1]
        names = pack.classes if kind == "emergency" else pack.topics
        ordered = [(name, rule) for name in names for rule in pack.rules[name]]
        by_first: dict[str, list[int]] = {}
        always: list[int] = []  # rules without groups
        for position, (_, rule) in enumerate(ordered):
            for key in rule.groups[0] if rule.groups else ():
                by_first.setdefault(key, []).append(position)
            if not rule.groups:
                always.append(position)
        rules = _PackRules(ordered, by_first, always)
        self._rule_index[(id(pack), kind)] = (pack, rules)
        return rules


def _inside(trigger: Hit, covered: set[int]) -> bool:
    """A trigger that is part of a multi-word sign ("not" in "not breathing", "lost his" in "lost
    his balance") is the sign's own wording, not a context cue for anything around it."""
    return all(i in covered for i in range(trigger.first, trigger.last + 1))


def _relapsed(
    trig: Hit, context: list[tuple[str, TriggerSpec, Hit]], hits: list[Hit], sentences: Sequence[int]
) -> bool:
    """A sign under a current cue after a recovery cue ("totally normal since the fall, but now he's
    vomiting"): the episode is not over, so the recovery does not read back over the message."""
    return any(
        spec.category == "current"
        and cue.first > trig.last
        and any(
            sentences[h.first] == sentences[cue.first] and cue.last < h.first <= cue.last + spec.window
            for h in hits
        )
        for _, spec, cue in context
        if spec.direction in ("forward", "both")
    )


def _negated_cue(cue: Hit, context: list[tuple[str, TriggerSpec, Hit]], sentences: Sequence[int]) -> bool:
    """A recovery cue with a negation right before it or sharing its words ("he doesn't feel fine",
    "she is not back to normal") tells the opposite of a recovery."""
    return any(
        spec.category == "negated"
        and spec.direction in ("forward", "both")
        and sentences[trig.first] == sentences[cue.first]
        and trig.first < cue.first <= trig.last + 1
        for _, spec, trig in context
    )


def _in_scope(spec: TriggerSpec, trig: Hit, hit: Hit, terminators: list[Hit]) -> bool:
    forward = spec.direction in ("forward", "both") and trig.last < hit.first <= trig.last + spec.window
    backward = spec.direction in ("backward", "both") and trig.first > hit.last >= trig.first - spec.window
    if forward:
        return not any(trig.last < t.first and t.last < hit.first for t in terminators)
    if backward:
        return not any(hit.last < t.first and t.last < trig.first for t in terminators)
    return False


def _counts(hit: Hit, rule: Rule, strict: bool) -> bool:
    """Whether ``hit`` may stand for one of ``rule``'s groups (``strict``: an emergency rule, where
    resolved and joking hits do not count unless the rule says so)."""
    if hit.hypothetical and not rule.ignore_hypothetical:
        return False
    if hit.dated and hit.key not in rule.background:
        return False
    if strict and hit.resolved and not (rule.ignore_resolution or (rule.count_recovery and not hit.cared)):
        return False
    return not (strict and hit.joking and not rule.count_jokes)


def _satisfy(
    rule: Rule, by_key: dict[str, list[Hit]], sentences: Sequence[int], strict: bool = True
) -> tuple[Hit, ...] | None:
    """One hit per group, all within ``rule.within`` words, at least one of them current (not only
    after a weak past cue, unless the rule ignores history), two groups never served by the same
    words ("answer ready" is not both readiness and timing), no ``unless`` concept in their
    sentences and no ``unless_in_message`` concept in the message; ``None`` when there is no such choice.
    A fact carried from another turn may serve a group this message has no fitting hit for;
    at least one group is always served by the message itself."""
    if any(not (h.dated or h.carried) for key in rule.unless_in_message for h in by_key.get(key, ())):
        return None
    blocked = (
        {sentences[h.first] for key in rule.unless for h in by_key.get(key, ()) if not (h.dated or h.carried)}
        if sentences
        else set()
    )
    if sentences and rule.unless_together:
        blocked |= _together(rule.unless_together, by_key, sentences)
    own: list[list[Hit]] = []
    carried: list[Hit | None] = []
    for group in rule.groups:
        candidates = [h for key in group for h in by_key.get(key, ()) if _counts(h, rule, strict)]
        own.append([h for h in candidates if not h.carried])
        carried.append(next((h for h in candidates if h.carried), None))
    by_carry = [i for i, fact in enumerate(carried) if fact is not None]
    for size in range(len(by_carry) + 1):
        for served in combinations(by_carry, size):
            options = [own[i] for i in range(len(own)) if i not in served]
            if not options or any(not o for o in options):
                continue
            chosen = _choose(rule, options, sentences, blocked)
            if chosen is not None:
                return (
                    *chosen,
                    *(fact for i, fact in enumerate(carried) if i in served and fact is not None),
                )
    return None


def _told_over(categories: Container[str]) -> str | None:
    """How a hit is told as over: ``"cared"`` (care has seen it) before ``"resolved"``, else ``None``."""
    return "cared" if "cared" in categories else "resolved" if "resolved" in categories else None


def told_over_hits(hits: list[Hit], over: str | None) -> list[Hit]:
    """``hits`` told as over by a later turn (``over`` from ``Analyzer.closes``), or as they are."""
    if over is None:
        return hits
    return [h._replace(resolved=True, cared=h.cared or over == "cared") for h in hits]


def _together(
    sets: tuple[tuple[str, ...], ...], by_key: dict[str, list[Hit]], sentences: Sequence[int]
) -> set[int]:
    """The sentences in which every concept of one of ``sets`` is found (not dated, not carried)."""
    found: set[int] = set()
    for together in sets:
        where = [
            {sentences[h.first] for h in by_key.get(key, ()) if not (h.dated or h.carried)}
            for key in together
        ]
        found |= set.intersection(*where) if where else set()
    return found


def _choose(
    rule: Rule, options: list[list[Hit]], sentences: Sequence[int], blocked: set[int]
) -> tuple[Hit, ...] | None:
    """One of the message's own hits per group of ``options`` (see ``_satisfy``)."""
    for anchor in options[0]:
        chosen = [anchor]
        lo, hi = anchor.first, anchor.last
        for candidates in options[1:]:
            taken = {(h.first, h.last) for h in chosen}
            free = [h for h in candidates if (h.first, h.last) not in taken]
            if not free:
                break
            best = min(free, key=lambda h: (max(hi, h.last) - min(lo, h.first), h.past))
            lo, hi = min(lo, best.first), max(hi, best.last)
            chosen.append(best)
        if (
            len(chosen) == len(options)
            and hi - lo < rule.within
            and any(not h.dated and (rule.ignore_history or not h.past) for h in chosen)
            and not (blocked and any(sentences[h.first] in blocked for h in chosen))
        ):
            return tuple(chosen)
    return None
