"""Shared fixtures: an isolated home per test, both databases, a tiny local model."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from medfoundry.pipeline import kinds as _stage_job_kinds  # noqa: F401  (registered as the CLI and API do)
from medfoundry.settings import Settings
from medfoundry.store.database import Store
from medfoundry.store.home import init_home

# Tests never reach a model hub: everything they load is built locally.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

POSTGRES_ENV = "MEDFOUNDRY_TEST_POSTGRES_URL"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def postgres_admin_url() -> str | None:
    url = os.environ.get(POSTGRES_ENV)
    if not url and os.environ.get("CI"):
        pytest.fail(f"{POSTGRES_ENV} is not set: CI must run the store tests against PostgreSQL")
    return url


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own home; nothing reads the developer's ~/.medfoundry."""
    monkeypatch.setenv("MEDFOUNDRY_HOME", str(tmp_path / "home"))
    for name in ("MEDFOUNDRY_DATABASE_URL", "MEDFOUNDRY_KEY", "MEDFOUNDRY_ACTOR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def postgres_server_url() -> str | None:
    return postgres_admin_url()


def _fresh_postgres_database(admin_url: str) -> Iterator[str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"mf_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """Runs the test once on SQLite and once on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'home' / 'medfoundry.db'}"
        yield url
        return
    admin_url = postgres_admin_url()
    if admin_url is None:
        pytest.skip(f"set {POSTGRES_ENV} to run PostgreSQL tests (scripts/start-postgres.sh prints one)")
    for url in _fresh_postgres_database(admin_url):
        monkeypatch.setenv("MEDFOUNDRY_DATABASE_URL", url)
        yield url


@pytest.fixture
def any_store(database_url: str) -> Iterator[Store]:
    """An initialized store on each database."""
    init_home()
    store = Store(Settings())
    yield store
    store.close()


@pytest.fixture
def store() -> Iterator[Store]:
    """An initialized store on the default SQLite database."""
    init_home()
    opened = Store(Settings())
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random Llama model and tokenizer, built once per test session."""
    from medfoundry.catalog.tiny import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("models") / "tiny-llama")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA
