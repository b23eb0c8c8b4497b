"""``taizhang worker`` running batches queued in django-tasks' database backend: each queued batch
runs once, a failure is recorded and the worker goes on, and a batch whose worker was killed is run
again by the next worker. Batches are queued by the service the batch page calls, and what the
clerk sees is read from the batch's page."""

from __future__ import annotations

import io
import subprocess

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_tasks.backends.database.models import DBTaskResult

from taizhang.core.management.commands.worker import worker_id
from taizhang.core.periods import Period
from taizhang.documents.models import Batch
from taizhang.documents.tasks import batch_run, batch_start
from taizhang.org.models import Unit


def _queue(capture, unit: Unit) -> Batch:
    with capture(execute=True):  # queued when the transaction commits, as after the page's POST
        batch = batch_start(
            kind=Batch.Kind.LEDGERS,
            unit=unit,
            units=Unit.objects.all(),
            period=Period.parse("2020H1"),
            written_on=None,
            script="simplified",
            user=get_user_model().objects.get(username="cppcc-clerk"),
        )
    batch.refresh_from_db()
    return batch


def _worker(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("worker", "--once", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _page(client, batch: Batch) -> str:
    return client.get(f"/documents/batches/{batch.pk}/progress/").content.decode()


def _leaves(cppcc: Unit, n: int) -> list[Unit]:
    return list(Unit.objects.filter(path__startswith=cppcc.path, children__isnull=True).order_by("path")[:n])


def test_the_worker_runs_each_queued_batch_once(
    cppcc_clerk, cppcc, django_capture_on_commit_callbacks, settings, tmp_path, worker_in_test_transaction
):
    settings.MEDIA_ROOT = tmp_path
    first, second = (_queue(django_capture_on_commit_callbacks, unit) for unit in _leaves(cppcc, 2))
    assert "排队中" in _page(cppcc_clerk, first)
    assert batch_run.get_result(first.task_id).status == "READY"

    out, _ = _worker()

    assert "已运行 2 个任务" in out
    for batch in (first, second):
        assert "已完成" in _page(cppcc_clerk, batch) and "下载压缩包" in _page(cppcc_clerk, batch)
        result = batch_run.get_result(batch.task_id)  # read back by id, as any process may
        assert result.status == "SUCCEEDED" and result.return_value["files"] == 1
    out, _ = _worker()
    assert "已运行 0 个任务" in out and DBTaskResult.objects.filter(status="SUCCEEDED").count() == 2


def test_a_failing_batch_is_recorded_and_the_worker_goes_on(
    cppcc_clerk, cppcc, django_capture_on_commit_callbacks, settings, tmp_path, worker_in_test_transaction
):
    blocker = tmp_path / "media"
    blocker.write_text("a file where the media directory should be")
    settings.MEDIA_ROOT = blocker
    first, second = (_queue(django_capture_on_commit_callbacks, unit) for unit in _leaves(cppcc, 2))

    out, err = _worker()

    assert "已运行 2 个任务" in out and err.count("失败") == 2
    for batch in (first, second):
        assert "生成失败" in _page(cppcc_clerk, batch)
        result = batch_run.get_result(batch.task_id)
        assert result.status == "FAILED" and result.errors[0].exception_class in (
            FileExistsError,
            NotADirectoryError,
        )


def test_a_batch_whose_worker_was_killed_is_run_again(
    cppcc_clerk, cppcc, django_capture_on_commit_callbacks, settings, tmp_path, worker_in_test_transaction
):
    settings.MEDIA_ROOT = tmp_path
    killed, elsewhere = (_queue(django_capture_on_commit_callbacks, unit) for unit in _leaves(cppcc, 2))
    # As a worker killed mid-batch leaves it: RUNNING, claimed by a process of this host that is gone.
    dead = _finished_pid()
    DBTaskResult.objects.filter(pk=killed.task_id).update(
        status="RUNNING", worker_ids=[worker_id().rpartition(":")[0] + f":{dead}"]
    )
    Batch.objects.filter(pk=killed.pk).update(status=Batch.Status.RUNNING)
    # One claimed by a live worker (this process) is that worker's to finish.
    DBTaskResult.objects.filter(pk=elsewhere.task_id).update(status="RUNNING", worker_ids=[worker_id()])

    out, _ = _worker()

    assert "1 个任务的 worker 已中断，重新排队" in out and "已运行 1 个任务" in out
    assert "已完成" in _page(cppcc_clerk, killed)
    assert batch_run.get_result(killed.task_id).worker_ids[-1] == worker_id()
    assert batch_run.get_result(elsewhere.task_id).status == "RUNNING"
    assert "排队中" in _page(cppcc_clerk, elsewhere)


def _finished_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid
