"""Risk point pages (list, detail, create, edit) through core.crud's thin views."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.core.crud import RecordPages
from taizhang.risks import services
from taizhang.risks.forms import RiskPointFilterForm, RiskPointForm
from taizhang.risks.models import RiskLevel, RiskPoint, RiskStatus


def _filters(rows, data):
    """Level and status; "overdue" is the to-do list: open high risks past their review date."""
    for field in ("level", "status"):
        if data.get(field):
            rows = rows.filter(**{field: data[field]})
    if data.get("overdue"):
        rows = rows.filter(level=RiskLevel.HIGH, status=RiskStatus.OPEN, review_date__lt=timezone.localdate())
    return rows


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
    date_field="identified_on",
    filter_form=RiskPointFilterForm,
    filters=_filters,
    related=["owner"],
)
