"""REST endpoints for risk points; writes go through risks.services."""

from rest_framework import serializers

from taizhang.core.crud import RecordViewSet, ScopedPersonField, UnitCodeField
from taizhang.ledger.models import Activity
from taizhang.org.scope import scope
from taizhang.risks import services
from taizhang.risks.models import RiskPoint
from taizhang.risks.views import risk_points


class ScopedActivityField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        return scope(Activity.objects.select_related("kind", "unit"), getattr(request, "user", None))


class RiskPointSerializer(serializers.ModelSerializer):
    unit = UnitCodeField()
    owner = ScopedPersonField(allow_null=True)
    assessments = ScopedActivityField(many=True, required=False)
    version = serializers.IntegerField(required=False, help_text="修改时必填：您读取到的版本号")

    class Meta:
        model = RiskPoint
        fields = [
            "id", "unit", "area", "title", "description", "level", "source", "measures", "owner", "status",
            "identified_on", "review_date", "assessments", "version", "created", "updated",
        ]  # fmt: skip
        read_only_fields = ["created", "updated"]


class RiskPointViewSet(RecordViewSet):
    pages = risk_points
    serializer_class = RiskPointSerializer
    select = ("owner",)
    create_service = staticmethod(services.risk_point_create)
    update_service = staticmethod(services.risk_point_update)
    delete_service = staticmethod(services.risk_point_delete)
