"""``taizhang worker``: runs the background tasks the pages enqueue (batches of documents).

The queue is django-tasks' database backend (``TASKS`` in settings); this command runs that
package's own worker loop (the ``Worker`` behind ``manage.py db_worker``) with Chinese messages,
a stop that lets the task in hand finish, and one step django-tasks 0.11 lacks:
``requeue_abandoned`` puts back in the queue the tasks a worker of this machine was running when
it was killed, which django-tasks would otherwise leave RUNNING for ever.
"""

from __future__ import annotations

import os
import signal
import socket

from django_tasks import InvalidTaskBackendError, task_backends
from django_tasks.backends.database.backend import DatabaseBackend
from django_tasks.backends.database.management.commands.db_worker import Worker
from django_tasks.backends.database.models import DBTaskResult
from django_tasks.base import TaskResultStatus

from taizhang.core.management.base import TaizhangCommand, UsageError, integer

INTERVAL = range(1, 3601)
HOST = socket.gethostname()[:50]  # django-tasks keeps worker ids of at most 64 characters


def worker_id() -> str:
    """``host:pid``, so a later worker can tell that the process which claimed a task is gone."""
    return f"{HOST}:{os.getpid()}"


def requeue_abandoned(backend_name: str) -> int:
    """Put back in the queue the tasks a ``taizhang worker`` of this machine was running when it died.

    A worker killed mid-task (a power cut, ``kill -9``, a second Ctrl+C) leaves its row RUNNING; a
    task whose worker process no longer exists is run again from the start (a batch rewrites its
    whole file). Workers started elsewhere or by plain ``db_worker`` (random ids) are left alone.
    """
    running = DBTaskResult.objects.running().filter(backend_name=backend_name)
    abandoned = []
    for pk, workers in running.values_list("pk", "worker_ids"):
        host, _, pid = (workers[-1] if workers else "").rpartition(":")
        if host == HOST and pid.isdigit() and not _alive(int(pid)):
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


class _Stop(Exception):
    """Raised by the signal handler while the worker waits for work: stop at once."""


class _Worker(Worker):
    """django-tasks' worker, counting what it runs and saying which tasks failed."""

    def __init__(self, *, report, **kwargs):
        super().__init__(**kwargs)
        self.ran = 0
        self.report = report

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)  # records success or failure on the row; never raises
        self.ran += 1
        if db_task_result.status == TaskResultStatus.FAILED:
            last = db_task_result.traceback.strip().splitlines()[-1:] or [db_task_result.exception_class_path]
            self.report(f"任务 {db_task_result.task_path} 失败：{last[0]}")


class Command(TaizhangCommand):
    help = "运行后台任务（批量生成文书等）；Ctrl+C 或 SIGTERM 在当前任务完成后停止，再按一次立即停止"

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=integer(INTERVAL), default=1, help="队列为空时每隔几秒查看一次（默认 1）"
        )
        parser.add_argument("--once", action="store_true", help="运行完队列中已有的任务即退出")
        parser.add_argument("--backend", default="default", help="TASKS 设置中的后端名（默认 default）")

    def handle(self, *args, interval, once, backend, **options):
        try:
            chosen = task_backends[backend]
        except InvalidTaskBackendError:
            raise UsageError(f"TASKS 设置中没有名为“{backend}”的后端。") from None
        if not isinstance(chosen, DatabaseBackend):
            raise UsageError(f"后端“{backend}”不是数据库队列（{type(chosen).__name__}），无需 worker。")
        again = requeue_abandoned(backend)
        if again:
            self.stdout.write(f"{again} 个任务的 worker 已中断，重新排队。")
        queues = sorted(chosen.queues) or ["*"]
        worker = _Worker(
            queue_names=queues,
            interval=interval,
            batch=once,
            backend_name=backend,
            startup_delay=not once,
            max_tasks=None,
            worker_id=worker_id(),
            report=self.stderr.write,
        )

        def stop(signum, frame):
            if not worker.running:  # asked twice: the task in hand is left RUNNING, requeued next start
                self.stderr.write("立即停止；未完成的任务将在下次启动 worker 时重新运行。")
                self.stderr.flush()
                os._exit(1)
            worker.running = False  # the loop ends after the task in hand
            if not worker.running_task:
                raise _Stop

        # SIGTERM (make run stopping, a service manager) and Ctrl+C; SIGINT stays ignored where the
        # shell ignores it (a worker started with & beside the server), so only SIGTERM stops that one.
        previous = {
            sig: signal.getsignal(sig)
            for sig in (signal.SIGTERM, signal.SIGINT)
            if signal.getsignal(sig) is not signal.SIG_IGN
        }
        for sig in previous:
            signal.signal(sig, stop)
        if not once:
            self.stdout.write(f"后台任务 worker 已启动（队列：{'、'.join(queues)}）。")
        try:
            worker.run()
        except _Stop:
            self.stdout.write(f"已停止（运行了 {worker.ran} 个任务）。")
            return
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, signal.SIG_DFL if handler is None else handler)
        self.stdout.write(f"已运行 {worker.ran} 个任务。")
