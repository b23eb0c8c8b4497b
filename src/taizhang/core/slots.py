"""How many requests of a server process run at once, and in what order the others wait.

A gunicorn worker (``core.server``) runs requests in a pool of threads, but one interpreter runs
Python on one core at a time: sixteen requests in flight in two processes on two cores share them by
the interpreter lock's 5 ms turns, so every request takes as long as all of them together, and the
writer holding SQLite's one write lock waits behind the pages around it. ``bench/load.py`` measured
it (README, "How taizhang serve serves"): with 8 threads each running, 100 users got 102 requests a
second at a p99 of 1.2 s and 17.4 ms of CPU a request; with two requests a process running and the
rest waiting their turn in order, 118 a second at 0.96 s and 15.1 ms.

A thread still takes each request off its connection, but runs it only in one of the process's
``Slots``; the others wait in the order they came, and a member's sign-in (a 主题党日's hundreds at
the meeting-room door, ``urgent``) before any waiting page; static files take none
(``core.server.lane``). A request that waits on another process
(LibreOffice writing a PDF, a child reading an upload, a writer waiting for SQLite's write lock)
steps aside meanwhile (``stepped_aside``), so a slow document holds up nobody.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

_held = threading.local()  # .slots: the Slots this thread's request runs in, if any


class Slots:
    """At most ``n`` requests at once. A slot is handed straight from the request that leaves to the
    one that has waited longest (a sign-in first), so no newcomer takes it ahead of them."""

    def __init__(self, n: int):
        if n < 1:
            raise ValueError(f"slots: {n}")
        self._lock = threading.Lock()
        self._free = n
        self._waiting: tuple[deque, deque] = (deque(), deque())  # sign-ins, the rest

    def acquire(self, *, urgent: bool = False, at_once: bool = False) -> None:
        """``at_once``: take a slot even when none is free (for a while one more runs than ``n``)."""
        with self._lock:
            if self._free > 0 or at_once:  # a free slot means that nobody waits
                self._free -= 1
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiting[0 if urgent else 1].append(turn)
        turn.acquire()  # released by the request that hands this one its slot

    def release(self) -> None:
        with self._lock:
            if self._free < 0:  # one more ran than there are slots: nobody's turn yet
                self._free += 1
                return
            queue = self._waiting[0] or self._waiting[1]
            if queue:
                queue.popleft().release()
            else:
                self._free += 1

    @contextmanager
    def taken(self, *, urgent: bool = False) -> Iterator[None]:
        self.acquire(urgent=urgent)
        _held.slots = self
        try:
            yield
        finally:
            _held.slots = None
            self.release()


@contextmanager
def stepped_aside(*, back_at_once: bool = False) -> Iterator[None]:
    """This thread's slot given up while it waits on another process, and taken back (ahead of the
    pages waiting) when it goes on; ``back_at_once``: without waiting, for a request that comes back
    holding what others wait for (SQLite's write lock). Nothing outside a slot (commands, the
    worker, tests)."""
    slots = getattr(_held, "slots", None)
    if slots is None:
        yield
        return
    _held.slots = None
    slots.release()
    try:
        yield
    finally:
        slots.acquire(urgent=True, at_once=back_at_once)
        _held.slots = slots
