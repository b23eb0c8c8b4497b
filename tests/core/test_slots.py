"""A server process runs a few requests at once; the others wait their turn in the order they came,
a member's sign-in before waiting pages, and a request waiting on another process lets others on."""

from __future__ import annotations

import threading
import time

from taizhang.core.slots import Slots, stepped_aside


def _queued(slots: Slots, count: int) -> None:
    """Until ``count`` requests wait (each thread is started only once the one before it waits, so
    the order they came in is the order they started)."""
    deadline = time.monotonic() + 5
    while sum(len(queue) for queue in slots._waiting) < count:
        assert time.monotonic() < deadline, "a request never began to wait"
        time.sleep(0.001)


def _request(slots: Slots, name: str, ran: list[str], *, urgent: bool = False, work=None) -> threading.Thread:
    def run():
        with slots.taken(urgent=urgent):
            ran.append(name)
            if work:
                work()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_requests_beyond_the_slots_run_in_the_order_they_came_with_sign_ins_first():
    slots, ran = Slots(1), []
    first_may_leave = threading.Event()
    threads = [_request(slots, "page 1", ran, work=lambda: first_may_leave.wait(5))]
    while ran != ["page 1"]:
        time.sleep(0.001)
    for number, (name, urgent) in enumerate(
        [("page 2", False), ("page 3", False), ("sign-in 1", True), ("page 4", False), ("sign-in 2", True)],
        start=1,
    ):
        threads.append(_request(slots, name, ran, urgent=urgent))
        _queued(slots, number)
    first_may_leave.set()
    for thread in threads:
        thread.join(5)
    assert ran == ["page 1", "sign-in 1", "sign-in 2", "page 2", "page 3", "page 4"]


def test_no_more_than_the_slots_run_at_once_and_every_slot_comes_back():
    slots, running, most, lock = Slots(2), [0], [0], threading.Lock()

    def work():
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.002)
        with lock:
            running[0] -= 1

    threads = [_request(slots, str(n), [], work=work) for n in range(40)]
    for thread in threads:
        thread.join(5)
    assert most[0] == 2
    assert slots._free == 2 and not any(slots._waiting)


def test_a_request_waiting_on_another_process_lets_the_next_one_run_and_then_goes_first():
    slots, ran = Slots(1), []
    converting, converted = threading.Event(), threading.Event()

    def write_a_pdf():
        with stepped_aside():  # LibreOffice at work
            converting.set()
            converted.wait(5)
        ran.append("pdf done")

    pdf = _request(slots, "pdf", ran, work=write_a_pdf)
    converting.wait(5)
    page = _request(slots, "page while converting", ran, work=lambda: converted.set())
    page.join(5)
    pdf.join(5)
    assert ran == ["pdf", "page while converting", "pdf done"]
    assert slots._free == 1


def test_outside_a_slot_stepping_aside_changes_nothing():
    with stepped_aside():
        pass


def test_a_request_coming_back_with_what_others_wait_for_runs_at_once():
    """A writer that stepped aside while it waited for SQLite's lock comes back holding it: it runs
    beside the request that took its slot, and the count is right again once both are done."""
    slots, ran = Slots(1), []
    waiting_for_the_lock, page_running, page_may_end = threading.Event(), threading.Event(), threading.Event()

    def write():
        with stepped_aside(back_at_once=True):
            waiting_for_the_lock.set()
            page_running.wait(5)
        ran.append("writer back")  # while the page still runs
        page_may_end.set()

    def page():
        page_running.set()
        page_may_end.wait(5)

    writer = _request(slots, "writer", ran, work=write)
    waiting_for_the_lock.wait(5)
    other = _request(slots, "page", ran, work=page)
    writer.join(5)
    other.join(5)
    assert ran == ["writer", "page", "writer back"]
    assert slots._free == 1 and not any(slots._waiting)
    third = _request(slots, "next", ran)
    third.join(5)
    assert ran[-1] == "next"


def test_which_requests_wait_for_a_slot(settings):
    """A member's sign-in goes first, pages wait in order, static files (a page's styles and scripts,
    from memory) never wait behind pages."""
    from django.templatetags.static import static
    from django.urls import reverse

    from taizhang.core.server import lane

    assert lane(reverse("ledger:sign-in", args=["abc:def"])) == "sign-in"
    assert lane(reverse("ledger:mine")) == "page"
    assert lane("/") == "page"
    assert lane(static("taizhang/app.css")) is None
