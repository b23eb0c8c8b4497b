"""REST endpoints for activities with their attendance. Writes go through ledger.services."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError

from taizhang.core.api import PrebuiltFields, as_api_error
from taizhang.core.crud import AS_OF_FILTER, PERIOD_FILTER, SEARCH_FILTER, UNIT_FILTER
from taizhang.core.filters import FilterBackend
from taizhang.ledger import queries, services
from taizhang.ledger.filters import ActivityFilterSet
from taizhang.ledger.hooks import counting
from taizhang.ledger.models import Activity, ActivityKind, Attachment, Attendance, AttendanceStatus
from taizhang.org.models import Person
from taizhang.org.scope import can_read, can_write, scope, visible_units


class PersonField(serializers.PrimaryKeyRelatedField):
    """A person by id, taken from those the attendance list read at once (``AttendanceList``); an id
    it did not find is looked up as usual, so it is refused with DRF's own words."""

    known: dict[int, Person] | None = None

    def to_internal_value(self, data):
        person = self.known.get(_person_id(data)) if self.known else None
        return person if person is not None else super().to_internal_value(data)


def _person_id(data) -> int | None:
    """The id ``data`` names if it is one a row can have (a 64-bit integer: a larger one cannot be
    sent to the database in a list, and is left to DRF, which answers that no such person exists)."""
    if isinstance(data, str) and data.isascii() and data.isdigit():
        data = int(data)
    return data if type(data) is int and 0 < data < 2**63 else None


class AttendanceList(serializers.ListSerializer):
    """A meeting's attendance: its people read in one query, not one per line."""

    def to_internal_value(self, data):
        field = self.child.fields["person"]
        if isinstance(data, list):
            ids = {_person_id(row.get("person")) for row in data if isinstance(row, dict)} - {None}
            field.known = field.get_queryset().in_bulk(ids) if ids else None
        try:
            return super().to_internal_value(data)
        finally:
            field.known = None


class AttendanceSerializer(PrebuiltFields, serializers.ModelSerializer):
    person = PersonField(queryset=Person.objects.all())
    person_name = serializers.CharField(source="person.name", read_only=True)
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)

    class Meta:
        model = Attendance
        fields = ["person", "person_name", "status", "reason", "signed_in_at"]
        read_only_fields = ["signed_in_at"]
        list_serializer_class = AttendanceList


class StandingSerializer(serializers.Serializer):
    """Whether the activity counts toward one requirement that reads it (``rules.counting``)."""

    requirement = serializers.CharField(help_text="要求代码")
    title = serializers.CharField()
    counts = serializers.BooleanField(help_text="是否计入")
    missing = serializers.ListField(
        child=serializers.ChoiceField(choices=["minutes", "attendance", "attachment"]),
        help_text="未计入时缺少的佐证",
    )
    words = serializers.CharField(help_text="如“计入”或“未计入：缺少会议记录”")


class ActivitySerializer(PrebuiltFields, serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=visible_units(None))
    kind = serializers.SlugRelatedField(slug_field="code", queryset=ActivityKind.objects.all())
    attendance = AttendanceSerializer(many=True, required=False, source="attendances")
    version = serializers.IntegerField(required=False, help_text="修改时必填：您读取到的版本号")
    counting = serializers.SerializerMethodField(
        help_text="是否计入读取此类活动的每项考核要求；未计入时说明缺少什么"
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "unit",
            "kind",
            "date",
            "topic",
            "materials",
            "host",
            "recorder",
            "location",
            "minutes",
            "holiday_reason",
            "attendance",
            "counting",
            "version",
            "created",
            "updated",
        ]
        read_only_fields = ["created", "updated"]

    @extend_schema_field(StandingSerializer(many=True))
    def get_counting(self, activity) -> list[dict]:
        # the requirements of each unit are read once per request, however many activities it lists
        cache = self.context.setdefault("counting", {})
        if activity.unit_id not in cache:
            cache[activity.unit_id] = counting.Counting([activity.unit])
        return counting.standing_rows(counting.activity_standing(activity, cache[activity.unit_id]))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        self.fields["unit"].queryset = visible_units(user)
        # People are checked against the activity's organisation by the service, with a clear message;
        # it reads each one's unit, fetched with them (not one more query per attendee).
        people = scope(Person.objects.select_related("unit"), user)
        self.fields["host"].queryset = people
        self.fields["recorder"].queryset = people
        self.fields["attendance"].child.fields["person"].queryset = people

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if "attendance" in data and not can_read(user, instance.unit):
            # The lines the page shows this login (a member: their own), cut in one place.
            shown = {row.person_id for row in queries.attendance_shown(instance, user)}
            data["attendance"] = [row for row in data["attendance"] if row["person"] in shown]
        return data


def _entries(rows) -> list[services.AttendanceEntry] | None:
    if rows is None:
        return None
    return [
        services.AttendanceEntry(person=r["person"], status=r["status"], reason=r.get("reason", ""))
        for r in rows
    ]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            UNIT_FILTER,
            OpenApiParameter("kind", str, description="活动类型代码"),
            PERIOD_FILTER,
            AS_OF_FILTER,
            SEARCH_FILTER,
        ]
    )
)
class ActivityViewSet(viewsets.ModelViewSet):
    """Activities with their attendance; the list takes the activity page's filters (ledger.filters)."""

    serializer_class = ActivitySerializer
    filter_backends = [FilterBackend]
    filterset_class = ActivityFilterSet

    def get_queryset(self):
        return queries.activity_detail(queries.readable_activities(self.request.user))

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        if not can_write(self.request.user, data["unit"]):
            raise PermissionDenied("您不能在该单位登记活动。")
        data.pop("version", None)
        attendance = _entries(data.pop("attendances", []))
        try:
            activity = services.activity_create(attendance=attendance, **data)
        except DjangoValidationError as exc:
            raise as_api_error(exc) from exc
        # The reply judges its evidence: a new activity has no attachment yet (its attendance comes
        # back from the service as read).
        activity._prefetched_objects_cache["attachments"] = Attachment.objects.none()
        serializer.instance = activity

    def perform_update(self, serializer):
        activity = serializer.instance
        if not can_write(self.request.user, activity.unit):
            raise PermissionDenied("您不能修改该单位的活动。")
        data = dict(serializer.validated_data)
        if "unit" in data and data.pop("unit") != activity.unit:
            raise ValidationError({"unit": "活动登记后不能改到其他单位；请删除后在目标单位重新登记。"})
        if "version" not in data:
            raise ValidationError({"version": "修改时必须提供读取到的版本号（version）。"})
        version = data.pop("version")
        attendance = _entries(data.pop("attendances", None))
        try:
            serializer.instance = services.activity_update(
                activity=activity, expected_version=version, attendance=attendance, **data
            )
        except DjangoValidationError as exc:
            raise as_api_error(exc) from exc

    def perform_destroy(self, instance):
        if not can_write(self.request.user, instance.unit):
            raise PermissionDenied("您不能删除该单位的活动。")
        services.activity_delete(activity=instance)
