"""The activity list's filters and table, shared by the activity pages and ``/api/activities/``."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from taizhang.core.filters import record_filterset
from taizhang.core.registry import record_type
from taizhang.core.widgets import VocabularySelect
from taizhang.ledger.models import Activity, ActivityKind

COLUMNS = [
    (_("日期"), "date"),
    (_("单位"), "unit"),
    (_("类型"), "kind"),
    (_("主题"), "topic"),
    (_("主持人"), "host"),
]
SORTABLE = [
    ("date", "date", _("日期")),
    ("unit", "unit__path", _("单位")),
    ("kind", "kind__order", _("类型")),
    ("topic", "topic", _("主题")),
]

_declared = record_type("activities")
ActivityFilterSet = record_filterset(
    Activity,
    unit_field=_declared.unit_field,
    date_field=_declared.date_field,
    search=(_declared.title_field, "location"),
    fields={
        "kind": df.ModelChoiceFilter(
            label=_("活动类型"),
            queryset=ActivityKind.objects.all(),
            to_field_name="code",
            empty_label=_("全部"),
            widget=VocabularySelect,
        )
    },
    ordering=SORTABLE,
)
