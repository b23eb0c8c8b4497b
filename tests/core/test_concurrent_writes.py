"""Twenty clerks saving at once through the production server: no 500, and nothing acknowledged is lost.

The server is ``taizhang serve`` (gunicorn, several processes) in a subprocess, against a database of
its own: a fresh SQLite file on the SQLite pass, a fresh PostgreSQL database when ``DATABASE_URL``
names a server. SQLite transactions used to begin by reading and then fail to upgrade to a write
("database is locked") the moment another process wrote; they now start with the write lock
(EXCLUSIVE, the same as IMMEDIATE under WAL) and queue.
"""

from __future__ import annotations

import threading

import pytest

from tests.live import call as _call
from tests.live import environment, load_demo, serving

WRITERS = 20
PER_WRITER = 6
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var = tmp_path_factory.mktemp("concurrency")
    env = environment(var, suffix="concurrency")
    load_demo(env)
    with serving(env, var / "serve.log", workers=3, threads=4) as port:
        yield port, env


def _token(port: int) -> str:
    status, data = _call(
        port, "POST", "/api/token/", {"username": "cppcc-clerk", "password": "taizhang-demo"}
    )
    assert status == 200, data
    return data["token"]


def _in_parallel(count: int, work) -> list:
    results: list = [None] * count
    start = threading.Barrier(count)

    def run(index: int) -> None:
        start.wait()
        try:
            results[index] = work(index)
        except BaseException as exc:  # reported by the caller's assertions
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def test_twenty_writers_recording_activities_with_attendance_all_succeed(server):
    port, _ = server
    token = _token(port)
    status, people = _call(port, "GET", "/api/people/?unit=cppcc", token=token)
    assert status == 200, people
    people = [p["id"] for p in (people["results"] if isinstance(people, dict) else people)][:8]
    assert len(people) >= 3

    def write(index: int) -> list:
        answers = []
        for n in range(PER_WRITER):
            body = {
                "unit": "cppcc",
                "kind": "collective_study",
                "date": f"2025-{index % 12 + 1:02d}-{n + 1:02d}",
                "holiday_reason": "并发写入测试（日期按序生成，可能落在节假日）",
                "topic": f"并发登记测试 {index}-{n}",
                "minutes": "学习记录",
                "attendance": [
                    {
                        "person": person,
                        "status": "present" if (index + n + i) % 4 else "leave",
                        "reason": "公出",
                    }
                    for i, person in enumerate(people)
                ],
            }
            answers.append((body, *_call(port, "POST", "/api/activities/", body, token=token)))
        return answers

    results = _in_parallel(WRITERS, write)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == []
    answers = [answer for writer in results for answer in writer]
    statuses = sorted({status for _, status, _ in answers})
    assert statuses == [201], [(s, d) for _, s, d in answers if s != 201][:5]

    for body, _, created in answers:  # every acknowledged write is stored, with its attendance
        status, stored = _call(port, "GET", f"/api/activities/{created['id']}/", token=token)
        assert status == 200 and stored["topic"] == body["topic"]
        assert sorted((a["person"], a["status"]) for a in stored["attendance"]) == sorted(
            (a["person"], a["status"]) for a in body["attendance"]
        )
    status, listed = _call(port, "GET", "/api/activities/?unit=cppcc&period=2025", token=token)
    assert listed["count"] == WRITERS * PER_WRITER


def test_concurrent_edits_of_one_record_one_wins_the_rest_are_told_who_did(server):
    port, _ = server
    token = _token(port)
    status, created = _call(
        port,
        "POST",
        "/api/activities/",
        {"unit": "cppcc", "kind": "seminar", "date": "2025-03-05", "topic": "并发修改前", "minutes": "记录"},
        token=token,
    )
    assert status == 201, created
    url = f"/api/activities/{created['id']}/"
    version = created["version"]

    results = _in_parallel(
        WRITERS,
        lambda i: _call(port, "PATCH", url, {"topic": f"并发修改 {i}", "version": version}, token=token),
    )
    assert [r for r in results if isinstance(r, BaseException)] == []
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] + [409] * (WRITERS - 1), statuses
    winner = next(data for status, data in results if status == 200)
    for status, data in results:
        if status == 409:
            assert f"当前为第 {version + 1} 版" in str(data["version"]), data

    status, stored = _call(port, "GET", url, token=token)
    assert stored["topic"] == winner["topic"] and stored["version"] == version + 1
