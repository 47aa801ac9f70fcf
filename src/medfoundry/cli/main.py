"""The ``medfoundry`` entry point: the table of command groups and the error boundary."""

from __future__ import annotations

import logging
import os
import sys
import traceback
import warnings

import typer

from medfoundry.cli import artifacts, audit, data, data_notes, data_tasks, demo, home, jobs, lineage
from medfoundry.cli import deid as deid_cli
from medfoundry.cli import eval as eval_cli
from medfoundry.cli import evidence as evidence_cli
from medfoundry.cli import guardrails as guardrails_cli
from medfoundry.cli import images as images_cli
from medfoundry.cli import models as models_cli
from medfoundry.cli import pipeline as pipeline_cli
from medfoundry.cli import review as review_cli
from medfoundry.cli import serve as serve_cli
from medfoundry.cli import train as train_cli
from medfoundry.cli.output import CLIState, err_console
from medfoundry.errors import MedfoundryError
from medfoundry.pipeline import kinds as _job_kinds  # noqa: F401  (the stage job kinds)

try:  # newer typer ships its own fork of click (and no longer depends on click)
    from typer._click.exceptions import ClickException
except ImportError:  # pragma: no cover - older typer re-exports click's classes
    from click import ClickException  # type: ignore[assignment]

app = typer.Typer(
    name="medfoundry",
    help="A self-hosted foundry for healthcare generative AI: ingest, de-identify, fine-tune, "
    "evaluate, deploy, prove.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _global_options(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks and debug logs."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars or chatter."),
) -> None:
    CLIState.debug = debug
    CLIState.quiet = quiet
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


app.command()(home.version)
app.command()(home.init)
app.command()(home.doctor)
app.command()(demo.demo)
app.command()(jobs.worker)
app.add_typer(audit.app, name="audit")
app.add_typer(lineage.app, name="lineage")
app.add_typer(jobs.app, name="jobs")
app.command()(serve_cli.serve)
app.command()(serve_cli.deploy)
app.command()(serve_cli.undeploy)
app.add_typer(serve_cli.deployments_app, name="deployments")
app.add_typer(serve_cli.keys_app, name="keys")
data.app.command()(data_tasks.synth)
data.app.command()(data_tasks.build)
data.app.command("synth-notes")(data_notes.synth_notes)
app.add_typer(data.app, name="data")
app.add_typer(deid_cli.app, name="deid")
app.add_typer(models_cli.app, name="models")
app.add_typer(train_cli.app, name="train")
app.add_typer(eval_cli.app, name="eval")
app.add_typer(guardrails_cli.app, name="guardrails")
app.add_typer(artifacts.app, name="artifacts")
app.command()(evidence_cli.evidence)
app.add_typer(pipeline_cli.app, name="pipeline")
app.add_typer(review_cli.app, name="review")
app.add_typer(images_cli.app, name="images")


def _report(exc: MedfoundryError) -> None:
    err_console.print(f"[bold red]error:[/bold red] {exc.message}", highlight=False)
    if exc.hint:
        err_console.print(f"[bold]hint:[/bold] {exc.hint}", highlight=False)


def _quiet_libraries() -> None:
    """Keep third-party progress bars and advisories off the user's terminal."""
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", message=".*progress bar.*")


def main() -> None:
    """Run the CLI; user errors print one clear message and a hint, never a traceback."""
    _quiet_libraries()
    try:
        # Without standalone mode click returns typer.Exit's code instead of exiting.
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except MedfoundryError as exc:
        if CLIState.debug:
            traceback.print_exc()
        _report(exc)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("interrupted")
        sys.exit(130)
    except Exception as exc:
        if CLIState.debug:
            raise
        err_console.print(
            f"[bold red]internal error:[/bold red] {type(exc).__name__}: {exc}", highlight=False
        )
        err_console.print("[bold]hint:[/bold] rerun with --debug for the traceback and report it as a bug")
        sys.exit(70)
