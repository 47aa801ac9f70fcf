"""Datasets and their versions: content-hashed, with lineage."""
