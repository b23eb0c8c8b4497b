"""Three-review publishing (三审制): drafts, the reviewer posts a unit configures, every decision.

A draft passes first (初审), second (复审) and final (终审) review in that order; the state lives
on the draft, the history in ``Decision`` rows (one per decision, never edited), so the
"every published item passed three reviews" rule is checked from decisions, not trusted from state.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from taizhang.channels.models import Channel
from taizhang.core.models import Record
from taizhang.org.models import Person, Post, Unit


class Stage(models.TextChoices):
    FIRST = "first", _("初审")
    SECOND = "second", _("复审")
    FINAL = "final", _("终审")


STAGES = (Stage.FIRST, Stage.SECOND, Stage.FINAL)


class DraftState(models.TextChoices):
    DRAFTING = "drafting", _("撰写中")
    FIRST = "first", _("待初审")
    SECOND = "second", _("待复审")
    FINAL = "final", _("待终审")
    APPROVED = "approved", _("终审通过")
    REJECTED = "rejected", _("已否决")
    PUBLISHED = "published", _("已发布")


class ReviewerSetting(Record):
    """Which post reviews at which stage in a unit (e.g. 终审 by the 党组书记)."""

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(_("审核环节"), max_length=10, choices=Stage.choices)
    post = models.CharField(_("审核人职务"), max_length=30, choices=Post.choices)

    class Meta:
        verbose_name = _("审核人设置")
        verbose_name_plural = _("审核人设置")
        constraints = [
            models.UniqueConstraint(fields=["unit", "stage", "post"], name="reviewer_setting_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_stage_display()}：{self.get_post_display()}"


class Draft(Record):
    """Something the organisation itself means to publish (news, notice, article)."""

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="drafts")
    author = models.ForeignKey(
        Person, verbose_name=_("作者"), on_delete=models.CASCADE, related_name="drafts"
    )
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"))
    date = models.DateField(_("撰写日期"))
    state = models.CharField(
        _("状态"), max_length=12, choices=DraftState.choices, default=DraftState.DRAFTING, editable=False
    )
    round = models.PositiveSmallIntegerField(_("送审轮次"), default=0, editable=False)
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("发布阵地"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
        editable=False,
    )
    published_on = models.DateField(_("发布日期"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("送审稿")
        verbose_name_plural = _("送审稿")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "published_on"], name="draft_unit_published")]

    def __str__(self) -> str:
        return self.title


class Action(models.TextChoices):
    SUBMIT = "submit", _("送审")
    APPROVE = "approve", _("通过")
    RETURN = "return", _("退回修改")
    REJECT = "reject", _("否决")
    PUBLISH = "publish", _("发布")


class Decision(Record):
    """One step of a draft's history: who did what at which stage of which round, and why."""

    draft = models.ForeignKey(
        Draft, verbose_name=_("送审稿"), on_delete=models.CASCADE, related_name="decisions"
    )
    round = models.PositiveSmallIntegerField(_("送审轮次"))
    stage = models.CharField(_("审核环节"), max_length=10, choices=Stage.choices, blank=True)
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(Person, verbose_name=_("操作人"), on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(_("时间"))
    comment = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ["draft", "at", "id"]

    def __str__(self) -> str:
        return f"{self.draft} {self.get_stage_display()}{self.get_action_display()}（{self.actor}）"
