"""Risk points, the assessment meetings that reviewed them, the open high risks; and public-opinion
incidents (舆情处置), with the incidents a requirement judges on their handling in time."""

from datetime import date

from django.db.models import F, Q
from django.utils import timezone
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


def _late(day: date) -> Q:
    """Incidents not acted on in time, as they stand at ``day``: acted on after the day their level
    set, or not yet acted on with that day past."""
    return Q(responded_on__gt=F("respond_by")) | Q(responded_on__isnull=True, respond_by__lt=day)


def _late_rows(rows, name: str, value):
    """The list's 仅看未按时限处置 box."""
    return rows.filter(_late(timezone.localdate())) if value else rows


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
        details=("level", "status", "review_date", "description", "measures", "area__code"),
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


    # -- public-opinion incidents (舆情处置) --------------------------------------------------------
    # What appeared publicly about the unit and what the unit did: never who posted it (no column,
    # field or filter holds a poster's name, account or message).
    RecordType(
        code="opinion_incidents",
        name="舆情事件",
        measure="起",
        model="risks.OpinionIncident",
        date_field="noticed_on",
        stock=True,  # an incident stands from when it was noticed, being handled, until closed
        engine=False,
        english="Public-opinion incident",
        columns=(
            Column("发现日期", "noticed_on", read="date", width=11, format=DATE_FORMAT, example=EXAMPLE_DAY,
                   listed=4, list_header=_("发现日期")),
            Column("单位", "unit", read="unit", write="unit.name", width=14, listed=2, list_header=_("单位")),
            Column("舆情事件", "title", read="text", width=24, example="网传我单位办事窗口推诿群众", listed=1,
                   list_header=_("舆情事件")),
            Column("出现平台", "platform", read="choice", width=8, filter=_("出现平台")),
            Column("媒体或平台名称", "outlet", read="text", width=12, example="本地论坛"),
            Column("主要内容", "description", read="text", width=16, example="帖文称窗口工作人员推诿，引发部分转评"),
            Column("舆情等级", "level", read="choice", width=6, listed=3, list_header=_("舆情等级"),
                   filter=_("舆情等级")),
            Column("处置时限", "respond_by", width=11, format=DATE_FORMAT),  # from the level: not read back
            Column("处置日期", "responded_on", read="date", width=11, format=DATE_FORMAT,
                   example=date(2021, 3, 6), listed=5, list_header=_("处置日期")),
            Column("处置措施", "response", read="text", width=22, example="核实情况，在原平台公开回应并整改窗口服务"),
            Column("报告对象", "reported_to", read="text", width=10, example="县委网信办"),
            Column("状态", "status", read="choice", width=6, listed=6, list_header=_("状态"), filter=_("状态")),
            Column("办结日期", "closed_on", read="date", width=11, format=DATE_FORMAT),
            Column("经验教训", "lessons", read="text", width=12),
        ),
        sheet=Sheet(
            "舆情处置",
            order=55,
            create="taizhang.risks.services.opinion_incident_create",
            needs=("noticed_on", "title", "level"),
            key=("unit", "noticed_on", "title"),
        ),
        filters=(Filter("late", _("仅看未按时限处置的"), _late_rows),),
        page=Page(
            app="risks",
            name="opinion",
            prefix="opinion",
            title=_("舆情事件"),
            fields=(
                "noticed_on", "platform", "outlet", "title", "description", "level", "responded_on", "response",
                "reported_to", "status", "closed_on", "lessons",
            ),
            create="taizhang.risks.services.opinion_incident_create",
            update="taizhang.risks.services.opinion_incident_update",
        ),
        api=Api(
            prefix="opinion-incidents",
            basename="opinion-incident",
            fields=(
                "unit", "noticed_on", "platform", "outlet", "title", "description", "level", "respond_by",
                "responded_on", "response", "reported_to", "status", "closed_on", "lessons",
            ),
            read_only=("respond_by",),
            delete="taizhang.risks.services.opinion_incident_delete",
        ),
        menu=(MenuEntry("channels", _("舆情处置"), 30),),
        details=("level", "status", "respond_by", "responded_on", "closed_on", "reported_to"),
        kind_field="level",
        without={"aggregate": "舆情事件须逐起登记处置情况，不能以汇总数导入"},
    ),
    RecordType(
        code="opinion_responses",
        name="舆情处置",
        measure="起",
        model="risks.OpinionIncident",
        date_field="noticed_on",
        base="opinion_incidents",
        checked=True,  # not acted on by the day its level set
        violation=_late,
        counter="taizhang.rules.counters.by_declaration",
        bulletin=("发现并处置舆情", "起"),
    ),
)  # fmt: skip
