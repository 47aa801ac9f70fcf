"""CLI options derived from a stage config (cli/options.py): a new field is a new flag."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pytest
import typer
import typer.main
from pydantic import BaseModel, Field
from typer.testing import CliRunner

from medfoundry.cli.main import app as medfoundry_app
from medfoundry.cli.options import config_options
from medfoundry.evaluate.stage import EvaluateConfig


class ToyConfig(BaseModel):
    source: str = Field(description="Where from.")
    out: Path | None = Field(None, description="Where to.")
    rounds: int = Field(3, ge=1, le=9, description="How many rounds.")
    mode: Literal["fast", "slow"] = Field("fast", description="fast or slow.")
    dry_run: bool = Field(False, description="Change nothing.")


def _toy_app(seen: list[ToyConfig]) -> typer.Typer:
    app = typer.Typer()

    @app.command()
    @config_options(ToyConfig, exclude={"source"}, flags={"dry_run": "--dry"})
    def go(source: str = typer.Argument(...), options: dict[str, Any] = {}) -> None:  # noqa: B006
        """Example: go here --rounds 2"""
        seen.append(ToyConfig(source=source, **options))

    return app


def test_fields_become_options_with_their_defaults_ranges_and_flags() -> None:
    seen: list[ToyConfig] = []
    app = _toy_app(seen)
    runner = CliRunner()
    assert runner.invoke(app, ["here"]).exit_code == 0
    assert seen[-1] == ToyConfig(source="here")
    result = runner.invoke(app, ["here", "--out", "x.jsonl", "--rounds", "2", "--mode", "slow", "--dry"])
    assert result.exit_code == 0, result.output
    assert seen[-1] == ToyConfig(source="here", out=Path("x.jsonl"), rounds=2, mode="slow", dry_run=True)
    too_many = runner.invoke(app, ["here", "--rounds", "10"])
    assert too_many.exit_code != 0 and len(seen) == 2  # le=9 is the option's range
    assert "How many rounds." in runner.invoke(app, ["--help"]).output


def test_a_field_that_is_not_a_simple_scalar_must_be_excluded() -> None:
    class Nested(BaseModel):
        tags: list[str] = []

    with pytest.raises(TypeError, match="tags"):
        config_options(Nested)


def test_eval_run_has_one_flag_per_evaluate_config_field() -> None:
    run = typer.main.get_command(medfoundry_app).commands["eval"].commands["run"]  # type: ignore[attr-defined]
    params = {p.name: p for p in run.params}
    for name, field in EvaluateConfig.model_fields.items():
        if name == "model":
            continue
        assert name in params, f"EvaluateConfig.{name} has no 'eval run' option"
        assert params[name].help == field.description
        assert params[name].default == field.default
    assert params["chain_of_thought"].opts == ["--cot"]
