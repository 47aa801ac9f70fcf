"""Medical imaging: DICOM ingest and de-identification, image models, embeddings and search."""
