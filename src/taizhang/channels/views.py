"""Channel pages: list, detail, create, edit (see core.crud for the shared thin views)."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from taizhang.channels import queries, services
from taizhang.channels.forms import ChannelForm
from taizhang.channels.models import Channel, ChannelKind, ChannelStatus
from taizhang.core.crud import RecordPages

channels = RecordPages(
    model=Channel,
    app="channels",
    name="channel",
    title=_("阵地"),
    form=ChannelForm,
    create=services.channel_create,
    update=services.channel_update,
    columns=[
        (_("名称"), "name"),
        (_("单位"), "unit"),
        (_("类型"), "kind"),
        (_("管理员"), "administrator"),
        (_("备案日期"), "registered_on"),
        (_("最近检查"), "last_reviewed_on"),
        (_("状态"), "status"),
    ],
    record_type="channels",
    search=("name", "purpose"),
    filter_fields={
        "kind": df.ChoiceFilter(label=_("类型"), choices=ChannelKind.choices, empty_label=_("全部")),
        "status": df.ChoiceFilter(label=_("状态"), choices=ChannelStatus.choices, empty_label=_("全部")),
    },
    # A period or a day selects the channels in use then (opened by its end and active), not
    # those opened in it: on this page, in the API and in the counts alike.
    period=queries.active_in,
    as_of=queries.active_on,
    related=["administrator"],
)
