"""A compliance check and a large import pause CPython's cycle collector while they work
(``core.collector.paused``) and always leave it as they found it: a server whose collector stayed off
would grow without bound."""

from __future__ import annotations

import gc
import threading

import pytest

from taizhang.core.collector import paused


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_off_while_a_check_judges_and_back_on_after(collector_on):
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_check_that_fails_turns_the_collector_back_on(collector_on):
    with pytest.raises(ZeroDivisionError), paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_a_collector_turned_off_by_someone_else_stays_off(collector_on):
    gc.disable()
    with paused():
        pass
    assert not gc.isenabled()


def test_of_two_checks_at_once_the_last_to_finish_turns_it_back_on(collector_on):
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = []

    def first():
        with paused():
            first_in.set()
            second_in.wait(5)
        seen.append(gc.isenabled())  # the second still judges
        first_out.set()

    def second():
        first_in.wait(5)
        with paused():
            second_in.set()
            first_out.wait(5)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == [False]
    assert gc.isenabled()
