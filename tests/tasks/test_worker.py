"""The database queue behind ``taizhang worker``: what is enqueued is run once, in priority order,
and its outcome (value or error) is read back by id from any process."""

from __future__ import annotations

import io
import socket
import subprocess

import pytest
from django.core.management import call_command
from django_tasks import default_task_backend, task
from django_tasks.exceptions import TaskResultDoesNotExist

from taizhang.tasks.models import QueuedTask

RAN: list[str] = []


@task()
def add(a: int, b: int) -> int:
    RAN.append(f"add {a} {b}")
    return a + b


@task(priority=10)
def urgent() -> str:
    RAN.append("urgent")
    return "done"


@task()
def broken() -> None:
    raise ValueError("无法生成")


def test_tasks_wait_for_the_worker_then_their_results_are_read_back(db):
    RAN.clear()
    first, second, failing = add.enqueue(2, 3), urgent.enqueue(), broken.enqueue()
    assert default_task_backend.get_result(first.id).status == "READY" and RAN == []
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    assert "已运行 3 个任务" in out.getvalue()
    assert RAN == ["urgent", "add 2 3"]  # the higher priority first
    assert add.get_result(first.id).return_value == 5
    assert urgent.get_result(second.id).status == "SUCCESSFUL"
    result = broken.get_result(failing.id)
    assert result.status == "FAILED" and result.errors[0].exception_class is ValueError
    assert "无法生成" in result.errors[0].traceback
    # Nothing runs twice.
    call_command("worker", "--once", stdout=out)
    assert RAN == ["urgent", "add 2 3"] and QueuedTask.objects.filter(status="READY").count() == 0


def test_an_unknown_id_is_no_result(db):
    with pytest.raises(TaskResultDoesNotExist):
        default_task_backend.get_result("no-such-task")


def test_a_task_whose_worker_died_is_run_again(db):
    RAN.clear()
    result = add.enqueue(1, 1)
    # As a worker killed mid-task leaves it: RUNNING, claimed by a process of this host that is gone.
    dead = _finished_pid()
    QueuedTask.objects.filter(pk=result.id).update(
        status="RUNNING", worker_ids=[f"{socket.gethostname()}:{dead}"]
    )
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    assert "1 个任务的 worker 已中断，重新排队" in out.getvalue()
    assert add.get_result(result.id).return_value == 2 and RAN == ["add 1 1"]


def _finished_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid
