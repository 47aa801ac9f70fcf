"""Policies: every shipped YAML loads; mistakes are reported with their field."""

from __future__ import annotations

from pathlib import Path

import pytest

from medfoundry.deid.config import DeidConfig, load_config, shipped_configs_dir
from medfoundry.errors import ConfigError

SHIPPED = sorted(shipped_configs_dir().glob("*.yaml"))


def test_shipped_policies_exist() -> None:
    assert {p.stem for p in SHIPPED} >= {"default", "strict-year-only"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_policy_loads(path: Path) -> None:
    assert isinstance(load_config(path), DeidConfig)
    assert isinstance(load_config(path.stem), DeidConfig)


def test_strict_policy_is_year_only() -> None:
    assert load_config("strict-year-only").date_policy == "year_only"


def test_bad_policy_lists_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("detectors: [nmae]\noperators: {NAME: scramble}\ndate_policy: fuzzy\n")
    with pytest.raises(ConfigError) as info:
        load_config(bad)
    message = str(info.value)
    assert (
        "detectors" in message
        and "operators" in message
        and "date_policy" in message
        and "bad.yaml" in message
    )
    with pytest.raises(ConfigError):
        load_config(tmp_path / "missing.yaml")
