"""Django's SQLite backend, with the writers of one process taking turns on a lock of their own.

SQLite lets one connection write at a time. Every transaction here starts by taking that lock
(``BEGIN EXCLUSIVE``: settings), and a connection that finds it taken waits in SQLite's busy
handler, which sleeps and tries again in growing steps (1, 2, 5, 10 … ms, then 100 ms at a time
once it has waited a quarter of a second). The lock is free far more often than a waiter looks:
under a 主题党日's sign-ins beside clerks' writes, the threads of a gunicorn worker queued that way
slept through most of the lock's free moments, and a newcomer took it ahead of them (bench/load.py
``--surge``: writers waited up to a second for transactions of a few milliseconds).

So the threads of one process first take a turn on a ``threading.Lock``, which the thread that
finishes hands on the moment it commits or rolls back; only the thread holding the turn waits on
SQLite's lock, behind writers of other processes (the other gunicorn workers, ``taizhang worker``,
a command), as before. The turn is held exactly as long as the process holds SQLite's write lock:
it adds no wait SQLite's lock did not already impose, and a thread waits at most the busy timeout
for its turn, then fails as SQLite would ("database is locked"). In-memory databases (tests) are
left as they are: their connections share one cache, not SQLite's file lock. A server request waiting
for its turn or for the lock gives its slot (``core.slots``) to another request meanwhile.
"""

from __future__ import annotations

import os
import sqlite3
import threading

from django.db.backends.sqlite3 import base

from taizhang.core.slots import stepped_aside

# One turn per database file and process (a process may open several files: a restore, the tests).
_turns: dict[str, threading.Lock] = {}
_turns_lock = threading.Lock()


def _forget_turns() -> None:
    """A forked child (a batch's processes, a file reader) starts with turns of its own: one held
    by a thread of its parent at the fork would never be handed on in the child."""
    global _turns_lock
    _turns_lock = threading.Lock()
    _turns.clear()


os.register_at_fork(after_in_child=_forget_turns)


def _turn(name: str) -> threading.Lock:
    with _turns_lock:
        return _turns.setdefault(name, threading.Lock())


def _handing_on(method):
    """``method`` (commit, rollback, close), then the process's turn handed on, even if it failed."""

    def wrapped(self):
        try:
            return method(self)
        finally:
            self._hand_on()

    return wrapped


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_turn: threading.Lock | None = None

    def _start_transaction_under_autocommit(self):
        if self.transaction_mode is None or self.is_in_memory_db():
            return super()._start_transaction_under_autocommit()
        turn = _turn(str(self.settings_dict["NAME"]))
        timeout = self.settings_dict.get("OPTIONS", {}).get("timeout", 5)
        # A server request lets another run while it waits, and comes back at once with the lock.
        with stepped_aside(back_at_once=True):
            if not turn.acquire(timeout=timeout):
                with self.wrap_database_errors:
                    raise sqlite3.OperationalError("database is locked")
            try:
                super()._start_transaction_under_autocommit()
            except BaseException:
                turn.release()
                raise
        self._holds_turn = turn

    def _hand_on(self) -> None:
        turn, self._holds_turn = self._holds_turn, None
        if turn is not None:
            turn.release()

    # The connection's ways out of a transaction, each handing the turn on whatever happens.
    _commit = _handing_on(base.DatabaseWrapper._commit)
    _rollback = _handing_on(base.DatabaseWrapper._rollback)
    _close = _handing_on(base.DatabaseWrapper._close)
