"""The organisation's own channels (work groups, accounts, screens, boards)."""

from taizhang.core.registry import RecordType, register

register(
    RecordType(
        code="channels",
        name="自办阵地",
        measure="个",
        model="channels.Channel",
        date_field="opened_on",
        title_field="name",
        where={"status": "active"},  # a closed channel no longer stands
        list_url="channels:channel-list",
        stock=True,
    ),
)
