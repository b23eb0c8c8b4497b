"""Campaigns, donations, volunteer service and selections: what a summary tells, no rule counts."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from taizhang.core.registry import (
    DATE_FORMAT,
    EXAMPLE_DAY,
    INTEGER_FORMAT,
    MONEY_FORMAT,
    Api,
    Column,
    MenuEntry,
    Page,
    RecordType,
    Sheet,
    register,
)

CAMPAIGN_EXAMPLE = "“学党史、办实事”主题宣传"
# A donation, volunteer service or selection may belong to a campaign, named by its title.
CAMPAIGN = Column("主题活动", "campaign", read="record", refers="campaigns", write="campaign.title", width=24,
                  example=CAMPAIGN_EXAMPLE)  # fmt: skip


def _unit(width: int = 20) -> Column:
    return Column(
        "单位", "unit", read="unit", write="unit.name", width=width, listed=2, list_header=_("单位")
    )


def _donor(donation) -> str:
    return donation.donor_name or (donation.donor.name if donation.donor else "")


def _amount(donation) -> Decimal | None:
    """In 元, blank for items counted rather than valued."""
    return None if donation.kind == "items" else Decimal(donation.amount_fen) / 100


def _participants(volunteering) -> str:
    return "、".join(p.name for p in sorted(volunteering.participants.all(), key=lambda p: p.pk))


def _pages(name: str, prefix: str, title, create: str, update: str, form: str, **more) -> Page:
    return Page(
        app="campaigns",
        name=name,
        prefix=prefix,
        title=title,
        form=f"taizhang.campaigns.forms.{form}",
        create=f"taizhang.campaigns.services.{create}",
        update=f"taizhang.campaigns.services.{update}",
        **more,
    )


def _api(prefix: str, basename: str, serializer: str) -> Api:
    return Api(
        prefix=prefix,
        basename=basename,
        serializer=f"taizhang.campaigns.api.{serializer}",
        delete="taizhang.campaigns.services.record_delete",
    )


register(
    RecordType(
        code="campaigns",
        name="主题活动",
        measure="项",
        model="campaigns.Campaign",
        date_field="start",
        engine=False,
        english="Campaign",
        columns=(
            Column("开始日期", "start", read="date", width=11, format=DATE_FORMAT, example=EXAMPLE_DAY, listed=4,
                   list_header=_("开始")),
            Column("结束日期", "end", read="date", width=11, format=DATE_FORMAT, example=date(2021, 6, 30),
                   listed=5, list_header=_("结束")),
            _unit(),
            Column("名称", "title", read="text", width=30, example=CAMPAIGN_EXAMPLE, listed=1,
                   list_header=_("名称")),
            Column("主题", "theme", read="text", width=16, example="党史学习教育", listed=3, list_header=_("主题")),
            Column("说明", "description", read="text", width=40, example="集中宣讲、走访群众、办实事"),
        ),
        sheet=Sheet(
            "主题活动",
            order=70,
            rows=lambda rows: rows.select_related("unit").order_by("start", "id"),
            create="taizhang.campaigns.services.campaign_create",
            needs=("start", "title"),
            key=("unit", "start", "title"),
            lookup="taizhang.campaigns.queries.campaign_named",
        ),
        page=_pages("campaign", "campaigns", _("主题活动"), "campaign_create", "campaign_update", "CampaignForm",
                    cls="taizhang.campaigns.views.CampaignPages",
                    detail_template="campaigns/campaign_detail.html"),
        api=_api("campaigns", "campaign", "CampaignSerializer"),
        menu=(MenuEntry("campaigns", _("主题宣传"), 10),),
        details=("theme", "highlight", "end", "description"),
        without={"aggregate": "主题活动须逐项登记"},
    ),
    RecordType(
        code="donations",
        name="捐赠",
        measure="元",
        model="campaigns.Donation",
        title_field="donor_name",
        engine=False,
        english="Donation",
        columns=(
            Column("日期", "date", read="date", width=11, format=DATE_FORMAT, example=EXAMPLE_DAY, listed=6,
                   list_header=_("日期")),
            _unit(),
            Column("捐赠方", "donor_group", read="choice", width=14, listed=3, list_header=_("捐赠方")),
            Column("捐赠人", "donor", read="donor", write=_donor, width=16, example="张三"),
            Column("类别", "kind", read="choice", width=12, listed=4, list_header=_("类别")),
            Column("金额（元）", "amount", read="amount", write=_amount, label="金额", width=14, format=MONEY_FORMAT,
                   example=200),
            Column("物品", "item_name", read="text", width=10),
            Column("数量", "item_count", read="int", width=8, format=INTEGER_FORMAT),
            Column("计量单位", "item_unit", read="text", width=8),
            CAMPAIGN,
            Column("捐赠", write="__str__", exported=False, listed=1, list_header=_("捐赠")),
            Column("金额", write="amount_display", exported=False, listed=5, list_header=_("金额")),
        ),
        sheet=Sheet(
            "捐赠",
            order=80,
            rows=lambda rows: rows.select_related("unit", "donor", "campaign").order_by("date", "id"),
            create="taizhang.campaigns.services.donation_create",
            needs=("date", "donor_group", "kind"),
            key=("unit", "date", "donor_group", "donor", "kind", "amount", "item_name", "item_count", "campaign"),
        ),
        page=_pages("donation", "donations", _("捐赠"), "donation_create", "donation_update", "DonationForm",
                    search=("donor_name", "donor_group"), related=("campaign", "donor")),
        api=_api("donations", "donation", "DonationSerializer"),
        menu=(MenuEntry("campaigns", _("捐款捐物"), 20),),
        details=(
            "kind", "donor_group", "amount_fen", "item_name", "item_count", "item_unit", "campaign_id", "donor_name",
        ),
        kind_field="kind",
    ),
    RecordType(
        code="volunteer_activities",
        name="志愿服务",
        measure="次",
        model="campaigns.VolunteerActivity",
        engine=False,
        english="Volunteer service",
        columns=(
            Column("日期", "date", read="date", width=11, format=DATE_FORMAT, example=EXAMPLE_DAY, listed=4,
                   list_header=_("日期")),
            _unit(),
            Column("内容", "title", read="text", width=36, example="社区文明交通劝导", listed=1,
                   list_header=_("内容")),
            Column("地点", "place", read="text", width=16, example="城关镇十字路口", listed=3,
                   list_header=_("地点")),
            Column("参加人数", write="people", width=8, format=INTEGER_FORMAT),
            Column("参加人员", "participants", read="people", write=_participants, width=30, example="张三、李四"),
            Column("时长（小时）", "hours", read="int", label="时长", width=8, format=INTEGER_FORMAT, example=2,
                   listed=5, list_header=_("时长")),
            CAMPAIGN,
        ),
        # not "志愿服务": that is also an activity kind's sheet
        sheet=Sheet(
            "志愿服务记录",
            order=90,
            rows="taizhang.campaigns.queries.volunteer_sheet",
            create="taizhang.campaigns.services.volunteer_activity_create",
            needs=("date", "title", "hours"),
            key=("unit", "date", "title"),
        ),
        page=_pages("volunteer", "volunteering", _("志愿服务"), "volunteer_activity_create",
                    "volunteer_activity_update", "VolunteerActivityForm"),
        api=_api("volunteer-activities", "volunteer-activity", "VolunteerActivitySerializer"),
        menu=(MenuEntry("campaigns", _("志愿服务"), 30),),
        details=("campaign_id", "place"),
    ),
    RecordType(
        code="selections",
        name="评选",
        measure="项",
        model="campaigns.Selection",
        engine=False,
        english="Selection",
        columns=(
            Column("评选日期", "date", read="date", width=11, format=DATE_FORMAT, example=EXAMPLE_DAY, listed=3,
                   list_header=_("日期")),
            _unit(),
            Column("评选名称", "title", read="text", width=30, example="2021年度文明家庭", listed=1,
                   list_header=_("评选名称")),
            Column("获评人员", "winners", read="lines", write=lambda s: "、".join(s.winner_list), width=40,
                   example="张三家庭、李四家庭"),
            CAMPAIGN,
        ),
        sheet=Sheet(
            "评选",
            order=100,
            rows=lambda rows: rows.select_related("unit", "campaign").order_by("date", "id"),
            create="taizhang.campaigns.services.selection_create",
            needs=("date", "title", "winners"),
            key=("unit", "date", "title"),
        ),
        page=_pages("selection", "selections", _("评选"), "selection_create", "selection_update", "SelectionForm"),
        api=_api("selections", "selection", "SelectionSerializer"),
        menu=(MenuEntry("campaigns", _("评选"), 40),),
        details=("winners", "campaign_id"),
        without={"aggregate": "评选须逐项登记获评人员"},
    ),
)  # fmt: skip
