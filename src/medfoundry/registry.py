"""One generic, typed registry used for every extension point.

Entries are objects or lazy ``"module:attr"`` targets resolved on first use, so an
optional backend costs nothing until it is asked for. Plugins from other packages
register through the ``medfoundry.plugins`` entry-point group: each entry point is
a callable that receives nothing and registers what it brings.
"""

from __future__ import annotations

import difflib
import importlib
import logging
from collections.abc import Callable, Iterator
from importlib.metadata import entry_points
from typing import Generic, TypeVar, cast

from medfoundry.errors import AlreadyExists, ConfigError, NotFound

T = TypeVar("T")
logger = logging.getLogger(__name__)

PLUGIN_GROUP = "medfoundry.plugins"
_plugins_loaded = False


def load_plugins() -> None:
    """Run every installed plugin's registration hook once per process."""
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    for ep in entry_points(group=PLUGIN_GROUP):
        try:
            ep.load()()
        except Exception:  # a broken plugin must not take the tool down
            logger.exception("plugin %s failed to load; skipping it", ep.name)


def resolve_target(target: str) -> object:
    """Import ``"package.module:attr"`` and return the attribute."""
    module_name, _, attr = target.partition(":")
    if not module_name or not attr:
        raise ConfigError(f"'{target}' is not a 'module:attr' target")
    module = importlib.import_module(module_name)
    obj: object = module
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


class Registry(Generic[T]):
    """A named collection of ``T`` with lazy targets and helpful lookup errors."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, T | str] = {}

    def register(self, name: str, entry: T | str, *, replace: bool = False) -> None:
        if name in self._entries and not replace:
            raise AlreadyExists(f"a {self.kind} named '{name}' is already registered")
        self._entries[name] = entry

    def decorator(self, name: str) -> Callable[[T], T]:
        """``@registry.decorator("name")`` registers the decorated object."""

        def wrap(obj: T) -> T:
            self.register(name, obj)
            return obj

        return wrap

    def get(self, name: str) -> T:
        load_plugins()
        if name not in self._entries:
            raise NotFound(self._unknown_message(name), hint=f"known {self.kind}s: {', '.join(self.names())}")
        entry = self._entries[name]
        if isinstance(entry, str):
            resolved = cast(T, resolve_target(entry))
            self._entries[name] = resolved
            return resolved
        return entry

    def _unknown_message(self, name: str) -> str:
        close = difflib.get_close_matches(name, self.names(), n=1)
        suggestion = f"; did you mean '{close[0]}'?" if close else ""
        return f"unknown {self.kind} '{name}'{suggestion}"

    def names(self) -> list[str]:
        load_plugins()
        return sorted(self._entries)

    def __contains__(self, name: object) -> bool:
        load_plugins()
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())
