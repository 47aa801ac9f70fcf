"""``medfoundry lineage``: where an artifact, dataset, model or evaluation came from."""

from __future__ import annotations

import typer
from rich.tree import Tree

from medfoundry.audit import lineage
from medfoundry.cli.context import store_session
from medfoundry.cli.output import console, emit_json

app = typer.Typer(help="Show what an object was made from.", no_args_is_help=True)


def _add(tree: Tree, node: lineage.LineageNode) -> None:
    relation = f"[dim]{node.relation}:[/dim] " if node.relation else ""
    code = f" [dim](code {node.code_version})[/dim]" if node.code_version else ""
    branch = tree.add(f"{relation}[bold]{node.id}[/bold] {node.label}{code}")
    for parent in node.parents:
        _add(branch, parent)


@app.command()
def show(
    object_id: str = typer.Argument(..., help="An id such as dsv_..., mdl_..., art_..., evl_..."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Print the object's ancestors as a tree.

    Example: medfoundry lineage show mdl_01jd4k...
    """
    with store_session() as store:
        root = lineage.show(store, object_id)
    if as_json:
        emit_json(root.to_dict())
        return
    code = f" [dim](code {root.code_version})[/dim]" if root.code_version else ""
    tree = Tree(f"[bold]{root.id}[/bold] {root.label}{code}")
    for parent in root.parents:
        _add(tree, parent)
    console.print(tree)
