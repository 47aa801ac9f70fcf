"""Property-based fuzzing of the OpenAPI schema: no 5xx, responses match the schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from medfoundry.api import create_app
from medfoundry.settings import Settings
from medfoundry.store.database import Store
from medfoundry.store.home import init_home
from tests.unit.api.conftest import make_config
from tests.unit.serve.helpers import deploy_tiny, new_key


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory: pytest.TempPathFactory, tiny_model_dir: Path) -> Iterator[tuple[object, str]]:
    home = tmp_path_factory.mktemp("fuzz-home")
    settings_ = Settings(home=home)
    init_home(settings_)
    store = Store(settings_)
    deploy_tiny(store, tiny_model_dir, "tiny", "default")
    app = create_app(store, config=make_config(max_tokens_limit=4, default_max_tokens=2))
    yield app, new_key(store)
    app.state.medfoundry.runtime.close()
    store.close()


schema = schemathesis.pytest.from_fixture("fuzz_schema")


@pytest.fixture(scope="module")
def fuzz_schema(fuzz_target: tuple[object, str]) -> object:
    app, _ = fuzz_target
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case, fuzz_target: tuple[object, str]) -> None:
    _, key = fuzz_target
    response = case.call(headers={"Authorization": f"Bearer {key}"})
    assert response.status_code < 500, response.text
    case.validate_response(response, checks=[response_schema_conformance])
