"""Medical imaging: DICOM, image-text models, search, OOD and drift."""
