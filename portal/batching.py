"""Deferring the upkeep of derived data to the end of a bulk write.

Receivers that keep derived data current (the API's stored lists) refresh the records a write
touches, at once. A writer that touches the same records many times (the dataset loader saves
an agreement, then its aliases, links and citations) wraps its work in ``deferred_refreshes()``:
each receiver's refreshes are collected and run once, at the end of the block, still inside the
writer's transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager

_state = threading.local()


@contextmanager
def deferred_refreshes() -> Iterator[None]:
    """Collect the refreshes asked for inside the block and run each once when it ends without error."""
    if getattr(_state, "pending", None) is not None:  # nested: the outermost block runs them
        yield
        return
    _state.pending = {}
    try:
        yield
        pending = _state.pending
    finally:
        _state.pending = None
    for (run, _key), ids in pending.items():
        run(ids)


def refresh(run: Callable[[set], object], key: Hashable, ids: Iterable) -> None:
    """``run(ids)`` now, or once at the end of the enclosing ``deferred_refreshes()`` with every id asked for under ``key``."""
    ids = {pk for pk in ids if pk is not None}
    pending = getattr(_state, "pending", None)
    if pending is None:
        if ids:
            run(ids)
        return
    pending.setdefault((run, key), set()).update(ids)
