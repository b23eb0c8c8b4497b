"""SQLite's writers of one process take turns (``core.sqlite_backend``): a thread that wants to write
waits on a lock the writing thread hands on when it commits, rolls back or closes its connection,
instead of polling SQLite's lock; and it gives up as SQLite would, after the busy timeout."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connections

from taizhang.core.sqlite_backend.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(
    connections["default"].vendor != "sqlite", reason="the turns are SQLite's (PostgreSQL locks rows)"
)


@pytest.fixture(autouse=True)
def own_files(django_db_blocker):
    """Connections of the tests' own to files of their own, never the test database."""
    with django_db_blocker.unblock():
        yield


def _wrapper(path, timeout: float = 20) -> DatabaseWrapper:
    settings = {**connections.settings["default"], "NAME": str(path)}
    settings["OPTIONS"] = {**settings.get("OPTIONS", {}), "timeout": timeout}
    wrapper = DatabaseWrapper(settings, alias="turns")
    wrapper.ensure_connection()
    return wrapper


def _write(wrapper: DatabaseWrapper, value: int) -> None:
    with wrapper.cursor() as cursor:
        cursor.execute("INSERT INTO t VALUES (%s)", [value])


def _table(path) -> None:
    first = _wrapper(path)
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS t (v integer)")
    first.close()


def _second_writer(path, start_ends, *, timeout: float = 20, end: str = "commit") -> threading.Thread:
    """A thread that begins a write transaction (after its own connection is open) and ends it;
    ``start_ends``: what it saw, (began at, ended at) or the error."""

    def run():
        other = _wrapper(path, timeout)
        try:
            other._start_transaction_under_autocommit()
            began = time.monotonic()
            _write(other, 2)
            getattr(other, f"_{end}")()
            start_ends.append((began, time.monotonic()))
        except OperationalError as exc:
            start_ends.append(exc)
        finally:
            other.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.parametrize("end", ["_commit", "_rollback", "close"])
def test_a_second_writer_begins_the_moment_the_first_ends_its_transaction(tmp_path, end):
    path = tmp_path / "turns.sqlite3"
    _table(path)
    first = _wrapper(path)
    first._start_transaction_under_autocommit()
    _write(first, 1)
    seen = []
    thread = _second_writer(path, seen)
    time.sleep(0.3)
    assert seen == []  # waiting for its turn
    ended = time.monotonic()
    getattr(first, end)()
    thread.join(10)
    began, _ = seen[0]
    assert began - ended < 0.2  # handed on, not found by a poll
    first.close()
    reader = _wrapper(path)
    with reader.cursor() as cursor:
        cursor.execute("SELECT v FROM t ORDER BY v")
        assert [v for (v,) in cursor.fetchall()] == ([1, 2] if end == "_commit" else [2])
    reader.close()


def test_a_writer_gives_up_after_the_busy_timeout_as_sqlite_would(tmp_path):
    path = tmp_path / "turns.sqlite3"
    _table(path)
    first = _wrapper(path)
    first._start_transaction_under_autocommit()
    seen = []
    _second_writer(path, seen, timeout=0.2).join(10)
    assert isinstance(seen[0], OperationalError)
    assert "locked" in str(seen[0])
    first._rollback()
    # the turn is free again: the next writer goes straight through
    again = []
    _second_writer(path, again).join(10)
    assert isinstance(again[0], tuple)
    first.close()
