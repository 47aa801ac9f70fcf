"""Medical imaging: DICOM ingest and de-identification, image-text models, search, OOD and drift."""
