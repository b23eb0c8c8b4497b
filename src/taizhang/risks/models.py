"""Risk points (风险点) of ideological work and the assessment meetings (研判) that reviewed them.

An assessment meeting is a ledger activity of kind ``assessment``; a risk point lists the
meetings that reviewed it, so "定期分析研判" is counted from the ledger and each risk point
shows when it was last looked at.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from taizhang.core.models import Record
from taizhang.ledger.models import Activity
from taizhang.org.models import Area, Person, Unit


class RiskLevel(models.TextChoices):
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("未化解")
    MITIGATED = "mitigated", _("已缓解")
    CLOSED = "closed", _("已销号")


class RiskPoint(Record):
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="risk_points"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("工作领域"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("风险点"), max_length=200)
    description = models.TextField(_("具体表现"), blank=True)
    level = models.CharField(_("风险等级"), max_length=10, choices=RiskLevel.choices)
    source = models.CharField(_("来源"), max_length=120, blank=True)
    measures = models.TextField(_("防范措施"), blank=True)
    owner = models.ForeignKey(
        Person, verbose_name=_("责任人"), on_delete=models.CASCADE, related_name="risk_points"
    )
    status = models.CharField(_("状态"), max_length=12, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    identified_on = models.DateField(_("识别日期"))
    review_date = models.DateField(_("下次研判日期"))
    # When it stopped being open (mitigated or closed): a past period is judged as the risk stood
    # then, not by its status today. Empty while open; cleared when it is reopened.
    closed_on = models.DateField(_("化解日期"), null=True, blank=True, help_text=_("风险化解或关闭的日期"))
    assessments = models.ManyToManyField(
        Activity, verbose_name=_("研判会议"), blank=True, related_name="risk_points"
    )

    class Meta:
        verbose_name = _("风险点")
        verbose_name_plural = _("风险点")
        ordering = ["unit__path", "-identified_on", "id"]
        indexes = [models.Index(fields=["unit", "status", "level"], name="risk_unit_status_level")]

    def __str__(self) -> str:
        return self.title
