"""The de-identification policy: validated YAML (``configs/deid/*.yaml``) or defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from medfoundry.deid.detectors import DEFAULT_DETECTORS, DETECTORS
from medfoundry.deid.operators import OPERATORS
from medfoundry.deid.spans import PHI_TYPES
from medfoundry.errors import ConfigError
from medfoundry.shipped import resolve_config, shipped_dir

DEFAULT_OPERATORS = {
    "NAME": "surrogate",
    "LOCATION": "surrogate",
    "ADDRESS": "surrogate",
    "ZIP": "surrogate",
    "AGE": "surrogate",
    "DATE": "shift",
}


class DeidConfig(BaseModel):
    """How to de-identify: which detectors, which operator per PHI type, which date policy."""

    model_config = {"extra": "forbid"}

    date_policy: Literal["shift", "year_only"] = Field(
        "shift", description="shift: one secret offset per patient; year_only: strict Safe Harbor"
    )
    shift_min_days: int = Field(-365, description="smallest date offset in days")
    shift_max_days: int = Field(-30, description="largest date offset in days")
    detectors: list[str] = Field(
        default_factory=lambda: list(DEFAULT_DETECTORS), description="detector names, in order"
    )
    operators: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_OPERATORS), description="PHI type -> operator"
    )
    default_operator: str = Field("redact", description="operator for types not in 'operators'")
    known_phi: bool = Field(True, description="search each patient's known identifiers in their notes")
    hf_model: str | None = Field(
        None, description="a Hugging Face token-classification model (hub id or directory)"
    )
    reference_date: str | None = Field(None, description="'today' for ages of living patients (YYYY-MM-DD)")
    safe_patterns: bool = Field(
        True, description="drop candidates that a clinical measurement pattern covers (Pain 7/10, 600x12)"
    )
    allow_list: list[str] = Field(
        default_factory=list,
        description="words or phrases never PHI at this site (any case), e.g. a unit's name or a local abbreviation",
    )
    deny_list: dict[str, list[str]] = Field(
        default_factory=dict,
        description="PHI type -> terms always reported as that type (any case, whole words), e.g. LOCATION: [GH]",
    )
    remove_years: bool = Field(
        False, description="also treat a bare year (1992, '92) as a date; Safe Harbor lets years stay"
    )

    @field_validator("detectors")
    @classmethod
    def _known_detectors(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in DETECTORS]
        if unknown:
            raise ValueError(f"unknown detector(s) {unknown}; known: {DETECTORS.names()}")
        return value

    @field_validator("operators")
    @classmethod
    def _known_operators(cls, value: dict[str, str]) -> dict[str, str]:
        problems = [f"{t}: unknown PHI type" for t in value if t not in PHI_TYPES]
        problems += [f"{t}: unknown operator '{o}'" for t, o in value.items() if o not in OPERATORS]
        if problems:
            raise ValueError("; ".join(problems) + f" (operators: {OPERATORS.names()})")
        return value

    @field_validator("allow_list")
    @classmethod
    def _no_blank_terms(cls, value: list[str]) -> list[str]:
        blank = [i for i, term in enumerate(value) if not term.strip()]
        if blank:
            raise ValueError(f"entries {blank} are blank; list words or phrases")
        return value

    @field_validator("deny_list")
    @classmethod
    def _deny_types(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        problems = [
            f"{t}: unknown PHI type (known: {', '.join(PHI_TYPES)})" for t in value if t not in PHI_TYPES
        ]
        problems += [f"{t}: blank term" for t, terms in value.items() for term in terms if not term.strip()]
        if problems:
            raise ValueError("; ".join(problems))
        return value

    @model_validator(mode="after")
    def _range(self) -> DeidConfig:
        if self.shift_min_days > self.shift_max_days:
            raise ValueError("shift_min_days must be <= shift_max_days")
        if self.default_operator not in OPERATORS:
            raise ValueError(f"default_operator: unknown operator '{self.default_operator}'")
        return self

    def detector_names(self) -> list[str]:
        names = [*self.detectors, *(["hf"] if self.hf_model and "hf" not in self.detectors else [])]
        if self.remove_years and "year" not in names:
            names.append("year")
        return names


def shipped_configs_dir() -> Path:
    return shipped_dir("deid")


def load_config(path: Path | str | None) -> DeidConfig:
    """Load a policy from YAML, a shipped name (``default``, ``strict-year-only``) or defaults."""
    if path is None:
        return DeidConfig()
    candidate = resolve_config(path, "deid")
    if not candidate.exists():
        raise ConfigError(
            f"no de-identification policy at '{path}'",
            hint="give a YAML file or one of: default, strict-year-only",
        )
    try:
        data = yaml.safe_load(candidate.read_text()) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}", source=str(candidate)) from exc
    try:
        return DeidConfig.model_validate(data)
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors()]
        raise ConfigError(problems, source=str(candidate)) from exc
