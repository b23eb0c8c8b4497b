"""A reader in a child process: what it returns comes back, what it raises is raised, and what kills it
(memory, time, an abort) is a refusal in the parent, which goes on."""

from __future__ import annotations

import os
import pickle
import time

import pytest

from taizhang.core import sandbox

BUDGET = sandbox.Budget(memory_bytes=256 << 20, seconds=2)


def double(x):
    return x * 2


def rows(n):
    for i in range(n):
        yield i, [f"第{i}行", 2020.0]


def hog():
    return bytearray(2 << 30)  # past the budget


def spin():
    while True:
        pass


def nap():
    time.sleep(60)


def refuse():
    raise ValueError("坏文件")


def abort():
    os.abort()  # what Rust does when an allocation fails


def test_a_value_and_a_stream_come_back():
    assert sandbox.call(double, 21, budget=BUDGET) == 42
    assert list(sandbox.stream(rows, 5000, budget=BUDGET))[-1] == (4999, ["第4999行", 2020.0])


def test_what_the_reader_raises_is_raised_here():
    with pytest.raises(ValueError, match="坏文件"):
        sandbox.call(refuse, budget=BUDGET)


@pytest.mark.parametrize(
    ("reader", "reason"), [(hog, "memory"), (abort, "memory"), (spin, "time"), (nap, "time")]
)
def test_running_out_of_memory_or_time_or_aborting_is_a_refusal_here(reader, reason):
    started = time.monotonic()
    with sandbox.observed() as seen, pytest.raises(sandbox.Exceeded) as refused:
        sandbox.call(reader, budget=BUDGET)
    assert refused.value.reason == reason
    assert time.monotonic() - started < BUDGET.seconds + 3
    assert [u.outcome for u in seen] == [reason]
    assert sandbox.call(double, 1, budget=BUDGET) == 2  # and this process goes on


def test_a_stream_left_unread_ends_its_child():
    with sandbox.observed() as seen:
        items = sandbox.stream(rows, 10**9, budget=BUDGET)
        assert next(items) == (0, ["第0行", 2020.0])
        items.close()
    assert [u.outcome for u in seen] == ["abandoned"]


def evil():
    class Payload:  # what a subverted reader might send: a pickle that runs a command when loaded
        def __reduce__(self):
            return (os.system, ("true",))

    return Payload()


def test_what_comes_back_may_not_name_functions_to_run():
    with pytest.raises(pickle.UnpicklingError, match="may not come back"):
        sandbox._loads(pickle.dumps(evil()))
