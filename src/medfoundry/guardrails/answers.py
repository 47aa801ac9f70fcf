"""A yes to the assistant's question: the question read as the user's own statement.

In a chat, "Are you thinking about ending your life?" answered "yes. tonight" tells the sign in
the assistant's words. A user turn that opens with an affirmation (a pack's ``affirmations``:
"yes", "yeah", "a little", "sí") right after an assistant turn that asks a yes/no question is read
as that question stated by the user, followed by the rest of the reply ("are you thinking about
ending your life, tonight"). The affirmation must be bare or nearly so: followed by punctuation or
the end of the reply, or opening a short first sentence ("yes tonight", "yeah I have the pills"),
so that "I am going to the pharmacy later today ..." is no answer. Not an affirmation: a "no",
"not really", one taken back ("I am not", "yes no"), an answer to a question a yes cannot answer
("how long has it hurt?"), a reply to an assistant statement. Assistant turns are never read on
their own (``emergency.scan``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from medfoundry.guardrails.lexicon import Pack
from medfoundry.guardrails.text import Tokens

SHORT_REPLY = 6  # most words of a first sentence that opens with an affirmation not set off by punctuation
_CLAUSE_END = re.compile(r"\s*[,.!?;:\-]|\s*$")
_LEADING = re.compile(r"[\s,.!?;:\-]*")


@dataclass(frozen=True)
class Affirmed:
    """The question the user affirmed, as the user's statement: ``text`` is the question (without
    its question mark) then the rest of the reply after ``cut``."""

    text: str
    starts: dict[int, int]  # each question word's start in ``text`` -> its start in the assistant turn
    ends: dict[int, int]  # the same for word ends
    cut: int  # where the reply's part begins in ``text``
    rest_start: int  # where that part begins in the reply
    affirmation: tuple[int, int]  # the affirmation's span in the reply

    def origin(self, start: int, end: int, assistant: int, user: int) -> tuple[int, int, int]:
        """A span of words of ``text`` as (message, start, end) in the assistant turn or the reply."""
        if start >= self.cut:
            shift = self.rest_start - self.cut
            return (user, start + shift, end + shift)
        return (assistant, self.starts[start], self.ends[end])


def affirmed_question(
    question_turn: str, reply: str, packs: Iterable[Pack], said: Tokens | None = None
) -> Affirmed | None:
    """The assistant's yes/no question ``reply`` affirms, read as the user's statement (or None).
    ``said``: the reply's tokens, when the caller has them already."""
    packs = tuple(packs)
    if said is None:
        said = Tokens.of(reply)
    end = _affirmation_end(said, reply, packs)
    if end is None:
        return None
    question = _last_question(question_turn, packs)
    if question is None:
        return None
    asked, starts, ends = _as_said(question_turn, question, packs)
    leading = _LEADING.match(reply, end)
    rest_start = leading.end() if leading is not None else end
    rest = reply[rest_start:].rstrip()
    text = f"{asked}, {rest}" if rest else asked
    return Affirmed(text, starts, ends, len(asked) + 2, rest_start, (said.spans[0][0], end))


def _as_said(turn: str, span: tuple[int, int], packs: tuple[Pack, ...]) -> tuple[str, dict[int, int], dict[int, int]]:
    """The question's words, with the words that address the user as the user says them (a pack's
    ``addressee``: "yourself" -> "myself", "you" -> "I"), and where each word came from."""
    addressee: dict[str, str] = {}
    for pack in packs:
        addressee.update(pack.addressee)
    tokens = Tokens.of(turn[span[0] : span[1]])
    pieces: list[str] = []
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    at = 0
    for word, (s, e) in zip(tokens.words, tokens.spans, strict=True):
        said = addressee.get(word, word)
        begin = at + (1 if pieces else 0)
        starts[begin], ends[begin + len(said)] = span[0] + s, span[0] + e
        pieces.append(said)
        at = begin + len(said)
    return " ".join(pieces), starts, ends


def _affirmation_end(said: Tokens, reply: str, packs: tuple[Pack, ...]) -> int | None:
    """Where the reply's opening affirmation ends (a character offset), if it opens with one."""
    words = said.words
    negations = frozenset().union(*(p.answer_negations for p in packs))
    for pack in packs:
        for phrase in pack.affirmations:
            n = len(phrase)
            if words[:n] != phrase or (len(words) > n and words[n] in negations):
                continue
            end = said.spans[n - 1][1]
            first_sentence = sum(1 for s in said.sentences if s == said.sentences[0])
            if _CLAUSE_END.match(reply, end) or first_sentence <= SHORT_REPLY:
                return end
    return None


def _last_question(turn: str, packs: tuple[Pack, ...]) -> tuple[int, int] | None:
    """The span of the turn's last question, when a yes can answer it (it opens with no question
    word: "how long", "qué", "cuándo")."""
    mark = turn.rfind("?")
    if mark < 0:
        return None
    tokens = Tokens.of(turn)
    before = [i for i, (_, e) in enumerate(tokens.spans) if e <= mark]
    if not before:
        return None
    sentence = tokens.sentences[before[-1]]
    first = next(i for i in before if tokens.sentences[i] == sentence)
    if any(tokens.words[first] in p.question_words for p in packs):
        return None
    return tokens.spans[first][0], tokens.spans[before[-1]][1]
