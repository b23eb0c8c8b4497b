"""The organisation: a tree of units, the people in it, their posts and who answers for what."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from taizhang.core.i18n import localized
from taizhang.core.models import Record
from taizhang.core.units import path_ids


class UnitKind(models.TextChoices):
    REGION = "region", _("地区（县、市）")
    ORGAN = "organ", _("机关")
    PARTY_GROUP = "party_group", _("党组")
    BRANCH = "branch", _("党支部")
    OFFICE = "office", _("委室（科室）")
    CELL = "cell", _("党小组")


class UnitProfile(models.TextChoices):
    """What kind of organisation a unit is, beyond its place in the party structure: how its summary
    speaks (its people, its line of work, its 阵地; ``frameworks/profiles.yaml``)."""

    PARTY_ORGAN = "party_organ", _("党委部门")
    GOVERNMENT = "government", _("政府部门")
    CPPCC = "cppcc", _("政协机关")
    SCHOOL = "school", _("学校")
    HOSPITAL = "hospital", _("医院")
    MEDIA = "media", _("融媒体（广播电视）")
    TOWN = "town", _("乡镇")
    COMMUNITY = "community", _("社区（村）")
    ENTERPRISE = "enterprise", _("企业")


# Names that say what a unit is (checked in order: 县政协机关 is the CPPCC's, not a generic organ's;
# 县卫生健康局 is a bureau, not a hospital). A name none of them fits leaves the choice to a person.
_PROFILE_BY_NAME: tuple[tuple[str, str], ...] = (
    (r"政协", UnitProfile.CPPCC),
    (r"医院|卫生院", UnitProfile.HOSPITAL),
    (r"学校|中学|小学|幼儿园", UnitProfile.SCHOOL),
    (r"融媒体|广播电视|电视台", UnitProfile.MEDIA),
    (r"社区|村(党支部|党总支|党委|民委员会|委会)?$", UnitProfile.COMMUNITY),
    (r"[镇乡](机关|党委|人民政府|政府|党支部|党总支)|[镇乡]$", UnitProfile.TOWN),
)


def profile_from_name(name: str) -> str:
    """The profile a unit's name makes obvious (医院 → hospital), or "" when a person must choose."""
    for pattern, profile in _PROFILE_BY_NAME:
        if re.search(pattern, name):
            return str(profile)
    return ""


class Unit(Record):
    """One node of the organisation tree.

    ``path`` is the chain of ids from the root (``/1/5/23/``), kept by the services, so a whole
    subtree is one indexed ``path LIKE '/1/5/%'`` instead of a recursive walk.
    """

    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.SlugField(_("单位代码"), max_length=64, unique=True)
    name = models.CharField(_("单位名称"), max_length=120)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    profile = models.CharField(
        _("单位类别"),
        max_length=20,
        choices=UnitProfile.choices,
        blank=True,
        help_text=_("学校、医院、乡镇、社区等：工作总结按单位类别的口吻和业务来写"),
    )
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(_("层级"), default=0, editable=False)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this unit, inclusive."""
        return path_ids(self.path)


class Person(Record):
    """Someone in the organisation. A login (``user``) is optional: most members never sign in."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="people"
    )
    name = models.CharField(_("姓名"), max_length=40)
    job_title = models.CharField(_("职务"), max_length=60, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    is_party_member = models.BooleanField(_("党员"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["unit__path", "id"]

    def __str__(self) -> str:
        return self.name


class Post(models.TextChoices):
    SECRETARY = "secretary", _("党组（支部）书记")
    LEADER_IN_CHARGE = "leader_in_charge", _("分管领导")
    OFFICE_DIRECTOR = "office_director", _("委室主任")
    DESIGNATED_OFFICER = "designated_officer", _("专人（联络员）")
    MEMBER = "member", _("成员")


class Position(Record):
    """A person's post in a unit; a person may hold posts in several units."""

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="positions"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="positions")
    post = models.CharField(_("职务类别"), max_length=30, choices=Post.choices)
    title = models.CharField(_("具体职务"), max_length=60, blank=True)
    start = models.DateField(_("任职日期"), null=True, blank=True)
    end = models.DateField(_("离任日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["unit__path", "post", "id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_post_display()} {self.person}"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": gettext("离任日期不能早于任职日期。")})


class Area(models.Model):
    """One of the framework's work areas (组织领导、理论学习、宣传引导…), seeded from the YAML file."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=120, blank=True, default="")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("工作领域")
        verbose_name_plural = _("工作领域")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        """In the page's language (``name`` stays the Chinese the documents use)."""
        return localized(self.name, self.name_en)


class Duty(models.TextChoices):
    ACCOUNTABLE = "accountable", _("负总责")
    RESPONSIBLE = "responsible", _("具体负责")
    SUPPORTING = "supporting", _("配合")


class Responsibility(Record):
    """One cell of the responsibility matrix: who answers for an area of a unit, and how."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="responsibilities"
    )
    area = models.ForeignKey(Area, verbose_name=_("工作领域"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, verbose_name=_("责任人"), on_delete=models.CASCADE, related_name="duties"
    )
    duty = models.CharField(_("责任类型"), max_length=20, choices=Duty.choices)

    class Meta:
        verbose_name = _("责任分工")
        verbose_name_plural = _("责任分工")
        ordering = ["unit__path", "area__order", "duty"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "area", "person"], name="responsibility_unique_person_area"
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(unit)s·%(area)s：%(person)s（%(duty)s）") % {
            "unit": self.unit,
            "area": self.area,
            "person": self.person,
            "duty": self.get_duty_display(),
        }


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    UNIT_ADMIN = "unit_admin", _("单位管理员（联络员）")
    LEADER = "leader", _("领导")
    MEMBER = "member", _("成员")


class Grant(Record):
    """A login's role over a unit and (except for members) its subtree: the basis of every scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="grants"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("授权")
        verbose_name_plural = _("授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="grant_unique_user_unit_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit}：{self.get_role_display()}"


class OneTimePassword(Record):
    """A login whose password someone else chose (an admin's new login or reset): until the person sets
    their own, every page sends them to the change page (``core.middleware.OneTimePasswordMiddleware``).

    One row per login, never deleted: a reset sets ``issued`` again and clears ``changed``, so the
    history keeps who handed out each password and when its owner replaced it. The demo's logins and
    ``createsuperuser`` set passwords without it and are never asked.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="one_time_password",
    )
    issued = models.DateTimeField(_("发放时间"))
    changed = models.DateTimeField(_("本人修改时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("一次性密码")
        verbose_name_plural = _("一次性密码")

    def __str__(self) -> str:
        return str(self.user)


class TaskStatus(models.TextChoices):
    OPEN = "open", _("未完成")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class Task(Record):
    """A piece of the yearly work points, broken down parent → child until one person owns it.

    The seeds' 层层分解、责任到人: the organ's task splits into office tasks and those into a
    person's task; the requirement it serves ties it to the compliance check.
    """

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级任务"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    title = models.CharField(_("任务"), max_length=200)
    person = models.ForeignKey(
        Person,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    requirement = models.ForeignKey(
        "rules.Requirement",
        verbose_name=_("对应要求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    due = models.DateField(_("完成期限"))
    status = models.CharField(_("状态"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["unit", "status", "due"], name="task_unit_status_due")]

    def __str__(self) -> str:
        return self.title
