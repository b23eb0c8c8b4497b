"""The organisation's own channels (阵地): work groups, public accounts, websites, screens, boards.

Only the channel is recorded — what it is, who runs it, when it was registered (备案) and last
reviewed. Never its messages, its members' names or their speech (DESIGN.md: out of scope).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from taizhang.core.models import Record
from taizhang.org.models import Person, Unit


class ChannelKind(models.TextChoices):
    WECHAT_GROUP = "wechat_group", _("微信工作群")
    QQ_GROUP = "qq_group", _("QQ工作群")
    PUBLIC_ACCOUNT = "public_account", _("微信公众号")
    WEBSITE = "website", _("网站")
    E_SCREEN = "e_screen", _("电子显示屏")
    NOTICE_BOARD = "notice_board", _("宣传栏")


class ChannelStatus(models.TextChoices):
    ACTIVE = "active", _("在用")
    SUSPENDED = "suspended", _("暂停")
    CLOSED = "closed", _("已关闭")


class Channel(Record):
    """One channel of a unit with its administrator; ``registered_on`` empty means not yet registered."""

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(_("类型"), max_length=20, choices=ChannelKind.choices)
    name = models.CharField(_("名称"), max_length=120)
    administrator = models.ForeignKey(
        Person, verbose_name=_("管理员"), on_delete=models.CASCADE, related_name="administered_channels"
    )
    members_count = models.PositiveIntegerField(_("成员数"), null=True, blank=True)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    opened_on = models.DateField(_("启用日期"))
    registered_on = models.DateField(_("备案日期"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("最近检查日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=ChannelStatus.choices, default="active")

    class Meta:
        verbose_name = _("阵地")
        verbose_name_plural = _("阵地")
        ordering = ["unit__path", "kind", "name"]
        indexes = [models.Index(fields=["unit", "status"], name="channel_unit_status")]

    def __str__(self) -> str:
        return self.name
