"""An optional Hugging Face token-classification model as a detector.

Any de-identification model works, by hub id or local directory (BIO or plain labels,
e.g. ``B-PATIENT``, ``I-DATE``, ``NAME``). Labels map onto PHI types by keyword.
Needs the ``ml`` extra (torch, transformers); loaded only when configured.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from medfoundry.deid.detectors.base import Detector
from medfoundry.deid.spans import Span
from medfoundry.errors import ConfigError, DependencyMissing

# First keyword found in the (upper-cased) label decides the PHI type.
LABEL_KEYWORDS = (
    ("PHONE", "PHONE"),
    ("FAX", "FAX"),
    ("EMAIL", "EMAIL"),
    ("URL", "URL"),
    ("IP", "IP"),
    ("SSN", "SSN"),
    ("MRN", "MRN"),
    ("MEDICALRECORD", "MRN"),
    ("ZIP", "ZIP"),
    ("AGE", "AGE"),
    ("DATE", "DATE"),
    ("STREET", "ADDRESS"),
    ("ADDRESS", "ADDRESS"),
    ("PATIENT", "NAME"),
    ("DOCTOR", "NAME"),
    ("STAFF", "NAME"),
    ("HCW", "NAME"),
    ("PER", "NAME"),
    ("NAME", "NAME"),
    ("HOSP", "LOCATION"),
    ("LOC", "LOCATION"),
    ("CITY", "LOCATION"),
    ("ORG", "LOCATION"),
    ("FACILITY", "LOCATION"),
)


def phi_type(label: str) -> str | None:
    core = label.upper().split("-", 1)[-1] if label[:2].upper() in ("B-", "I-") else label.upper()
    if core in ("O", ""):
        return None
    for keyword, type_ in LABEL_KEYWORDS:
        if keyword in core:
            return type_
    return "ID"


class HFDetector(Detector):
    name = "hf"
    types = ("NAME", "DATE", "LOCATION", "ID")

    def __init__(self, model: str | None = None, max_length: int = 512) -> None:
        if not model:
            raise ConfigError("the 'hf' detector needs a model: set hf_model to a hub id or a directory")
        try:
            import torch
            from transformers import AutoModelForTokenClassification, AutoTokenizer
        except ImportError as exc:
            raise DependencyMissing(
                "transformers", extra="ml", feature="the Hugging Face de-id detector"
            ) from exc
        self._torch = torch
        self.tokenizer: Any = AutoTokenizer.from_pretrained(model)
        self.model: Any = AutoModelForTokenClassification.from_pretrained(model).eval()
        self.labels: dict[int, str] = {int(k): v for k, v in self.model.config.id2label.items()}
        self.max_length = max_length

    def find(self, text: str) -> Iterator[Span]:
        if not text.strip():
            return
        encoded = self.tokenizer(
            text,
            return_offsets_mapping=True,
            truncation=True,
            max_length=self.max_length,
            return_overflowing_tokens=True,
            stride=32,
            padding=True,
            return_tensors="pt",
        )
        offsets = encoded.pop("offset_mapping").tolist()
        encoded.pop("overflow_to_sample_mapping", None)
        with self._torch.no_grad():
            predictions = self.model(**encoded).logits.argmax(-1).tolist()
        for row_offsets, row_predictions in zip(offsets, predictions, strict=True):
            yield from self._spans(row_offsets, row_predictions)

    def _spans(self, offsets: list[list[int]], predictions: list[int]) -> Iterator[Span]:
        current: list[Any] | None = None
        for (start, end), label_id in zip(offsets, predictions, strict=True):
            if end <= start:
                continue
            type_ = phi_type(self.labels.get(label_id, "O"))
            if current and type_ == current[2] and start - current[1] <= 1:
                current[1] = end
                continue
            if current:
                yield Span(current[0], current[1], current[2], self.name)
            current = [start, end, type_] if type_ else None
        if current:
            yield Span(current[0], current[1], current[2], self.name)
