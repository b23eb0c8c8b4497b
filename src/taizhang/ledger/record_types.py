"""The ledger's record types: activities (of every kind) and study reflections."""

from taizhang.core.registry import RecordType, register

register(
    RecordType(
        code="activities",
        name="活动",
        measure="次",
        model="ledger.Activity",
        title_field="topic",
        evidence=("minutes", "attendance", "attachment"),
        list_url="ledger:activity-list",
    ),
    RecordType(code="reflections", name="学习体会", measure="篇", model="ledger.Reflection"),
)
