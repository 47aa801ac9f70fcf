"""`models merge`: base + adapter written as one model that computes the same logits."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from medfoundry.catalog.loading import load_model
from medfoundry.catalog.merge import merge_adapter
from medfoundry.catalog.resolve import get_model
from medfoundry.errors import InputError
from medfoundry.store.database import Store
from medfoundry.train.job import run_foreground
from medfoundry.train.spec import load_spec
from tests.unit.train.helpers import spec_yaml, write_chat_jsonl


@pytest.mark.slow
def test_merge_matches_adapter_and_records_lineage(
    store: Store, tiny_model_dir: Path, tmp_path: Path
) -> None:
    torch.set_num_threads(1)
    data = write_chat_jsonl(tmp_path / "d.jsonl", n=16)
    spec = load_spec(spec_yaml(tmp_path / "s.yaml", tiny_model_dir, data, max_steps=2, learning_rate=5e-2))
    job = run_foreground(store, spec)
    adapter = get_model(store, (job.result or {})["model_id"])
    merged = merge_adapter(store, adapter.id, out_dir=tmp_path / "merged")
    assert merged.parent_id == adapter.id and merged.meta["adapter"] is False
    assert (tmp_path / "merged" / "model.safetensors").exists()
    ids = torch.tensor([[5, 17, 42, 99, 3]])
    with torch.no_grad():
        expected = load_model(store, adapter).model(input_ids=ids).logits
        actual = load_model(store, merged).model(input_ids=ids).logits
    torch.testing.assert_close(actual, expected, atol=1e-4, rtol=1e-4)
    with pytest.raises(InputError, match="not a LoRA adapter"):
        merge_adapter(store, merged.id)
