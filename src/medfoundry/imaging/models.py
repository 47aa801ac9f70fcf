"""Two-tower image-text models (CLIP, SigLIP, open_clip) behind one small interface.

``load_image_text_model`` takes a local directory written by ``save_pretrained`` (or a
hub id already in the local cache) and returns an ``ImageTextModel`` that embeds
images and texts as L2-normalised float32 rows and scores them against each other.
``build_tiny_clip`` writes a random-weight CLIP-shaped model for tests: its outputs
are meaningless, only the shapes and code paths are real.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from medfoundry.errors import DependencyMissing, InputError

logger = logging.getLogger(__name__)

IMAGE_TEXT_MODEL_TYPES = frozenset({"clip", "siglip", "siglip2", "open_clip"})
OOD_DIRNAME = "medfoundry_ood"
_TINY_PHRASES = (
    "a chest x-ray showing pneumonia",
    "a chest x-ray with no finding",
    "a ct scan of the head",
    "an mri of the knee",
    "a photo of a skin lesion",
    "fundus photograph of the retina",
    "histopathology slide with tumor cells",
)


def is_image_text_model(meta: dict[str, Any]) -> bool:
    """Whether a registered model's facts say it is a two-tower image-text model."""
    return (
        str(meta.get("model_type") or "") in IMAGE_TEXT_MODEL_TYPES
        or meta.get("architecture") == "image-text-contrastive"
    )


