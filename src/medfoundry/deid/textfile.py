"""``medfoundry deid text``: JSON Lines of plain texts in, de-identified texts and spans out.

Input lines: ``{"id", "text", "patient_id"?}``. Output lines: ``{"id", "text", "spans":
[{"start", "end", "type", "detector"}]}`` with offsets into the *input* text. Texts of
one ``patient_id`` share surrogates and one date offset.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from medfoundry.deid.analyzer import Analyzer
from medfoundry.deid.config import DeidConfig
from medfoundry.deid.operators import Context
from medfoundry.deid.patient import date_offset
from medfoundry.deid.text import TextDeidentifier
from medfoundry.errors import InputError
from medfoundry.jsonl import read_jsonl


@dataclass
class TextRunStats:
    texts: int = 0
    characters: int = 0
    spans: int = 0
    by_type: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {
            "texts": self.texts,
            "characters": self.characters,
            "spans": self.spans,
            "by_type": dict(sorted(self.by_type.items())),
        }


def read_items(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    shape = 'each line must be {"id": ..., "text": ...}'
    for number, item in read_jsonl(path, objects=False, hint=shape):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise InputError(f"{path}:{number}: field 'text' is missing or not a string", hint=shape)
        yield number, item


def deidentifier_for(config: DeidConfig) -> TextDeidentifier:
    return TextDeidentifier(Analyzer.from_config(config), config.operators, config.default_operator)


def deidentify_file(source: Path, destination: Path, config: DeidConfig, key: bytes) -> TextRunStats:
    engine = deidentifier_for(config)
    stats = TextRunStats()
    contexts: dict[str, Context] = {}
    tmp = destination.with_name(f".{destination.name}.partial")
    try:
        with tmp.open("wb") as out:
            for number, item in read_items(source):
                ident = item.get("id", number)
                patient = str(item.get("patient_id") or ident)
                ctx = contexts.get(patient)
                if ctx is None:
                    offset = date_offset(
                        key, patient, min_days=config.shift_min_days, max_days=config.shift_max_days
                    )
                    ctx = contexts[patient] = Context(
                        key=key, patient_id=patient, date_offset_days=offset, date_policy=config.date_policy
                    )
                result = engine.deidentify(item["text"], ctx)
                stats.texts += 1
                stats.characters += len(item["text"])
                stats.spans += len(result.spans)
                stats.by_type.update(s.type for s in result.spans)
                line = {"id": ident, "text": result.text, "spans": [s.to_dict() for s in result.spans]}
                out.write(orjson.dumps(line) + b"\n")
        tmp.replace(destination)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return stats
