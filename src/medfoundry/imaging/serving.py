"""Image-text deployments at serving time: the loaded model, its OOD detector, one lock.

A deployment whose model is a CLIP/SigLIP/open_clip model is served here rather than by
the text backend. An OOD detector saved in ``<model dir>/medfoundry_ood`` (by
``medfoundry images ood fit``) is applied to every image embedding the server returns.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from medfoundry.errors import NotFound
from medfoundry.imaging.models import OOD_DIRNAME, ImageTextModel, load_image_text_model
from medfoundry.imaging.ood import OODDetector
from medfoundry.imaging.vector_index import StoredIndex, named_index_dir, read_index
from medfoundry.store.models import Model

logger = logging.getLogger(__name__)


@dataclass
class ServedImageModel:
    name: str
    model: ImageTextModel
    ood: OODDetector | None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def embed_images(self, images: list[object]) -> np.ndarray:
        with self.lock:  # torch on CPU: one forward at a time per model keeps latency steady
            return self.model.embed_images(images)

    def embed_texts(self, texts: list[str]) -> np.ndarray:
        with self.lock:
            return self.model.embed_texts(texts)


def load_served_image_models(models: dict[str, Model]) -> dict[str, ServedImageModel]:
    """Served name → loaded model; deployments of one location share one copy of the weights."""
    loaded: dict[str, ImageTextModel] = {}
    served = {}
    for name, row in models.items():
        if row.location not in loaded:
            loaded[row.location] = load_image_text_model(row.location)
        ood_dir = Path(row.location, OOD_DIRNAME)
        ood = OODDetector.load(ood_dir) if (ood_dir / "ood.json").exists() else None
        served[name] = ServedImageModel(name, loaded[row.location], ood)
    if served:
        logger.info("serving %d image-text deployments", len(served))
    return served


class IndexCache:
    """Named indexes of the home, loaded on first search and reloaded when rewritten."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: dict[Path, tuple[float, StoredIndex]] = {}

    def get(self, home: Path, name: str) -> StoredIndex:
        folder = named_index_dir(home, name)
        if not (folder / "index.json").exists():
            raise NotFound(
                f"no index named '{name}' on this server",
                hint="write one with 'medfoundry images embed SOURCE --model M --name NAME'",
            )
        stamp = (folder / "index.json").stat().st_mtime
        with self._lock:
            cached = self._loaded.get(folder)
            if cached is None or cached[0] != stamp:
                cached = (stamp, read_index(folder, backend="auto"))
                self._loaded[folder] = cached
            return cached[1]


INDEXES = IndexCache()
