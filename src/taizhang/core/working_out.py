"""One computation at a time per kept result (``core.stamps.cached``).

After a write, the pages of the unit are asked for by several people at once, and each found the
result stale: each worked the same check out again (a third of the computations under bench/load.py's
hundred users were such repeats). The first to miss works it out; the others wait for it, then read
what it kept. Threads of a process wait on a lock of the key; processes sharing the file cache on a
lock file of the key's. A result's computation only ever asks for results below it (a unit page's
panel → the unit's check → its subtree's), never back up, so no two wait on each other. Waiting is
bounded: after WAIT_SECONDS (on each lock) the waiter works it out itself, as it would have without
the lock; a lock file culled meanwhile costs the same, a second computation, never a wrong result.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
import weakref
from contextlib import contextmanager

WAIT_SECONDS = 20
_keys_lock = threading.Lock()
_key_locks: weakref.WeakValueDictionary[str, threading.Lock] = weakref.WeakValueDictionary()


@contextmanager
def working_out(store, key: str):
    """Hold ``key``'s locks while working its result out; yields whether nobody had them (this is the
    first to miss) rather than having waited for another to finish."""
    with _keys_lock:
        lock = _key_locks.get(key)
        if lock is None:
            lock = _key_locks[key] = threading.Lock()
    first = lock.acquire(blocking=False)
    if not first and not lock.acquire(timeout=WAIT_SECONDS):
        yield False  # waited long enough: work it out anyway, unlocked
        return
    try:
        with _file_lock(store, key) as alone:
            yield first and alone
    finally:
        lock.release()


@contextmanager
def _file_lock(store, key: str):
    """The key's lock file held (``core.cache.FileCache``: the server's processes share its folder);
    yields whether it was free at once. Another cache shares no folder: nothing to hold."""
    lock_file = getattr(store, "lock_file", None)
    if lock_file is None:
        yield True
        return
    try:
        fd = os.open(lock_file(key), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield True
        return
    try:
        alone = _took(fd)
        if not alone:  # polled: a blocking flock could not give up after WAIT_SECONDS
            waited = 0.0
            pause = 0.002
            while waited < WAIT_SECONDS and not _took(fd):
                time.sleep(pause)
                waited += pause
                pause = min(pause * 2, 0.02)
        yield alone
    finally:
        os.close(fd)  # lets the lock go


def _took(fd: int) -> bool:
    """Whether the lock on ``fd`` was free, and is now this thread's."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
