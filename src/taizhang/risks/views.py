"""Risk point pages (list, detail, create, edit) through core.crud's thin views."""

from django.utils import timezone

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
    title="风险点",
    form=RiskPointForm,
    create=services.risk_point_create,
    update=services.risk_point_update,
    columns=[
        ("风险点", "title"),
        ("单位", "unit"),
        ("等级", "level"),
        ("责任人", "owner"),
        ("状态", "status"),
        ("下次研判", "review_date"),
    ],
    date_field="identified_on",
    filter_form=RiskPointFilterForm,
    filters=_filters,
    related=["owner"],
)
