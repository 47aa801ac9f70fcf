"""Serving: inference backends behind a registry, dynamic batching, deployments and API keys."""

from medfoundry.serve.backends import BACKENDS, Backend, BackendConfig, ModelSpec
from medfoundry.serve.types import Delta, SamplingParams

__all__ = ["BACKENDS", "Backend", "BackendConfig", "Delta", "ModelSpec", "SamplingParams"]
