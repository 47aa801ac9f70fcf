"""Person names: name lists, context cues and a Philter-like rule for unknown words.

A token is a name when it follows a title (``Dr``, ``Mrs``) or a role/relative cue
(``wife``, ``seen by``, ``attending``) and is not a common or medical word, or when it
is in the census name lists and is not a common word. Neighbours of a name that are
capitalized (or out of vocabulary in all-lower/all-upper text) join it. In text that
is all lowercase or all caps, capitalization tells nothing, so only the lists and the
cues count there.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from medfoundry.deid import lexicon
from medfoundry.deid.detectors.base import Detector, register
from medfoundry.deid.detectors.dates import MONTHS
from medfoundry.deid.detectors.medication import medicine_by_position
from medfoundry.deid.detectors.spanish_forms import (
    closed_class_words,
    diminutive_base,
    is_diminutive,
    is_spanish_form,
)
from medfoundry.deid.detectors.view import TextView, Words, starts_sentence, text_view
from medfoundry.deid.spans import Span

_L = r"[^\W\d_]"  # a letter, in any script
_TOKEN = re.compile(rf"{_L}(?:{_L}|['\u2019-](?={_L}))*\d*")
_POSSESSIVE = re.compile(r"['\u2019]s$", re.IGNORECASE)
_CONTRACTION = re.compile(r"['\u2019](?:m|ll|re|ve|d|t)$|n['\u2019]t$")


@functools.cache
def _context() -> dict[str, frozenset[str]]:
    """The name context words of ``data/en/name_context.yaml``, lowercased."""
    data = yaml.safe_load(lexicon.data_text("en/name_context.yaml"))
    return {
        key: frozenset(str(w).lower() for w in value)
        for key, value in data.items()
        if isinstance(value, list)
    }


TITLES = _context()["titles"]
WEAK_RELATIONS = _context()["weak_relation_words"]
RELATIONS = _context()["relation_words"] | WEAK_RELATIONS
NOT_NAMES_AFTER_RELATION = _context()["not_names_after_relation"]
# Cue words before a name: relatives, the care team, and a few general ones.
# Cue words before a name: relatives, the care team, and a few general ones (single words only:
# the cue scan looks for whole words).
CUES = frozenset(
    w
    for w in RELATIONS | _context()["clinician_words"] | {"mother", "father", "patient", "pt"}
    if w.isalpha()
)
STRONG_CREDENTIALS = _context()["strong_credentials"]
# Care-team words after which a name's further words join as after a title ("ATTENDING ABIGAIL ROGERS").
CARE_TEAM = frozenset(
    "attending resident intern fellow officer pcp np rn pa nurse surgeon physician hospitalist intensivist".split()
)
WEAK_CREDENTIALS = _context()["weak_credentials"]
SUFFIXES = STRONG_CREDENTIALS | WEAK_CREDENTIALS
# Word endings of clinical terms (hyperkalemia, cholecystectomy), checked on words of 6+ letters.
_CLINICAL_ENDING = re.compile(
    r"(?:emia|aemia|itis|osis|ectomy|otomy|ostomy|oscopy|plasty|algia|pathy|megaly|penia|cytosis|uria|"
    r"oma|ase|azole|mycin|cillin|pril|olol|sartan|statin|parin|plegia|paresis|trophy|genic|ology|ologist|"
    r"graphy|scopy|tension|cardia|pnea|rrhea|lysis|ectasia|stasis|philia|ptysis|emesis|uresis|"
    # the same Greek suffixes in Spanish (RANM, Diccionario de términos médicos): Cardiología, Ecografía
    r"log[ií]a|graf[ií]a|ectom[ií]a|otom[ií]a|ostom[ií]a|scop[ií]a|plastia|opat[ií]a|megalia|"
    # the record a -graphy makes, after the combining vowel of its Greek stem: Echocardiogram, angiograma
    # (not a town's "-gram": Bilgram, Jhargram)
    r"[oa]grams?|[oa]gramas?)$"
)
_STOP = frozenset("a an the and or of to in on at for is was be he she it his her they we i".split())
FACILITY_WORDS = frozenset(
    "hosp hospital clinic center ctr medical health healthcare institute rehab".split()
)
_SPELLED_OUT_TITLES = frozenset({"doctor", "professor", "miss"})
_NEVER = _STOP | TITLES | SUFFIXES | FACILITY_WORDS


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    word: str
    lower: str
    cap: bool
    glued_digits: bool = False  # "Marine542": digits glued to a word, an id-like name


def _token(match: re.Match[str], group: int = 0) -> _Token:
    word = match.group(group)
    start = match.start(group)
    if "'" in word or "\u2019" in word:
        word = _POSSESSIVE.sub("", word)
    glued = word[-1].isdigit()
    base = word.rstrip("0123456789") if glued else word
    return _Token(start, start + len(word), base, base.lower(), base[:1].isupper(), glued)


def _tokens(matches: Iterator[re.Match[str]]) -> list[_Token]:
    """``_token`` of each match (the hot loop of the detector, so the common case is inline)."""
    out = []
    make = _Token
    for match in matches:
        word = match.group()
        if word == "I":  # a third of the capitalized words of a message
            start = match.start()
            out.append(make(start, start + 1, "I", "i", True))
            continue
        if word[-1].isdigit() or "'" in word or "\u2019" in word:
            out.append(_token(match))
            continue
        start = match.start()
        out.append(make(start, start + len(word), word, word.lower(), word[0].isupper()))
    return out


# ``_TOKEN`` on lowercase ASCII text, as runs (several times faster than a lookahead per letter)
_TOKEN_ASCII_LOWER = re.compile(r"[a-z]+(?:['-][a-z]+)*[0-9]*")


def _lower_tokens(view: TextView) -> list[str]:
    """``_TOKEN.findall(view.lower)``."""
    return (_TOKEN_ASCII_LOWER if view.fast else _TOKEN).findall(view.lower)


_TOKEN_BODY = rf"(?:{_L}|['\u2019-](?={_L}))*\d*"
_UPPER = "A-ZÀ-ÖØ-ÞĀ-\u017f"
# Starts with a character class (fast to scan for); the lookbehind then rejects mid-word.
_CAPITALIZED = re.compile(rf"[{_UPPER}](?<!{_L}[{_UPPER}]){_TOKEN_BODY}")


# Strong credentials (a lowercase "do", "ms" or "pt" in a message is rarely one, so weak ones
# only after an initial and a word).
_CREDENTIAL_WORDS = frozenset(
    m.group() for w in SUFFIXES if (m := re.match("[a-z]+", w)) and len(m.group()) > 1
)
_CREDENTIAL = re.compile(
    r"(?<![^\W\d_])(?:"
    + "|".join(re.escape(w) for w in sorted(STRONG_CREDENTIALS, key=len, reverse=True) if "." not in w)
    # a weak one after an initial and a word: "f. jacob pa"
    + r"|[^\W\d_]\.\s?[^\W\d_][\w'\u2019-]*\s(?:"
    + "|".join(re.escape(w) for w in sorted(WEAK_CREDENTIALS, key=len, reverse=True) if "." not in w)
    + r"))(?![^\W\d_])"
)
_SIGNATURE_LINE = re.compile(r"[^\W\d_][\w'\u2019.-]*(?:,? [^\W\d_][\w'\u2019.-]*){0,3}\.?")
_HEADER_LABELS = ("mrn", "mr#", "mr #", "unit no", "dob", "med rec")
_HEADER_NAME = re.compile(
    r"^[ \t]*(?P<name>[^\W\d_](?:[^\W\d_]|['\u2019.-]|, ?| (?=[^\W\d_]))*[^\W\d_.])[ \t]{2,}"
    r"(?:mrn|mr ?#|unit no|dob|med rec)",
    re.MULTILINE,
)
_HEADER_TITLE = re.compile(r"(?:mrs?|ms|miss|dr)\.? +")


@functools.cache
def _form_field_pattern() -> re.Pattern[str]:
    labels = yaml.safe_load(lexicon.data_text("en/name_context.yaml"))["form_labels"]
    body = "|".join(re.escape(str(label)) for label in sorted(labels, key=len, reverse=True))
    word = r"[^\W\d_][\w'\u2019-]*"
    return re.compile(
        rf"^[ \t\ufeff]*(?i:{body})[ \t]*:[ \t]*(?P<value>{word}(?:[ \t]+{word}){{0,3}})[ \t]*\.?[ \t]*$",
        re.MULTILINE,
    )


def _cue_pattern() -> re.Pattern[str]:
    """A cue word (matched in lowercased text) and, without consuming it, the next word."""
    words = "|".join(sorted(TITLES | CUES, key=len, reverse=True))
    # The next word after a space, or after a comma or an opening parenthesis: "dtr (luigina)".
    return re.compile(rf"(?:{words})\b(?=(?:\.?\s{{1,3}}|,\s{{0,3}}|\s?\(\s?)({_L}{_TOKEN_BODY}))")


_CUES = _cue_pattern()
_CUE_WORDS = TITLES | CUES


def _cues(view: TextView) -> Iterator[re.Match[str]]:
    """The cue words that start a word (each with the word after it), in order."""
    lowered = view.lower
    if view.fast:
        # A cue kept here is a whole word, so only the text's words that are cues are looked for.
        for start in view.starts(Words(tuple(sorted(view.words & _CUE_WORDS)))):
            if not (start and lowered[start - 1].isalpha()) and (match := _CUES.match(lowered, start)):
                yield match
        return
    for match in _CUES.finditer(lowered):
        if not (match.start() and lowered[match.start() - 1].isalpha()):
            yield match


def _candidate_tokens(text: str) -> tuple[list[_Token], bool]:
    """The tokens worth looking at, and whether the text is mixed case.

    In mixed-case text a name is capitalized or follows a cue, so only those tokens (and
    the cues) are made; all-lower or all-caps text needs every token.
    """
    capitalized = [t for t in _tokens(_CAPITALIZED.finditer(text)) if t.cap]
    all_caps = sum(1 for t in capitalized if len(t.word) > 1 and t.word.isupper())
    # A text of n characters has at most (n + 1) // 2 words: count them only when that is too many.
    most_words = (len(text) + 1) // 2
    words = most_words if len(capitalized) > 0.02 * most_words else len(text.split())
    if not (len(capitalized) > 0.02 * words and all_caps < 0.7 * len(capitalized)):
        return _tokens(_TOKEN.finditer(text)), False
    found = {t.start: t for t in capitalized}
    view = text_view(text)
    if not view.lower_keeps_length:
        return _tokens(_TOKEN.finditer(text)), True
    for match in _cues(view):
        for start, end in ((match.start(), match.end()), (match.start(1), match.end(1))):
            if start not in found:
                found[start] = _token(_TOKEN.match(text, start, end))  # type: ignore[arg-type]
    if not view.words.isdisjoint(_CREDENTIAL_WORDS):
        # "d/w t. smith pa-c": a credential in any case, and the words before it on its line.
        for match in _CREDENTIAL.finditer(view.lower):
            begin = max(view.lower.rfind("\n", 0, match.start()) + 1, match.start() - 48)
            while begin < match.start() and begin and text[begin - 1].isalpha():
                begin += 1
            for token in _TOKEN.finditer(text, begin, match.end()):
                if token.start() not in found:
                    found[token.start()] = _token(token)
    return [found[k] for k in sorted(found)], True


def _common(token: _Token) -> bool:
    return _common_word(token.lower)


@functools.lru_cache(maxsize=65536)  # the same few hundred words make up most messages
def _common_word(lower: str) -> bool:
    if _CONTRACTION.search(lower):  # I'm, don't, they're (but not O'Brien)
        lower = re.split("['\u2019]", lower)[0]
        lower = lower[:-1] if lower.endswith("n") and lexicon.is_common(lower[:-1]) else lower  # hasn't
        return len(lower) < 2 or lower in _STOP or lexicon.is_common(lower)
    if lower in _STOP or lower in _NOT_NAMES:
        return True
    if lower.endswith("in") and lower not in lexicon.first_names() and lexicon.zipf(lower + "g") >= 3.5:
        return True  # "shakin", "startin", "killin": -ing written as spoken ("Dustin" is a listed name)
    if lexicon.zipf(lower) >= 5.0 and lower not in lexicon.first_names():
        return True  # "American", "Washington": far more often the word than a surname
    if lower in lexicon.first_names():  # a listed name is common only as itself, not as an inflection
        return (
            lower in lexicon.common_words()
            or lower in lexicon.medical_terms()
            or lexicon.is_spanish_common(lower)
        )
    return lexicon.is_common(lower) or lexicon.is_spanish_common(lower)


# Capitalized words that are in no name list but are not names either.
_NOT_NAMES = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday fax tel info email phone mobile
    mondays tuesdays wednesdays thursdays fridays saturdays sundays dear hi hello thanks regards english spanish french german chinese""".split()
)


