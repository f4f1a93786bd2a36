"""A pause of Python's cyclic garbage collector while a bulk load builds many objects.

A load of 10,000 events makes a few million objects, none of them garbage until the load is
done: each generation-0 collection walks the new ones again, which costs a native JSON load
1.5 to 1.8 times its time. :func:`paused` switches the collector off for the load and on
again afterwards, also when the load raises, and only if it was on (a caller who turned it off
keeps it off). Reference counting frees what it always frees; cycles made meanwhile wait for
the next collection. Two threads loading at once may end one pause early: the collector runs
again then, which costs time, never correctness.

The alternative, fewer tracked objects, was measured and is not enough. The trusted load path
(``libkurs.formats._trusted``) makes no temporary containers (no keyword dicts, no copied text
dicts, no exception groups), and a load of the 10,000 events of ``bench/bench_json.py`` runs
693 generation-0 collections instead of the checked path's 794. But what the load keeps is
what costs: the decoded document and the model, some 280,000 tracked containers either way,
which every older-generation collection walks again. With the collector on, that load took
1.67 s; paused, 0.81 s (Python 3.11, best of 3). The objects a load keeps cannot be made
untracked from Python, so the pause stays.
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
