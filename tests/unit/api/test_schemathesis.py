"""Property-based fuzzing of the published OpenAPI schema: no 5xx, no schema violations.

Valid and invalid (negative) requests are generated for every operation; examples are
kept few so the test stays fast on a small CPU.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from medfoundry.api import create_app
from medfoundry.store.database import Store
from tests.unit.api.conftest import make_config
from tests.unit.serve.helpers import deploy_tiny, new_key


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_fuzzing_finds_no_server_errors(store: Store, tiny_model_dir: Path, mode: GenerationMode) -> None:
    deploy_tiny(store, tiny_model_dir, "tiny", "default")
    app = create_app(store, config=make_config(max_tokens_limit=4, default_max_tokens=2))
    headers = {"Authorization": f"Bearer {new_key(store)}"}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} >= {
        "POST /v1/chat/completions",
        "POST /v1/completions",
        "GET /v1/models",
    }
    seen: list[int] = []
    for operation in operations:
        if mode == GenerationMode.NEGATIVE and operation.method.upper() != "POST":
            continue  # nothing to make invalid in a GET without parameters
        fuzz(operation, mode, headers, seen)
    app.state.medfoundry.runtime.close()
    assert seen


def fuzz(operation: Any, mode: GenerationMode, headers: dict[str, str], seen: list[int]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: schemathesis.Case) -> None:
        response = case.call(headers=headers)
        seen.append(response.status_code)
        assert response.status_code < 500, (
            f"{case.method} {case.path}: {response.status_code} {response.text}"
        )
        operation.validate_response(response)

    check()
