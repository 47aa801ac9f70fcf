from __future__ import annotations

from pathlib import Path

import pytest

from medfoundry.errors import ConfigError
from medfoundry.shipped import shipped_dir
from medfoundry.train.spec import TrainSpec, load_spec, parse_overrides, spec_hash

CONFIGS = shipped_dir("finetune")


def test_every_shipped_recipe_loads() -> None:
    recipes = sorted(CONFIGS.glob("*/*.yaml"))
    assert len(recipes) >= 4
    for recipe in recipes:
        spec = load_spec(recipe)
        assert spec.method in ("lora", "qlora", "full")
        assert recipe.stem == spec.method


def test_overrides_are_typed_and_win_over_the_file(tmp_path: Path) -> None:
    config = tmp_path / "spec.yaml"
    config.write_text("base_model: a/b\ndataset: notes@1\nlearning_rate: 0.001\npacking: true\n")
    overrides = parse_overrides(
        ["--learning-rate", "1e-4", "--packing", "false", "--lora-targets=[q_proj, v_proj]"]
    )
    spec = load_spec(config, overrides)
    assert spec.learning_rate == pytest.approx(1e-4)
    assert spec.packing is False
    assert spec.lora_targets == ["q_proj", "v_proj"]


def test_invalid_spec_reports_every_problem_with_its_field(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("base_model: a/b\nmethod: lorra\nlearning_rate: -1\nbatch_size: 0\nbogus: 1\n")
    with pytest.raises(ConfigError) as caught:
        load_spec(config)
    problems = "\n".join(caught.value.problems)
    for field in ("dataset", "method", "learning_rate", "batch_size", "bogus"):
        assert field in problems
    assert len(caught.value.problems) == 5
    assert str(config) in caught.value.message


def test_unknown_override_suggests_a_field() -> None:
    with pytest.raises(ConfigError, match="did you mean --learning_rate"):
        parse_overrides(["--learning-rat", "1"])


def test_early_stopping_needs_evaluation() -> None:
    with pytest.raises(ConfigError, match="early_stopping_patience"):
        load_spec(None, {"base_model": "a/b", "dataset": "d", "early_stopping_patience": 2})


def test_yaml_error_names_the_line(tmp_path: Path) -> None:
    config = tmp_path / "broken.yaml"
    config.write_text("base_model: a/b\ndataset: [unclosed\n")
    with pytest.raises(ConfigError, match="line"):
        load_spec(config)


def test_spec_hash_is_stable_and_sensitive() -> None:
    a = TrainSpec(base_model="a/b", dataset="d")
    assert spec_hash(a) == spec_hash(TrainSpec(base_model="a/b", dataset="d"))
    assert spec_hash(a) != spec_hash(TrainSpec(base_model="a/b", dataset="d", lora_r=8))
