"""REST endpoints for channels (``core.declared.viewset_of``); writes go through channels.services."""

from rest_framework import serializers

from taizhang.channels.models import Channel
from taizhang.core.crud import ScopedField, UnitCodeField


class ChannelSerializer(serializers.ModelSerializer):
    unit = UnitCodeField()
    administrator = ScopedField(allow_null=True)
    version = serializers.IntegerField(required=False, help_text="修改时必填：您读取到的版本号")

    class Meta:
        model = Channel
        fields = [
            "id", "unit", "kind", "name", "administrator", "members_count", "purpose", "opened_on",
            "registered_on", "last_reviewed_on", "status", "version", "created", "updated",
        ]  # fmt: skip
        read_only_fields = ["created", "updated"]
        extra_kwargs = {"kind": {"validators": []}}
