"""Saved versions of generated documents: what the clerk edited and what the text then said."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from taizhang.core.models import Record
from taizhang.org.models import Unit


class SummaryVersion(Record):
    """One saved version of a unit's summary for a period.

    Figures are never stored as typed numbers: a download regenerates them from the ledger. What
    is stored is the clerk's own text (存在的问题, 下一步打算) and a Markdown snapshot of the whole
    document as it read when saved, so earlier versions can be compared and nothing is lost.
    """

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("期间"), max_length=10)
    number = models.PositiveIntegerField(_("版本号"))
    shortcomings = models.TextField(_("存在的问题"), blank=True, help_text=_("每行一段"))
    next_steps = models.TextField(_("下一步打算"), blank=True, help_text=_("每行一段"))
    snapshot = models.TextField(_("保存时全文（Markdown）"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("保存人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("审定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("工作总结版本")
        verbose_name_plural = _("工作总结版本")
        ordering = ["unit", "period", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "number"], name="summary_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period} 第{self.number}版"

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]


class Batch(models.Model):
    """Documents for a unit and its whole subtree, made by the background worker into one .zip.

    The units are fixed when the batch is asked for (the subtree the person could see then), so the
    zip holds what they were allowed to see even if their grants change while it runs. The file is
    kept ``settings.TAIZHANG_BATCH_DAYS`` days under the media directory, then removed.
    """

    class Kind(models.TextChoices):
        SUMMARIES = "summaries", _("工作总结")
        LEDGERS = "ledgers", _("台账")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")
        EXPIRED = "expired", _("已过期删除")

    kind = models.CharField(_("文书"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("期间"), max_length=10)
    written_on = models.DateField(_("落款日期"), null=True, blank=True)
    script = models.CharField(_("字形"), max_length=20, default="simplified")
    unit_ids = models.JSONField(_("包含单位"), default=list)
    total = models.PositiveIntegerField(_("份数"), default=0)
    done = models.PositiveIntegerField(_("已生成"), default=0)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("错误"), blank=True)
    file = models.CharField(_("文件"), max_length=255, blank=True, help_text=_("相对于媒体目录"))
    size = models.PositiveBigIntegerField(_("大小"), default=0)
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.CASCADE, related_name="+"
    )
    created = models.DateTimeField(_("发起时间"), auto_now_add=True)
    finished = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("批量生成")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.period} {self.get_kind_display()}（{self.get_status_display()}）"

    @property
    def finished_work(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED}

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
