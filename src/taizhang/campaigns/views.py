"""Campaign pages: a campaign with its totals (the other pages of the module's record types are built
from their declarations, ``record_types.py``)."""

from taizhang.campaigns import queries
from taizhang.core.crud import RecordPages


class CampaignPages(RecordPages):
    """A campaign's page adds up what was given and done under it."""

    def detail_view(self, request, pk: int, extra: dict | None = None):
        campaign = self._get(request, pk)
        return super().detail_view(request, pk, extra={"totals": queries.campaign_totals(campaign)})
