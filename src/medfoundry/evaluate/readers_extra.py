"""Readers for IOB NER, CodiEsp ICD-10, DDI-2013 XML and custom JSONL files."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from medfoundry.errors import InputError
from medfoundry.evaluate.readers import LETTERS, Doc, files_of, jsonl, need


def iob_entities(tokens: list[str], tags: list[str], entity_type: str | None) -> list[str]:
    """Entity strings (tokens joined by spaces) of ``entity_type`` (untyped B/I tags always count)."""
    entities: list[str] = []
    current: list[str] | None = None
    for token, tag in zip(tokens, tags, strict=True):
        prefix, _, kind = tag.partition("-")
        wanted = not kind or entity_type is None or kind == entity_type
        if prefix == "B" and wanted:
            if current:
                entities.append(" ".join(current))
            current = [token]
        elif prefix == "I" and wanted and current is not None:
            current.append(token)
        else:
            if current:
                entities.append(" ".join(current))
            current = None
    if current:
        entities.append(" ".join(current))
    return entities


def iob_sentences(file: Path) -> Iterator[tuple[int, list[str], list[str]]]:
    """(first line, tokens, tags) per sentence of a token<TAB>tag file."""
    tokens: list[str] = []
    tags: list[str] = []
    start = 1
    with file.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                if tokens:
                    yield start, tokens, tags
                tokens, tags, start = [], [], number + 1
                continue
            parts = line.split("\t")
            if len(parts) < 2 or parts[-1][:1] not in ("B", "I", "O"):
                raise InputError(f"{file}:{number}: expected 'token<TAB>IOB tag'")
            tokens.append(parts[0])
            tags.append(parts[-1])
    if tokens:
        yield start, tokens, tags


def read_iob(path: Path, pattern: str = "*.tsv", entity_type: str | None = None) -> list[Doc]:
    """token TAB tag per line, a blank line between sentences (MTL-Bioinformatics-2016 layout)."""
    return [
        {
            "id": f"{file.name}:{start}",
            "text": " ".join(tokens),
            "entities": iob_entities(tokens, tags, entity_type),
        }
        for file in files_of(path, pattern)
        for start, tokens, tags in iob_sentences(file)
    ]


def read_codiesp(path: Path, pattern: str = "*.tsv") -> list[Doc]:
    """CodiEsp: a doc<TAB>code gold TSV and text_files_en/<doc>.txt (or text_files/) beside it."""
    folder = path if path.is_dir() else path.parent
    gold_files = [path] if path.is_file() else sorted(folder.glob("*.tsv"))
    if not gold_files:
        raise InputError(f"no doc<TAB>code .tsv gold file in {folder}")
    texts = next(
        (folder / name for name in ("text_files_en", "text_files") if (folder / name).is_dir()), None
    )
    if texts is None:
        raise InputError(f"{folder}: no text_files_en/ (or text_files/) folder with the documents")
    codes: dict[str, list[str]] = {}
    for file in gold_files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) < 2:
                raise InputError(f"{file}:{number}: expected 'document<TAB>code'")
            codes.setdefault(parts[0].strip(), []).append(parts[1].strip().lower())
    docs = []
    for doc_id, doc_codes in codes.items():
        text_file = texts / f"{doc_id}.txt"
        if not text_file.exists():
            raise InputError(f"{text_file} is missing (document {doc_id} is in the gold file)")
        docs.append(
            {"id": doc_id, "text": text_file.read_text(encoding="utf-8"), "codes": sorted(set(doc_codes))}
        )
    return docs


def _span(offset: str, where: str) -> tuple[int, int]:
    try:
        ranges = [tuple(int(x) for x in part.split("-")) for part in offset.split(";")]
        return ranges[0][0], ranges[-1][1] + 1  # the end is inclusive in DDI-2013
    except (ValueError, IndexError):
        raise InputError(f"{where}: charOffset '{offset}' is not 'start-end[;start-end]'") from None


def mark_pair(text: str, first: tuple[int, int], second: tuple[int, int]) -> str:
    """The sentence with the two drugs wrapped in [e1]..[/e1] and [e2]..[/e2]."""
    marks = sorted([(first, "e1"), (second, "e2")], key=lambda m: m[0][0], reverse=True)
    for (start, end), name in marks:
        text = f"{text[:start]}[{name}]{text[start:end]}[/{name}]{text[end:]}"
    return text


def read_ddi(path: Path, pattern: str = "*.xml") -> list[Doc]:
    """DDI Extraction 2013 XML: one item per <pair>; label is its type, or 'none' when ddi=false."""
    docs = []
    for file in files_of(path, pattern):
        try:
            root = ET.parse(file).getroot()
        except ET.ParseError as exc:
            raise InputError(f"{file}:{exc.position[0]}: not valid XML ({exc})") from None
        for sentence in root.iter("sentence"):
            text = sentence.get("text", "")
            where = f"{file}: sentence {sentence.get('id')}"
            spans = {e.get("id"): _span(e.get("charOffset", ""), where) for e in sentence.iter("entity")}
            for pair in sentence.iter("pair"):
                e1, e2 = pair.get("e1"), pair.get("e2")
                if e1 not in spans or e2 not in spans:
                    raise InputError(
                        f"{where}: pair {pair.get('id')} names an entity that is not in the sentence"
                    )
                label = "none"
                if pair.get("ddi", "false").lower() == "true":
                    label = (pair.get("type") or "").lower()
                    if label not in ("effect", "mechanism", "advise", "int"):
                        raise InputError(f"{where}: pair {pair.get('id')} has ddi=true but type '{label}'")
                docs.append(
                    {"id": pair.get("id"), "text": mark_pair(text, spans[e1], spans[e2]), "label": label}
                )
    return docs


def read_custom(path: Path, pattern: str = "*.jsonl") -> list[Doc]:
    """{question, choices, answer} (multiple choice) or {question, answer, rubric?} (open), one per line."""
    docs = []
    for file in files_of(path, pattern):
        for number, row in jsonl(file):
            where = f"{file}:{number}"
            doc: Doc = {
                "id": str(row.get("id") or f"{file.name}:{number}"),
                "question": need(row, "question", where),
            }
            answer = need(row, "answer", where)
            choices = row.get("choices")
            if choices:
                options = list(choices.values()) if isinstance(choices, dict) else list(choices)
                keys = list(choices) if isinstance(choices, dict) else list(LETTERS[: len(options)])
                doc["options"] = options
                doc["gold"] = _gold_index(answer, keys, options, where)
            else:
                doc["answer"] = str(answer)
                rubric = row.get("rubric") or []
                if not isinstance(rubric, list) or not all(isinstance(r, str) for r in rubric):
                    raise InputError(f"{where}: field 'rubric' must be a list of strings")
                doc["rubric"] = rubric
            docs.append(doc)
    return docs


def _gold_index(answer: object, keys: list[str], options: list[str], where: str) -> int:
    if isinstance(answer, int) and 0 <= answer < len(options):
        return answer
    if isinstance(answer, str) and answer in keys:
        return keys.index(answer)
    if isinstance(answer, str) and answer in options:
        return options.index(answer)
    raise InputError(f"{where}: field 'answer' ({answer!r}) is not a choice key, index or choice text")
