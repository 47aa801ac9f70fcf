"""Lineage (the hash-chained audit log itself lives in ``medfoundry.store.audit_log``)."""
