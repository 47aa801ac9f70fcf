"""The PS3.15 Annex E Basic Profile as data, and the options that change its actions.

The table (``data/annex_e_basic_profile.csv``, see its SOURCE.md) gives each attribute an
action; an option named in a row's ``option`` column turns that action into a keep
(``uids``) or a clean (``dates``: shift by the patient's offset; ``descriptors``: the text
de-identifier). Repeating groups (``50xx``, ``60xx``) match by mask.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

ACTIONS = frozenset("DZXKCU")
OPTIONS = ("dates", "uids", "descriptors")


class DicomDeidOptions(BaseModel):
    """The Annex E options medfoundry implements (private attributes are always removed)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    retain_dates: bool = Field(
        True, description="Retain Longitudinal Temporal Information: shift dates by the patient's offset"
    )
    retain_uids: bool = Field(False, description="Retain UIDs (off: remapped with a keyed hash under 2.25.)")
    clean_descriptors: bool = Field(
        True, description="Clean Descriptors: free text through the text de-identifier instead of removal"
    )
    ocr: bool = Field(False, description="Blank burned-in text found by OCR (tesseract) on every frame")

    def retains(self, option: str) -> bool:
        return {"dates": self.retain_dates, "uids": self.retain_uids, "descriptors": self.clean_descriptors}[
            option
        ]


@dataclass(frozen=True, slots=True)
class Rule:
    tag: str
    name: str
    action: str
    option: str

    def effective(self, options: DicomDeidOptions) -> str:
        """The action once the options are applied (K for a retained UID, C for a cleaned value)."""
        if not self.option or not options.retains(self.option):
            return self.action
        return "K" if self.option == "uids" else "C"


@dataclass(frozen=True)
class Profile:
    exact: dict[int, Rule]
    masked: tuple[tuple[int, int, Rule], ...]  # (mask, value, rule)

    def rule_for(self, tag: int) -> Rule | None:
        rule = self.exact.get(tag)
        if rule is not None or not self.masked:
            return rule
        for mask, value, masked_rule in self.masked:
            if tag & mask == value:
                return masked_rule
        return None

    def __len__(self) -> int:
        return len(self.exact) + len(self.masked)


def _mask(tag: str) -> tuple[int, int]:
    """``(60xx,4000)`` → (mask, value) over the 32-bit tag."""
    digits = tag.strip("()").replace(",", "")
    mask = int("".join("0" if c in "xX" else "F" for c in digits), 16)
    value = int("".join("0" if c in "xX" else c for c in digits), 16)
    return mask, value


@functools.cache
def basic_profile() -> Profile:
    """Table E.1-1 as shipped with medfoundry."""
    text = resources.files("medfoundry.imaging.dicom").joinpath("data/annex_e_basic_profile.csv").read_text()
    exact: dict[int, Rule] = {}
    masked: list[tuple[int, int, Rule]] = []
    for number, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        rule = Rule(row["tag"], row["name"], row["action"], row["option"] or "")
        if rule.action not in ACTIONS or (rule.option and rule.option not in OPTIONS):
            raise ValueError(f"annex_e_basic_profile.csv:{number}: bad action or option in {row}")
        mask, value = _mask(rule.tag)
        if mask == 0xFFFFFFFF:
            exact[value] = rule
        else:
            masked.append((mask, value, rule))
    return Profile(exact, tuple(masked))
