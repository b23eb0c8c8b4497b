"""The organisation's own channels (work groups, accounts, screens, boards)."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from taizhang.core.registry import (
    DATE_FORMAT,
    EXAMPLE_DAY,
    INTEGER_FORMAT,
    Api,
    Column,
    MenuEntry,
    Page,
    RecordType,
    Sheet,
    register,
)

register(
    RecordType(
        code="channels",
        name="自办阵地",
        measure="个",
        model="channels.Channel",
        date_field="opened_on",
        title_field="name",
        where={"status": "active"},  # a closed channel no longer stands
        stock=True,
        checked=True,  # not registered, or not reviewed in the half year
        counter="taizhang.channels.queries.engine_counts",
        english="Channel",
        columns=(
            Column("名称", "name", read="text", width=26, example="机关干部工作群", listed=1, list_header=_("名称")),
            Column("单位", "unit", read="unit", write="unit.name", width=20, listed=2, list_header=_("单位")),
            Column("类型", "kind", read="choice", width=12, listed=3, list_header=_("类型"), filter=_("类型")),
            Column("管理员", "administrator", read="person", write="administrator.name", width=9, example="张三",
                   listed=4, list_header=_("管理员")),
            Column("成员数", "members_count", read="int", width=8, format=INTEGER_FORMAT, example=35),
            Column("启用日期", "opened_on", read="date", width=11, format=DATE_FORMAT, example=date(2020, 1, 6)),
            Column("备案日期", "registered_on", read="date", width=11, format=DATE_FORMAT,
                   example=date(2020, 1, 10), listed=5, list_header=_("备案日期")),
            Column("最近检查", "last_reviewed_on", read="date", label="最近检查日期", width=11, format=DATE_FORMAT,
                   example=EXAMPLE_DAY, listed=6, list_header=_("最近检查")),
            Column("状态", "status", exported=False, listed=7, list_header=_("状态"), filter=_("状态")),
        ),
        sheet=Sheet(
            "自办阵地",
            order=60,
            rows=lambda rows: rows.select_related("unit", "administrator").order_by("opened_on", "id"),
            create="taizhang.channels.services.channel_create",
            needs=("name", "kind", "administrator"),
            key=("unit", "kind", "name"),
        ),
        page=Page(
            app="channels",
            name="channel",
            prefix="channels",
            title=_("阵地"),
            fields=(
                "kind", "name", "administrator", "members_count", "purpose", "opened_on", "registered_on",
                "last_reviewed_on", "status",
            ),
            create="taizhang.channels.services.channel_create",
            update="taizhang.channels.services.channel_update",
            search=("name", "purpose"),
            # A period or a day selects the channels in use then (opened by its end and active), not
            # those opened in it: on this page, in the API and in the counts alike.
            period="taizhang.channels.queries.active_in",
            as_of="taizhang.channels.queries.active_on",
            related=("administrator",),
        ),
        api=Api(
            prefix="channels",
            basename="channel",
            serializer="taizhang.channels.api.ChannelSerializer",
            delete="taizhang.channels.services.channel_delete",
            select=("administrator",),
        ),
        menu=(MenuEntry("channels", _("阵地备案"), 10),),
        details=("kind", "registered_on", "last_reviewed_on", "administrator__job_title"),
        kind_field="kind",
    ),
)  # fmt: skip
