"""REST endpoints for risk points (``core.declared.viewset_of``); writes go through risks.services."""

from rest_framework import serializers

from taizhang.core.crud import ScopedField, UnitCodeField
from taizhang.ledger.models import Activity
from taizhang.risks.models import RiskPoint


class RiskPointSerializer(serializers.ModelSerializer):
    unit = UnitCodeField()
    owner = ScopedField(allow_null=True)
    assessments = ScopedField(
        lambda: Activity.objects.select_related("kind", "unit"), many=True, required=False
    )
    version = serializers.IntegerField(required=False, help_text="修改时必填：您读取到的版本号")

    class Meta:
        model = RiskPoint
        fields = [
            "id", "unit", "area", "title", "description", "level", "source", "measures", "owner", "status",
            "identified_on", "review_date", "assessments", "version", "created", "updated",
        ]  # fmt: skip
        read_only_fields = ["created", "updated"]
