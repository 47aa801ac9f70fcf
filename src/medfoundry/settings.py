"""Typed settings read from the environment (``MEDFOUNDRY_*``)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MEDFOUNDRY_", extra="ignore")

    home: Path = Field(
        default_factory=lambda: Path.home() / ".medfoundry",
        description="Directory holding the database, the artifact store and the key file.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the metadata database; SQLite under the home when unset.",
    )
    key: str | None = Field(
        default=None,
        description="Base64 encryption key for PHI artifacts; overrides the key file.",
    )
    actor: str | None = Field(default=None, description="Who the audit log records as the actor.")
    job_stale_after_s: float = Field(
        default=60.0, description="A running job whose heartbeat is older than this is stale."
    )
    heartbeat_interval_s: float = Field(default=5.0, description="How often a running job heartbeats.")

    @cached_property
    def resolved_home(self) -> Path:
        return self.home.expanduser().resolve()

    @property
    def key_file(self) -> Path:
        return self.resolved_home / "key"

    @property
    def artifacts_dir(self) -> Path:
        return self.resolved_home / "artifacts"

    @property
    def sqlite_path(self) -> Path:
        return self.resolved_home / "medfoundry.db"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.sqlite_path}"


def get_settings() -> Settings:
    """Fresh settings each call, so tests and subprocesses see the current environment."""
    return Settings()
