"""Every shipped benchmark, suite and gates file loads; unknown names get a suggestion."""

from __future__ import annotations

from pathlib import Path

import pytest

from medfoundry.errors import ConfigError, NotFound
from medfoundry.evaluate.benchmarks import BENCHMARKS, SUITE_DIRS, find_suite
from medfoundry.evaluate.gates import load_gates
from medfoundry.evaluate.prompts import PROMPTS
from medfoundry.evaluate.readers import READERS
from medfoundry.evaluate.scorers import SCORERS
from medfoundry.shipped import shipped_configs

CONFIGS = shipped_configs("eval")
ISSUE_NAMES = [
    "medqa",
    "medmcqa",
    "pubmedqa",
    "ner-bc5cdr-chem",
    "ner-bc5cdr-disease",
    "ner-ncbi-disease",
    "icd10",
    "ddi",
    "custom",
]


def test_every_benchmark_in_the_issue_is_registered_and_wired() -> None:
    assert set(ISSUE_NAMES) <= set(BENCHMARKS.names())
    for name in BENCHMARKS.names():
        spec = BENCHMARKS.get(name)
        assert (
            spec.reader in READERS
            and spec.kind in SCORERS
            and (spec.prompt is None or spec.prompt in PROMPTS)
        )


@pytest.mark.parametrize("path", CONFIGS, ids=[p.name for p in CONFIGS])
def test_shipped_config_loads(path: Path) -> None:
    if "gates" in path.stem:
        load_gates(path)
    else:
        suite, _ = find_suite(str(path))
        assert suite.name == path.stem


def test_medical_core_is_shipped() -> None:
    assert any((d / "medical-core.yaml").exists() for d in SUITE_DIRS)


def test_unknown_benchmark_suggests() -> None:
    with pytest.raises(NotFound, match="did you mean 'medqa'"):
        BENCHMARKS.get("medqaa")


def test_suite_with_unknown_benchmark_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("name: mine\nbenchmarks:\n  - {benchmark: medqq, data: x}\n  - {benchmark: ddi}\n")
    with pytest.raises(ConfigError) as info:
        find_suite(str(path))
    assert "benchmarks.1.data" in str(info.value)
