"""A pause of Python's cyclic garbage collector while a bulk load builds many objects.

A load of 10,000 events makes a few million objects, none of them garbage until the load is
done: each generation-0 collection walks the new ones again, which costs a native JSON load
1.5 to 1.8 times its time. :func:`paused` switches the collector off for the load and on
again afterwards, also when the load raises, and only if it was on (a caller who turned it off
keeps it off). Reference counting frees what it always frees; cycles made meanwhile wait for
the next collection. Two threads loading at once may end one pause early: the collector runs
again then, which costs time, never correctness.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused"]


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Switch the cyclic garbage collector off while the block runs, if it was on."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
