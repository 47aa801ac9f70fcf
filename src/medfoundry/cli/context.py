"""Opening the store for a command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from medfoundry.store.database import Store, open_store


@contextmanager
def store_session() -> Iterator[Store]:
    store = open_store()
    try:
        yield store
    finally:
        store.close()
