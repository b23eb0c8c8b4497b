"""Campaigns (主题宣传), donations, volunteer activities and selections (评选).

Money is integer fen, never float: a donation of 157.3万元 is ``157_300_000`` fen, and sums over
thousands of donations stay exact to the fen. ``core.money.format_yuan`` writes them as documents do.
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from taizhang.core.cells import typed_text
from taizhang.core.models import Record
from taizhang.org.models import Person, Unit


class Campaign(Record):
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="campaigns")
    title = models.CharField(_("名称"), max_length=200)
    theme = models.CharField(_("主题"), max_length=120, blank=True)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True)
    description = models.TextField(_("说明"), blank=True)
    # Filled in when the clerk marks the record as a highlight (典型、亮点); the summary tells it.
    highlight = models.TextField(
        _("典型做法与成效"),
        blank=True,
        db_default="",  # rows inserted by plain SQL (bulk imports) get the empty text too
        help_text=_("作为典型、亮点写入总结时填写：怎么做的，取得了什么成效（一两句话）"),
    )

    class Meta:
        verbose_name = _("主题活动")
        verbose_name_plural = _("主题活动")
        ordering = ["-start", "-id"]

    def __str__(self) -> str:
        return self.title


class DonorGroup(models.TextChoices):
    """Who gave: the seed counts the organ's staff and the county's members separately."""

    STAFF = "staff", _("机关干部")
    MEMBERS = "members", _("政协委员（会员）")
    UNIT = "unit", _("单位")
    PERSON = "person", _("个人")


class DonationKind(models.TextChoices):
    MONEY = "money", _("捐款")
    GOODS = "goods", _("捐物（折价）")
    ITEMS = "items", _("捐赠物品（计件）")


class Donation(Record):
    """One donation line: money, goods valued in 元, or items counted (e.g. 5600 个 masks)."""

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="donations")
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("主题活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="donations",
    )
    date = models.DateField(_("日期"))
    donor_group = models.CharField(_("捐赠方"), max_length=10, choices=DonorGroup.choices)
    donor = models.ForeignKey(
        Person,
        verbose_name=_("捐赠人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="donations",
    )
    donor_name = models.CharField(_("捐赠方名称"), max_length=120, blank=True)
    kind = models.CharField(_("类别"), max_length=10, choices=DonationKind.choices)
    amount_fen = models.BigIntegerField(_("金额（分）"), default=0)
    item_name = models.CharField(_("物品"), max_length=60, blank=True)
    item_count = models.PositiveIntegerField(_("数量"), null=True, blank=True)
    item_unit = models.CharField(_("计量单位"), max_length=10, blank=True, help_text=_("如 个、箱"))

    class Meta:
        verbose_name = _("捐赠")
        verbose_name_plural = _("捐赠")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "date"], name="donation_unit_date")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_fen__gte=0), name="donation_amount_not_negative")
        ]

    def __str__(self) -> str:
        from taizhang.core.i18n import money_on_page

        who = self.donor_name or (self.donor.name if self.donor_id else self.get_donor_group_display())
        if self.kind == DonationKind.ITEMS:  # what the clerk typed, as typed
            return gettext("%(who)s：%(name)s%(count)s%(unit)s") % {
                "who": who,
                "name": self.item_name,
                "count": self.item_count,
                "unit": self.item_unit,
            }
        return gettext("%(who)s：%(kind)s %(amount)s") % {
            "who": who,
            "kind": self.get_kind_display(),
            "amount": money_on_page(self.amount_fen),
        }

    @property
    def amount_display(self) -> str:
        from taizhang.core.money import format_yuan

        return format_yuan(self.amount_fen) if self.kind != DonationKind.ITEMS else ""


class VolunteerActivity(Record):
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="volunteer_activities"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("主题活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteering",
    )
    date = models.DateField(_("日期"))
    title = models.CharField(_("内容"), max_length=200)
    place = models.CharField(_("地点"), max_length=120, blank=True)
    participants = models.ManyToManyField(Person, verbose_name=_("参加人员"), blank=True, related_name="+")
    hours = models.PositiveSmallIntegerField(_("时长（小时）"), default=0)

    class Meta:
        verbose_name = _("志愿服务")
        verbose_name_plural = _("志愿服务")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title


class Selection(Record):
    """A selection (评选, e.g. 道德模范) with its winners, one per line."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="selections"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("主题活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="selections",
    )
    title = models.CharField(_("评选名称"), max_length=200)
    date = models.DateField(_("评选日期"))
    winners = models.TextField(_("获评人员"), help_text=_("每行一人（或一个集体），可注明称号"))

    class Meta:
        verbose_name = _("评选")
        verbose_name_plural = _("评选")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def winner_list(self) -> list[str]:
        return [typed_text(line) for line in self.winners.splitlines() if line.strip()]
