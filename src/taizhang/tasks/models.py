"""The queue of background tasks that ``taizhang worker`` runs (django-tasks' database backend).

django-tasks 0.12 ships only the immediate and dummy backends (its database backend moved to the
separate django-tasks-db package), so the queue is kept here: one row per enqueued task, claimed by
a worker with a conditional update, so two workers never run the same row.
"""

from __future__ import annotations

from django.db import models
from django_tasks.base import TaskResultStatus


class QueuedTask(models.Model):
    """One enqueued call of a task function, with its outcome once a worker has run it."""

    id = models.CharField(primary_key=True, max_length=64)
    task_path = models.CharField("任务", max_length=255)
    queue_name = models.CharField("队列", max_length=100, default="default")
    backend = models.CharField(max_length=100, default="default")
    priority = models.SmallIntegerField(default=0)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    takes_context = models.BooleanField(default=False)
    status = models.CharField("状态", max_length=20, choices=TaskResultStatus.choices, default="READY")
    enqueued_at = models.DateTimeField("排队时间")
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    return_value = models.JSONField(null=True, blank=True)
    # [{"exception_class_path": …, "traceback": …}]: what django-tasks' TaskError holds.
    errors = models.JSONField(default=list)
    worker_ids = models.JSONField(default=list)

    class Meta:
        verbose_name = verbose_name_plural = "后台任务"
        indexes = [
            models.Index(fields=["status", "queue_name", "-priority", "enqueued_at"], name="task_ready")
        ]

    def __str__(self) -> str:
        return f"{self.task_path} {self.status}"
