"""A result several people ask for at once after a write is worked out once (``core.stamps``): the
first to find it stale works it out, the others wait and read what it kept, whether they are threads
of one server process or processes sharing the file cache."""

from __future__ import annotations

import os
import threading
import time
import uuid as uuids

from django.test.utils import override_settings

from taizhang.core import stamps


def _slow(worked: list, value: str, seconds: float = 0.3):
    def compute():
        worked.append(value)
        time.sleep(seconds)  # long enough for every other asker to arrive meanwhile
        return {"figures": value}

    return compute


def test_threads_asking_at_once_work_it_out_once():
    key = uuids.uuid4().hex
    worked: list[str] = []
    answers: list = []
    start = threading.Barrier(8)

    def ask(n: int):
        start.wait()
        answers.append(stamps.cached("probe", unit_id=1, parts=(key,), compute=_slow(worked, f"by {n}")))

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(worked) == 1
    assert answers == [{"figures": worked[0]}] * 8


def test_what_a_write_made_stale_meanwhile_is_worked_out_again(db, django_capture_on_commit_callbacks):
    """Who waited reads the result only if it is of the ledger as it now stands."""
    key = uuids.uuid4().hex
    worked: list[str] = []
    stamps.cached("probe", unit_id=1, parts=(key,), compute=_slow(worked, "before", 0))
    with django_capture_on_commit_callbacks(execute=True):
        stamps.changed(unit_ids=[1])
    assert stamps.cached("probe", unit_id=1, parts=(key,), compute=_slow(worked, "after", 0)) == {
        "figures": "after"
    }
    assert worked == ["before", "after"]


def test_processes_sharing_the_file_cache_work_it_out_once(tmp_path):
    key = uuids.uuid4().hex
    log = tmp_path / "worked"
    config = {"BACKEND": "taizhang.core.cache.FileCache", "LOCATION": str(tmp_path / "cache")}
    with override_settings(CACHES={"default": config}):
        stamps.version(1)  # the unit's generations, as a server that has run a while has them
        go_read, go_write = os.pipe()
        child = os.fork()
        if child == 0:  # the other server process
            try:
                os.read(go_read, 1)
                value = stamps.cached("probe", unit_id=1, parts=(key,), compute=_logged(log, "child"))
                os._exit(0 if value == {"figures": _first(log)} else 1)
            except BaseException:
                os._exit(2)
        os.write(go_write, b"x")
        value = stamps.cached("probe", unit_id=1, parts=(key,), compute=_logged(log, "parent"))
        _, status = os.waitpid(child, 0)
    assert log.read_text().split() in (["parent"], ["child"])
    assert value == {"figures": _first(log)}
    assert os.waitstatus_to_exitcode(status) == 0


def _logged(log, who: str):
    def compute():
        with open(log, "a") as file:
            file.write(who + "\n")
        time.sleep(0.4)
        return {"figures": who}

    return compute


def _first(log) -> str:
    return log.read_text().split()[0]


def test_a_waiter_gives_up_after_its_time_and_works_it_out(monkeypatch):
    """A computation that hangs holds the others up for WAIT_SECONDS at most."""
    key = uuids.uuid4().hex
    monkeypatch.setattr(stamps, "WAIT_SECONDS", 0.2)
    worked: list[str] = []
    started = threading.Event()

    def hanging():
        worked.append("stuck")
        started.set()
        time.sleep(2)
        return "late"

    stuck = threading.Thread(target=lambda: stamps.cached("probe", unit_id=1, parts=(key,), compute=hanging))
    stuck.start()
    started.wait(5)
    began = time.monotonic()
    assert stamps.cached("probe", unit_id=1, parts=(key,), compute=_slow(worked, "mine", 0)) == {
        "figures": "mine"
    }
    assert time.monotonic() - began < 1.5
    stuck.join(5)
    assert worked == ["stuck", "mine"]
