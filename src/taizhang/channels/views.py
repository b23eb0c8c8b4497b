"""Channel pages: list, detail, create, edit (see core.crud for the shared thin views)."""

from django.utils.translation import gettext_lazy as _

from taizhang.channels import queries, services
from taizhang.channels.forms import ChannelFilterForm, ChannelForm
from taizhang.channels.models import Channel
from taizhang.core.crud import RecordPages


def _filters(rows, data):
    """A period selects the channels in use then (opened by its end and active), not those opened in it."""
    if data.get("period"):
        rows = queries.active_in(rows, data["period"])
    for field in ("kind", "status"):
        if data.get(field):
            rows = rows.filter(**{field: data[field]})
    return rows


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
    date_field="",  # a period selects the channels in use then, not those opened then
    filter_form=ChannelFilterForm,
    filters=_filters,
    related=["administrator"],
)
