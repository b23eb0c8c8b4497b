"""REST endpoints for drafts; ``POST drafts/{id}/act/`` takes a step of the three-review chain."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from taizhang.channels.models import Channel
from taizhang.core.api import as_api_error
from taizhang.core.crud import RecordViewSet, ScopedField, UnitCodeField
from taizhang.core.declared import pages_of
from taizhang.org.models import Person
from taizhang.org.scope import scope
from taizhang.review import services
from taizhang.review.models import Action, Decision, Draft


class DecisionSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.name", read_only=True)

    class Meta:
        model = Decision
        fields = ["round", "stage", "action", "actor", "actor_name", "at", "comment"]


class DraftSerializer(serializers.ModelSerializer):
    unit = UnitCodeField()
    author = ScopedField(allow_null=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    version = serializers.IntegerField(required=False, help_text="修改时必填：您读取到的版本号")

    class Meta:
        model = Draft
        fields = [
            "id", "unit", "author", "title", "text", "date", "state", "round", "channel", "published_on",
            "decisions", "version", "created", "updated",
        ]  # fmt: skip
        read_only_fields = ["state", "round", "channel", "published_on", "created", "updated"]


class ActSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=Action.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    channel = serializers.PrimaryKeyRelatedField(
        queryset=Channel.objects.all(), required=False, allow_null=True
    )
    day = serializers.DateField(required=False, allow_null=True)


class DraftViewSet(RecordViewSet):
    """A draft's endpoints, and ``act``: a step of the three-review chain."""

    pages = pages_of("published_items")
    serializer_class = DraftSerializer
    select = ("author",)
    create_service = staticmethod(services.draft_create)
    update_service = staticmethod(services.draft_update)
    delete_service = staticmethod(services.draft_delete)

    @extend_schema(
        request=ActSerializer,
        responses={200: DraftSerializer},
        description="审核流程的一步（送审、通过、退回修改、否决、发布）；返回此后的稿件及其全部审核记录。",
    )
    @action(detail=True, methods=["post"], serializer_class=ActSerializer)
    def act(self, request, pk=None):
        draft = self.get_object()
        params = ActSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        if data.get("channel") is not None:
            data["channel"] = scope(Channel.objects.filter(pk=data["channel"].pk), request.user).first()
        actor = Person.objects.filter(user=request.user).first()
        try:
            draft = services.draft_act(draft=draft, actor=actor, **data)
        except DjangoValidationError as exc:
            raise as_api_error(exc) from exc
        return Response(DraftSerializer(draft, context={"request": request}).data)
