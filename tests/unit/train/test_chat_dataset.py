"""Registering chat JSONL as a task dataset version: validation, PHI scan, split, refusal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medfoundry.dataset_versions import create_version
from medfoundry.datasets.chat import check_trainable, load_chat_data, register_chat_jsonl
from medfoundry.errors import InputError, PHILeakError
from medfoundry.store.database import Store
from tests.unit.train.helpers import write_chat_jsonl


def test_register_splits_hashes_scans_and_audits(any_store: Store, tmp_path: Path) -> None:
    path = write_chat_jsonl(tmp_path / "notes.jsonl", n=40)
    version = register_chat_jsonl(any_store, path, validation_fraction=0.25, seed=1)
    assert version.kind == "task" and version.phi is False
    assert version.meta["phi_scan"]["passed"] is True
    split = version.meta["split"]
    assert split["train"] + split["validation"] == 40 and 0 < split["validation"] < 20
    data = load_chat_data(any_store, version, validation_split=0.25, seed=1)
    assert (len(data.train), len(data.validation)) == (split["train"], split["validation"])
    assert len(version.content_hash) == 64
    actions = [event.action for event in any_store.audit.tail(10)]
    assert "dataset_version.create" in actions
    again = register_chat_jsonl(any_store, path, validation_fraction=0.25, seed=1)
    assert again.id == version.id  # same content: no new version


def test_file_with_phi_is_refused_and_nothing_stored(store: Store, tmp_path: Path) -> None:
    leak = {"messages": [{"role": "user", "content": "SSN 123-45-6789, mail jane.doe@example.com"},
                         {"role": "assistant", "content": "noted"}]}  # fmt: skip
    path = write_chat_jsonl(tmp_path / "leaky.jsonl", n=5, extra=[leak])
    with pytest.raises(PHILeakError) as caught:
        register_chat_jsonl(store, path)
    assert "123-45-6789" not in caught.value.message and "jane" not in caught.value.message
    events = store.audit.tail(5)
    assert events[-1].action == "dataset.phi_refused"
    assert "123-45-6789" not in json.dumps([e.details for e in events])


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"messages": []}', "non-empty list"),
        ('{"messages": [{"role": "doctor", "content": "x"}]}', "role must be one of"),
        ('{"messages": [{"role": "user", "content": "x"}]}', "no assistant message"),
    ],
)
def test_bad_lines_name_file_and_line(store: Store, tmp_path: Path, line: str, message: str) -> None:
    path = write_chat_jsonl(tmp_path / "bad.jsonl", n=2)
    path.write_text(path.read_text() + line + "\n")
    with pytest.raises(InputError, match=message) as caught:
        register_chat_jsonl(store, path)
    assert f"{path}:3" in caught.value.message


def test_raw_or_unscanned_versions_are_not_trainable(store: Store) -> None:
    artifact = store.put_artifact(b'{"x": 1}\n', kind="records", name="raw.jsonl", phi=True)
    raw = create_version(store, dataset_name="raw", kind="raw", artifact=artifact, source="t", counts={})
    with pytest.raises(PHILeakError, match="raw version holding PHI"):
        check_trainable(raw)
    clean = store.put_artifact(b'{"messages": []}\n', kind="dataset-chat-jsonl", name="t.jsonl")
    unscanned = create_version(store, dataset_name="t", kind="task", artifact=clean, source="t", counts={})
    with pytest.raises(PHILeakError, match="no clean PHI scan"):
        check_trainable(unscanned)
