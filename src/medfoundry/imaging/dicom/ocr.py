"""Burned-in text: OCR every frame (tesseract), blank the text boxes, OCR again.

Needs Debian's ``tesseract-ocr`` and the ``pytesseract`` package. The pixels are written
back uncompressed (Explicit VR Little Endian), RGB and multi-frame included.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import numpy as np
from pydicom.dataset import Dataset

from medfoundry.errors import DependencyMissing, MedfoundryError
from medfoundry.imaging.dicom.read import decode_pixels

MIN_CONFIDENCE = 30.0
MIN_TEXT_CHARACTERS = 2


class TesseractMissing(MedfoundryError):
    exit_code = DependencyMissing.exit_code

    def __init__(self) -> None:
        super().__init__(
            "--ocr needs the tesseract program, which is not on PATH",
            hint="install it with: apt-get install tesseract-ocr (Debian/Ubuntu)",
        )


@dataclass(frozen=True)
class OcrOutcome:
    frames: int
    boxes: int
    residual: int


def ocr_available() -> bool:
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        return False
    return shutil.which("tesseract") is not None


def require_ocr() -> None:
    try:
        import pytesseract  # noqa: F401
    except ImportError as exc:
        raise DependencyMissing("pytesseract", extra="imaging", feature="--ocr") from exc
    if shutil.which("tesseract") is None:
        raise TesseractMissing()


def _as_8bit(frame: np.ndarray) -> np.ndarray:
    data = frame.astype(np.float32)
    if data.ndim == 3:
        data = data.mean(axis=2)
    low, high = float(data.min()), float(data.max())
    scaled = (data - low) / (high - low) * 255.0 if high > low else np.zeros_like(data)
    return scaled.astype(np.uint8)


def text_boxes(frame: np.ndarray) -> list[tuple[int, int, int, int]]:
    """(left, top, width, height) of each word tesseract reads in one frame."""
    import pytesseract
    from PIL import Image

    gray = _as_8bit(frame)
    boxes = []
    # light text on dark (typical annotations) and dark on light: OCR both polarities
    for image in (gray, 255 - gray):
        data = pytesseract.image_to_data(Image.fromarray(image), output_type=pytesseract.Output.DICT)
        for i, word in enumerate(data["text"]):
            if len(word.strip()) >= MIN_TEXT_CHARACTERS and float(data["conf"][i]) >= MIN_CONFIDENCE:
                boxes.append((data["left"][i], data["top"][i], data["width"][i], data["height"][i]))
    return boxes


def _blank(frame: np.ndarray, boxes: list[tuple[int, int, int, int]], value: int | float) -> None:
    pad = 2
    for left, top, width, height in boxes:
        frame[max(0, top - pad) : top + height + pad, max(0, left - pad) : left + width + pad, ...] = value


def blank_burned_in_text(ds: Dataset) -> OcrOutcome:
    """Blank every text box on every frame of ``ds`` (in place); then OCR again and count what is left."""
    require_ocr()
    pixels = decode_pixels(ds)
    frames_count = int(ds.get("NumberOfFrames", 1) or 1)
    frames = pixels if frames_count > 1 else pixels[np.newaxis, ...]
    fill = pixels.min()
    found = 0
    for frame in frames:
        boxes = text_boxes(frame)
        found += len(boxes)
        _blank(frame, boxes, fill)
    residual = sum(len(text_boxes(frame)) for frame in frames) if found else 0
    if found:
        photometric = "RGB" if int(ds.get("SamplesPerPixel", 1)) == 3 else str(ds.PhotometricInterpretation)
        ds.set_pixel_data(pixels, photometric, int(ds.BitsStored))
        ds.BurnedInAnnotation = "NO" if residual == 0 else "YES"
    return OcrOutcome(frames=len(frames), boxes=found, residual=residual)
