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
