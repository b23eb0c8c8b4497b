"""``taizhang worker``: runs the background tasks the pages enqueue (batches of documents)."""

from __future__ import annotations

import signal

from django_tasks import InvalidTaskBackendError, task_backends

from taizhang.core.management.base import TaizhangCommand, UsageError, integer
from taizhang.tasks.backend import DatabaseBackend, requeue_abandoned, work

INTERVAL = range(1, 3601)


class Command(TaizhangCommand):
    help = "运行后台任务（批量生成文书等）；Ctrl+C 或 SIGTERM 在当前任务完成后停止"

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
        again = requeue_abandoned(chosen)
        if again:
            self.stdout.write(f"{again} 个任务的 worker 已中断，重新排队。")
        stopping = []
        # SIGTERM (make run stopping, a service manager) ends the loop after the task in hand.
        previous = signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        if not once:
            self.stdout.write(f"后台任务 worker 已启动（队列：{'、'.join(sorted(chosen.queues))}）。")
        try:
            ran = work(chosen, interval=interval, once=once, stop=lambda: bool(stopping))
        except KeyboardInterrupt:
            self.stdout.write("已停止。")
            return
        finally:
            signal.signal(signal.SIGTERM, previous)
        self.stdout.write(f"已运行 {ran} 个任务。")
