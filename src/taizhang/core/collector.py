"""CPython's cycle collector paused while a large piece of work builds objects that outlive it.

A city's check makes a few hundred thousand rows and tens of thousands of lists and dicts; an
import of a million rows keeps a checked row, its attendance and their origins for each until the
commit. None of them is in a reference cycle, but as they pile up the collector walks the whole
process's heap over and over: an eighth of a city check's CPU, a fifth of a million-row import's
(both threads', measured on the benchmark's CSV). The collector runs again once the work is done
and collects whatever cycles were left meanwhile.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pausing = 0  # pieces of work running with the collector paused (threads of one server at once)
_was_on = False


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for the duration (also as a decorator: ``@paused()``).

    Counted under a lock, so that of several pieces of work at once the last one to finish turns it
    back on, and only if it was on before the first began: a server whose collector stayed off would
    grow without bound.
    """
    global _pausing, _was_on
    with _lock:
        if _pausing == 0:
            _was_on = gc.isenabled()
            gc.disable()
        _pausing += 1
    try:
        yield
    finally:
        with _lock:
            _pausing -= 1
            if _pausing == 0 and _was_on:
                gc.enable()
