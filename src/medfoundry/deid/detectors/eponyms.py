"""Medical eponyms are not names or places: "Parkinson disease", "Foley catheter", "s/p Whipple".

A NAME or LOCATION candidate whose words are all eponyms (``data/en/eponyms.txt``) is
vetoed in a clinical phrase (``data/en/eponym_context.yaml``): a clinical head after it, a
clinical cue before it or a finding word after it, or, for an eponym that is no listed name
or place, possessive or alone. A title before it ("Dr. Crohn", "seen by Dr. Alzheimer")
keeps the name. Possessive and hyphenated forms are derived here, not listed.
"""

from __future__ import annotations

import functools
import re

import yaml

from medfoundry.deid import lexicon
from medfoundry.deid.spans import Span

_VETOED = frozenset({"NAME", "LOCATION"})
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_AROUND = 32


def fold(word: str) -> str:
    """Lowercase, accents removed, possessive dropped: "Sjögren's" -> "sjogren"."""
    plain = lexicon.unaccented(word.lower()).replace("\u2019", "'")
    return _POSSESSIVE.sub("", plain)


@functools.cache
def eponyms() -> frozenset[str]:
    """Eponyms and eponym phrases ("lou gehrig"), folded."""
    found: set[str] = set()
    for line in lexicon.data_text("en/eponyms.txt").splitlines():
        entry = line.strip()
        if entry and not entry.startswith("#"):
            found.add(fold(entry))
    return frozenset(found)


@functools.lru_cache(maxsize=65536)
def is_eponym(word: str) -> bool:
    """An eponym, also possessive or hyphenated of eponyms ("Crohn's", "Wolff-Parkinson-White")."""
    folded = fold(word)
    if folded in eponyms():
        return True
    parts = [p for p in folded.split("-") if p]
    return len(parts) > 1 and all(fold(p) in eponyms() for p in parts)


def _phrase_list(values: list[str]) -> re.Pattern[str]:
    body = "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
    return re.compile(rf"(?:{body})")


@functools.cache
def _context() -> tuple[frozenset[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = yaml.safe_load(lexicon.data_text("en/eponym_context.yaml"))
    titles = yaml.safe_load(lexicon.data_text("en/name_context.yaml"))["titles"]
    heads = frozenset(str(h).lower() for h in data["heads"])
    cue = re.compile(rf"(?<![a-z0-9]){_phrase_list([str(c) for c in data['cues_before']]).pattern}[\s:,]*$")
    finding = re.compile(
        rf"^['\u2019]?s?[\s,:]*{_phrase_list([str(c) for c in data['findings_after']]).pattern}(?![a-z0-9])"
    )
    title = re.compile(rf"(?<![a-z])(?:{'|'.join(re.escape(str(t)) for t in titles)})\.?\s*$")
    return heads, cue, finding, title


def _head_after(after: str, heads: frozenset[str]) -> bool:
    match = re.match(r"^(?:['\u2019]s?)?[\s-]+([a-z]+(?:'s)?)", after)
    return match is not None and match.group(1) in heads


@functools.cache
def _scale_context() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A scale's head a few words on ("Cincinnati stroke scale"); a Spanish head before ("escala Columbia")."""
    data = yaml.safe_load(lexicon.data_text("en/eponym_context.yaml"))
    heads = _phrase_list([str(h) for h in data["scale_heads"]]).pattern
    within = int(data["scale_head_within"])
    scale_after = re.compile(rf"^(?:['\u2019]s?)?(?:[\s-]+[a-z]+){{0,{within}}}[\s-]+{heads}(?![a-z])")
    before = _phrase_list([str(h) for h in data["heads_before"]]).pattern
    head_before = re.compile(rf"(?<![a-z]){before}\s+(?:(?:de|del)\s+(?:(?:la|los|las)\s+)?)?$")
    return scale_after, head_before


@functools.cache
def _relation_before() -> re.Pattern[str]:
    data = yaml.safe_load(lexicon.data_text("en/name_context.yaml"))
    words = [str(w) for w in (*data["relation_words"], *data["weak_relation_words"])]
    return re.compile(rf"(?<![a-z]){_phrase_list(words).pattern}[\s,:]*$")


def _related(before: str) -> bool:
    """A relation word before a name ("my sister Lou Gehrig") keeps it a person."""
    return bool(_relation_before().search(before))


def _spanish_head_before(before: str) -> bool:
    """ "escala Columbia", "síndrome de Down": accents folded, as the heads are listed."""
    _, head_before = _scale_context()
    return bool(head_before.search(lexicon.unaccented(before)))


def _alone_is_eponym(words: list[str]) -> bool:
    """Standing alone, an eponym that no name or place list has ("Korsakoff", "Romberg")."""
    for word in words:
        for part in fold(word).split("-"):
            if lexicon.is_name_word(part) or part in lexicon.cities() or part in lexicon.state_names():
                return False
            if part in lexicon.countries():
                return False
    return True


def is_eponym_phrase(text: str, span: Span) -> bool:
    """Whether a NAME/LOCATION candidate is a medical eponym in a clinical phrase."""
    if span.type not in _VETOED:
        return False
    value = text[span.start : span.end]
    last = value.rsplit(None, 1)[-1].strip(".,;:()") if value.strip() else ""
    if not is_eponym(last) and fold(" ".join(value.split()[-2:])) not in eponyms():
        return False  # the fast path: most names and places end in no eponym (or eponym phrase)
    words = [w for w in _WORD.findall(value) if len(w) > 1]
    if not words or not (all(is_eponym(w) for w in words) or fold(" ".join(words)) in eponyms()):
        return False
    first = value.find(words[0])
    lowered = text.lower()
    before = lowered[max(0, span.start + first - _AROUND) : span.start + first]
    after = lowered[span.end : span.end + _AROUND]
    heads, cue, finding, title = _context()
    if title.search(before):
        return False  # "Dr. Crohn": a person named like an eponym
    if _head_after(after, heads) or finding.match(after) or cue.search(before):
        return True
    if _scale_context()[0].match(after) or _spanish_head_before(before):
        return True  # "Cincinnati stroke scale", "escala Columbia", "contracciones de Braxton Hicks"
    if span.type == "NAME" and len(words) > 1 and fold(" ".join(words)) in eponyms() and not _related(before):
        return True  # a listed eponym of several words, with no title: "Braxton Hicks", "Lou Gehrig"
    if _possessive_disease(value, after, before, words):
        return True  # "Hx of Sjogren's": a bare possessive eponym, no first name before it
    return _alone_is_eponym(words)  # "Korsakoff": alone, and no listed name or place


def _possessive_disease(value: str, after: str, before: str, words: list[str]) -> bool:
    possessive = after[:1] in ("'", "\u2019") or bool(_POSSESSIVE.search(value))
    if not possessive or len(words) != 1 or fold(words[0]) in lexicon.first_names():
        return False
    previous = re.search(r"([^\W\d_]+)[\s,]*$", before)
    return previous is None or not (
        lexicon.is_name_word(previous.group(1)) and previous.group(1)[:1].isupper()
    )
