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


class OpinionLevel(models.TextChoices):
    """How serious a public-opinion incident is (舆情分级): it sets how soon the unit must act."""

    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("较大")
    MAJOR = "major", _("重大")


class OpinionPlatform(models.TextChoices):
    """Where an incident appeared publicly: a kind of outlet, never an account or a person."""

    NEWS_SITE = "news_site", _("新闻网站")
    PUBLIC_ACCOUNT = "public_account", _("公众号")
    FORUM = "forum", _("论坛社区")
    MICROBLOG = "microblog", _("微博")
    SHORT_VIDEO = "short_video", _("短视频平台")
    OTHER = "other", _("其他")


class OpinionStatus(models.TextChoices):
    HANDLING = "handling", _("处置中")
    CLOSED = "closed", _("已办结")


class OpinionIncident(Record):
    """A public-opinion incident about the unit (舆情) and what the unit did about it: when it was
    noticed, where it appeared publicly, what it was about, how serious, what the unit did and when,
    whom it reported to, when it was closed and what was learnt.

    It records what was public and the unit's own handling, never who wrote what: no field holds a
    poster's name, account or message (DESIGN.md). ``respond_by`` is the day by which the unit had to
    act, set from the level when the incident is recorded (``risks.services``), so a later change of
    the time limits does not re-judge the past.
    """

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="opinion_incidents"
    )
    noticed_on = models.DateField(_("发现日期"))
    platform = models.CharField(_("出现平台"), max_length=20, choices=OpinionPlatform.choices)
    outlet = models.CharField(
        _("媒体或平台名称"), max_length=120, blank=True, help_text=_("只写媒体、网站或平台的名称，不写发布者")
    )
    title = models.CharField(_("舆情事件"), max_length=200)
    description = models.TextField(_("主要内容"), blank=True)
    level = models.CharField(_("舆情等级"), max_length=10, choices=OpinionLevel.choices)
    respond_by = models.DateField(_("处置时限"))
    responded_on = models.DateField(_("处置日期"), null=True, blank=True)
    response = models.TextField(_("处置措施"), blank=True)
    reported_to = models.CharField(
        _("报告对象"), max_length=120, blank=True, help_text=_("如 县委宣传部、县委网信办")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=OpinionStatus.choices, default=OpinionStatus.HANDLING
    )
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    lessons = models.TextField(_("经验教训"), blank=True)

    class Meta:
        verbose_name = _("舆情事件")
        verbose_name_plural = _("舆情事件")
        ordering = ["unit__path", "-noticed_on", "id"]
        indexes = [models.Index(fields=["unit", "noticed_on"], name="opinion_unit_noticed")]

    def __str__(self) -> str:
        return self.title
