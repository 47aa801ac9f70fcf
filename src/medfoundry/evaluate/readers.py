"""Readers for the official benchmark file formats, unchanged; items come back in file order.

Each reader takes a file or a folder and returns plain dicts (``docs``), one per scored
item, with an ``id`` and the fields the prompts and scorers use. Problems name the file
and line.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from medfoundry.errors import InputError
from medfoundry.jsonl import read_jsonl
from medfoundry.registry import Registry

logger = logging.getLogger(__name__)
Doc = dict[str, Any]
Reader = Callable[[Path, str], list[Doc]]
READERS: Registry[Reader] = Registry("benchmark reader")

# Every built-in benchmark file reader, by name: one visible table of lazy targets (plugins add theirs
# through the ``medfoundry.plugins`` entry-point group).
_BUILTIN_READERS = {
    "medqa": "medfoundry.evaluate.readers:read_medqa",
    "medmcqa": "medfoundry.evaluate.readers:read_medmcqa",
    "pubmedqa": "medfoundry.evaluate.readers:read_pubmedqa",
    "iob": "medfoundry.evaluate.readers_extra:read_iob",
    "codiesp": "medfoundry.evaluate.readers_extra:read_codiesp",
    "ddi": "medfoundry.evaluate.readers_extra:read_ddi",
    "custom": "medfoundry.evaluate.readers_extra:read_custom",
}
for _name, _target in _BUILTIN_READERS.items():
    READERS.register(_name, _target)
LETTERS = "ABCDEFGHIJ"


def files_of(path: Path, pattern: str) -> list[Path]:
    """``path`` itself, or the files in the folder matching ``pattern`` (sorted)."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise InputError(f"{path} does not exist", hint="pass the benchmark file or its folder with --data")
    found = sorted(p for p in path.rglob(pattern) if p.is_file())
    if not found:
        raise InputError(f"no {pattern} files in {path}", hint="pass the benchmark file itself with --data")
    return found


def jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    return read_jsonl(path, objects=True)


def need(row: dict[str, Any], field: str, where: str) -> Any:
    if field not in row:
        raise InputError(
            f"{where}: missing field '{field}'", hint="the file must be in the benchmark's official format"
        )
    return row[field]


def read_medqa(path: Path, pattern: str = "*.jsonl") -> list[Doc]:
    """jind11/MedQA JSONL (question, options{A..D}, answer_idx); the hub's sent1/ending0.. form too."""
    docs = []
    for file in files_of(path, pattern):
        for number, row in jsonl(file):
            where = f"{file}:{number}"
            if "sent1" in row:  # GBaker/MedQA-USMLE-4-options-hf
                options = [row[f"ending{i}"] for i in range(4)]
                gold = int(need(row, "label", where))
                question = row["sent1"]
            else:
                raw = need(row, "options", where)
                keys = sorted(raw) if isinstance(raw, dict) else list(LETTERS[: len(raw)])
                options = [raw[k] for k in keys] if isinstance(raw, dict) else list(raw)
                answer = str(need(row, "answer_idx", where))
                if answer not in keys:
                    raise InputError(f"{where}: field 'answer_idx' is '{answer}', not one of {keys}")
                gold = keys.index(answer)
                question = need(row, "question", where)
            if len(options) != 4:
                raise InputError(f"{where}: field 'options' has {len(options)} options; medqa expects 4")
            docs.append(
                {"id": f"{file.name}:{number}", "question": question, "options": options, "gold": gold}
            )
    return docs


def read_medmcqa(path: Path, pattern: str = "*.jsonl") -> list[Doc]:
    """MedMCQA JSONL (question, opa..opd, cop); cop is 0-3 (the hub) or 1-4 (the original release)."""
    docs = []
    for file in files_of(path, pattern):
        rows = list(jsonl(file))
        cops = {int(need(row, "cop", f"{file}:{n}")) for n, row in rows}
        one_based = 4 in cops and 0 not in cops
        if one_based:
            logger.info("%s: 'cop' values are 1-4; reading them as the original 1-based release", file.name)
        for number, row in rows:
            where = f"{file}:{number}"
            gold = int(row["cop"]) - (1 if one_based else 0)
            if not 0 <= gold <= 3:
                raise InputError(f"{where}: field 'cop' is {row['cop']}; expected 0-3")
            options = [need(row, key, where) for key in ("opa", "opb", "opc", "opd")]
            docs.append(
                {
                    "id": row.get("id") or f"{file.name}:{number}",
                    "question": need(row, "question", where),
                    "options": options,
                    "gold": gold,
                }
            )
    return docs


def _load_json(file: Path) -> Any:
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{file}:{exc.lineno}: not valid JSON ({exc.msg})") from None


def read_pubmedqa(path: Path, pattern: str = "*.json") -> list[Doc]:
    """ori_pqal.json style {PMID: {QUESTION, CONTEXTS, final_decision}}; a ground-truth file beside it wins."""
    files = [path] if path.is_file() else files_of(path, pattern)
    if path.is_file():
        files += [p for p in sorted(path.parent.glob("*.json")) if p != path]
    questions: dict[str, Any] | None = None
    truth: dict[str, str] = {}
    for file in files:
        document = _load_json(file)
        if not isinstance(document, dict) or not document:
            continue
        first = next(iter(document.values()))
        if isinstance(first, dict) and questions is None:
            questions, source = document, file
        elif isinstance(first, str):
            truth.update(document)
    if questions is None:
        raise InputError(f"{path}: no PubMedQA questions file ({{PMID: {{QUESTION, CONTEXTS, ...}}}})")
    docs = []
    for pmid, row in questions.items():
        where = f"{source}: PMID {pmid}"
        if truth and pmid not in truth:
            continue
        label = truth.get(pmid) or need(row, "final_decision", where)
        if label not in ("yes", "no", "maybe"):
            raise InputError(f"{where}: answer '{label}' is not yes, no or maybe")
        docs.append(
            {
                "id": pmid,
                "QUESTION": need(row, "QUESTION", where),
                "CONTEXTS": list(need(row, "CONTEXTS", where)),
                "gold": ["yes", "no", "maybe"].index(label),
            }
        )
    return docs