def _l2(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.maximum(norms, 1e-12)


def _tensor(output: Any) -> Any:
    """transformers 5 returns a ``BaseModelOutputWithPooling`` where v4 returned the tensor."""
    if hasattr(output, "pooler_output") and output.pooler_output is not None:
        return output.pooler_output
    if hasattr(output, "image_embeds"):
        return output.image_embeds
    return output


@dataclass
class ImageTextModel:
    """A loaded two-tower model: ``embed_images``, ``embed_texts`` and zero-shot ``logits``."""

    location: str
    kind: str  # clip | siglip | open_clip
    model: Any
    processor: Any
    logit_scale: float
    logit_bias: float = 0.0
    batch_size: int = 16
    device: str = "cpu"

    def embed_images(self, images: Sequence[Any]) -> np.ndarray:
        """PIL images → (n, dim) unit rows."""
        import torch

        rows = []
        for start in range(0, len(images), self.batch_size):
            chunk = [image.convert("RGB") for image in images[start : start + self.batch_size]]
            with torch.inference_mode():
                if self.kind == "open_clip":
                    pixels = torch.stack([self.processor[0](image) for image in chunk])
                    features = self.model.encode_image(pixels.to(self.device))
                else:
                    inputs = self.processor(images=chunk, return_tensors="pt")
                    pixels = inputs["pixel_values"].to(self.device)
                    features = _tensor(self.model.get_image_features(pixel_values=pixels))
            rows.append(features.float().cpu().numpy())
        return _l2(np.concatenate(rows)) if rows else np.zeros((0, self.dim), np.float32)

    def embed_texts(self, texts: Sequence[str]) -> np.ndarray:
        """Strings → (n, dim) unit rows."""
        import torch

        rows = []
        for start in range(0, len(texts), self.batch_size):
            chunk = list(texts[start : start + self.batch_size])
            with torch.inference_mode():
                if self.kind == "open_clip":
                    features = self.model.encode_text(self.processor[1](chunk).to(self.device))
                else:
                    inputs = self.processor(
                        text=chunk, return_tensors="pt", truncation=True, **self._padding()
                    )
                    inputs.pop("pixel_values", None)
                    inputs = {name: tensor.to(self.device) for name, tensor in inputs.items()}
                    features = _tensor(self.model.get_text_features(**inputs))
            rows.append(features.float().cpu().numpy())
        return _l2(np.concatenate(rows)) if rows else np.zeros((0, self.dim), np.float32)

    def _padding(self) -> dict[str, Any]:
        """SigLIP was trained on texts padded to its full length; CLIP pads to the longest."""
        if self.kind != "siglip":
            return {"padding": True}
        return {
            "padding": "max_length",
            "max_length": int(self.model.config.text_config.max_position_embeddings),
        }

    @property
    def dim(self) -> int:
        config = getattr(self.model, "config", None)
        for name in ("projection_dim",):
            if config is not None and getattr(config, name, None):
                return int(getattr(config, name))
        if config is not None and hasattr(config, "text_config"):
            return int(config.text_config.hidden_size)
        return int(getattr(getattr(self.model, "visual", None), "output_dim", 0) or 0)  # open_clip

    def logits(self, image_rows: np.ndarray, text_rows: np.ndarray) -> np.ndarray:
        """Scaled cosine similarities: images x texts."""
        return self.logit_scale * (image_rows @ text_rows.T) + self.logit_bias


def load_image_text_model(location: str, *, device: str | None = None) -> ImageTextModel:
    """A CLIP/SigLIP directory (or cached hub id), or an open_clip ``hf-hub:``/``local-dir:`` name."""
    if location.startswith(("hf-hub:", "local-dir:")):
        return _load_open_clip(location, device)
    try:
        import torch
        from transformers import AutoModel, AutoProcessor
    except ImportError as exc:
        raise DependencyMissing("transformers", extra="ml", feature="image-text models") from exc
    directory = Path(location).expanduser()
    if directory.is_dir() and (directory / "open_clip_config.json").exists():
        return _load_open_clip(f"local-dir:{directory}", device)
    model = AutoModel.from_pretrained(location)
    kind = str(getattr(model.config, "model_type", ""))
    if kind not in IMAGE_TEXT_MODEL_TYPES:
        raise InputError(
            f"{location} is a '{kind}' model, not an image-text model (CLIP or SigLIP)",
            hint="pass a CLIP/SigLIP directory, or an open_clip 'hf-hub:' / 'local-dir:' name",
        )
    processor = AutoProcessor.from_pretrained(location)
    device = device or "cpu"
    model = model.to(device).eval()
    scale = float(torch.exp(model.logit_scale).item())
    bias = float(model.logit_bias.item()) if getattr(model, "logit_bias", None) is not None else 0.0
    family = "siglip" if kind.startswith("siglip") else "clip"
    return ImageTextModel(location, family, model, processor, scale, bias, device=device)


def _load_open_clip(name: str, device: str | None = None) -> ImageTextModel:
    try:
        import open_clip
    except ImportError as exc:
        raise DependencyMissing("open_clip_torch", extra="imaging", feature=f"loading {name}") from exc
    model, _, preprocess = open_clip.create_model_and_transforms(name, device=device or "cpu")
    tokenizer = open_clip.get_tokenizer(name)
    model.eval()
    scale = float(model.logit_scale.exp().item())
    bias = float(model.logit_bias.item()) if getattr(model, "logit_bias", None) is not None else 0.0
    return ImageTextModel(
        name, "open_clip", model, (preprocess, tokenizer), scale, bias, device=device or "cpu"
    )


def _tiny_tokenizer(max_length: int) -> Any:
    """A byte-level BPE (vocabulary 300) trained on a few radiology phrases, with CLIP's markers."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    bos, eos = "<|startoftext|>", "<|endoftext|>"
    tokenizer = Tokenizer(models.BPE(unk_token=None))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(
        vocab_size=300,
        special_tokens=[bos, eos],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(_TINY_PHRASES, trainer=trainer)
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        special_tokens=[(bos, tokenizer.token_to_id(bos)), (eos, tokenizer.token_to_id(eos))],
    )
    tokenizer.decoder = decoders.ByteLevel()
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, bos_token=bos, eos_token=eos, pad_token=eos, model_max_length=max_length
    )


def _tiny_text_config(fast: Any) -> dict[str, Any]:
    return {
        "vocab_size": fast.vocab_size,
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "max_position_embeddings": 32,
        "bos_token_id": fast.bos_token_id,
        "eos_token_id": fast.eos_token_id,
        "pad_token_id": fast.pad_token_id,
    }


def _tiny_vision_config(image_size: int) -> dict[str, Any]:
    return {
        "image_size": image_size,
        "patch_size": 8,
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
    }


def _mark_tiny(directory: Path, family: str, seed: int) -> Path:
    (directory / "MEDFOUNDRY_TINY_MODEL").write_text(
        json.dumps(
            {"note": f"random-weight {family} built for tests; its outputs mean nothing", "seed": seed}
        )
    )
    return directory


def build_tiny_clip(directory: Path, *, seed: int = 0, image_size: int = 32) -> Path:
    """Write a random-weight CLIP (about 53k parameters) with a trained byte-level BPE tokenizer."""
    import torch
    from transformers import CLIPConfig, CLIPImageProcessorPil, CLIPModel, CLIPProcessor

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    fast = _tiny_tokenizer(32)
    config = CLIPConfig(
        text_config=_tiny_text_config(fast), vision_config=_tiny_vision_config(image_size), projection_dim=16
    )
    torch.manual_seed(seed)
    CLIPModel(config).save_pretrained(directory)
    image_processor = CLIPImageProcessorPil(
        size={"shortest_edge": image_size}, crop_size={"height": image_size, "width": image_size}
    )
    CLIPProcessor(image_processor=image_processor, tokenizer=fast).save_pretrained(directory)
    return _mark_tiny(directory, "CLIP", seed)


def build_tiny_siglip(directory: Path, *, seed: int = 0, image_size: int = 32) -> Path:
    """Write a random-weight SigLIP (MedSigLIP's architecture) with the same tokenizer."""
    import torch
    from transformers import SiglipConfig, SiglipImageProcessorPil, SiglipModel, SiglipProcessor

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    fast = _tiny_tokenizer(32)
    text = {k: v for k, v in _tiny_text_config(fast).items() if not k.endswith("_token_id")}
    config = SiglipConfig(text_config=text, vision_config=_tiny_vision_config(image_size))
    torch.manual_seed(seed)
    SiglipModel(config).save_pretrained(directory)
    image_processor = SiglipImageProcessorPil(size={"height": image_size, "width": image_size})
    SiglipProcessor(image_processor=image_processor, tokenizer=fast).save_pretrained(directory)
    return _mark_tiny(directory, "SigLIP", seed)


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return np.asarray(exp / exp.sum(axis=-1, keepdims=True))


def sigmoid(logits: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(logits, -60, 60))))


DEFAULT_TEMPLATES = ("{label}",)


def zero_shot(
    model: ImageTextModel,
    image_rows: np.ndarray,
    labels: Sequence[str],
    *,
    templates: Sequence[str] = DEFAULT_TEMPLATES,
    multilabel: bool = False,
) -> np.ndarray:
    """(n_images, n_labels) probabilities; each label's prompt embedding is the mean over templates."""
    if not labels:
        raise InputError("labels: give at least one label")
    if any("{label}" not in template for template in templates):
        raise InputError(
            "templates: every template must contain '{label}', e.g. 'a chest x-ray showing {label}'"
        )
    prompts = [template.replace("{label}", label) for label in labels for template in templates]
    rows = model.embed_texts(prompts).reshape(len(labels), len(templates), -1).mean(axis=1)
    logits = model.logits(image_rows, _l2(rows))
    if multilabel or model.kind == "siglip":
        return sigmoid(logits)
    return softmax(logits)
