"""The hash-chained audit log and lineage."""
