"""A hash-chain proof for a subset of audit events.

The pack holds the events that concern the model in full, and for every event from
the first of them to the chain's head only (seq, prev_hash, hash). A verifier
recomputes each included event's hash from its content and checks that every link
joins, so the events are shown to sit, unaltered, in a chain that ends at the head
hash recorded in the pack — which an auditor compares with ``medfoundry audit verify``
on the live system.
"""

from __future__ import annotations

import itertools
from typing import Any

from medfoundry.store.audit_log import AuditLog, Event, canonical_json, event_hash


def chain_proof(audit: AuditLog, object_ids: set[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(events about the objects, the chain links from the first of them to the head)."""
    events: list[Event] = []
    links: list[dict[str, Any]] = []
    for event in audit.iter_events():
        relevant = event.object_id in object_ids or _mentions(event, object_ids)
        if relevant:
            events.append(event)
        if events:
            links.append({"seq": event.seq, "prev_hash": event.prev_hash, "hash": event.hash})
    return [e.to_dict() for e in events], links


def _mentions(event: Event, object_ids: set[str]) -> bool:
    return any(isinstance(v, str) and v in object_ids for v in event.details.values())


def check_proof(events: list[dict[str, Any]], links: list[dict[str, Any]], head_hash: str) -> list[str]:
    """Problems found; empty when the proof holds."""
    problems = []
    by_seq = {link["seq"]: link for link in links}
    for event in events:
        recomputed = event_hash(
            event["seq"], event["ts"], event["actor"], event["action"], event["object_type"],
            event["object_id"], canonical_json(event["details"]), event["prev_hash"],
        )  # fmt: skip
        link = by_seq.get(event["seq"])
        if recomputed != event["hash"] or link is None or link["hash"] != event["hash"]:
            problems.append(f"audit event {event['seq']} does not match its hash")
    for before, after in itertools.pairwise(links):
        if after["seq"] != before["seq"] + 1 or after["prev_hash"] != before["hash"]:
            problems.append(f"audit chain link broken between events {before['seq']} and {after['seq']}")
    if links and links[-1]["hash"] != head_hash:
        problems.append("the audit chain does not end at the head hash recorded in the manifest")
    return problems