def _glued_name(text: str, tok: _Token) -> bool:
    """'Marine542', 'Ai120': a word with digits glued on, not 'A&Ox3' or a lab like 'Mg2'."""
    digits = tok.end - tok.start - len(tok.word)
    if tok.start and text[tok.start - 1] in "&/":
        return False
    return (len(tok.word) >= 3 or digits >= 2) and tok.lower not in lexicon.medical_terms()


def _unknown_capitalized(tok: _Token) -> bool:
    word = tok.word
    if len(word) < 3 or not word[1:].islower() or "'" in word or "\u2019" in word or tok.lower in _NOT_NAMES:
        return False
    lower = tok.lower
    return (
        not _clinical_word(lower)
        and lexicon.zipf(lower) < 3.5  # "American", "Hispanic": frequent words, not names
        and not lexicon.is_spanish_common(lower)  # "Fecha", "Domicilio": Spanish words, not names
        and lower not in lexicon.cities()
        and lower not in lexicon.countries()
        and lower not in lexicon.state_names()
    )


def _medical(token: _Token) -> bool:
    return token.lower in lexicon.medical_terms()


@functools.lru_cache(maxsize=65536)
def _clinical_word(lower: str) -> bool:
    """A clinical term, abbreviation or care setting (FOLEY, OSH, PAP, hyperkalemia)."""
    if lexicon.is_clinical(lower):
        return True
    return len(lower) >= 6 and bool(_CLINICAL_ENDING.search(lower))


def _clinical(token: _Token) -> bool:
    if token.cap and not token.word.isupper() and _abbreviation_only_name(token.lower):
        return False  # "Lee": written as a name, though LEE is also a short form
    return _clinical_word(token.lower)


@functools.lru_cache(maxsize=65536)
def _abbreviation_only_name(lower: str) -> bool:
    """A listed name that only the abbreviation inventory has (lee, ann): a short form in caps."""
    return (
        lexicon.is_name_word(lower)
        and lower in lexicon.word_list("en/abbreviations.txt")
        and lower not in lexicon.word_list("en/clinical_words.txt")
        and lower not in lexicon.medical_terms()
    )


def _initial(tok: _Token) -> bool:
    return len(tok.word) == 1 and tok.word.isalpha()


def _name_part(lower: str) -> bool:
    """A listed first or last name, or a hyphenated one (forman-lyons) of listed or unknown parts."""
    if lexicon.is_name_word(lower):
        return True
    if "-" in lower:
        parts = [p for p in lower.split("-") if p]
        return len(parts) > 1 and all(lexicon.is_name_word(p) or not lexicon.is_common(p) for p in parts)
    return False


