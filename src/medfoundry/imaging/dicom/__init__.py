"""DICOM: ingest (files, DICOMweb), the Study/Series/Instance index, PS3.15 de-identification, export."""

import logging
import warnings

# pydicom's validation messages quote header values (names, UIDs): they must not reach logs.
logging.getLogger("pydicom").setLevel(logging.ERROR)
warnings.filterwarnings("ignore", category=UserWarning, module=r"pydicom(\.|$)")
