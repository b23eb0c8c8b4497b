"""Information reporting (信息报送 / 社情民意): submissions, their adoptions, publicity articles.

A submission is what a unit sends up; an adoption is a publication or level taking it (《各界反映》
2020年第27期, a city CPPCC's bulletin, a province's); a publicity article is a piece placed in an
outside medium (电视台、报刊、网站) at a known level. Points for the periodic ranking come from the
adoption and outlet levels (``queries.DEFAULT_POINTS``, overridable by the framework).
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from taizhang.core.models import Record
from taizhang.org.models import Person, Unit


class SubmissionKind(models.TextChoices):
    WORK_INFO = "work_info", _("工作信息")
    PUBLIC_SENTIMENT = "public_sentiment", _("社情民意信息")
    RESEARCH_REPORT = "research_report", _("调研报告")


class Level(models.TextChoices):
    """The level of whoever adopted or published something; all four count as 县以上."""

    COUNTY = "county", _("县级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("国家级")


class Submission(Record):
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="submissions"
    )
    author = models.ForeignKey(
        Person, verbose_name=_("报送人"), on_delete=models.CASCADE, related_name="submissions"
    )
    date = models.DateField(_("报送日期"))
    kind = models.CharField(_("类别"), max_length=20, choices=SubmissionKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"), blank=True)
    target = models.CharField(_("报送刊物"), max_length=120, blank=True, help_text=_("如《各界反映》"))
    # Filled in when the clerk marks the record as a highlight (典型、亮点); the summary tells it.
    highlight = models.TextField(
        _("典型做法与成效"),
        blank=True,
        db_default="",  # rows inserted by plain SQL (bulk imports) get the empty text too
        help_text=_("作为典型、亮点写入总结时填写：怎么做的，取得了什么成效（一两句话）"),
    )

    class Meta:
        verbose_name = _("报送信息")
        verbose_name_plural = _("报送信息")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "date"], name="submission_unit_date")]

    def __str__(self) -> str:
        return self.title


class Adoption(Record):
    """One adoption of a submission: by which level, in which publication and issue (or which outlet)."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("报送信息"), on_delete=models.CASCADE, related_name="adoptions"
    )
    level = models.CharField(_("采用层级"), max_length=10, choices=Level.choices)
    publication = models.CharField(_("刊物"), max_length=120, blank=True, help_text=_("如《各界反映》"))
    issue_year = models.PositiveSmallIntegerField(_("期号年份"), null=True, blank=True)
    issue_no = models.PositiveSmallIntegerField(_("期号"), null=True, blank=True)
    outlet = models.CharField(_("采用媒体"), max_length=120, blank=True)
    date = models.DateField(_("采用日期"))

    class Meta:
        verbose_name = _("采用情况")
        verbose_name_plural = _("采用情况")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["date", "level"], name="adoption_date_level")]

    def __str__(self) -> str:
        if self.publication and self.issue_no and self.issue_year:
            return gettext("%(publication)s%(year)s年第%(no)s期") % {
                "publication": self.publication,
                "year": self.issue_year,
                "no": self.issue_no,
            }
        if self.publication and self.issue_no:
            return gettext("%(publication)s第%(no)s期") % {
                "publication": self.publication,
                "no": self.issue_no,
            }
        return gettext("%(level)s%(where)s采用") % {
            "level": self.get_level_display(),
            "where": self.publication or self.outlet,
        }


class Article(Record):
    """A publicity article (宣传稿件) placed in an outside medium."""

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="articles")
    author = models.ForeignKey(
        Person,
        verbose_name=_("作者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    date = models.DateField(_("刊发日期"))
    title = models.CharField(_("标题"), max_length=200)
    outlet = models.CharField(_("媒体"), max_length=120)
    outlet_level = models.CharField(_("媒体层级"), max_length=10, choices=Level.choices)
    link = models.URLField(_("链接"), blank=True)
    # Filled in when the clerk marks the record as a highlight (典型、亮点); the summary tells it.
    highlight = models.TextField(
        _("典型做法与成效"),
        blank=True,
        db_default="",  # rows inserted by plain SQL (bulk imports) get the empty text too
        help_text=_("作为典型、亮点写入总结时填写：怎么做的，取得了什么成效（一两句话）"),
    )

    class Meta:
        verbose_name = _("宣传稿件")
        verbose_name_plural = _("宣传稿件")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "date"], name="article_unit_date")]

    def __str__(self) -> str:
        return self.title


class DashboardSnapshot(models.Model):
    """A large scope's dashboard figures (a city: ten thousand units judged), worked out by a
    background task and read by the page, so a leader never waits for the judging.

    One row per top unit and year. ``figures`` is what ``dashboard.figures.compute`` returns
    (numbers and ids only: the page names them in its own language); ``stamp`` is the state of the
    ledger they were computed from (``dashboard.change_stamp``) and ``as_of`` the day they were
    judged as of, so the page can say whether they are still current. ``requested_at`` is set while
    a refresh is queued or running (one at a time per row), and cleared when it is done.
    """

    top = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    as_of = models.DateField(_("核查日期"), null=True)
    stamp = models.CharField(_("数据版本"), max_length=400, blank=True)
    figures = models.JSONField(_("汇总数据"), null=True)
    computed_at = models.DateTimeField(_("汇总时间"), null=True)
    seconds = models.FloatField(_("汇总用时（秒）"), default=0)
    requested_at = models.DateTimeField(_("更新请求时间"), null=True)
    error = models.TextField(_("上次汇总的错误"), blank=True)

    class Meta:
        verbose_name = _("概览汇总")
        verbose_name_plural = _("概览汇总")
        constraints = [models.UniqueConstraint(fields=["top", "year"], name="dashboard_snapshot_once")]

    def __str__(self) -> str:
        return f"{self.top}·{self.year}"