@register
class NameDetector(Detector):
    name = "name"
    types = ("NAME",)

    def __init__(self, unknown_words: bool = True) -> None:
        self.unknown_words = unknown_words

    def find(self, text: str) -> Iterator[Span]:
        tokens, mixed = _candidate_tokens(text)
        if not tokens:
            return
        marked = [len(tok.lower) > 1 and self._seed(tokens, i, text, mixed) for i, tok in enumerate(tokens)]
        spanish = (
            any(marked) or any(t.lower in _SPANISH_HOMOGRAPH_CUES for t in tokens)
        ) and lexicon.spanish_share(_lower_tokens(text_view(text))) > 0.5
        if spanish:
            marked = [m and not _spanish_word_alone(tokens, i, text, mixed) for i, m in enumerate(marked)]
        if not mixed:  # "manchas rojas": also in a Spanish message too short to count its function words
            marked = [m and not _adjective_after_its_noun(tokens, i, text) for i, m in enumerate(marked)]
        self._suffix_cues(tokens, marked, text, mixed, spanish)
        self._grow_strong_seeds(tokens, marked, text)
        if any(marked):
            self._extend(tokens, marked, text, mixed)
            if mixed:
                _first_name_before_particle(tokens, marked, text)
                _surname_after_particle(tokens, marked, text)
        yield from self._spans(tokens, marked, text)
        yield from self._labelled(text)
        yield from self._signature(text)
        yield from self._form_fields(text)
        yield from self._introduced(text)
        yield from self._signed_off(text)

    def _introduced(self, text: str) -> Iterator[Span]:
        """A self-introduction: "my name is Kim Loan Dang", "me llamo Amparo", and at a message's
        start or after a greeting "hi its jess", "hola soy yesi" (not "soy diabetica", "its fine")."""
        lowered = text_view(text).lower
        if len(lowered) != len(text):
            return
        for match in _intro_matches(lowered):
            strong = match.group("cue").endswith(_STRONG_INTRO)
            # ("^" matches only at the text's start, so the search can begin 40 characters back)
            if not strong and not _GREETING_BEFORE.search(lowered, max(0, match.start() - 40), match.start()):
                continue
            words = list(_TOKEN.finditer(text, match.start("words"), match.end("words")))
            if not words or not _introduced_name(words[0].group(), strong):
                continue
            if _NUMBER_AFTER.match(text, words[0].end()):
                continue  # "its norco 5/325", "soy insulina 10": a medicine and its strength, not a name
            end = words[0].end()
            for word in words[1:]:
                lower = word.group().lower()
                if not (word.group()[:1].isupper() or lower in lexicon.first_names()) or not _signature_word(
                    lower
                ):
                    break
                if _clinical_word(lower) or lower in _NEVER:
                    break
                end = word.end()
            yield Span(words[0].start(), end, "NAME", self.name)

    def _signed_off(self, text: str) -> Iterator[Span]:
        """A message's last words after a closing or a dash: "Thank you! Mark", "-Faye",
        "Gracias, Marisela Ponce", "Dios lo bendiga. Paty" (not "thank you!", "gracias doctora")."""
        tail_start = max(0, len(text) - 80)
        lowered = text_view(text).lower
        match = _SIGN_OFF.search(lowered, tail_start) if len(lowered) == len(text) else None
        if match is None:
            return
        words = list(_TOKEN.finditer(text, match.start("words"), match.end("words")))
        if words and all(_signed_name(w.group()) for w in words):
            yield Span(words[0].start(), words[-1].end(), "NAME", self.name)

    def _form_fields(self, text: str) -> Iterator[Span]:
        """The value of a name field of a form: "Nombre: Pedro.", "Apellidos: Garcia Prieto."."""
        if ":" not in text:
            return
        for match in _form_field_pattern().finditer(text):
            words = [w for w in _TOKEN.findall(match.group("value")) if len(w) > 1]
            if (
                words
                and all(w[0].isupper() for w in words)
                and not any(_clinical_word(w.lower()) for w in words)
                and any(_name_part(w.lower()) or not _common_word(w.lower()) for w in words)
            ):
                yield Span(match.start("value"), match.end("value"), "NAME", self.name)

    def _signature(self, text: str) -> Iterator[Span]:
        """A note's last line when it is only a name: "J. Smith", "MARY O'NEIL" (a signature)."""
        stripped = text.rstrip()
        start = stripped.rfind("\n") + 1
        if start == 0 or len(stripped) - start > 40:
            return  # a single line is a message, not a signed note
        line = stripped[start:]
        words = list(_TOKEN.finditer(line))
        if not 2 <= len(words) <= 4 or _SIGNATURE_LINE.fullmatch(line) is None:
            return  # one word alone ("ok", "Thanks") is too weak
        longer = [w.group().lower() for w in words if len(w.group()) > 1]
        if not longer or any(_clinical_word(w) or w in _NEVER for w in longer):
            return
        if all(_signature_word(w) for w in longer):
            yield Span(start + words[0].start(), start + words[-1].end(), "NAME", self.name)

    def _labelled(self, text: str) -> Iterator[Span]:
        """The name that starts a header line before its record number: "t. sloan  MRN: ...",
        "TATE, HELOISA  Unit No: ..."."""
        lowered = text_view(text).lower
        if not any(label in lowered for label in _HEADER_LABELS):
            return
        for match in _HEADER_NAME.finditer(lowered):
            start, end = match.span("name")
            words = [w for w in _TOKEN.findall(text[start:end]) if w.lower().rstrip(".") not in TITLES]
            lowers = [w.lower() for w in words]
            longer = [w for w in lowers if len(w) > 1]
            if not longer or all(_clinical_word(w) for w in longer):
                continue
            initial = len(longer) < len(lowers)
            if initial or any(_name_part(w) or not _common_word(w) for w in longer):
                title = _HEADER_TITLE.match(lowered, start)
                yield Span(title.end() if title else start, end, "NAME", self.name)

    # -- rules -------------------------------------------------------------------
    def _plausible(self, tok: _Token, mixed: bool) -> bool:
        """Could this word be a name at all (given a cue)?"""
        if len(tok.lower) < 2 or _medical(tok) or tok.lower in _STOP or tok.lower in TITLES:
            return False
        if tok.lower in _NOT_NAMES:
            return False  # "by Friday", "per Monday": a weekday or a greeting word after a cue
        if tok.lower in FACILITY_WORDS:
            return False
        if mixed and tok.cap:
            # A listed name that is a very common word ("pt MAY have") needs a stronger cue.
            return not _common(tok) or (lexicon.is_name_word(tok.lower) and lexicon.zipf(tok.lower) < 5.0)
        # All caps or lowercase: a first name that is a rarer word ("ATTENDING ABIGAIL") counts.
        return not _common(tok) or (tok.lower in lexicon.first_names() and lexicon.zipf(tok.lower) < 4.5)

    def _seed(self, tokens: list[_Token], i: int, text: str, mixed: bool) -> bool:
        tok = tokens[i]
        if len(tok.lower) < 2:
            return False
        if tok.glued_digits and tok.cap and tok.word[1:].islower() and _glued_name(text, tok):
            return True
        if tok.lower in _NEVER:
            return False
        prev = tokens[i - 1] if i else None
        if _after_subject_pronoun(tokens, i, text):
            return False  # "i tok 15 tylenol", "hes startin to wheeze": a verb follows its subject
        if prev is not None and prev.lower in TITLES and _adjacent(text, prev, tok, allow_period=True):
            # "Dr. Alzheimer", "DR WARD", "dr. john": after a title even a clinical or common word
            # is a name, unless it is a common word that is no name ("Dr notified").
            rare = lexicon.zipf(tok.lower) < 3.8  # "DR. WARMER", but not "DR NOTIFIED"
            if not tok.cap and _frequent_word(tok.lower, mixed):
                return False  # "the doctor can", "el doctor me dijo": a frequent word, not "dr smith"
            if _english_word_after_cue(tok, mixed):
                return False  # "the doctor will", "can the doctor renew it": a verb, not "dr zirme"
            return _name_part(tok.lower) or not _common(tok) or (mixed and tok.cap) or rare
        if (
            prev is not None
            and prev.lower in RELATIONS
            and _adjacent(text, prev, tok, allow_comma=True)
            and tok.lower not in NOT_NAMES_AFTER_RELATION
            and (_relative_name(tok.lower) or (_titled(tok) and _rare_word(tok.lower)))
            and (tok.lower in lexicon.first_names() or not _clinical(tok))
            and (_titled(tok) or not _lowercase_word_after_relation(tok.lower, prev.lower))
        ):
            # "son john", "WIFE MARY", "sister, grace", "GRANDSON ANA": a listed first name (even
            # a common or clinical word) or an unknown word.
            return True
        if _medical(tok) or _clinical(tok):
            return False
        if self._last_comma_first(tokens, i, text) or (i and self._last_comma_first(tokens, i - 1, text)):
            return True  # "SMITH, JOHN"
        if mixed and self._first_then_last(tokens, i, text):
            return True  # "Mary Smith": a first name and a surname, both capitalized
        if (
            mixed
            and tok.cap
            and tok.lower in lexicon.first_names()
            and self._initial_follows(tokens, i, text)
        ):
            return True  # "Mary S.", "Jane D." (a first name that is also a word, then an initial)
        if (
            prev is not None
            and prev.lower in CUES
            and _adjacent(text, prev, tok)
            and self._plausible(tok, mixed)
            and not (
                prev.lower in RELATIONS
                and not _titled(tok)
                and _lowercase_word_after_relation(tok.lower, prev.lower)
            )
        ):
            return (not mixed or tok.cap or not _common(tok)) and not _english_word_after_cue(tok, mixed)
        if mixed and _titled(tok) and tok.lower in lexicon.first_names_not_words():
            # "Can Mary pick it up?": web2 also lists "mary", "steven", "nancy" as obscure words
            return not _word_by_position(tokens, i, text) and not medicine_by_position(
                text, tok.start, tok.end
            )
        if mixed and _titled(tok) and _name_word_capitalized_as_a_name(tokens, i, text):
            return True  # "Can Peter pick it up?": a frequent first name that is also a word ("peter out")
        if not mixed and _lowercase_name_no_dictionary_writes_lowercase(tokens, i, text):
            return True  # "can steven pick it up": SCOWL writes "Steven" only capitalized
        if _common(tok) or (mixed and not tok.cap):
            return False
        if lexicon.is_name_word(tok.lower):
            if mixed and _acronym_of_a_rare_surname(tok):
                return False  # "the EHR system", "an AI": short capitals in mixed-case text are an acronym
            if not mixed and _ordinary_word(tokens, i, text):
                return False  # "a newborn", "the fridge", "abt": a word, with no cue saying it is a name
            # In all-caps or all-lowercase text a short listed word is most often an abbreviation.
            return mixed or len(tok.lower) >= 3
        # Philter-like: a capitalized word that is in no vocabulary (not English, not
        # medical, not a place) and not an acronym is most likely a name.
        return (
            mixed
            and self.unknown_words
            and _unknown_capitalized(tok)
            and not _word_by_position(tokens, i, text)
            and not medicine_by_position(text, tok.start, tok.end)
            and tok.lower not in CUES  # "Caregiver here.": a relation or care-team word is no name
            and not _compound_of_words(tok.lower)
        )

    @staticmethod
    def _first_then_last(tokens: list[_Token], i: int, text: str) -> bool:
        if i + 1 >= len(tokens):
            return False
        first, last = tokens[i], tokens[i + 1]
        if not (first.cap and last.cap) or text[first.end : last.start] != " " or last.word.isupper():
            return False
        if i + 2 < len(tokens) and tokens[i + 2].cap and text[last.end : tokens[i + 2].start] == " ":
            return False  # "Rose Hill Park": a longer capitalized name is more often a place or a title
        if i and tokens[i - 1].cap and text[tokens[i - 1].end : first.start] == " ":
            return False
        if not (lexicon.is_first_name(first.lower) and lexicon.is_last_name(last.lower)):
            return False
        if _clinical(first) or _clinical(last) or first.word.isupper():
            return False
        return lexicon.zipf(first.lower) < 5.5 and lexicon.zipf(last.lower) < 5.0

    @staticmethod
    def _last_comma_first(tokens: list[_Token], i: int, text: str) -> bool:
        """This token and the next are "Last, First": a listed surname, a comma, a first name."""
        if i + 1 >= len(tokens):
            return False
        last, first = tokens[i], tokens[i + 1]
        if text[last.end : first.start] not in (", ", ","):
            return False
        if not (lexicon.is_last_name(last.lower) and lexicon.is_first_name(first.lower)):
            return False
        if _clinical(last) or _clinical(first):
            return False
        if lexicon.is_spanish_common(last.lower) or lexicon.is_spanish_common(first.lower):
            return False  # "hoy, nada": Spanish words in a sentence, not "Last, First"
        return lexicon.zipf(last.lower) < 5.0 and lexicon.zipf(first.lower) < 5.5 and last.cap == first.cap

    @staticmethod
    def _initial_follows(tokens: list[_Token], i: int, text: str) -> bool:
        if i + 1 >= len(tokens):
            return False
        nxt = tokens[i + 1]
        return (
            len(nxt.word) == 1
            and nxt.word.isupper()
            and text[nxt.end : nxt.end + 1] == "."
            and _adjacent(text, tokens[i], nxt)
        )

    def _grow_strong_seeds(self, tokens: list[_Token], marked: list[bool], text: str) -> None:
        """After a title or a relation word, the name's next words join when they are listed
        names or initials, even common words ("dr. john bowman", "WIFE MARY WARD")."""
        strong = TITLES | RELATIONS | CARE_TEAM
        for i in range(1, len(tokens)):
            if not marked[i] or tokens[i - 1].lower not in strong:
                continue
            j = i + 1
            while (
                j < len(tokens)
                and j - i <= 3
                and _adjacent(text, tokens[j - 1], tokens[j], allow_period=True)
            ):
                nxt = tokens[j]
                known = _name_part(nxt.lower) or not _common(nxt)
                if not (_initial(nxt) or (known and _joinable(nxt))):
                    break
                marked[j] = True
                j += 1

    def _suffix_cues(
        self, tokens: list[_Token], marked: list[bool], text: str, mixed: bool, spanish: bool = False
    ) -> None:
        """Credentials after a name: "SMITH RN", "DAN A. FORMAN-LYONS, RRT", "q. lander rrt".
        A weak credential (PT, PA, DO) counts only after a comma or a listed, uncommon name; in a
        Spanish message a lowercase "pa" is "para" ("no me hace nada pa dormir")."""
        for i, tok in enumerate(tokens):
            if tok.lower not in SUFFIXES or i == 0 or (tok.lower == "do" and tok.word != "DO"):
                continue
            if spanish and tok.lower in _SPANISH_HOMOGRAPH_CUES and tok.word.islower():
                continue
            if tok.lower in WEAK_CREDENTIALS and not self._credential_follows_name(tokens, i, text):
                continue
            j = i - 1
            while (
                j >= 0
                and i - j <= 4
                and _adjacent(text, tokens[j], tokens[j + 1], allow_comma=True, allow_period=True)
            ):
                before = tokens[j]
                if _initial(before) and before.start and text[before.start - 1] in "/&":
                    break  # "d/w t. smith pa-c": the w of d/w is no initial
                if not (_initial(before) or self._credential_name_word(before, mixed)):
                    break
                marked[j] = True
                j -= 1
            # An initial alone is no name ("A, RN"): unmark trailing initials that joined nothing.
            k = j + 1
            while (
                k < i
                and _initial(tokens[k])
                and not any(marked[m] and not _initial(tokens[m]) for m in range(k, i))
            ):
                marked[k] = False
                k += 1

    @staticmethod
    def _credential_follows_name(tokens: list[_Token], i: int, text: str) -> bool:
        """A weak credential (PA, PT) follows a name: after a comma, a listed uncommon name,
        or an initial and a word in no vocabulary ("c. gramsci pa")."""
        prev = tokens[i - 1]
        if "," in text[prev.end : tokens[i].start]:
            return True
        if _clinical(prev) or not _adjacent(text, prev, tokens[i]):
            return False
        initial_before = (
            i >= 2 and _initial(tokens[i - 2]) and _adjacent(text, tokens[i - 2], prev, allow_period=True)
        )
        if initial_before and (lexicon.is_name_word(prev.lower) or not _common(prev)):
            return True  # "f. jacob pa"
        if not _common(prev) and lexicon.is_name_word(prev.lower):
            return True
        # "SALMA WALTER PA": a listed name after a first name or a word in no vocabulary.
        if i < 2 or not lexicon.is_name_word(prev.lower) or not _adjacent(text, tokens[i - 2], prev):
            return False
        first = tokens[i - 2]
        known = first.lower in lexicon.first_names() or not _common(first) or lexicon.zipf(first.lower) < 3.0
        return not _clinical(first) and len(first.lower) > 1 and known

    def _credential_name_word(self, tok: _Token, mixed: bool) -> bool:
        if len(tok.lower) < 2 or tok.lower in _NEVER or tok.lower in CUES:
            return False
        if _name_part(tok.lower):
            if not mixed and _frequent_lowercase_word(tok):
                return False  # "on one side rn" (right now), not "j smith rn", "q. lander rrt"
            return not _clinical(tok) or (mixed and tok.cap)
        return not _common(tok) and not _clinical(tok)

    def _extend(self, tokens: list[_Token], marked: list[bool], text: str, mixed: bool) -> None:
        """Mark each unmarked token next to a marked one that can join it, until none is left.

        Whether a token joins depends on it alone, so the names grow outwards from the
        tokens marked now, each as far as its neighbours join.
        """
        for i in [i for i, mark in enumerate(marked) if mark]:
            for step in (-1, 1):
                j = i + step
                while 0 <= j < len(tokens) and not marked[j]:
                    before, after = (tokens[j], tokens[j + 1]) if step < 0 else (tokens[j - 1], tokens[j])
                    if not _adjacent(text, before, after, allow_period=True):
                        break
                    tok = tokens[j]
                    if not (len(tok.word) == 1 and tok.word.isupper()) and not self._joins(tok, mixed, text):
                        break  # neither an initial nor a word that can be part of a name
                    marked[j] = True
                    j += step

    def _joins(self, tok: _Token, mixed: bool, text: str) -> bool:
        if len(tok.lower) < 2 or _medical(tok) or tok.lower in _NEVER or _clinical(tok):
            return False
        if mixed:
            if tok.lower in NOT_NAMES_AFTER_RELATION or _opening_word(tok, text):
                return False  # "Can Mary", "Hoy Carlos": a function word, or capitalized as the first word
            return tok.cap and (not _common(tok) or lexicon.is_name_word(tok.lower))
        # All caps or all lowercase: a listed name, or a longer word in no vocabulary.
        return not _common(tok) and (_name_part(tok.lower) or len(tok.lower) >= 4)

    def _spans(self, tokens: list[_Token], marked: list[bool], text: str) -> Iterator[Span]:
        i = 0
        while i < len(tokens):
            if not marked[i]:
                i += 1
                continue
            j = i
            while (
                j + 1 < len(tokens)
                and marked[j + 1]
                and _adjacent(text, tokens[j], tokens[j + 1], allow_period=True)
            ):
                j += 1
            yield Span(tokens[i].start, tokens[j].end, "NAME", self.name)
            i = j + 1


