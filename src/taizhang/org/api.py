"""REST endpoints for units and people (read-only: the organisation is edited in the admin)."""

from rest_framework import serializers, viewsets

from taizhang.org.models import Person, Unit
from taizhang.org.scope import scope, visible_units


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "short_name", "kind", "parent", "depth"]


class PersonSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Person
        # Phone numbers are personal data and stay out of the API.
        fields = ["id", "name", "unit", "job_title", "is_party_member"]


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitSerializer
    lookup_field = "code"

    def get_queryset(self):
        return visible_units(self.request.user).select_related("parent").order_by("path")


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PersonSerializer

    def get_queryset(self):
        queryset = scope(Person.objects.select_related("unit"), self.request.user)
        unit = self.request.query_params.get("unit")
        if unit:
            queryset = queryset.filter(unit__code=unit)
        return queryset
