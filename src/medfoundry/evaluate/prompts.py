"""Prompt builders (``doc_to_text``), character for character the harness's where one exists.

medqa, medmcqa and pubmedqa reproduce lm-evaluation-harness's ``preprocess_medqa``,
``utils_medmcqa`` and ``preprocess_pubmedqa``; a unit test compares them with the
installed harness's own functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from medfoundry.evaluate.readers import LETTERS, Doc
from medfoundry.registry import Registry

Prompt = Callable[[Doc], str]
PROMPTS: Registry[Prompt] = Registry("prompt")


@PROMPTS.decorator("medqa")
def medqa(doc: Doc) -> str:
    answers = "".join(f"{k}. {v}\n" for k, v in zip(LETTERS, doc["options"], strict=False))
    return f"Question: {doc['question']}\n{answers}Answer:"


@PROMPTS.decorator("medmcqa")
def medmcqa(doc: Doc) -> str:
    prompt = "Question: " + doc["question"] + "\nChoices:\n"
    for letter, option in zip(LETTERS, doc["options"], strict=False):
        prompt += f"{letter}. {option}\n"
    return prompt + "Answer:"


@PROMPTS.decorator("pubmedqa")
def pubmedqa(doc: Doc) -> str:
    contexts = "\n".join(doc["CONTEXTS"])
    return f"Abstract: {contexts}\nQuestion: {doc['QUESTION']}\nAnswer:"


@PROMPTS.decorator("ner")
def ner(doc: Doc, entity_type: str = "entity") -> str:
    kind = entity_type.lower()
    return (
        f"Sentence: {doc['text']}\n"
        f"List every {kind} named in the sentence, exactly as written, separated by semicolons. "
        f"Write 'none' if there is no {kind}.\n"
        f"{kind.capitalize()}s:"
    )


@PROMPTS.decorator("icd10")
def icd10(doc: Doc) -> str:
    return (
        f"Clinical case:\n{doc['text'].strip()}\n\n"
        "List the ICD-10-CM codes of the diagnoses in this case, separated by commas.\nCodes:"
    )


@PROMPTS.decorator("ddi")
def ddi(doc: Doc) -> str:
    return (
        f"Sentence: {doc['text']}\n"
        "Question: What interaction between drug [e1] and drug [e2] does the sentence state "
        "(none, effect, mechanism, advise or int)?\nAnswer:"
    )


@PROMPTS.decorator("custom")
def custom(doc: Doc) -> str:
    if "options" in doc:
        options = "".join(f"{k}. {v}\n" for k, v in zip(LETTERS, doc["options"], strict=False))
        return f"Question: {doc['question']}\n{options}Answer:"
    return f"Question: {doc['question']}\nAnswer:"


GENERATIVE_SUFFIX = "\nAnswer with the letter of the correct option only."
COT_SUFFIX = "\nThink step by step, then give the final answer on its own line as 'Answer: X'."


def generative_prompt(text: str, choices: list[str], *, chain_of_thought: bool = False) -> str:
    """The log-likelihood prompt turned into an instruction for a chat model."""
    body = text.removesuffix("Answer:").rstrip("\n")
    if chain_of_thought:
        return body + COT_SUFFIX
    if all(len(c) == 1 for c in choices):
        return body + GENERATIVE_SUFFIX
    return body + f"\nAnswer with one word: {', '.join(choices)}."


def parse_choice(answer: str, choices: list[str]) -> int | None:
    """The choice a free-text answer names: 'Answer: X' wins, else the first choice mentioned."""
    lowered = [c.lower() for c in choices]
    final = re.findall(r"answer\s*(?:is)?\s*[:\-]?\s*\(?([A-Za-z]+)\)?", answer, flags=re.IGNORECASE)
    for candidate in reversed(final):
        if candidate.lower() in lowered:
            return lowered.index(candidate.lower())
    pattern = r"\b(" + "|".join(re.escape(c) for c in choices) + r")\b"
    flags = 0 if all(len(c) == 1 for c in choices) else re.IGNORECASE
    match = re.search(pattern, answer, flags=flags)
    return lowered.index(match.group(1).lower()) if match else None
