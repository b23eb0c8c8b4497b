"""A check pauses CPython's cycle collector while it judges (``rules.check._collector_paused``) and
always leaves it as it found it: a server whose collector stayed off would grow without bound."""

from __future__ import annotations

import gc
import threading

import pytest

from taizhang.rules.check import _collector_paused


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_off_while_a_check_judges_and_back_on_after(collector_on):
    with _collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_check_that_fails_turns_the_collector_back_on(collector_on):
    with pytest.raises(ZeroDivisionError), _collector_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_a_collector_turned_off_by_someone_else_stays_off(collector_on):
    gc.disable()
    with _collector_paused():
        pass
    assert not gc.isenabled()


def test_of_two_checks_at_once_the_last_to_finish_turns_it_back_on(collector_on):
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = []

    def first():
        with _collector_paused():
            first_in.set()
            second_in.wait(5)
        seen.append(gc.isenabled())  # the second still judges
        first_out.set()

    def second():
        first_in.wait(5)
        with _collector_paused():
            second_in.set()
            first_out.wait(5)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == [False]
    assert gc.isenabled()
