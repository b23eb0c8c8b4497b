"""A django-tasks backend that keeps its queue in the database, and the worker loop that empties it.

Configured as ``TASKS = {"default": {"BACKEND": "taizhang.tasks.backend.DatabaseBackend"}}``; the
pages enqueue with ``some_task.enqueue(...)`` and read progress with ``get_result``; ``taizhang
worker`` runs ``run_next`` in a loop. Swapping in another django-tasks backend (django-tasks-db,
Django 6's own) changes only that setting.
"""

from __future__ import annotations

import logging
import os
import socket
import time

from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskContext, TaskError, TaskResult, TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist
from django_tasks.signals import task_enqueued, task_finished, task_started
from django_tasks.utils import get_exception_traceback, get_module_path, get_random_id, normalize_json

logger = logging.getLogger(__name__)


class DatabaseBackend(BaseTaskBackend):
    supports_get_result = True
    supports_priority = True

    def enqueue(self, task: Task, args, kwargs) -> TaskResult:
        from taizhang.tasks.models import QueuedTask

        self.validate_task(task)
        row = QueuedTask.objects.create(
            id=get_random_id(),
            task_path=task.module_path,
            queue_name=task.queue_name,
            backend=self.alias,
            priority=task.priority,
            args=normalize_json(args),
            kwargs=normalize_json(kwargs),
            takes_context=task.takes_context,
            enqueued_at=timezone.now(),
        )
        result = self._result(row, task)
        task_enqueued.send(type(self), task_result=result)
        return result

    def get_result(self, result_id: str) -> TaskResult:
        from taizhang.tasks.models import QueuedTask

        row = QueuedTask.objects.filter(pk=result_id, backend=self.alias).first()
        if row is None:
            raise TaskResultDoesNotExist(result_id)
        return self._result(row)

    def _result(self, row, task: Task | None = None) -> TaskResult:
        if task is None:
            task = import_string(row.task_path).using(
                priority=row.priority, queue_name=row.queue_name, backend=row.backend
            )
        result = TaskResult(
            task=task,
            id=row.pk,
            status=TaskResultStatus(row.status),
            enqueued_at=row.enqueued_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            last_attempted_at=row.started_at,
            args=row.args,
            kwargs=row.kwargs,
            backend=row.backend,
            errors=[TaskError(**e) for e in row.errors],
            worker_ids=list(row.worker_ids),
        )
        object.__setattr__(result, "_return_value", row.return_value)
        return result

    def run_next(self, *, queues: set[str] | None = None, worker_id: str = "") -> bool:
        """Claim the oldest ready task of the highest priority and run it; False when none waits."""
        from taizhang.tasks.models import QueuedTask

        queues = queues or self.queues
        ready = QueuedTask.objects.filter(status=TaskResultStatus.READY, backend=self.alias)
        if queues:
            ready = ready.filter(queue_name__in=queues)
        for pk in ready.order_by("-priority", "enqueued_at").values_list("pk", flat=True)[:5]:
            now = timezone.now()
            # A conditional update claims the row: of two workers, one changes it, the other none.
            if QueuedTask.objects.filter(pk=pk, status=TaskResultStatus.READY).update(
                status=TaskResultStatus.RUNNING, started_at=now
            ):
                self._run(QueuedTask.objects.get(pk=pk), worker_id or _worker_id())
                return True
        return False

    def _run(self, row, worker_id: str) -> None:
        row.worker_ids = [*row.worker_ids, worker_id]
        row.save(update_fields=["worker_ids"])
        result = self._result(row)
        task_started.send(type(self), task_result=result)
        try:
            if row.takes_context:
                value = result.task.call(TaskContext(task_result=result), *row.args, **row.kwargs)
            else:
                value = result.task.call(*row.args, **row.kwargs)
        except KeyboardInterrupt:
            row.status, row.started_at = TaskResultStatus.READY, None  # back in the queue
            row.save(update_fields=["status", "started_at"])
            raise
        except BaseException as exc:  # a task's failure is recorded; the worker goes on
            logger.exception("任务 %s 失败", row.task_path)
            row.status = TaskResultStatus.FAILED
            row.errors = [
                {
                    "exception_class_path": get_module_path(type(exc)),
                    "traceback": get_exception_traceback(exc),
                }
            ]
        else:
            row.status = TaskResultStatus.SUCCESSFUL
            row.return_value = normalize_json(value)
        row.finished_at = timezone.now()
        row.save(update_fields=["status", "errors", "return_value", "finished_at"])
        task_finished.send(type(self), task_result=self._result(row))


def requeue_abandoned(backend: DatabaseBackend) -> int:
    """Put back in the queue the tasks a worker of this machine was running when it died.

    A worker killed mid-task (a power cut, ``kill -9``) leaves its row RUNNING for ever; a task whose
    worker process no longer exists is run again from the start (batches rewrite their whole file).
    """
    from taizhang.tasks.models import QueuedTask

    host = socket.gethostname()
    abandoned = []
    running = QueuedTask.objects.filter(status=TaskResultStatus.RUNNING, backend=backend.alias)
    for pk, workers in running.values_list("pk", "worker_ids"):
        name, _, pid = (workers[-1] if workers else "").rpartition(":")
        if name == host and pid.isdigit() and not _alive(int(pid)):
            abandoned.append(pk)
    return running.filter(pk__in=abandoned).update(status=TaskResultStatus.READY, started_at=None)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def work(backend: DatabaseBackend, *, interval: float = 1.0, once: bool = False, stop=None) -> int:
    """Run tasks until stopped (or, with ``once``, until the queue is empty); returns how many ran."""
    ran = 0
    while stop is None or not stop():
        if not connection.in_atomic_block:  # (inside a test's transaction there is nothing to renew)
            close_old_connections()  # a lost database connection is reopened on the next round
        if backend.run_next():
            ran += 1
            continue
        if once:
            break
        time.sleep(interval)
    return ran
