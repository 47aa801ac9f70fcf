"""Pixels for image models: DICOM → 8-bit image (modality LUT, VOI LUT/window, MONOCHROME1), resizing.

Order follows the DICOM grayscale pipeline (PS3.4 N.2): stored values → modality
LUT/rescale → VOI LUT or window → presentation (MONOCHROME1 is inverted so that
bright always means dense) → 0-255. Without a window in the header (or given by the
caller) the 0.5-99.5 percentiles are stretched, as MedImageInsight's client does.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from medfoundry.errors import DependencyMissing, InputError

logger = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff"})
DICOM_SUFFIXES = frozenset({".dcm", ".dicom"})
MAX_PIXELS = 64_000_000  # a decompression bomb guard for uploaded images


@dataclass(frozen=True)
class Window:
    center: float
    width: float


def _pil() -> Any:
    try:
        from PIL import Image
    except ImportError as exc:
        raise DependencyMissing("pillow", extra="imaging", feature="reading images") from exc
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    return Image


def is_dicom_file(path: Path) -> bool:
    """A Part 10 file ('DICM' at offset 128) or a .dcm/.dicom name."""
    if path.suffix.lower() in DICOM_SUFFIXES:
        return True
    try:
        with path.open("rb") as handle:
            handle.seek(128)
            return handle.read(4) == b"DICM"
    except OSError:
        return False


def apply_window(values: np.ndarray, window: Window) -> np.ndarray:
    """Linear window (PS3.3 C.11.2.1.2) to [0, 1]."""
    low = window.center - 0.5 - (window.width - 1) / 2
    high = window.center - 0.5 + (window.width - 1) / 2
    return np.clip((values - low) / max(high - low, 1e-6), 0.0, 1.0)


def _stretch(values: np.ndarray, low_pct: float = 0.5, high_pct: float = 99.5) -> np.ndarray:
    low, high = np.percentile(values, [low_pct, high_pct])
    if high <= low:
        high = low + 1.0
    return np.clip((values - low) / (high - low), 0.0, 1.0)


def _first(value: Any) -> float:
    """A header value that may be multi-valued (several windows) → its first number."""
    if isinstance(value, str | bytes) or not hasattr(value, "__len__"):
        return float(value)
    return float(value[0])


def header_window(dataset: Any) -> Window | None:
    """The first WindowCenter/WindowWidth pair, unless a VOI LUT sequence takes precedence."""
    if "VOILUTSequence" in dataset or "WindowCenter" not in dataset or "WindowWidth" not in dataset:
        return None
    return Window(_first(dataset.WindowCenter), _first(dataset.WindowWidth))


def dicom_pixels(dataset: Any, *, window: Window | None = None, frame: int | None = None) -> np.ndarray:
    """A DICOM dataset → a uint8 array, (H, W) grayscale or (H, W, 3) colour.

    Multi-frame instances give their middle frame unless ``frame`` says which.
    """
    from pydicom.pixels import apply_modality_lut, apply_voi_lut

    try:
        pixels = dataset.pixel_array
    except Exception as exc:  # missing decoder plugin, truncated data...
        syntax = getattr(getattr(dataset, "file_meta", None), "TransferSyntaxUID", None)
        raise InputError(
            f"cannot decode the pixel data ({type(exc).__name__}: {exc}); transfer syntax {syntax}",
            hint='install the decoders with: pip install "medfoundry[imaging]"',
        ) from exc
    frames = int(dataset.get("NumberOfFrames", 1) or 1)
    photometric = str(dataset.get("PhotometricInterpretation", "MONOCHROME2"))
    colour = dataset.get("SamplesPerPixel", 1) > 1
    if frames > 1:
        pixels = pixels[frame if frame is not None else frames // 2]
    if colour:  # pydicom converts YBR to RGB; colour images carry no VOI
        return np.asarray(_stretch(pixels.astype(np.float32), 0, 100) * 255, dtype=np.uint8)
    modality = apply_modality_lut(pixels, dataset)
    values = modality.astype(np.float32)
    window = window or header_window(dataset)
    if window is not None:
        scaled = apply_window(values, window)
    elif "VOILUTSequence" in dataset:
        lookup = (
            modality if np.issubdtype(modality.dtype, np.integer) else np.round(modality).astype(np.int64)
        )
        voi = np.asarray(apply_voi_lut(lookup, dataset, index=0), dtype=np.float32)
        lut = np.asarray(dataset.VOILUTSequence[0].LUTData, dtype=np.float32)
        scaled = np.clip((voi - lut.min()) / max(float(lut.max() - lut.min()), 1.0), 0.0, 1.0)
    else:
        scaled = _stretch(values)
    if photometric == "MONOCHROME1":
        scaled = 1.0 - scaled
    return np.asarray(np.round(scaled * 255), dtype=np.uint8)


def dicom_image(dataset: Any, *, window: Window | None = None) -> Any:
    """A DICOM dataset → a PIL RGB image."""
    return _pil().fromarray(dicom_pixels(dataset, window=window)).convert("RGB")


def read_dicom(path: Path) -> Any:
    try:
        import pydicom
    except ImportError as exc:
        raise DependencyMissing("pydicom", extra="imaging", feature="reading DICOM") from exc
    try:
        return pydicom.dcmread(path)
    except Exception as exc:
        raise InputError(f"{path}: not a readable DICOM file ({type(exc).__name__}: {exc})") from exc


def load_image(path: Path, *, window: Window | None = None) -> Any:
    """A PNG/JPEG/... or DICOM file → a PIL RGB image."""
    path = Path(path)
    if is_dicom_file(path):
        try:
            return dicom_image(read_dicom(path), window=window)
        except InputError as exc:
            raise InputError(f"{path}: {exc.message}", hint=exc.hint) from exc
    return image_from_bytes(path.read_bytes(), where=str(path))


def image_from_bytes(data: bytes, *, where: str = "image") -> Any:
    """Encoded bytes (PNG, JPEG, ... or a DICOM Part 10 file) → a PIL RGB image."""
    if len(data) > 132 and data[128:132] == b"DICM":
        import pydicom

        try:
            return dicom_image(pydicom.dcmread(io.BytesIO(data)))
        except InputError:
            raise
        except Exception as exc:
            raise InputError(f"{where}: not a readable DICOM file ({type(exc).__name__})") from exc
    image_module = _pil()
    try:
        image = image_module.open(io.BytesIO(data))
        image.load()
    except Exception as exc:
        raise InputError(
            f"{where}: not a readable image ({type(exc).__name__})",
            hint="send PNG, JPEG or a DICOM Part 10 file, base64-encoded",
        ) from exc
    return image.convert("RGB")


def resize_square(image: Any, size: int) -> Any:
    """Fit the longer side to ``size`` and pad to a square with black (keeps the aspect ratio)."""
    image_module = _pil()
    scale = size / max(image.size)
    resized = image.resize(
        (max(1, round(image.width * scale)), max(1, round(image.height * scale))),
        image_module.Resampling.BICUBIC,
    )
    canvas = image_module.new("RGB", (size, size))
    canvas.paste(resized, ((size - resized.width) // 2, (size - resized.height) // 2))
    return canvas


@dataclass(frozen=True)
class ImageItem:
    """One image of a folder: its id (path relative to the folder) and where it came from."""

    id: str
    path: Path
    is_dicom: bool


@dataclass(frozen=True)
class Skipped:
    id: str
    reason: str


def list_folder(folder: Path) -> list[ImageItem]:
    """Image and DICOM files under ``folder``, sorted by relative path."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder", hint="give a folder of PNG/JPEG/DICOM files")
    items = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        dicom = suffix in DICOM_SUFFIXES or (suffix not in IMAGE_SUFFIXES and is_dicom_file(path))
        if dicom or suffix in IMAGE_SUFFIXES:
            items.append(ImageItem(path.relative_to(folder).as_posix(), path, dicom))
    return items


def iter_folder(
    folder: Path, skipped: list[Skipped], *, window: Window | None = None
) -> Iterator[tuple[ImageItem, Any]]:
    """(item, PIL image) one at a time; unreadable files land in ``skipped`` with the reason."""
    for item in list_folder(folder):
        try:
            yield item, load_image(item.path, window=window)
        except InputError as exc:
            skipped.append(Skipped(item.id, exc.message))
