"""REST endpoints for campaigns, donations, volunteer activities and selections (``core.declared.viewset_of``).

Donations take ``amount`` as 元 text ("18000", "157.3万") and return exact ``amount_fen`` plus
``amount_display``; the service validates the amount, never the serializer, so one message serves all.
"""

from rest_framework import serializers

from taizhang.campaigns.models import Campaign, Donation, Selection, VolunteerActivity
from taizhang.core.crud import ScopedField, UnitCodeField

VERSION = {"required": False, "help_text": "修改时必填：您读取到的版本号"}


def _campaign():
    """A campaign the caller can see, named by its id (a donation, a volunteer service, a selection)."""
    return ScopedField(lambda: Campaign.objects.select_related("unit"), required=False, allow_null=True)


class CampaignSerializer(serializers.ModelSerializer):
    unit = UnitCodeField()
    version = serializers.IntegerField(**VERSION)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "unit",
            "title",
            "theme",
            "start",
            "end",
            "description",
            "version",
            "created",
            "updated",
        ]
        read_only_fields = ["created", "updated"]


class DonationSerializer(serializers.ModelSerializer):
    unit = UnitCodeField()
    campaign = _campaign()
    donor = ScopedField(required=False, allow_null=True)
    amount = serializers.CharField(write_only=True, required=False, allow_blank=True, help_text="金额（元）")
    amount_display = serializers.CharField(read_only=True)
    version = serializers.IntegerField(**VERSION)

    class Meta:
        model = Donation
        fields = [
            "id", "unit", "campaign", "date", "donor_group", "donor", "donor_name", "kind", "amount", "amount_fen",
            "amount_display", "item_name", "item_count", "item_unit", "version", "created", "updated",
        ]  # fmt: skip
        read_only_fields = ["amount_fen", "created", "updated"]


class VolunteerActivitySerializer(serializers.ModelSerializer):
    unit = UnitCodeField()
    campaign = _campaign()
    participants = ScopedField(many=True, required=False)
    version = serializers.IntegerField(**VERSION)

    class Meta:
        model = VolunteerActivity
        fields = [
            "id", "unit", "campaign", "date", "title", "place", "hours", "participants", "version", "created",
            "updated",
        ]  # fmt: skip
        read_only_fields = ["created", "updated"]


class SelectionSerializer(serializers.ModelSerializer):
    unit = UnitCodeField()
    campaign = _campaign()
    version = serializers.IntegerField(**VERSION)

    class Meta:
        model = Selection
        fields = ["id", "unit", "campaign", "title", "date", "winners", "version", "created", "updated"]
        read_only_fields = ["created", "updated"]
