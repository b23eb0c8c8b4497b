"""REST endpoints for submissions, adoptions and publicity articles (``core.declared.viewset_of``); writes go
through reporting.services."""

from rest_framework import serializers

from taizhang.core.crud import RecordViewSet, ScopedField, UnitCodeField
from taizhang.core.declared import pages_of
from taizhang.reporting import services
from taizhang.reporting.models import Adoption, Article, Submission

VERSION = {"required": False, "help_text": "修改时必填：您读取到的版本号"}


class SubmissionSerializer(serializers.ModelSerializer):
    unit = UnitCodeField()
    author = ScopedField(allow_null=True)
    version = serializers.IntegerField(**VERSION)

    class Meta:
        model = Submission
        fields = [
            "id",
            "unit",
            "author",
            "date",
            "kind",
            "title",
            "text",
            "target",
            "version",
            "created",
            "updated",
        ]
        read_only_fields = ["created", "updated"]


class AdoptionSerializer(serializers.ModelSerializer):
    submission = ScopedField(lambda: Submission.objects.select_related("unit"))
    version = serializers.IntegerField(**VERSION)

    class Meta:
        model = Adoption
        fields = [
            "id", "submission", "level", "publication", "issue_year", "issue_no", "outlet", "date", "version",
            "created", "updated",
        ]  # fmt: skip
        read_only_fields = ["created", "updated"]


class ArticleSerializer(serializers.ModelSerializer):
    unit = UnitCodeField()
    author = ScopedField(allow_null=True, required=False)
    version = serializers.IntegerField(**VERSION)

    class Meta:
        model = Article
        fields = [
            "id", "unit", "author", "date", "title", "outlet", "outlet_level", "link", "version", "created", "updated",
        ]  # fmt: skip
        read_only_fields = ["created", "updated"]


class AdoptionViewSet(RecordViewSet):
    """An adoption's endpoints: its unit is its submission's, which an edit does not change."""

    pages = pages_of("adoptions")
    serializer_class = AdoptionSerializer
    create_service = staticmethod(services.adoption_create)
    update_service = staticmethod(services.adoption_update)
    delete_service = staticmethod(services.adoption_delete)

    def _unit(self, data, instance=None):
        return instance.submission.unit if instance is not None else data["submission"].unit

    def perform_update(self, serializer):
        serializer.validated_data.pop("submission", None)
        super().perform_update(serializer)
