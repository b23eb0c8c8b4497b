"""Risk points, the assessment meetings that reviewed them, and the open high risks."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from taizhang.core.registry import (
    DATE_FORMAT,
    EXAMPLE_DAY,
    Api,
    Column,
    Filter,
    MenuEntry,
    Page,
    RecordType,
    Sheet,
    register,
)

register(
    RecordType(
        code="risk_points",
        name="风险点",
        measure="个",
        model="risks.RiskPoint",
        date_field="identified_on",
        stock=True,
        engine=False,
        english="Risk point",
        columns=(
            Column("识别日期", "identified_on", read="date", width=11, format=DATE_FORMAT, example=EXAMPLE_DAY),
            Column("单位", "unit", read="unit", write="unit.name", width=20, listed=2, list_header=_("单位")),
            Column("风险点", "title", read="text", width=30, example="工作群转发未经核实的信息", listed=1,
                   list_header=_("风险点")),
            Column("等级", "level", read="choice", width=6, listed=3, list_header=_("等级"), filter=_("风险等级")),
            Column("防范措施", "measures", read="text", width=36, example="明确群管理员，每月检查"),
            Column("责任人", "owner", read="person", write="owner.name", width=9, example="张三", listed=4,
                   list_header=_("责任人")),
            # A risk point is open unless its row says otherwise.
            Column("状态", "status", read="choice", width=8, listed=5, list_header=_("状态"), filter=_("状态")),
            Column("下次研判", "review_date", read="date", label="下次研判日期", width=11, format=DATE_FORMAT,
                   example=date(2021, 6, 5), listed=6, list_header=_("下次研判")),
            Column("化解日期", "closed_on", read="date", width=11, format=DATE_FORMAT),
        ),
        sheet=Sheet(
            "风险点",
            order=50,
            rows=lambda rows: rows.select_related("unit", "owner").order_by("identified_on", "id"),
            create="taizhang.risks.services.risk_point_create",
            needs=("identified_on", "title", "owner"),
            key=("unit", "identified_on", "title"),
        ),
        filters=(Filter("overdue", _("仅看逾期未研判的高风险"), "taizhang.risks.queries.overdue_filter"),),
        page=Page(
            app="risks",
            name="risk",
            prefix="points",
            title=_("风险点"),
            form="taizhang.risks.forms.RiskPointForm",
            create="taizhang.risks.services.risk_point_create",
            update="taizhang.risks.services.risk_point_update",
            related=("owner",),
        ),
        api=Api(
            prefix="risk-points",
            basename="risk-point",
            serializer="taizhang.risks.api.RiskPointSerializer",
            delete="taizhang.risks.services.risk_point_delete",
            select=("owner",),
        ),
        menu=(MenuEntry("channels", _("风险研判"), 20),),
        details=("level", "status", "review_date"),
        kind_field="level",
    ),
    RecordType(
        code="high_risks",
        name="高风险点",
        measure="个",
        model="risks.RiskPoint",
        date_field="identified_on",
        where={"level": "high", "status": "open"},
        base="risk_points",
        stock=True,
        checked=True,  # past its review date
        counter="taizhang.risks.queries.high_risk_counts",
    ),
    RecordType(
        code="risk_assessments",
        name="风险研判会议",
        measure="次",
        model="ledger.Activity",
        title_field="topic",
        where={"kind__code": "assessment", "risk_points__deleted": False},
        base="activities",
        counter="taizhang.risks.queries.assessment_counts",
    ),
)  # fmt: skip
