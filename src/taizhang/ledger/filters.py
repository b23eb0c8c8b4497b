"""The activity list's filters and table, shared by the activity pages and ``/api/activities/``."""

import django_filters as df

from taizhang.core.filters import record_filterset
from taizhang.core.registry import record_type
from taizhang.ledger.models import Activity, ActivityKind

COLUMNS = [("日期", "date"), ("单位", "unit"), ("类型", "kind"), ("主题", "topic"), ("主持人", "host")]
SORTABLE = [
    ("date", "date", "日期"),
    ("unit", "unit__path", "单位"),
    ("kind", "kind__order", "类型"),
    ("topic", "topic", "主题"),
]

_declared = record_type("activities")
ActivityFilterSet = record_filterset(
    Activity,
    unit_field=_declared.unit_field,
    date_field=_declared.date_field,
    search=(_declared.title_field, "location"),
    fields={
        "kind": df.ModelChoiceFilter(
            label="活动类型",
            queryset=ActivityKind.objects.all(),
            to_field_name="code",
            empty_label="全部",
        )
    },
    ordering=SORTABLE,
)
