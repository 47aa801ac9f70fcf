"""`medfoundry train` argument handling: unknown --field value pairs become spec overrides."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from medfoundry.cli.main import app
from medfoundry.errors import ConfigError, JobError, NotFound
from medfoundry.store.home import init_home

runner = CliRunner()


def test_overrides_are_validated_all_at_once(tmp_path: Path) -> None:
    init_home()
    config = tmp_path / "spec.yaml"
    config.write_text("base_model: a/b\ndataset: d\n")
    result = runner.invoke(
        app, ["train", "--learning-rate", "-1", "--config", str(config), "--batch-size", "0"]
    )
    assert isinstance(result.exception, ConfigError)
    problems = " ".join(result.exception.problems)
    assert "learning_rate" in problems and "batch_size" in problems


def test_unknown_override_is_refused(tmp_path: Path) -> None:
    init_home()
    result = runner.invoke(app, ["train", "--base-model", "a/b", "--dataset", "d", "--learnig-rate", "1"])
    assert isinstance(result.exception, ConfigError)
    assert "did you mean --learning_rate" in result.exception.message


def test_subcommands_and_help() -> None:
    init_home()
    for verb in ("resume", "status", "logs"):
        assert runner.invoke(app, ["train", verb, "--help"]).exit_code == 0
    assert "--config" in runner.invoke(app, ["train", "--help"]).stdout
    assert isinstance(runner.invoke(app, ["train", "status", "job_nope"]).exception, NotFound)


def test_resume_refuses_non_training_jobs() -> None:
    init_home()
    from medfoundry.jobs import queue
    from medfoundry.settings import Settings
    from medfoundry.store.database import Store

    store = Store(Settings())
    job = queue.submit(store, "noop", {})
    store.close()
    assert isinstance(runner.invoke(app, ["train", "resume", job.id]).exception, JobError)
