"""Risk point pages (list, detail, create, edit) through core.crud's thin views."""

import django_filters as df
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.core.crud import RecordPages
from taizhang.risks import services
from taizhang.risks.forms import RiskPointForm
from taizhang.risks.models import RiskLevel, RiskPoint, RiskStatus


def _overdue(rows, name, value):
    """The to-do list's overdue risks: open high risks past their review date."""
    if not value:
        return rows
    return rows.filter(level=RiskLevel.HIGH, status=RiskStatus.OPEN, review_date__lt=timezone.localdate())


risk_points = RecordPages(
    model=RiskPoint,
    app="risks",
    name="risk",
    title=_("风险点"),
    form=RiskPointForm,
    create=services.risk_point_create,
    update=services.risk_point_update,
    columns=[
        (_("风险点"), "title"),
        (_("单位"), "unit"),
        (_("等级"), "level"),
        (_("责任人"), "owner"),
        (_("状态"), "status"),
        (_("下次研判"), "review_date"),
    ],
    record_type="risk_points",
    filter_fields={
        "level": df.ChoiceFilter(label=_("风险等级"), choices=RiskLevel.choices, empty_label=_("全部")),
        "status": df.ChoiceFilter(label=_("状态"), choices=RiskStatus.choices, empty_label=_("全部")),
        "overdue": df.BooleanFilter(
            label=_("仅看逾期未研判的高风险"), method=_overdue, widget=df.widgets.forms.CheckboxInput
        ),
    },
    related=["owner"],
)
