"""Risk points, the assessment meetings that reviewed them, and the open high risks."""

from taizhang.core.registry import RecordType, register

register(
    RecordType(
        code="risk_points",
        name="风险点",
        measure="个",
        model="risks.RiskPoint",
        date_field="identified_on",
        list_url="risks:risk-list",
        stock=True,
        engine=False,
    ),
    RecordType(
        code="high_risks",
        name="高风险点",
        measure="个",
        model="risks.RiskPoint",
        date_field="identified_on",
        where={"level": "high", "status": "open"},
        base="risk_points",
        list_url="risks:risk-list",
        stock=True,
    ),
    RecordType(
        code="risk_assessments",
        name="风险研判会议",
        measure="次",
        model="ledger.Activity",
        title_field="topic",
        where={"kind__code": "assessment", "risk_points__deleted": False},
        base="activities",
        list_url="ledger:activity-list",
    ),
)
