"""The organisation's own channels (阵地): work groups, public accounts, websites, screens, boards.

Only the channel is recorded — what it is, who runs it, when it was registered (备案) and last
reviewed. Never its messages, its members' names or their speech (DESIGN.md: out of scope).
"""

from django.db import models

from taizhang.core.models import Record
from taizhang.org.models import Person, Unit


class ChannelKind(models.TextChoices):
    WECHAT_GROUP = "wechat_group", "微信工作群"
    QQ_GROUP = "qq_group", "QQ工作群"
    PUBLIC_ACCOUNT = "public_account", "微信公众号"
    WEBSITE = "website", "网站"
    E_SCREEN = "e_screen", "电子显示屏"
    NOTICE_BOARD = "notice_board", "宣传栏"


class ChannelStatus(models.TextChoices):
    ACTIVE = "active", "在用"
    SUSPENDED = "suspended", "暂停"
    CLOSED = "closed", "已关闭"


class Channel(Record):
    """One channel of a unit with its administrator; ``registered_on`` empty means not yet registered."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField("类型", max_length=20, choices=ChannelKind.choices)
    name = models.CharField("名称", max_length=120)
    administrator = models.ForeignKey(
        Person, verbose_name="管理员", on_delete=models.CASCADE, related_name="administered_channels"
    )
    members_count = models.PositiveIntegerField("成员数", null=True, blank=True)
    purpose = models.CharField("用途", max_length=200, blank=True)
    opened_on = models.DateField("启用日期")
    registered_on = models.DateField("备案日期", null=True, blank=True)
    last_reviewed_on = models.DateField("最近检查日期", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=ChannelStatus.choices, default="active")

    class Meta:
        verbose_name = "阵地"
        verbose_name_plural = "阵地"
        ordering = ["unit__path", "kind", "name"]
        indexes = [models.Index(fields=["unit", "status"], name="channel_unit_status")]

    def __str__(self) -> str:
        return self.name
