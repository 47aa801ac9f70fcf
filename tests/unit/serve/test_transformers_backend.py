"""The transformers backend on a tiny model: streaming, limits, batching and shared adapters."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from medfoundry.serve.backends import BACKENDS, BackendConfig, create_backend
from medfoundry.serve.runtime import model_spec
from medfoundry.serve.types import Delta, SamplingParams
from medfoundry.store.database import Store
from tests.unit.serve.helpers import make_adapter, passed_model, register_adapter


async def collect(backend, name: str, ids: list[int], params: SamplingParams) -> list[Delta]:  # type: ignore[no-untyped-def]
    return [d async for d in backend.stream(name, ids, params)]


def test_registry_names_both_backends() -> None:
    assert BACKENDS.names() == ["transformers", "vllm"]


def test_stream_respects_max_tokens_and_batches_concurrent_requests(
    store: Store, tiny_model_dir: Path
) -> None:
    model = passed_model(store, tiny_model_dir)
    backend = create_backend("transformers", BackendConfig(max_batch_size=8, batch_wait_ms=20))
    backend.load(store, [model_spec(store, "tiny", model)])
    ids = backend.tokenizer("tiny")("blood pressure", add_special_tokens=False)["input_ids"]

    async def main() -> list[list[Delta]]:
        return await asyncio.gather(
            *(collect(backend, "tiny", ids, SamplingParams(max_tokens=5, temperature=0)) for _ in range(8))
        )

    results = asyncio.run(main())
    worker = backend.groups[str(tiny_model_dir.resolve())].worker  # type: ignore[attr-defined]
    backend.close()
    for deltas in results:
        assert deltas[-1].finish_reason in ("stop", "length")
        assert deltas[-1].completion_tokens <= 5
    texts = {"".join(d.text for d in deltas) for deltas in results}
    assert len(texts) == 1  # greedy: the same prompt gives the same text in one batch
    assert worker.batches < 8 and worker.batched_requests == 8


def test_lora_adapters_share_one_base_and_change_outputs(
    store: Store, tiny_model_dir: Path, tmp_path: Path
) -> None:
    base = passed_model(store, tiny_model_dir)
    one = register_adapter(store, make_adapter(tiny_model_dir, tmp_path / "a1", seed=1), base)
    two = register_adapter(store, make_adapter(tiny_model_dir, tmp_path / "a2", seed=2), base)
    backend = create_backend("transformers", BackendConfig(batch_wait_ms=1))
    specs = [model_spec(store, "base", base), model_spec(store, "one", one), model_spec(store, "two", two)]
    assert specs[1].base.id == base.id and specs[1].adapter is not None
    backend.load(store, specs)
    assert len(backend.groups) == 1  # one copy of the base weights  # type: ignore[attr-defined]
    group = next(iter(backend.groups.values()))  # type: ignore[attr-defined]
    assert set(group.adapters) == {"one", "two"}
    ids = backend.tokenizer("one")("chest pain history", add_special_tokens=False)["input_ids"]
    params = SamplingParams(max_tokens=8, temperature=0)

    async def main() -> list[str]:
        outs = await asyncio.gather(
            *(collect(backend, n, ids, params) for n in ("base", "one", "two", "one"))
        )
        return ["".join(d.text for d in o) + f"|{o[-1].completion_tokens}" for o in outs]

    base_text, one_text, two_text, one_again = asyncio.run(main())
    backend.close()
    assert one_text == one_again
    assert len({base_text, one_text, two_text}) == 3, (
        "each adapter (and the bare base) must answer differently"
    )


def test_unknown_name_is_not_found(store: Store, tiny_model_dir: Path) -> None:
    from medfoundry.errors import NotFound

    backend = create_backend("transformers", BackendConfig())
    backend.load(store, [model_spec(store, "tiny", passed_model(store, tiny_model_dir))])
    with pytest.raises(NotFound):
        backend.tokenizer("other")
    backend.close()


def test_vllm_fails_with_a_clear_message_where_it_cannot_run() -> None:
    import torch

    from medfoundry.serve.vllm_backend import BackendUnavailable

    if torch.cuda.is_available():
        pytest.skip("a GPU is present: the vllm backend may run here")
    with pytest.raises(BackendUnavailable) as info:
        create_backend("vllm")
    assert "GPU" in info.value.message and "transformers" in (info.value.hint or "")
