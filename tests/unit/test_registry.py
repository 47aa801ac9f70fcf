from __future__ import annotations

import pytest

from medfoundry.errors import AlreadyExists, ConfigError, NotFound
from medfoundry.registry import Registry


def test_lazy_target_resolves_on_first_get() -> None:
    registry: Registry[object] = Registry("thing")
    registry.register("join", "os.path:join")
    import os.path

    assert registry.get("join") is os.path.join


def test_unknown_name_suggests_the_closest() -> None:
    registry: Registry[int] = Registry("benchmark")
    registry.register("medqa", 1)
    registry.register("pubmedqa", 2)
    with pytest.raises(NotFound, match="did you mean 'medqa'"):
        registry.get("medq")


def test_duplicate_names_are_refused_unless_replacing() -> None:
    registry: Registry[int] = Registry("detector")
    registry.register("ssn", 1)
    with pytest.raises(AlreadyExists):
        registry.register("ssn", 2)
    registry.register("ssn", 3, replace=True)
    assert registry.get("ssn") == 3


def test_decorator_registers_and_returns_the_object() -> None:
    registry: Registry[object] = Registry("operator")

    @registry.decorator("redact")
    class Redact:
        pass

    assert registry.get("redact") is Redact
    assert list(registry) == ["redact"] and "redact" in registry


def test_malformed_target_is_a_config_error() -> None:
    registry: Registry[object] = Registry("thing")
    registry.register("bad", "no_colon_here")
    with pytest.raises(ConfigError):
        registry.get("bad")