def _signature_word(lower: str) -> bool:
    if lower in lexicon.first_names():
        return lexicon.zipf(lower) < 5.5  # not "will", "may"
    return (_name_part(lower) and lexicon.zipf(lower) < 4.5) or not _common_word(lower)


_INTRO_CUES = (
    "its ",
    "it's ",
    "it\u2019s ",
    "this is ",
    "soy ",
    "name is ",
    "me llamo ",
    "se llama ",
    "nombre es ",
)
_STRONG_INTRO = ("name is", "llamo", "nombre es")
_INTRO = re.compile(
    r"(?P<cue>it['\u2019]?s|this is|soy|name is|me llamo|se llama|nombre es)"
    r"[ \t]+(?P<words>[^\W\d_][\w'\u2019-]*(?:[ \t]+[^\W\d_][\w'\u2019-]*){0,3})"
)


def _intro_matches(lowered: str) -> Iterator[re.Match[str]]:
    """``_INTRO`` tried only where one of its cues starts a word (found with ``str.find``)."""
    starts: list[int] = []
    for cue in _INTRO_CUES:
        at = lowered.find(cue)
        while at >= 0:
            if not (at and lowered[at - 1].isalpha()):
                starts.append(at)
            at = lowered.find(cue, at + 1)
    for start in sorted(starts):
        if match := _INTRO.match(lowered, start):
            yield match


