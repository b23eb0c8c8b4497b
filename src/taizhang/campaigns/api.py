"""REST endpoints for campaigns, donations, volunteer activities and selections.

Donations take ``amount`` as 元 text ("18000", "157.3万") and return exact ``amount_fen`` plus
``amount_display``; the service validates the amount, never the serializer, so one message serves all.
"""

from rest_framework import serializers

from taizhang.campaigns import services, views
from taizhang.campaigns.models import Campaign, Donation, Selection, VolunteerActivity
from taizhang.core.crud import RecordViewSet, ScopedPersonField, UnitCodeField
from taizhang.org.scope import scope

VERSION = {"required": False, "help_text": "修改时必填：您读取到的版本号"}


class ScopedCampaignField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        return scope(Campaign.objects.select_related("unit"), getattr(request, "user", None))


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
    campaign = ScopedCampaignField(required=False, allow_null=True)
    donor = ScopedPersonField(required=False, allow_null=True)
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
    campaign = ScopedCampaignField(required=False, allow_null=True)
    participants = ScopedPersonField(many=True, required=False)
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
    campaign = ScopedCampaignField(required=False, allow_null=True)
    version = serializers.IntegerField(**VERSION)

    class Meta:
        model = Selection
        fields = ["id", "unit", "campaign", "title", "date", "winners", "version", "created", "updated"]
        read_only_fields = ["created", "updated"]


class CampaignViewSet(RecordViewSet):
    pages = views.campaigns
    serializer_class = CampaignSerializer
    create_service = staticmethod(services.campaign_create)
    update_service = staticmethod(services.campaign_update)
    delete_service = staticmethod(services.record_delete)


class DonationViewSet(RecordViewSet):
    pages = views.donations
    serializer_class = DonationSerializer
    create_service = staticmethod(services.donation_create)
    update_service = staticmethod(services.donation_update)
    delete_service = staticmethod(services.record_delete)


class VolunteerActivityViewSet(RecordViewSet):
    pages = views.volunteering
    serializer_class = VolunteerActivitySerializer
    create_service = staticmethod(services.volunteer_activity_create)
    update_service = staticmethod(services.volunteer_activity_update)
    delete_service = staticmethod(services.record_delete)


class SelectionViewSet(RecordViewSet):
    pages = views.selections
    serializer_class = SelectionSerializer
    create_service = staticmethod(services.selection_create)
    update_service = staticmethod(services.selection_update)
    delete_service = staticmethod(services.record_delete)
