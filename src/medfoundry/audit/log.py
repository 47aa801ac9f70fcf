"""Moved to :mod:`medfoundry.store.audit_log`: the store owns its hash-chained log, so the
store no longer imports the audit package that imports it back. This name stays importable."""

from medfoundry.store.audit_log import (
    GENESIS_HASH,
    AuditLog,
    Event,
    VerifyResult,
    canonical_json,
    default_actor,
    event_hash,
)

__all__ = ["GENESIS_HASH", "AuditLog", "Event", "VerifyResult", "canonical_json", "default_actor", "event_hash"]
