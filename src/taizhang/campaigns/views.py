"""Campaign pages: campaigns, donations, volunteer activities, selections (core.crud's thin views)."""

from django.utils.translation import gettext_lazy as _

from taizhang.campaigns import queries, services
from taizhang.campaigns.forms import CampaignForm, DonationForm, SelectionForm, VolunteerActivityForm
from taizhang.campaigns.models import Campaign, Donation, Selection, VolunteerActivity
from taizhang.core.crud import RecordPages


class CampaignPages(RecordPages):
    def detail_view(self, request, pk: int, extra: dict | None = None):
        campaign = self._get(request, pk)
        return super().detail_view(request, pk, extra={"totals": queries.campaign_totals(campaign)})


campaigns = CampaignPages(
    model=Campaign,
    app="campaigns",
    name="campaign",
    title=_("主题活动"),
    form=CampaignForm,
    create=services.campaign_create,
    update=services.campaign_update,
    columns=[
        (_("名称"), "title"),
        (_("单位"), "unit"),
        (_("主题"), "theme"),
        (_("开始"), "start"),
        (_("结束"), "end"),
    ],
    record_type="campaigns",
    detail_template="campaigns/campaign_detail.html",
)
donations = RecordPages(
    model=Donation,
    app="campaigns",
    name="donation",
    title=_("捐赠"),
    form=DonationForm,
    create=services.donation_create,
    update=services.donation_update,
    columns=[
        (_("捐赠"), "__str__"),
        (_("单位"), "unit"),
        (_("捐赠方"), "donor_group"),
        (_("类别"), "kind"),
        (_("金额"), "amount_display"),
        (_("日期"), "date"),
    ],
    record_type="donations",
    search=("donor_name", "donor_group"),
    related=["campaign", "donor"],
)
volunteering = RecordPages(
    model=VolunteerActivity,
    app="campaigns",
    name="volunteer",
    title=_("志愿服务"),
    form=VolunteerActivityForm,
    create=services.volunteer_activity_create,
    update=services.volunteer_activity_update,
    columns=[
        (_("内容"), "title"),
        (_("单位"), "unit"),
        (_("地点"), "place"),
        (_("日期"), "date"),
        (_("时长"), "hours"),
    ],
    record_type="volunteer_activities",
)
selections = RecordPages(
    model=Selection,
    app="campaigns",
    name="selection",
    title=_("评选"),
    form=SelectionForm,
    create=services.selection_create,
    update=services.selection_update,
    columns=[(_("评选名称"), "title"), (_("单位"), "unit"), (_("日期"), "date")],
    record_type="selections",
)
