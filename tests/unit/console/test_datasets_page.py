"""The datasets pages show counts as a table (nested counts as nested tables), never a Python dict."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from medfoundry.api import create_app
from medfoundry.dataset_versions import create_version
from medfoundry.serve.keys import create_key
from medfoundry.store.database import Store
from tests.unit.console.test_console_http import sign_in

COUNTS = {"patients": 24, "resources": {"Observation": 310, "Condition": 57}, "quarantined": 0}


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store), base_url="http://127.0.0.1") as test_client:
        _, secret = create_key(store, scope="viewer")
        sign_in(test_client, secret)
        yield test_client


@pytest.fixture
def version_id(store: Store) -> str:
    artifact = store.put_artifact(b'{"x": 1}\n', kind="records", name="raw.jsonl", phi=True)
    return create_version(
        store, dataset_name="raw", kind="raw", artifact=artifact, source="generated", counts=COUNTS
    ).id


def _rows(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr><th scope="row">([^<]+)</th><td class="num">([^<]+)</td></tr>', html)


@pytest.mark.parametrize("page", ["list", "version"])
def test_counts_are_a_table_of_names_and_numbers(client: TestClient, version_id: str, page: str) -> None:
    path = "/console/datasets" if page == "list" else f"/console/datasets/{version_id}"
    html = client.get(path).text
    assert re.search(r'data-testid="(dataset-)?counts"><table class="counts">', html)
    assert "{&#39;" not in html and "&#39;: " not in html  # what a printed Python dict looks like
    assert ("patients", "24") in _rows(html)
    assert ("quarantined", "0") in _rows(html)
    assert {("Observation", "310"), ("Condition", "57")} <= set(_rows(html))
