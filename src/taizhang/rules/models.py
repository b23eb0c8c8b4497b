"""Frameworks (versioned requirement libraries), their requirements, and which units follow which version."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from taizhang.core.i18n import localized
from taizhang.org.models import Unit


class Framework(models.Model):
    """One loaded version of a framework file.

    Versions are never edited in place: loading a changed file stores a new version, so results a
    unit obtained under the old rules can always be recomputed under those rules.
    """

    slug = models.SlugField(_("标识"), max_length=60)
    name = models.CharField(_("名称"), max_length=120)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True, default="")
    version = models.PositiveIntegerField(_("版本"))
    source = models.CharField(_("来源文件"), max_length=255, blank=True)
    checksum = models.CharField(_("内容摘要"), max_length=64)
    loaded = models.DateTimeField(_("载入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("要求库")
        verbose_name_plural = _("要求库")
        ordering = ["slug", "-version"]
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="framework_slug_version")]

    def __str__(self) -> str:
        """Its name and version, in the page's language (whole sentences: nothing glued)."""
        return gettext("%(name)s（第%(version)s版）") % {
            "name": localized(self.name, self.name_en),
            "version": self.version,
        }


class Requirement(models.Model):
    """One rule a unit must meet, as the framework file states it (see the file's header for the fields)."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("要求库"), on_delete=models.CASCADE, related_name="requirements"
    )
    code = models.SlugField(_("代码"), max_length=60)
    title = models.CharField(_("名称"), max_length=120)
    title_en = models.CharField(_("英文名称"), max_length=200, blank=True, default="")
    area = models.CharField(_("工作领域"), max_length=40)
    measure = models.CharField(_("计量方式"), max_length=20, default="count")
    kinds = models.JSONField(_("活动类型"), default=list)
    counts = models.CharField(_("计数对象"), max_length=40, default="activities")
    period = models.CharField(_("期间"), max_length=10)
    min = models.FloatField(_("最低数量"))
    due = models.CharField(_("截止日（月-日）"), max_length=5, blank=True)
    applies_to = models.JSONField(_("适用单位类型"), default=list)
    responsible = models.CharField(_("责任岗位"), max_length=30, blank=True)
    evidence = models.JSONField(_("佐证要求"), default=list)
    points = models.FloatField(_("分值"), default=0)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("要求")
        verbose_name_plural = _("要求")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="requirement_code_once")]

    def __str__(self) -> str:
        return localized(self.title, self.title_en)


class FrameworkAssignment(models.Model):
    """Which framework version a unit (and, unless they have their own, its descendants) is checked against."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="framework_assignment"
    )
    framework = models.ForeignKey(
        Framework, verbose_name=_("要求库"), on_delete=models.PROTECT, related_name="+"
    )
    assigned = models.DateTimeField(_("指定时间"), auto_now=True)

    class Meta:
        verbose_name = _("适用要求库")
        verbose_name_plural = _("适用要求库")

    def __str__(self) -> str:
        return f"{self.unit}：{self.framework}"
