"""The curated catalog: coverage, facts' shape, search filters, registration from it."""

from __future__ import annotations

import pytest

from medfoundry.catalog.curated import catalog_entry, load_catalog, parse_size, search
from medfoundry.catalog.resolve import resolve_model
from medfoundry.errors import ConfigError
from medfoundry.store.database import Store


def test_catalog_has_the_required_breadth() -> None:
    entries = load_catalog()
    assert len(entries) >= 25
    assert len({e.id for e in entries}) == len(entries)
    ids = " ".join(e.id for e in entries).lower()
    for needle in ("med42", "openbiollm", "meditron", "medgemma", "biomistral", "palmyra-med", "smollm2",
                   "qwen2.5", "llama-3.2", "phi-", "biomedbert", "bio_clinicalbert", "deid", "biomedclip",
                   "medimageinsight", "maira"):  # fmt: skip
        assert needle in ids, needle
    assert {e.modality for e in entries} == {"text", "image", "image+text"}


def test_every_entry_has_consistent_facts() -> None:
    for entry in load_catalog():
        assert "/" in entry.id and entry.tasks
        assert entry.context_length is None or entry.context_length >= 256
        estimate = entry.memory_estimate_gb()
        if entry.parameters is not None:
            assert estimate["full"] > estimate["lora"] > estimate["qlora"] > 0  # type: ignore[operator]
        if entry.license in ("msrla", "writer-open-model-license"):
            assert entry.commercial_use is False


@pytest.mark.parametrize(
    ("filters", "must_include", "must_exclude"),
    [
        ({"task": "summarization"}, "HuggingFaceTB/SmolLM2-135M-Instruct", "obi/deid_roberta_i2b2"),
        ({"task": "de-identification"}, "obi/deid_roberta_i2b2", "Qwen/Qwen2.5-7B-Instruct"),
        ({"modality": "image+text"}, "google/medgemma-4b-it", "m42-health/Llama3-Med42-8B"),
        (
            {"license": "apache-2.0", "max_params": 2e9},
            "Qwen/Qwen2.5-1.5B-Instruct",
            "Qwen/Qwen2.5-7B-Instruct",
        ),
        ({"query": "chest x-ray"}, "microsoft/maira-2", "HuggingFaceTB/SmolLM2-135M-Instruct"),
    ],
)
def test_search_filters(filters: dict, must_include: str, must_exclude: str) -> None:
    found = {e.id for e in search(**filters)}
    assert must_include in found and must_exclude not in found


def test_parse_size() -> None:
    assert parse_size("8B") == 8e9 and parse_size("135m") == 135e6 and parse_size("7e9") == 7e9
    with pytest.raises(ConfigError, match="--max-params"):
        parse_size("big")


def test_resolving_a_catalog_id_registers_it_with_its_facts(store: Store) -> None:
    model = resolve_model(store, "Qwen/Qwen2.5-0.5B-Instruct")
    assert model.source == "catalog" and model.meta["license"] == "apache-2.0"
    assert model.meta["fine_tunable"] is True
    assert resolve_model(store, "Qwen/Qwen2.5-0.5B-Instruct").id == model.id
    other = resolve_model(store, "someone/unlisted-model")
    assert other.source == "hub"
    assert catalog_entry("qwen/qwen2.5-0.5b-instruct") is not None