# Before a weak cue ("its", "soy"): the message's start, a sentence's start, or a greeting.
_GREETING_BEFORE = re.compile(
    r"(?:^|[.!?\n,]|\b(?:hi|hii+|hello|hey|hola|buenas|buenos dias|buenas tardes|good morning|dr|dra|doctor|doctora)"
    r"\b[^.!?\n]{0,24})[ \t]*$"
)
# Spanish adjective and participle endings: "soy diabetica", "soy alergico", "soy hipertensa".
_ADJECTIVE_ENDING = re.compile(
    r"(?:ic[oa]|ad[oa]|id[oa]|os[oa]|ble|nte|ens[oa]|iv[oa]|er[oa]|ist[ao]|or[a]?)s?$"
)
_CLOSINGS = (
    r"thanks|thank you|thank u|thx|ty|gracias|bendiga|bendiciones|saludos|regards|sincerely|atentamente|cheers|"
    r"best|love"
)  # whole words: "ty" is no closing in "TYLENOL"
_SIGN_OFF = re.compile(
    r"(?:(?<![^\W\d_])(?:"
    + _CLOSINGS
    + r")(?![^\W\d_])(?:\s+(?:so much|again|a lot|mucho|muchas|de antemano|doctor|doctora|dr))?"
    r"[ \t]*[!.,]*\s*|(?:^|\s)[-\u2013\u2014~][ \t]*)"
    r"(?P<words>[^\W\d_][\w'\u2019-]*(?:[ \t]+[^\W\d_][\w'\u2019-]*){0,2})[ \t.!]*$"
)


def _introduced_name(word: str, strong: bool) -> bool:
    """The first word after a self-introduction cue: a listed first name, or a word in no
    vocabulary (after "its"/"soy" not a frequent word or a Spanish adjective)."""
    lower = word.lower()
    if (
        len(lower) < 2
        or lower in _NEVER
        or lower in CUES
        or _clinical_word(lower)
        or lower in lexicon.medical_terms()
    ):
        return False
    if lower in lexicon.first_names():
        return strong or max(lexicon.zipf(lower), lexicon.zipf_es(lower)) < 4.5
    if strong:
        return _name_part(lower) or not _common_word(lower)
    return len(lower) >= 3 and not _common_word(lower) and not _ADJECTIVE_ENDING.search(lower)


def _signed_name(word: str) -> bool:
    """A word of a sign-off: capitalized (or a listed first name), a first name or a rare word."""
    lower = word.lower()
    if len(lower) < 2 or lower in _NEVER or lower in CUES or _clinical_word(lower):
        return False
    if not word[:1].isupper() and lower not in lexicon.first_names():
        return False
    if lower in lexicon.first_names():
        return max(lexicon.zipf(lower), lexicon.zipf_es(lower)) < 5.5
    zipf = max(lexicon.zipf(lower), lexicon.zipf_es(lower))
    return zipf < 3.0 or (_name_part(lower) and zipf < 4.0)  # "Paty", "Ponce"; not "Bye", "Dios"


def _relative_name(lower: str) -> bool:
    """After a relation word: a listed first name (even "mary"), a listed surname that is no
    common word, or an unknown word that is no frequent word or inflection of one ("husband
    too", "brother died", "friend overdosed" are not names; "HCP CAPUCINE" is)."""
    if lower in lexicon.first_names():
        return True
    if len(lower) < 2 or lexicon.is_spanish_common(lower):
        return False
    if lexicon.is_common(lower) and lexicon.zipf(lower) >= 3.0:
        return False
    if lexicon.surname_rank(lower) <= 10000 and not lexicon.is_common(lower):
        return True
    return lexicon.inflected_zipf(lower) < 3.0


def _rare_word(lower: str) -> bool:
    """A rare English and Spanish word ("Ximena", "Tadeo" after "mi hija", "mi hijo")."""
    return max(lexicon.zipf(lower), lexicon.zipf_es(lower)) < 3.5


def _titled(tok: _Token) -> bool:
    """Capitalized as a name is ("Camila"), not all caps ("ESTA") or lowercase."""
    return tok.cap and not tok.word.isupper()


def _lowercase_word_after_relation(lower: str, relation: str) -> bool:
    """A lowercase (or all-caps) word after a relation word that is no name: a frequent Spanish word
    that is a rare first name ("mi papa esta", "el bebe bebe"), and after "baby" or a Spanish kinship
    word anything but a listed first name that is no frequent Spanish word ("mi hijo comio",
    "mi abuela del"; "mi hija camila" stays a name)."""
    if lexicon.is_spanish_common(lower) and lexicon.first_name_rank(lower) > 1500:
        return True
    if relation in WEAK_RELATIONS:
        return lower not in lexicon.first_names() or lexicon.zipf_es(lower) >= 5.5
    return False


# English subject pronouns and their contractions as texts write them without the apostrophe: a word
# right after one is its verb (or an adverb), never a name (Quirk et al. 1985, 6.3).
_SUBJECT_PRONOUNS = frozenset("i we they he she you im ive hes shes theyre youre weve".split())


def _after_subject_pronoun(tokens: list[_Token], i: int, text: str) -> bool:
    """A lowercase word right after a lowercase subject pronoun that no title or initial precedes
    ("i tok", "hes startin"; not "dr i smith", "J I Smith")."""
    if i == 0 or not tokens[i].word.islower():
        return False
    prev = tokens[i - 1]
    if prev.lower not in _SUBJECT_PRONOUNS or not prev.word.islower() or not _adjacent(text, prev, tokens[i]):
        return False
    return i < 2 or (tokens[i - 2].lower not in TITLES and not _initial(tokens[i - 2]))


@functools.cache
def _place_generics() -> frozenset[str]:
    text = lexicon.data_text("en/place_generics.txt")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


@functools.lru_cache(maxsize=65536)
def _compound_of_words(lower: str) -> bool:
    """A closed compound of two frequent English words (each a dictionary word of 3+ letters with
    Zipf >= 4.0): "Daycare", "Smartwatch". Only asked of words in no name list."""
    if lexicon.zipf(lower) < 3.0:
        return False  # itself no English word of the list: "Calvia", "Sonson" (towns), not "cal"+"via"
    for cut in range(3, len(lower) - 2):
        head, tail = lower[:cut], lower[cut:]
        if tail in _place_generics():
            continue  # "Lakewood", "Fairview": a place's name (data/en/place_generics.txt)
        if all(w in lexicon.common_words() and lexicon.zipf(w) >= 4.0 for w in (head, tail)):
            return True
    return False


