"""DICOM: ingest (files, DICOMweb), the Study/Series/Instance index, PS3.15 de-identification, export."""

import logging
import warnings

import pydicom  # noqa: F401 - configures its logger on import; the level below must come after

# pydicom's validation messages quote header values (names, UIDs), so they must not reach
# logs; its decoder errors become quarantine reasons, so their tracebacks are not needed.
logging.getLogger("pydicom").setLevel(logging.CRITICAL)
warnings.filterwarnings("ignore", category=UserWarning, module=r"pydicom(\.|$)")
