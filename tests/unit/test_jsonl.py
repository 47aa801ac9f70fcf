"""The one JSONL reader: values with 1-based line numbers; bad lines name file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from medfoundry.errors import InputError
from medfoundry.jsonl import parse_jsonl_chunks, read_jsonl


def test_values_come_with_their_line_numbers_and_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"a": 1}\n\n   \n{"a": 2}\n')
    assert list(read_jsonl(path)) == [(1, {"a": 1}), (4, {"a": 2})]


@pytest.mark.parametrize(
    ("line", "objects", "message"),
    [("{not json", False, "not valid JSON"), ("[1, 2]", True, "expected a JSON object")],
)
def test_a_bad_line_names_file_and_line_and_carries_the_hint(
    tmp_path: Path, line: str, objects: bool, message: str
) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"ok": true}\n' + line + "\n")
    with pytest.raises(InputError) as caught:
        list(read_jsonl(path, objects=objects, hint="one object per line"))
    assert caught.value.message.startswith(f"{path}:2: {message}")
    assert caught.value.hint == "one object per line"


def test_chunks_split_mid_line_give_the_same_rows() -> None:
    data = b'{"a": 1}\n{"b": 2}\n\n{"c": 3}'
    chunks = [data[i : i + 3] for i in range(0, len(data), 3)]
    assert list(parse_jsonl_chunks(chunks, "artifact")) == [(1, {"a": 1}), (2, {"b": 2}), (4, {"c": 3})]
    with pytest.raises(InputError, match="artifact:2: not valid JSON"):
        list(parse_jsonl_chunks([b'{"a": 1}\n{oops'], "artifact"))
