"""Shipped configs live in the package; documented paths and bare names resolve to them."""

from __future__ import annotations

from pathlib import Path

import pytest

import medfoundry
from medfoundry.deid.config import load_config
from medfoundry.evaluate.benchmarks import find_suite
from medfoundry.evaluate.gates import load_gates
from medfoundry.guardrails.policy import load_policy
from medfoundry.shipped import KINDS, resolve_config, shipped_configs, shipped_dir, shipped_name
from medfoundry.train.spec import load_spec

PACKAGE = Path(medfoundry.__file__).parent


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_ships_configs_inside_the_package(kind: str) -> None:
    found = shipped_configs(kind)  # type: ignore[arg-type]
    assert found
    assert all(path.is_relative_to(PACKAGE) for path in found)


def test_no_shipped_yaml_is_duplicated_at_the_top_level() -> None:
    top = PACKAGE.parents[1] / "configs"
    if not top.is_dir():
        pytest.skip("not a checkout")
    assert sorted(top.rglob("*.yaml")) == []


@pytest.mark.parametrize(
    ("typed", "kind", "name"),
    [
        ("configs/guardrails/patient-facing.yaml", "guardrails", "patient-facing"),
        ("patient-facing", "guardrails", "patient-facing"),
        ("configs/finetune/smollm2-135m/lora.yaml", "finetune", "smollm2-135m/lora"),
        ("smollm2-135m/lora", "finetune", "smollm2-135m/lora"),
        ("configs/eval/gates-example.yaml", "eval", "gates-example"),
        ("configs/deid/strict-year-only.yaml", "deid", "strict-year-only"),
    ],
)
def test_documented_paths_and_names_resolve_from_any_directory(
    typed: str, kind: str, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    resolved = resolve_config(typed, kind)  # type: ignore[arg-type]
    assert resolved.is_file()
    assert shipped_name(resolved, kind) == name  # type: ignore[arg-type]


def test_a_file_on_disk_wins_over_the_shipped_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    local = tmp_path / "configs" / "guardrails" / "default.yaml"
    local.parent.mkdir(parents=True)
    local.write_text("name: my-copy\n")
    assert resolve_config("configs/guardrails/default.yaml", "guardrails") == Path(
        "configs/guardrails/default.yaml"
    )
    assert load_policy("configs/guardrails/default.yaml").name == "my-copy"


def test_an_unknown_path_is_returned_as_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_config("configs/guardrails/nope.yaml", "guardrails") == Path(
        "configs/guardrails/nope.yaml"
    )
    assert resolve_config("../outside", "guardrails") == Path("../outside")


def test_each_loader_finds_the_shipped_config_outside_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_config("configs/deid/strict-year-only.yaml").date_policy == "year_only"
    assert load_policy("configs/guardrails/clinician.yaml").name == "clinician"
    assert load_spec(Path("configs/finetune/tiny-llama/lora.yaml")).method == "lora"
    assert load_gates(Path("configs/eval/gates-example.yaml")).absolute
    suite, path = find_suite("medical-mcq")
    assert path.parent == shipped_dir("eval") and suite.name == "medical-mcq"
