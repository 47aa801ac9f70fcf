"""Moved to :mod:`medfoundry.dataset_versions` (a foundation service every stage may use).

This name stays importable for code written against it; stages below ``datasets`` (ingest,
deid) must import ``medfoundry.dataset_versions``, which the layer contract enforces.
"""

from medfoundry.dataset_versions import (
    create_version,
    dataset_name,
    get_version,
    list_versions,
)

__all__ = ["create_version", "dataset_name", "get_version", "list_versions"]
