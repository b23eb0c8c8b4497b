"""Activities (学习、会议、研讨…), attendance and reflections: the records every figure is counted from."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from taizhang.core.cells import typed_text
from taizhang.core.i18n import localized
from taizhang.core.models import Record
from taizhang.org.models import Area, Person, Unit


class ActivityKind(models.Model):
    """A kind of activity (中心组学习, 主题党日 …), seeded from the framework file's ``activity_kinds``."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=120, blank=True, default="")
    description = models.TextField(_("说明"), blank=True)
    area = models.ForeignKey(
        Area, verbose_name=_("工作领域"), null=True, blank=True, on_delete=models.SET_NULL
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("活动类型")
        verbose_name_plural = _("活动类型")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        """In the page's language (``name`` stays the Chinese the documents and imports use)."""
        return localized(self.name, self.name_en)


class Activity(Record):
    """One study session, meeting, seminar or other recorded event of a unit."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.ForeignKey(
        ActivityKind, verbose_name=_("活动类型"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("日期"))
    topic = models.CharField(_("主题"), max_length=200)
    materials = models.TextField(_("学习材料"), blank=True, help_text=_("每行一份材料"))
    host = models.ForeignKey(
        Person, verbose_name=_("主持人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorder = models.ForeignKey(
        Person, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    location = models.CharField(_("地点"), max_length=120, blank=True)
    minutes = models.TextField(_("会议记录"), blank=True)
    # Filled in when the clerk marks the record as a highlight (典型、亮点); the summary tells it.
    highlight = models.TextField(
        _("典型做法与成效"),
        blank=True,
        db_default="",  # rows inserted by plain SQL (bulk imports) get the empty text too
        help_text=_("作为典型、亮点写入总结时填写：怎么做的，取得了什么成效（一两句话）"),
    )
    # An activity is not dated on a public holiday (frameworks/holidays.yaml) unless this says why
    # it was held then: the clerk's confirmation that the day is right, kept with the record.
    holiday_reason = models.CharField(
        _("节假日开展说明"),
        max_length=200,
        blank=True,
        db_default="",
        help_text=_("活动确在法定节假日开展时填写原因（如：国庆升旗仪式、防汛值守）"),
    )

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-date", "-id"]
        indexes = [
            # ``deleted`` last: a unit's list and its count ("共 N 条") are read from the index
            # alone, without visiting each of a county's twenty thousand rows to see it is live.
            models.Index(fields=["unit", "date", "deleted"], name="activity_unit_date_live"),
            models.Index(fields=["date", "kind"], name="activity_date_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.topic}"

    @property
    def material_list(self) -> list[str]:
        return [typed_text(line) for line in self.materials.splitlines() if line.strip()]


class ActivityMonth(models.Model):
    """A unit's live activities of one kind in one month, by the evidence they carry (a rollup).

    Kept by database triggers (migration 0004, on SQLite and PostgreSQL alike), not by the
    application: every insert, update or delete of an activity, an attendance row or an attachment,
    through a form, the admin, a bulk import or raw SQL, moves the activity it touches between
    buckets (SQLite) or recomputes the (unit, kind, month) it touches (PostgreSQL). ``mask`` holds the ``rules.engine.EVIDENCE_BITS`` the activities carry (1 minutes,
    2 attendance, 4 attachment); ``present`` and ``due`` sum their attendance rows. A city's
    compliance check reads these rows instead of aggregating a year of activities and attendance
    (``ledger.rollup`` reads and verifies it). Nobody edits it; ``taizhang ledger rollup --rebuild``
    recomputes it from the ledger.
    """

    unit = models.ForeignKey(
        Unit, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    kind = models.ForeignKey(
        ActivityKind, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    month = models.CharField(_("月份"), max_length=7)  # 'YYYY-MM', as rules.engine buckets facts
    mask = models.PositiveSmallIntegerField(_("佐证"))
    activities = models.PositiveIntegerField(_("活动数"))
    present = models.PositiveIntegerField(_("出席人次"))
    due = models.PositiveIntegerField(_("应到人次"))

    class Meta:
        verbose_name = _("活动月度汇总")
        verbose_name_plural = _("活动月度汇总")
        constraints = [
            models.UniqueConstraint(fields=["unit", "month", "kind", "mask"], name="activitymonth_bucket"),
        ]
        # Every column, so that reading a unit's months is one contiguous run of the index and no
        # table row: a tree of ten thousand units reads as fast as a scan, one unit in a moment.
        indexes = [
            models.Index(
                fields=["unit", "month", "kind", "mask", "activities", "present", "due"],
                name="activitymonth_read",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind_id} {self.month}：{self.activities}"


def _attachment_path(instance: "Attachment", filename: str) -> str:
    return f"attachments/{instance.activity.unit_id}/{instance.activity_id}/{filename}"


class Attachment(Record):
    """A file kept with an activity: the scanned sign-in sheet, the report text, photos."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to=_attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.name


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("出席")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")


class Attendance(Record):
    """Whether a person due at an activity came, with the sign-in time when they signed in."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(_("出勤情况"), max_length=10, choices=AttendanceStatus.choices)
    signed_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    reason = models.CharField(_("事由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("考勤")
        verbose_name_plural = _("考勤")
        ordering = ["activity", "person__id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="attendance_one_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person}：{self.get_status_display()}"


class Reflection(Record):
    """A member's written study reflection (学习体会), tied to an activity or to a period."""

    person = models.ForeignKey(
        Person, verbose_name=_("作者"), on_delete=models.PROTECT, related_name="reflections"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="reflections"
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("关联活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reflections",
    )
    period = models.CharField(
        _("所属期间"), max_length=10, blank=True, help_text=_("如 2020H1；关联活动时可不填")
    )
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"))
    date = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("学习体会")
        verbose_name_plural = _("学习体会")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "date"], name="reflection_unit_date")]

    def __str__(self) -> str:
        return self.title


