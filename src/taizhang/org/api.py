"""REST endpoints for units and people (read-only: unit admins keep people on the people pages)."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from taizhang.core.filters import RecordFilterSet, UnitFilter
from taizhang.org.models import Person, Unit
from taizhang.org.scope import can_see_personal_data, member_units, scope, visible_units


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # null: a root

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "short_name", "kind", "profile", "parent", "depth"]


class PersonSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "unit", "job_title", "is_party_member", "phone"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        # Phone numbers are personal data: only the admins of the person's unit read them.
        if request is None or not can_see_personal_data(request.user, instance.unit):
            data.pop("phone", None)
        return data


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitSerializer
    lookup_field = "code"

    def get_queryset(self):
        units = visible_units(self.request.user) | member_units(self.request.user)
        return units.select_related("parent").order_by("path")


class PersonFilterSet(RecordFilterSet):
    unit = UnitFilter(field_name="unit", subtree=False, label="单位")

    class Meta:
        model = Person
        fields = ["unit"]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "unit",
                str,
                description="单位代码（只列该单位的人员）",
                examples=[OpenApiExample("政协机关", value="cppcc")],
            )
        ]
    )
)
class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """People the login may see; ``?unit=`` (a unit it may see, else a 400 naming it) lists one unit's."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet

    def get_queryset(self):
        return scope(Person.objects.select_related("unit"), self.request.user, own="self")

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset
