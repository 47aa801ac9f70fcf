from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from medfoundry.errors import InputError
from medfoundry.imaging.models import is_image_text_model, load_image_text_model, zero_shot
from tests.unit.imaging.conftest import colour_noise, gray_scans


def test_tiny_clip_embeds_unit_rows_and_reloads_identically(tiny_clip, tiny_clip_dir: Path) -> None:
    images = gray_scans(3, seed=1)
    rows = tiny_clip.embed_images(images)
    texts = tiny_clip.embed_texts(["a chest x-ray", "an mri of the knee"])
    assert rows.shape == (3, 16) and texts.shape == (2, 16)
    assert np.allclose(np.linalg.norm(rows, axis=1), 1, atol=1e-5)
    again = load_image_text_model(str(tiny_clip_dir))
    assert np.allclose(again.embed_images(images), rows, atol=1e-6)
    assert (tiny_clip_dir / "MEDFOUNDRY_TINY_MODEL").exists()


def test_embedding_is_independent_of_batching(tiny_clip) -> None:
    images = gray_scans(5, seed=2) + colour_noise(3, seed=2)
    together = tiny_clip.embed_images(images)
    one_by_one = np.concatenate([tiny_clip.embed_images([image]) for image in images])
    assert np.allclose(together, one_by_one, atol=1e-5)


def test_zero_shot_softmax_sums_to_one_and_multilabel_does_not(tiny_clip) -> None:
    rows = tiny_clip.embed_images(gray_scans(4, seed=3))
    labels = ["pneumonia", "no finding", "effusion"]
    probs = zero_shot(tiny_clip, rows, labels, templates=["a chest x-ray showing {label}"])
    assert probs.shape == (4, 3) and np.allclose(probs.sum(axis=1), 1)
    multi = zero_shot(tiny_clip, rows, labels, multilabel=True)
    assert ((multi > 0) & (multi < 1)).all() and not np.allclose(multi.sum(axis=1), 1)
    # a prompt ensemble averages the templates' text embeddings before scoring
    ensemble = zero_shot(tiny_clip, rows, labels, templates=["{label}", "a chest x-ray showing {label}"])
    assert not np.allclose(ensemble, probs)


def test_zero_shot_rejects_templates_without_the_label(tiny_clip) -> None:
    rows = tiny_clip.embed_images(gray_scans(1, seed=4))
    with pytest.raises(InputError, match="label"):
        zero_shot(tiny_clip, rows, ["a"], templates=["no placeholder"])


def test_image_text_models_are_recognised_from_registered_facts() -> None:
    assert is_image_text_model({"model_type": "clip"})
    assert is_image_text_model({"model_type": "siglip"})
    assert is_image_text_model({"architecture": "image-text-contrastive"})
    assert not is_image_text_model({"model_type": "llama"})


def test_a_causal_lm_directory_is_refused_by_the_image_loader(tmp_path: Path) -> None:
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(hidden_size=16, intermediate_size=32, num_hidden_layers=1, num_attention_heads=2,
                         num_key_value_heads=1, vocab_size=64)  # fmt: skip
    LlamaForCausalLM(config).save_pretrained(tmp_path / "lm")
    with pytest.raises(InputError, match="not an image-text model"):
        load_image_text_model(str(tmp_path / "lm"))


def test_a_tiny_siglip_loads_pads_to_full_length_and_scores_with_sigmoids(tmp_path: Path) -> None:
    from medfoundry.imaging.models import build_tiny_siglip

    model = load_image_text_model(str(build_tiny_siglip(tmp_path / "siglip")))
    assert model.kind == "siglip" and model._padding() == {"padding": "max_length", "max_length": 32}
    rows = model.embed_images(gray_scans(2, seed=5))
    texts = model.embed_texts(["a chest x-ray", "an mri of the knee with effusion"])
    assert rows.shape == (2, 32) and texts.shape == (2, 32)
    probs = zero_shot(model, rows, ["pneumonia", "no finding"])
    assert ((probs > 0) & (probs < 1)).all() and not np.allclose(probs.sum(axis=1), 1)
    logits = model.logits(rows, model.embed_texts(["pneumonia", "no finding"]))  # scale * cosine + bias
    assert np.allclose(probs, 1 / (1 + np.exp(-logits)), atol=1e-5)