def _frequent_lowercase_word(tok: _Token) -> bool:
    """A lowercase word frequent as itself (Zipf >= 4.5, not counting inflections: "lander" is no
    "land") that is no first name nor common surname: "side", "right", "job"."""
    lower = tok.lower
    return (
        tok.word.islower()
        and lower not in lexicon.first_names()
        and lexicon.surname_rank(lower) > 2000
        and lexicon.zipf(lower) >= 4.5
    )


def _english_word_after_cue(tok: _Token, mixed: bool) -> bool:
    """A lowercase word after a title or cue that English usage shows to be no name: a closed-class
    word (a modal or auxiliary verb, a conjunction: ``not_names_after_relation``, "the doctor will",
    "DR HAS ME" is all caps and stays), or a word that is no listed first name nor common surname (census
    rank past 2,000) and is frequent as itself or as the word it inflects (wordfreq): in mixed-case text,
    where a name is capitalized, from Zipf 3.0 or a dictionary word ("with teenagers", "the nurse
    emailed", "my dad flies", "can the doctor renew it"); in all-lowercase text from Zipf 4.5 ("the doctor
    fill it out", "doctor monday", "my neighbor anymore"). "dr brown", "dr. lee", "dr zirme" stay names."""
    lower = tok.lower
    if not tok.word.islower():
        return False
    if lower in NOT_NAMES_AFTER_RELATION:
        return True
    if lower in lexicon.first_names() or lexicon.surname_rank(lower) <= 2000:
        return False
    frequency = lexicon.inflected_zipf(lower)
    if mixed:
        return frequency >= 3.0 or lexicon.is_common(lower)
    return frequency >= 4.5


def _spanish_word_after_title(tok: _Token, mixed: bool) -> bool:
    """In a Spanish message, a lowercase Spanish word after a title or care-team word, as
    ``_english_word_after_cue`` reads English ones: no first name nor common surname, and frequent
    in Spanish (Zipf >= 3.0 in mixed-case text, >= 4.5 in all-lowercase text)."""
    lower = tok.lower
    if not tok.word.islower() or lower in lexicon.first_names() or lexicon.surname_rank(lower) <= 2000:
        return False
    return lexicon.zipf_es(lower) >= (3.0 if mixed else 4.5)


def _frequent_word(lower: str, mixed: bool) -> bool:
    """A lowercase word after a title that is a frequent English or Spanish word and no first name:
    "the doctor can", "el doctor me dijo". In mixed-case text a lowercase common surname stays a
    name ("dr brown"), and so it does in all-lowercase text unless very frequent ("doctor call")."""
    zipf = max(lexicon.zipf(lower), lexicon.zipf_es(lower))
    if lower in lexicon.first_names() or zipf < 4.5:
        return False
    return zipf >= 5.5 or (mixed and lexicon.surname_rank(lower) > 2000)


# Spanish surname particles ("Pedro de Miguel", "Ana De la Fuente", "Luis del Río"): RAE/ASALE,
# Ortografía de la lengua española (2010), §4.2.4.1.1 (surnames with a preposition or an article).
_PARTICLE_BEFORE = re.compile(
    r"(?:^|[^\w])(\w+)[ \t]+(?:de|De|del|Del|de la|De la|de las|de los|De los|De las)[ \t]+$"
)


def _first_name_before_particle(tokens: list[_Token], marked: list[bool], text: str) -> None:
    """Mark a capitalized listed first name that a surname particle joins to a name found after it
    ("El paciente Pedro de Miguel": "Miguel" is found, "Pedro" is no less the patient's), and a
    capitalized particle between them ("Pedro De Miguel")."""
    starts = {tok.start: i for i, tok in enumerate(tokens)}
    for i in [i for i, mark in enumerate(marked) if mark]:
        match = _PARTICLE_BEFORE.search(text, max(0, tokens[i].start - 40), tokens[i].start)
        if match is None:
            continue
        j = starts.get(match.start(1))
        if j is None or marked[j]:
            continue
        first = tokens[j]
        if _titled(first) and first.lower in lexicon.first_names() and not _clinical(first):
            marked[j] = True
            for k in range(j + 1, i):  # a capitalized particle between them ("De")
                marked[k] = True


_PARTICLE_AFTER = re.compile(
    r"[ \t]+(?P<particle>[dD]e la|[dD]e las|[dD]e los|[dD]el|[dD]e)[ \t]+(?P<surname>\w+)"
)


def _surname_after_particle(tokens: list[_Token], marked: list[bool], text: str) -> None:
    """Mark a capitalized listed surname that a particle joins to a name found before it ("la Dra.
    Ana de la Fuente": "Fuente" is also a frequent word, but after "Ana de la" it is her surname),
    and a capitalized particle between them ("Ana De la Fuente", also when both names are found:
    "Pedro De Miguel"). After a bare "de", which also joins nouns, only a surname that is no
    frequent Spanish word after a listed name ("Dr. Soto de Guardia" is the doctor on call; "Test de
    las Meteduras de Pata" is no one)."""
    starts = {tok.start: i for i, tok in enumerate(tokens)}
    for i in [i for i, mark in enumerate(marked) if mark]:
        match = _PARTICLE_AFTER.match(text, tokens[i].end)
        if match is None:
            continue
        j = starts.get(match.start("surname"))
        if j is None:
            continue
        surname = tokens[j]
        bare = match.group("particle").lower() == "de"  # "de Guardia", "de Cabeza": also a phrase
        if marked[j] or (
            _titled(surname)
            and lexicon.is_last_name(surname.lower)
            and not _clinical(surname)
            and not (
                bare
                and (lexicon.zipf_es(surname.lower) >= 4.5 or not lexicon.is_listed_name(tokens[i].lower))
            )
        ):
            for k in range(i + 1, j + 1):
                marked[k] = True


# A frequent first name that is also an English word ("Peter", "Frank", "Carol", "Jack"): within the
# census's most frequent first names, so the name is the likelier reading when it is capitalized.
NAME_WORD_HIGHEST_RANK = 150
_MONTH_WORDS = frozenset(MONTHS.split("|"))  # "by April", "in August": a month, not a name
# Capitalized by every writer (Chicago Manual of Style, 17th ed., 8.88): they say nothing of a habit
_WEEKDAY_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun".split()
)
_ALWAYS_CAPITALIZED = _MONTH_WORDS | _WEEKDAY_WORDS
# Copular verbs and degree adverbs, after which a word is an adjective (Quirk et al. 1985, 16.21-16.24, 7.33)
_PREDICATE_OPENERS = frozenset(
    "is was are were be been being am seems seemed seem looks looked feels felt very so too quite more most".split()
)
# Primary and modal auxiliaries (Quirk et al. 1985, 3.21-3.40) and the verbs patients most often tell of
# someone with: after a sentence's first word they make it the subject
_VERBS_AFTER_A_SUBJECT = frozenset(
    "is was has had does did will would can could should might must "
    "called calls said says told asked wants needs took takes got gets came comes went goes fell "
    "feels felt seems seemed thinks thought keeps kept started stopped woke "
    "drove brought gave left made saw found bought sent ran ate drank slept".split()
)


def _subject_of_a_verb(text: str, end: int) -> bool:
    """Whether the lowercase word after ``end`` is an auxiliary or a verb in the past ("drove",
    "picked"), so the word before it is its subject."""
    following = _WORD_AFTER.match(text, end)
    if following is None:
        return False
    verb = following.group(1)
    return verb in _VERBS_AFTER_A_SUBJECT or (len(verb) > 4 and verb.endswith("ed"))


# What only a person opens a sentence with: coordination with the first person ("Frank and I",
# "Carol and me"), a vocative before a question to "you" ("Peter, can you call me back?"; Quirk et al.
# 1985, 10.52-10.54), or an apposition naming a relation ("Mark, my neighbor, found her").
_PERSON_AFTER = re.compile(
    r"(?:[ \t]+and[ \t]+(?:i|me)\b"
    r"|,[ \t]*(?:can|could|will|would|did|do|are|were|have|is)[ \t]+you\b"
    r"|,[ \t]*(?:my|our|his|her|their)[ \t]+([a-z]+))",
    re.IGNORECASE,
)


def _a_person_by_what_follows(text: str, end: int) -> bool:
    """Whether the words after ``end`` make the word before them a person (see ``_PERSON_AFTER``)."""
    found = _PERSON_AFTER.match(text, end)
    if found is None:
        return False
    relation = found.group(1)
    return relation is None or relation.lower() in RELATIONS


