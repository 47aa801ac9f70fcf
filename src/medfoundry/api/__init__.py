"""The HTTP API: an OpenAI-compatible surface over served deployments (FastAPI)."""

from medfoundry.api.app import create_app
from medfoundry.api.config import ServeConfig

__all__ = ["ServeConfig", "create_app"]
