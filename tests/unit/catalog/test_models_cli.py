"""`medfoundry models list/search/show/add --json` as thin shells over the catalog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medfoundry.cli.main import app
from medfoundry.store.home import init_home

runner = CliRunner()


def _json(*args: str) -> dict:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.slow
def test_search_list_add_show(tmp_path: Path) -> None:
    init_home()
    tiny_model_dir = tmp_path / "my-model"
    tiny_model_dir.mkdir()
    (tiny_model_dir / "config.json").write_text(
        '{"architectures": ["LlamaForCausalLM"], "model_type": "llama"}'
    )
    found = _json("models", "search", "--task", "summarization", "--max-params", "2B", "--json")
    ids = [r["id"] for r in found["results"]]
    assert "HuggingFaceTB/SmolLM2-135M-Instruct" in ids
    assert all(r["parameters"] <= 2e9 for r in found["results"])
    added = _json("models", "add", str(tiny_model_dir), "--json")
    assert added["id"].startswith("mdl_") and added["source"] == "local"
    assert _json("models", "add", str(tiny_model_dir), "--json")["id"] == added["id"]
    listed = _json("models", "list", "--modality", "text", "--json")
    assert added["id"] in [m["id"] for m in listed["registered"]]
    assert all(e["modality"] == "text" for e in listed["catalog"])
    shown = _json("models", "show", added["id"], "--json")
    assert shown["lineage"]["id"] == added["id"]
    catalog_only = _json("models", "show", "google/medgemma-4b-it", "--json")
    assert catalog_only["catalog"]["modality"] == "image+text"


def test_unknown_model_is_a_clear_error() -> None:
    init_home()
    result = runner.invoke(app, ["models", "show", "nobody/nothing-here-xyz"])
    assert result.exit_code != 0