_NUMBER_AFTER = re.compile(r"[ \t]+\d")
# Zipf frequency from which an English word is a function word ("after", "with", "from"), though the
# clinical word lists, made from notes, list it: no finding follows a name-word adjective there
_FUNCTION_WORD_ZIPF = 5.5
# Articles and determiners before a common noun (Quirk et al. 1985, 5.10-5.13)
_DETERMINERS_BEFORE_A_NOUN = frozenset("the a an your his its our their every each".split())
_ANY_WORD_BEFORE = re.compile(r"(?<![\w'])([A-Za-z]+)[ \t]+$")


def _name_word_capitalized_as_a_name(tokens: list[_Token], i: int, text: str) -> bool:
    """A frequent census first name that is also an English word, capitalized alone in the middle of
    a sentence, or at its start as the subject of a verb, by a writer who capitalizes no common word
    elsewhere in the middle of a sentence. English capitalizes proper nouns, not common ones (Chicago
    Manual of Style, 17th ed., 8.1), so "Can Peter pick it up?" names someone and "my Living Will" or
    "Frank blood" does not."""
    tok = tokens[i]
    if lexicon.first_name_rank(tok.lower) > NAME_WORD_HIGHEST_RANK or tok.lower in _MONTH_WORDS:
        return False
    if (
        starts_sentence(text, tok.start)
        and not _subject_of_a_verb(text, tok.end)
        and not _a_person_by_what_follows(text, tok.end)
    ):
        return False  # "Frank has a fever", "Carol called" name the subject; "Mark the date" is a verb itself
    for j in (i - 1, i + 1):
        if (
            0 <= j < len(tokens)
            and tokens[j].cap
            and tokens[j].lower != "i"  # "Tell Carol I said thanks"
            and tokens[j].lower not in _WEEKDAY_WORDS  # "On Tuesday Peter brought it"
            and _adjacent(text, *((tokens[j], tok) if j < i else (tok, tokens[j])))
            and not _opening_word(tokens[j], text)
        ):
            return False  # part of a longer capitalized name or title ("Hail Mary", "Jack Daniels")
    after = _WORD_AFTER.match(text, tok.end)
    if (
        after is not None
        and len(after.group(1)) >= 4
        and _clinical_word(after.group(1))
        and lexicon.zipf(after.group(1)) < _FUNCTION_WORD_ZIPF
    ):
        return False  # "Frank blood", "Frank hematuria": the adjective before a finding (not "to", "the")
    before = _ANY_WORD_BEFORE.search(text, max(0, tok.start - 20), tok.start)
    if before is not None and (
        before.group(1) in _PREDICATE_OPENERS or before.group(1).lower() in _DETERMINERS_BEFORE_A_NOUN
    ):
        # "he is Frank about his drinking": an adjective after a copula or intensifier ("Is Carol
        # coming?" asks about someone); "the Mark on his arm": a noun after an article or determiner
        return False
    if _capitalizes_common_words(tokens, text):
        return False
    return not _word_by_position(tokens, i, text) and not medicine_by_position(text, tok.start, tok.end)


def _opening_word(tok: _Token, text: str) -> bool:
    """A common word capitalized only because it opens the sentence ("Can", "Give", "Hoy"); the period of
    a middle initial ends no sentence ("Jane A. Doe")."""
    return (
        starts_sentence(text, tok.start)
        and not _AFTER_INITIAL.search(text, max(0, tok.start - 4), tok.start)
        and tok.lower not in lexicon.first_names()
        and (_common(tok) or tok.lower in NOT_NAMES_AFTER_RELATION or lexicon.is_spanish_common(tok.lower))
    )


_AFTER_INITIAL = re.compile(r"(?<![A-Za-z])[A-Z]\.[ \t]*$")


def _capitalizes_common_words(tokens: list[_Token], text: str) -> bool:
    """Whether the writer capitalizes a common word in the middle of a sentence ("my Blood Pressure",
    "Living Will"), so a capital there says nothing about a name."""
    return any(
        _titled(tok)
        and tok.lower not in lexicon.first_names()
        and tok.lower not in TITLES
        and tok.lower != "i"
        and tok.lower not in _ALWAYS_CAPITALIZED
        and _common(tok)
        and not starts_sentence(text, tok.start)
        for tok in tokens
    )


def _acronym_of_a_rare_surname(tok: _Token) -> bool:
    """Two to four capitals that are no first name and only a rare surname (census rank past
    10,000: "EHR", "AI"): in mixed-case text, an acronym; "LEE", "COX" stay names."""
    return (
        tok.word.isupper()
        and 2 <= len(tok.word) <= 4
        and tok.lower not in lexicon.first_names()
        and lexicon.surname_rank(tok.lower) > 10_000
    )


def _inside_proper_name(tokens: list[_Token], i: int, text: str) -> bool:
    """A capitalized word mid-sentence next to another capitalized word: a particle or article that
    belongs to a proper name ("Vive en La Villa Del Rosario", "Les Sables", "Pedro De Miguel"), as
    the article of a place name is written with a capital (RAE/ASALE, Ortografía 2010, §4.2.4.6)."""
    tok = tokens[i]
    if not _titled(tok):
        return False
    if starts_sentence(text, tok.start):
        return False  # a sentence's first word ("Ella está bien", "Les copio el enlace")
    left = i > 0 and _titled(tokens[i - 1]) and _adjacent(text, tokens[i - 1], tok)
    right = i + 1 < len(tokens) and _titled(tokens[i + 1]) and _adjacent(text, tok, tokens[i + 1])
    return left or right


_AGREEMENT_ENDINGS = ("as", "os", "a", "o")  # feminine and masculine, plural and singular


def _adjective_frequency(lower: str) -> float:
    """How frequent a Spanish word is with or without its accents, or the word its diminutive is made
    from ("clarita": "clara"): after a noun it agrees with, even a first name's diminutive is an adjective."""
    forms = diminutive_base(lower)
    bases = forms if forms is not None else ()
    return max((lexicon.zipf_es_any_accent(w) for w in (lower, *bases)), default=0.0)


def _cue_or_its_plural(lower: str) -> bool:
    """A cue word, or the plural of one ("los doctores rojas y soto": two doctors' surnames)."""
    return any(form in CUES or form in TITLES for form in (lower, lower[:-1], lower[:-2]))


def _adjective_after_its_noun(tokens: list[_Token], i: int, text: str) -> bool:
    """A frequent Spanish word right after a lowercase word with the same gender and number ending, or
    after "y" and such a word: an adjective after the noun it agrees with, its usual place (RAE/ASALE,
    Nueva gramática 2009, §13.2), not a surname ("manchas rojas", "ronchas rojas", "moradas y rojas";
    "la doctora rojas" has a cue)."""
    word = tokens[i]
    if i == 0 or not word.word.islower() or _adjective_frequency(word.lower) < 3.8:
        return False
    j = i - 1
    if j >= 1 and tokens[j].lower in ("y", "e") and _adjacent(text, tokens[j], word):
        word, j = tokens[j], j - 1  # coordinated adjectives: "moradas y rojas"
    noun = tokens[j]
    if not (noun.word.islower() and _adjacent(text, noun, word)):
        return False
    if (
        noun.lower in closed_class_words()
        or noun.lower in lexicon.first_names()
        or _cue_or_its_plural(noun.lower)
    ):
        return False
    ending = next((e for e in _AGREEMENT_ENDINGS if tokens[i].lower.endswith(e)), None)
    plural = len(ending or "") == 2 and noun.lower.endswith("s")  # "manos frias": a feminine noun in -o
    if ending is None or not (noun.lower.endswith(ending) or plural):
        return False
    # a known Spanish word, or, with a plural ending, any word in no name list ("ronchas")
    return lexicon.is_spanish_common(noun.lower) or len(ending) == 2


# Spanish nouns used as a title before a surname ("la doctora Limón"; RAE/ASALE, Nueva gramática §12.7)
_SPANISH_TITLE_NOUNS = frozenset("doctora enfermera enfermero licenciada licenciado señora señor".split())


