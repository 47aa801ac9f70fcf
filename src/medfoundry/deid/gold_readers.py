"""Readers of gold PHI annotations, each turning a corpus into ``GoldText``s.

Formats: ``spans-jsonl`` (medfoundry's own: ``{"id", "text", "spans": [{"start", "end",
"type", "subtype"?}], "class"?}`` per line), ``presidio-json`` (presidio-research samples),
``brat`` (a folder of ``.txt`` + ``.ann`` standoff files, e.g. MEDDOCAN) and ``asq-phi``
(ASQ-PHI's ``===QUERY===`` / ``===PHI_TAGS===`` blocks, values without offsets).

A gold label is ``TYPE`` or ``TYPE.subtype`` (``NAME.clinician``, ``DATE.year``); scores
group by the part before the dot, and ``--ignore-types`` may name either form.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from medfoundry.errors import InputError

GOLD_FORMATS = ("spans-jsonl", "presidio-json", "brat", "asq-phi")

# MEDDOCAN (Spanish) labels → medfoundry labels. SEX, PROFESSION, countries and ages up to
# 89 are not Safe Harbor identifiers: ignored by the default ``--ignore-types``.
MEDDOCAN_LABELS = {
    "NOMBRE_SUJETO_ASISTENCIA": "NAME.patient",
    "NOMBRE_PERSONAL_SANITARIO": "NAME.clinician",
    "FAMILIARES_SUJETO_ASISTENCIA": "NAME.relative",
    "FECHAS": "DATE",
    "EDAD_SUJETO_ASISTENCIA": "AGE",
    "SEXO_SUJETO_ASISTENCIA": "SEX",
    "PROFESION": "PROFESSION",
    "CALLE": "ADDRESS.street",
    "TERRITORIO": "LOCATION.territory",
    "PAIS": "LOCATION.country",
    "HOSPITAL": "LOCATION.hospital",
    "CENTRO_SALUD": "LOCATION.hospital",
    "INSTITUCION": "LOCATION.institution",
    "ID_SUJETO_ASISTENCIA": "MRN",
    "ID_TITULACION_PERSONAL_SANITARIO": "ID.license",
    "ID_ASEGURAMIENTO": "ID.insurance",
    "ID_CONTACTO_ASISTENCIAL": "ID.contact",
    "ID_EMPLEO_PERSONAL_SANITARIO": "ID.employee",
    "NUMERO_BENEF_PLAN_SALUD": "ID.insurance",
    "IDENTIF_VEHICULOS_NRSERIE_PRODUCTOS": "ID.vehicle",
    "IDENTIF_DISPOSITIVOS_NRSERIE": "ID.device",
    "OTRO_NUMERO_IDENTIF": "ID.other",
    "NUMERO_TELEFONO": "PHONE",
    "NUMERO_FAX": "FAX",
    "CORREO_ELECTRONICO": "EMAIL",
    "URL_WEB": "URL",
    "DIRECCION_IP": "IP",
    "OTROS_SUJETO_ASISTENCIA": "OTHER",
}

ASQ_PHI_LABELS = {
    "NAME": "NAME",
    "GEOGRAPHIC_LOCATION": "LOCATION",
    "DATE": "DATE",
    "MEDICAL_RECORD_NUMBER": "MRN",
    "HEALTH_PLAN_BENEFICIARY_NUMBER": "ID.insurance",
    "PHONE_NUMBER": "PHONE",
    "FAX_NUMBER": "FAX",
    "SOCIAL_SECURITY_NUMBER": "SSN",
    "EMAIL_ADDRESS": "EMAIL",
    "UNIQUE_IDENTIFIER": "ID",
    "ACCOUNT_NUMBER": "ID.account",
    "CERTIFICATE_LICENSE_NUMBER": "ID.license",
    "IP_ADDRESS": "IP",
}

_FIRST_NUMBER = re.compile(r"\d+")


@dataclass
class GoldText:
    id: str
    text: str
    spans: list[tuple[int, int, str]]
    group: str | None = None  # an error class or a section of the corpus, for per-class scores


def base_type(label: str) -> str:
    return label.split(".", 1)[0]


def read_gold(path: Path, fmt: str) -> Iterator[GoldText]:
    if not path.exists():
        raise InputError(f"no gold file at {path}")
    readers = {
        "spans-jsonl": read_spans_jsonl,
        "presidio-json": read_presidio_json,
        "brat": read_brat,
        "asq-phi": read_asq_phi,
    }
    if fmt not in readers:
        raise InputError(f"unknown gold format '{fmt}'", hint=f"use one of {', '.join(GOLD_FORMATS)}")
    return readers[fmt](path)


def read_spans_jsonl(path: Path) -> Iterator[GoldText]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            spans = [
                (
                    s["start"],
                    s["end"],
                    f"{s.get('type', 'PHI')}.{s['subtype']}" if s.get("subtype") else s.get("type", "PHI"),
                )
                for s in item.get("spans", [])
            ]
            text = item["text"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(
                f"{path}:{number}: not a gold line ({exc.__class__.__name__}: {exc})",
                hint='each line must be {"id", "text", "spans": [{"start", "end", "type"}]}',
            ) from exc
        group = item.get("class")
        yield GoldText(str(item.get("id", number)), text, spans, str(group) if group else None)


def read_presidio_json(path: Path) -> Iterator[GoldText]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a JSON list of presidio-research samples")
    for i, sample in enumerate(data):
        spans = [(s["start_position"], s["end_position"], s["entity_type"]) for s in sample.get("spans", [])]
        yield GoldText(str(i), sample["full_text"], spans)


def _meddocan_label(label: str, value: str) -> str:
    mapped = MEDDOCAN_LABELS.get(label, f"OTHER.{label.lower()}")
    if mapped == "AGE":
        number = _FIRST_NUMBER.search(value)
        if number is None or int(number.group()) <= 89:
            return "AGE.le89"
    return mapped


def read_brat(path: Path) -> Iterator[GoldText]:
    """A folder of BRAT ``NAME.txt`` + ``NAME.ann`` pairs (text-bound ``T`` lines only)."""
    if not path.is_dir():
        raise InputError(f"{path}: --format brat needs a folder of .txt and .ann files")
    texts = sorted(path.glob("*.txt"))
    if not texts:
        raise InputError(f"{path}: no .txt files in this folder")
    for text_path in texts:
        ann_path = text_path.with_suffix(".ann")
        if not ann_path.exists():
            raise InputError(f"{text_path}: no annotation file {ann_path.name} next to it")
        text = text_path.read_text(encoding="utf-8")
        spans: list[tuple[int, int, str]] = []
        for number, line in enumerate(ann_path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.startswith("T"):
                continue
            try:
                _, info, value = line.split("\t", 2)
                label, offsets = info.split(" ", 1)
                for fragment in offsets.split(";"):
                    start, end = (int(x) for x in fragment.split())
                    spans.append((start, end, _meddocan_label(label, value)))
            except ValueError as exc:
                raise InputError(
                    f"{ann_path}:{number}: not a BRAT text-bound line",
                    hint="expected 'T1<TAB>LABEL START END<TAB>text'",
                ) from exc
        yield GoldText(text_path.stem, text, spans)


def read_asq_phi(path: Path) -> Iterator[GoldText]:
    """ASQ-PHI blocks; every occurrence of a tagged value in its query is a gold span."""
    blocks = [b for b in path.read_text(encoding="utf-8").split("===QUERY===") if b.strip()]
    for index, block in enumerate(blocks):
        if "===PHI_TAGS===" not in block:
            raise InputError(f"{path}: query block {index + 1} has no ===PHI_TAGS=== line")
        query, tags = block.split("===PHI_TAGS===", 1)
        text = query.strip()
        spans: list[tuple[int, int, str]] = []
        for line in tags.splitlines():
            if not line.strip():
                continue
            tag = json.loads(line)
            value = str(tag["value"]).strip()
            label = ASQ_PHI_LABELS.get(tag["identifier_type"], "OTHER")
            for found in re.finditer(re.escape(value), text) if value else ():
                if not any(s < found.end() and found.start() < e for s, e, _ in spans):
                    spans.append((found.start(), found.end(), label))
        yield GoldText(f"asq-{index:04d}", text, sorted(spans), "no_phi" if not tags.strip() else "phi")
