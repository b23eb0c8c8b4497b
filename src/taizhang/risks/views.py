"""Risk point pages (list, detail, create, edit) through core.crud's thin views."""

from taizhang.core.crud import RecordPages
from taizhang.risks import services
from taizhang.risks.forms import RiskPointForm
from taizhang.risks.models import RiskPoint

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
    related=["owner"],
)
