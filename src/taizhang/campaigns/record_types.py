"""Campaigns, donations, volunteer service and selections: what a summary tells, no rule counts."""

from taizhang.core.registry import RecordType, register

register(
    RecordType(
        code="campaigns",
        name="主题活动",
        measure="项",
        model="campaigns.Campaign",
        date_field="start",
        list_url="campaigns:campaign-list",
        engine=False,
    ),
    RecordType(
        code="donations",
        name="捐赠",
        measure="元",
        model="campaigns.Donation",
        title_field="donor_name",
        sums="amount_fen",
        list_url="campaigns:donation-list",
        engine=False,
    ),
    RecordType(
        code="volunteer_activities",
        name="志愿服务",
        measure="次",
        model="campaigns.VolunteerActivity",
        list_url="campaigns:volunteer-list",
        engine=False,
    ),
    RecordType(
        code="selections",
        name="评选",
        measure="项",
        model="campaigns.Selection",
        list_url="campaigns:selection-list",
        engine=False,
    ),
)
