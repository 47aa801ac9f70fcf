from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from medfoundry.imaging.preprocess import (
    Skipped,
    Window,
    apply_window,
    dicom_pixels,
    header_window,
    iter_folder,
    load_image,
    resize_square,
)
from tests.unit.imaging.conftest import PYDICOM_FILES


def read(name: str) -> Dataset:
    return pydicom.dcmread(PYDICOM_FILES / name)


def test_monochrome1_is_the_inverse_of_monochrome2() -> None:
    ds = read("CT_small.dcm")
    as_mono2 = dicom_pixels(ds).astype(int)
    ds.PhotometricInterpretation = "MONOCHROME1"
    as_mono1 = dicom_pixels(ds).astype(int)
    assert np.abs(as_mono1 - (255 - as_mono2)).max() <= 1  # equal up to rounding of .5 ties
    assert as_mono1[0, 2] > 250 and as_mono2[0, 2] < 5  # the darkest MONOCHROME2 pixel is the brightest


def test_ct_rescale_and_window_give_hounsfield_windowing() -> None:
    ds = read("CT_small.dcm")
    hu = pydicom.pixels.apply_modality_lut(ds.pixel_array, ds)
    narrow = dicom_pixels(ds, window=Window(center=40, width=80))  # a soft-tissue window
    assert (narrow[hu <= 0] == 0).all() and (narrow[hu >= 80] == 255).all()
    middle = (hu > 10) & (hu < 70)
    assert ((narrow[middle] > 0) & (narrow[middle] < 255)).all()


def test_the_header_window_is_used_when_present() -> None:
    ds = read("MR_small.dcm")
    assert header_window(ds) == Window(600.0, 1600.0)
    expected = np.round(
        apply_window(
            pydicom.pixels.apply_modality_lut(ds.pixel_array, ds).astype(np.float32), Window(600, 1600)
        )
        * 255
    )
    assert np.array_equal(dicom_pixels(ds), expected.astype(np.uint8))


def test_a_voi_lut_sequence_maps_through_the_table() -> None:
    ds = read("CT_small.dcm")
    item = Dataset()
    item.LUTDescriptor = [4096, 0, 12]  # 4096 entries starting at stored value 0, 12-bit output
    item.LUTData = [min(v, 4095) for v in range(4096)][::-1]  # a decreasing table inverts the image
    ds.VOILUTSequence = Sequence([item])
    del ds.RescaleSlope, ds.RescaleIntercept
    out = dicom_pixels(ds)
    raw = ds.pixel_array
    assert out[raw == raw.min()].min() > out[raw == raw.max()].max()


def test_multiframe_and_colour_files_decode_to_uint8() -> None:
    assert dicom_pixels(read("rtdose.dcm")).ndim == 2
    rgb = dicom_pixels(read("SC_rgb_rle.dcm"))
    assert rgb.shape[-1] == 3 and rgb.dtype == np.uint8


def test_dicom_is_recognised_without_a_suffix_and_resized_square(tmp_path: Path) -> None:
    shutil.copy(PYDICOM_FILES / "CT_small.dcm", tmp_path / "noext")
    image = load_image(tmp_path / "noext")
    assert image.mode == "RGB" and image.size == (128, 128)
    square = resize_square(image.crop((0, 0, 128, 64)), 32)
    assert square.size == (32, 32)
    assert np.asarray(square)[0].max() == 0  # padded rows are black


def test_a_broken_file_is_skipped_with_its_reason(tmp_path: Path) -> None:
    shutil.copy(PYDICOM_FILES / "CT_small.dcm", tmp_path / "good.dcm")
    (tmp_path / "broken.dcm").write_bytes(b"\0" * 128 + b"DICM" + b"garbage")
    (tmp_path / "bad.png").write_bytes(b"not a png")
    skipped: list[Skipped] = []
    read_ok = [item.id for item, _ in iter_folder(tmp_path, skipped)]
    assert read_ok == ["good.dcm"]
    assert sorted(s.id for s in skipped) == ["bad.png", "broken.dcm"]
    assert all(s.reason for s in skipped)


@pytest.mark.parametrize(
    "name",
    ["JPEG2000.dcm", "SC_jpeg_no_color_transform.dcm", "MR_small_RLE.dcm", "MR_small_jpeg_ls_lossless.dcm"],
)
def test_compressed_transfer_syntaxes_decode_with_the_plugins(name: str) -> None:
    if not (PYDICOM_FILES / name).exists():
        pytest.skip(f"{name} is not bundled with this pydicom")
    assert dicom_pixels(read(name)).dtype == np.uint8
