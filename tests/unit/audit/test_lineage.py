from __future__ import annotations

import pytest

from medfoundry.audit import lineage
from medfoundry.errors import NotFound
from medfoundry.store.database import Store
from medfoundry.version import code_version


def test_show_builds_the_ancestor_tree(any_store: Store) -> None:
    raw = any_store.put_artifact(b"raw", kind="raw", name="raw.jsonl", phi=True)
    clean = any_store.put_artifact(b"clean", kind="deid", name="clean.jsonl")
    lineage.record(any_store, raw.id, [("source:export/Patient.000.ndjson", "read-from")])
    lineage.record(any_store, clean.id, [(raw.id, "deidentified-from")])
    lineage.record(any_store, clean.id, [(raw.id, "deidentified-from")])  # repeat is a no-op

    tree = lineage.show(any_store, clean.id)
    assert tree.code_version == code_version()
    assert [p.id for p in tree.parents] == [raw.id]
    assert tree.parents[0].relation == "deidentified-from"
    source = tree.parents[0].parents[0]
    assert source.type == "external" and source.label == "export/Patient.000.ndjson"
    assert tree.ids() == {clean.id, raw.id, "source:export/Patient.000.ndjson"}


def test_unknown_ids_are_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        lineage.show(store, "art_doesnotexist")
    with pytest.raises(NotFound, match="not a medfoundry object id"):
        lineage.show(store, "whatever")
