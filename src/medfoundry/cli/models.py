"""``medfoundry models``: the curated catalog plus registered and fine-tuned models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from sqlalchemy import select

from medfoundry.audit import lineage
from medfoundry.catalog.curated import CatalogEntry, catalog_entry, parse_size, search
from medfoundry.catalog.resolve import find_model, resolve_model
from medfoundry.cli.context import store_session
from medfoundry.cli.output import console, emit_json, fmt_time
from medfoundry.errors import NotFound
from medfoundry.store.models import Model

app = typer.Typer(help="Find base models, register your own, merge adapters.", no_args_is_help=True)
JSON_OPTION = typer.Option(False, "--json", help="Print one JSON document on stdout.")
TASK = typer.Option(None, "--task", help="e.g. summarization, medical-qa, de-identification.")
MODALITY = typer.Option(None, "--modality", help="text, image or image+text.")
LICENSE = typer.Option(None, "--license", help="e.g. apache-2.0, mit, llama3.")
MAX_PARAMS = typer.Option(None, "--max-params", help="Largest size, e.g. 8B or 500M.")


def model_dict(model: Model) -> dict[str, Any]:
    return {
        "id": model.id,
        "name": model.name,
        "source": model.source,
        "location": model.location,
        "revision": model.revision,
        "parent_id": model.parent_id,
        "meta": model.meta,
        "code_version": model.code_version,
        "created_at": model.created_at,
    }


def _fmt_params(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value / 1e9:.1f}B" if value >= 1e9 else f"{value / 1e6:.0f}M"


def _entries_table(entries: list[CatalogEntry], title: str) -> Table:
    table = Table(title=title)
    for column in ("id", "params", "modality", "license", "commercial", "context", "method", "tasks"):
        table.add_column(column, overflow="fold")
    for e in entries:
        commercial = {True: "yes", False: "no", None: "?"}[e.commercial_use]
        table.add_row(e.id, _fmt_params(e.parameters), e.modality, e.license or "?", commercial,
                      str(e.context_length or "?"), e.recommended_method, ", ".join(e.tasks))  # fmt: skip
    return table


def _registered(limit: int) -> list[Model]:
    with store_session() as store, store.sessions() as session:
        return list(session.scalars(select(Model).order_by(Model.created_at.desc()).limit(limit)))


def _render(entries: list[CatalogEntry], registered: list[Model], as_json: bool, title: str) -> None:
    if as_json:
        emit_json(
            {"catalog": [e.to_dict() for e in entries], "registered": [model_dict(m) for m in registered]}
        )
        return
    console.print(_entries_table(entries, f"{title} ({len(entries)})"))
    if registered:
        table = Table(title=f"registered models ({len(registered)})")
        for column in ("id", "name", "source", "parent", "created"):
            table.add_column(column, overflow="fold")
        for m in registered:
            table.add_row(m.id, m.name, m.source, m.parent_id or "-", fmt_time(m.created_at))
        console.print(table)


@app.command("list")
def list_(task: str | None = TASK, modality: str | None = MODALITY, license: str | None = LICENSE,
          max_params: str | None = MAX_PARAMS, limit: int = typer.Option(100, help="Registered models shown."),
          as_json: bool = JSON_OPTION) -> None:  # fmt: skip
    """List the curated catalog and the models registered in this home (fine-tuned ones with their parent).

    Example: medfoundry models list --modality text --max-params 8B
    """
    size = parse_size(max_params) if max_params else None
    entries = search(task=task, modality=modality, license=license, max_params=size)
    _render(entries, _registered(limit), as_json, "curated catalog")


@app.command("search")
def search_(query: str | None = typer.Argument(None, help="Words to match in id, family, tasks, notes."),
            task: str | None = TASK, modality: str | None = MODALITY, license: str | None = LICENSE,
            max_params: str | None = MAX_PARAMS, as_json: bool = JSON_OPTION) -> None:  # fmt: skip
    """Search the curated catalog.

    Example: medfoundry models search --task summarization --max-params 2B
    """
    size = parse_size(max_params) if max_params else None
    entries = search(query, task=task, modality=modality, license=license, max_params=size)
    if as_json:
        emit_json({"query": query, "results": [e.to_dict() for e in entries]})
        return
    console.print(_entries_table(entries, f"matches ({len(entries)})"))


@app.command()
def show(ref: str = typer.Argument(..., help="A model id (mdl_...), name, directory or catalog id."),
         as_json: bool = JSON_OPTION) -> None:  # fmt: skip
    """Show a model: catalog facts, and for a registered model its parent and lineage.

    Example: medfoundry models show mdl_01jd...
    """
    with store_session() as store:
        model = find_model(store, ref)
        entry = catalog_entry(model.location if model else ref)
        if model is None and entry is None:
            raise NotFound(f"'{ref}' is neither a registered model nor in the catalog",
                           hint="see 'medfoundry models list'")  # fmt: skip
        document: dict[str, Any] = {"catalog": entry.to_dict() if entry else None}
        if model is not None:
            document = {**model_dict(model), **document, "lineage": lineage.show(store, model.id).to_dict()}
    if as_json:
        emit_json(document)
        return
    for key, value in document.items():
        if key != "lineage":
            console.print(f"[bold]{key:12}[/bold] {value if value is not None else '-'}", highlight=False)
    if model is not None:
        console.print(f"lineage: medfoundry lineage show {model.id}")


@app.command()
def add(ref: str = typer.Argument(..., help="A local model directory or a Hugging Face id."),
        as_json: bool = JSON_OPTION) -> None:  # fmt: skip
    """Register a local or hub model; prints the id that train, eval and deploy accept.

    Example: medfoundry models add ./my-model --json
    """
    with store_session() as store:
        existing = find_model(store, ref)
        model = existing or resolve_model(store, ref)
        document = {**model_dict(model), "already_registered": existing is not None}
    if as_json:
        emit_json(document)
    else:
        console.print(f"{model.id}  {model.name} ({model.source})")


@app.command()
def merge(ref: str = typer.Argument(..., help="A fine-tuned LoRA adapter (id or name)."),
          out: Path | None = typer.Option(None, "--out", help="Directory for the merged model."),
          name: str | None = typer.Option(None, "--name", help="Name of the merged model."),
          as_json: bool = JSON_OPTION) -> None:  # fmt: skip
    """Merge a LoRA adapter into its base model and register the result.

    Example: medfoundry models merge mdl_01jd... --out ./merged
    """
    from medfoundry.catalog.merge import merge_adapter

    with store_session() as store:
        model = merge_adapter(store, ref, out_dir=out, name=name)
        document = model_dict(model)
    if as_json:
        emit_json(document)
    else:
        console.print(f"merged into {model.location}: {model.id} ({model.name})")