class SignInWindow(Record):
    """The time during which members may sign in to an activity by scanning its QR code.

    The QR code carries a signed token naming the window, so closing the window (or opening a new one)
    makes every earlier code useless, and a code photographed and sent on later is refused.
    """

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="sign_in_windows"
    )
    opens_at = models.DateTimeField(_("开始签到时间"))
    closes_at = models.DateTimeField(_("截止签到时间"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("签到时段")
        verbose_name_plural = _("签到时段")
        ordering = ["-opens_at"]

    def __str__(self) -> str:
        return f"{self.activity}：{self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    def is_open(self, now) -> bool:
        return not self.deleted and self.opens_at <= now <= self.closes_at


class ImportedFigure(Record):
    """A figure of a past summary taken into the ledger as an aggregate (往年总结导入的汇总数).

    A county adopting taizhang has years of summaries but no records behind them; an aggregate lets
    those years count (in the engine's checks and in every document) while saying where it came from:
    the file, the sentence and the figure as written. It stands for ``count`` records of
    ``record_type`` (and ``kind``: an activity kind, a submission or donation kind) in the period, or
    for ``amount_fen`` of money; it is dated its period's last day, so the engine files it under the
    period's last month. Detailed records replace it: once the unit has a record of the same type
    and kind dated in the period, the aggregate no longer counts (``ledger.queries.imported_figures``).
    """

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="imported_figures"
    )
    period = models.CharField(_("期间"), max_length=10, help_text=_("如 2020、2020H1"))
    start = models.DateField(_("起始日"))
    end = models.DateField(_("截止日"))
    record_type = models.CharField(
        _("记录类型"), max_length=40, help_text=_("登记簿中的记录类型代码，如 activities")
    )
    kind = models.CharField(_("类别"), max_length=40, blank=True, help_text=_("活动类型或记录类别的代码"))
    label = models.CharField(
        _("名目"), max_length=120, help_text=_("原文所说的事项，如 中心组学习、《各界反映》")
    )
    count = models.PositiveIntegerField(
        _("条数"), null=True, blank=True, help_text=_("代表的记录条数；金额类为空")
    )
    amount_fen = models.BigIntegerField(_("金额（分）"), null=True, blank=True)
    donor_group = models.CharField(
        _("捐赠方"), max_length=20, blank=True, help_text=_("捐赠类：staff、members…")
    )
    measure = models.CharField(_("量词"), max_length=10, help_text=_("原文的量词：次、篇、期、元…"))
    qualifier = models.CharField(_("限定词"), max_length=20, blank=True, help_text=_("原文的“余”“累计”等"))
    figure_text = models.CharField(_("原文数字"), max_length=40)
    source_name = models.CharField(_("来源文件"), max_length=255)
    source_sha256 = models.CharField(_("来源文件摘要"), max_length=64, db_index=True)
    sentence = models.TextField(_("原文句子"))
    position_start = models.PositiveIntegerField(_("数字起始位置"))
    position_end = models.PositiveIntegerField(_("数字结束位置"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("导入的汇总数")
        verbose_name_plural = _("导入的汇总数")
        ordering = ["unit", "start", "record_type", "kind", "id"]
        indexes = [models.Index(fields=["unit", "end"], name="imported_figure_unit_end")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(count__isnull=False) | models.Q(amount_fen__isnull=False),
                name="imported_figure_counts_something",
            ),
            models.CheckConstraint(
                condition=models.Q(start__lte=models.F("end")), name="imported_figure_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.label}{self.figure_text}（据《{self.source_name}》导入）"

    @property
    def what(self) -> str:
        """What it counts, as every document names it."""
        return imported_what(self.record_type, self.kind, self.label)

    @property
    def source_note(self) -> str:
        """How every document names it: 据《file》导入，汇总数."""
        return f"据《{self.source_name}》导入，汇总数"


def imported_what(code: str, kind: str, label: str) -> str:
    """What an aggregate counts, in words: 理论学习中心组学习, 委员捐款, 捐赠口罩, 信息采用：《各界反映》."""
    from taizhang.core.registry import record_type

    if code == "activities":
        return label
    if code == "donations":
        return f"捐赠{label}" if kind == "items" else label
    name = record_type(code).name
    return name if label in ("", name) else f"{name}：{label}"