def _spanish_word_alone(tokens: list[_Token], i: int, text: str, mixed: bool) -> bool:
    """In a Spanish text, a listed name that is a frequent Spanish word ("una", "como", "vida"),
    where nothing says it is a name: no title or cue before it, and no capital, or only the
    capital of a sentence's first word (then a common first name, "Rosa", stays a name)."""
    tok = tokens[i]
    prev = tokens[i - 1].lower if i else ""
    cue = prev in _CUE_WORDS and prev not in _SPANISH_HOMOGRAPH_CUES
    if (
        is_spanish_form(tok.word)
        and not (cue and (_titled(tok) or tok.lower not in closed_class_words()))
        and not _inside_proper_name(tokens, i, text)
    ):
        # "Ella está bien", "Les copio", "Diagnostico:", "Vomité", "Cópialo"; after a title or relation
        # word only a closed-class word ("el doctor le dijo"; "el dr. subira" stays a name)
        return True
    if cue and prev not in RELATIONS and _spanish_word_after_title(tok, mixed):
        return True  # "el doctor llene el formulario", "hablarlo con el doctor primero"
    if tok.word.islower() and i and _adjacent(text, tokens[i - 1], tok) and prev in _PROCLITICS:
        return True  # "me mata", "me arden los ojos", "lo maximo": a verb or a neuter adjective
    if (
        tok.word.islower()
        and prev == "son"
        and tokens[i - 1].word.islower()
        and not (i >= 2 and tokens[i - 2].lower in _POSSESSIVES)
    ):
        return True  # "son cortes profundos": the verb "son" (they are), not "my son", before a word
    if tok.word.islower() and not cue and is_diminutive(tok.lower):
        return True  # "es chiquita", "unas ronchitas": a diminutive of a frequent word
    if not (mixed or cue or tok.lower in lexicon.first_names()) and lexicon.surname_rank(tok.lower) > 10000:
        return True  # "toso con sangre", "me maree": a rare surname, lowercase, with no cue
    if lexicon.surname_rank(tok.lower) <= 2000:
        return False
    # messages often drop the accents: "limon" is "limón" (and a surname of rank 3,766), but not after a
    # title ("la doctora limon")
    if lexicon.zipf_es(tok.lower) < 4.0 and (
        lexicon.zipf_es_any_accent(tok.lower) < 4.0 or prev in TITLES or prev in _SPANISH_TITLE_NOUNS
    ):
        return False
    if cue and (_titled(tok) or prev not in WEAK_RELATIONS):
        return False
    if not mixed:
        return True
    if not starts_sentence(text, tok.start, ".!?\n"):
        return False  # capitalized mid-sentence
    return lexicon.first_name_rank(tok.lower) > 1000


# Articles and possessives: "a newborn", "the fridge", "my fridge", "la quijada" (no name follows one).
_DETERMINERS = frozenset(
    "a an the this that these those my your his her our their its "
    "el la los las un una unos unas mi mis tu tus su sus este esta ese esa".split()
)


def _lowercase_name_no_dictionary_writes_lowercase(tokens: list[_Token], i: int, text: str) -> bool:
    """In all-lowercase or all-caps text, a census first name that web2 lists as an obscure word and
    SCOWL only capitalized ("steven", "nancy", "betty"): a name, as its capitalized form would be, when
    it has four letters or more (the short ones, "kim", "kip", "nan", are too often something else),
    is written more in English than in Spanish (not "blanca", "luna", "julio": Spanish words and names
    that Spanish text also uses as words) and is no ordinary word where it stands ("a jean jacket")."""
    tok = tokens[i]
    return (
        len(tok.lower) >= 4
        and tok.lower in lexicon.first_names_not_words()
        and lexicon.zipf_es(tok.lower) < lexicon.zipf(tok.lower)
        and not _ordinary_word(tokens, i, text)
        and not _word_by_position(tokens, i, text)
        and not medicine_by_position(text, tok.start, tok.end)
    )


def _ordinary_word(tokens: list[_Token], i: int, text: str) -> bool:
    """In all-lowercase or all-caps text, a listed name word with no cue that is an ordinary word:
    after an article or a possessive ("a newborn", "the max", "la barriga"); a rare surname (census
    rank past 10,000) or a frequent word (Zipf >= 4.5) that only one language's frequency list
    has ("newborn", "fridge", "abt", "blew": English; "barriga", "pena": Spanish; names such as
    "philippe" and "garcia" are in both); or a first name
    that is a very frequent word and a rarer name ("del", Zipf 7 in Spanish), or a frequent word of
    one language only and a rare first name ("hang", "carry", "tierra")."""
    tok = tokens[i]
    if i and tokens[i - 1].lower in _DETERMINERS and _adjacent(text, tokens[i - 1], tok):
        return True
    return _ordinary_listed_word(tok.lower)


@functools.lru_cache(maxsize=65536)
def _ordinary_listed_word(lower: str) -> bool:
    if _plural_of_a_common_noun(lower):
        return True  # "my overnight numbers", "2 miles from the car": a name is seldom plural
    en, es = lexicon.zipf(lower), lexicon.zipf_es(lower)
    if lower in lexicon.first_names():
        rank = lexicon.first_name_rank(lower)
        if max(en, es) >= 6.0 and rank > 1000:
            return True
        # a frequent word of one language only and a rare first name ("a cough can hang around",
        # "carry", "tiny", "tierra", "zona"), as is_spanish_common judges Spanish words
        return (en == 0.0) != (es == 0.0) and max(en, es) >= 4.5 and rank > 1500
    # Only one language's word: rare as a surname, or frequent as a word ("pena", "segura").
    return (en == 0.0) != (es == 0.0) and (lexicon.surname_rank(lower) > 10000 or max(en, es) >= 4.5)


def _plural_of_a_common_noun(lower: str) -> bool:
    """The English plural in -s of a frequent common word that is no first name ("numbers", "miles";
    not "roberts", "williams", whose singular is a first name)."""
    if len(lower) < 5 or not lower.endswith("s") or lower.endswith("ss"):
        return False
    stem = lower[:-1]
    return lexicon.zipf(stem) >= 4.0 and lexicon.is_common(stem) and stem not in lexicon.first_names()


# Unstressed object pronouns and the neuter "lo": the word right after one is a verb ("me mata",
# "se le olvida") or, after "lo", an adjective ("lo maximo"), never a name (RAE/ASALE NGLE §16.11, §14.10).
_PROCLITICS = frozenset({"me", "te", "se", "nos", "os", "le", "les", "lo"})
# English cue words that a Spanish message uses as Spanish words: "son" (they are), "pa" (para).
_SPANISH_HOMOGRAPH_CUES = frozenset({"son", "pa"})
_POSSESSIVES = frozenset({"my", "his", "her", "our", "their", "your", "mi", "su", "tu"})  # "my son", "mi son"
# Words after a verb at a sentence's start: "Muéstrame el expediente", "Decodifica esto".
_OBJECT_WORDS = _DETERMINERS | {"esto", "eso", "lo", "los", "las", "le", "les", "me", "todo", "todos", "all"}
_WORD_AFTER = re.compile(r"[ \t]+([a-z]+)\b")  # a lowercase word (mixed-case text has no tokens for it)
# A lab value: a decimal, or a number with a unit, a percent or a range ("13.2", "74 %", "250 x10^3",
# "180 mg/dL"); not a house number ("Domicilio: Teatinos 180.").
# (thousands in groups of three after a space, as Spanish writes them: "250 000 /mm3"; RAE, Ortografía 2010)
_VALUE_AFTER = re.compile(r"[ \t]*:?[ \t]*\d+(?: \d{3})*(?:[.,]\d|[ \t]*(?:%|/|x|\u00d7|\(|[^\W\d_]{1,4}/))")


def _word_by_position(tokens: list[_Token], i: int, text: str) -> bool:
    """A capitalized word in no vocabulary that its place shows to be no name: a lab analyte with
    its value ("Hemoglobina 13.2", "Neutrophils 74 %", not "Teatinos 180"), or a sentence's first word followed by an
    article or an object pronoun, as an imperative verb is ("Muéstrame el expediente",
    "Decodifica esto"), which a name seldom is."""
    tok = tokens[i]
    if _VALUE_AFTER.match(text, tok.end):
        return True
    after = _WORD_AFTER.match(text, tok.end)
    if after is None or after.group(1) not in _OBJECT_WORDS:
        return False
    return starts_sentence(text, tok.start)


def _joinable(tok: _Token) -> bool:
    return (
        len(tok.lower) >= 2
        and tok.lower not in _NEVER
        and not _clinical(tok)
        and tok.lower not in (NOT_NAMES_AFTER_RELATION)
    )


def _adjacent(
    text: str, a: _Token, b: _Token, *, allow_period: bool = False, allow_comma: bool = False
) -> bool:
    gap = text[a.end : b.start]
    if len(gap) > 3 or "\n" in gap:
        return False
    stripped = gap.strip()
    # A period joins only after an initial or a title ("J. Smith", "Dr. Lee"), not across sentences.
    # A spelled-out title takes no period: "the doctor. Can you" is two sentences.
    period = (
        allow_period
        and stripped == "."
        and (len(a.word) <= 2 or a.lower in TITLES)
        and a.lower not in _SPELLED_OUT_TITLES
    )
    return stripped in ("", "(") or period or (allow_comma and stripped == ",")
