"""What every API module shares: a service's refusal answered as 400 (or 409), never as 500, and
a schema that says so.

Services raise Django's ValidationError for input a user can fix, and ``StaleEdit`` (a subclass)
when the record changed after the caller read it. ``exception_handler`` turns both into API errors
in one place, so an endpoint that forgets to catch them still answers with the service's message.
``Schema`` documents those answers, and the version an edit must send, for every endpoint at once.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.views import exception_handler as drf_exception_handler

from taizhang.core.services import StaleEdit


class Conflict(APIException):
    """409: the record was changed by someone else; the message names the newer version."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "该记录已被他人修改，请刷新后重新编辑。"
    default_code = "stale"


def as_api_error(error: DjangoValidationError) -> APIException:
    if isinstance(error, StaleEdit):
        return Conflict({"version": error.messages})
    if hasattr(error, "error_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"non_field_errors": error.messages})


def exception_handler(exc, context):
    """DRF's handler, after mapping a service's ValidationError that no view caught."""
    if isinstance(exc, DjangoValidationError):
        exc = as_api_error(exc)
    return drf_exception_handler(exc, context)


class ErrorSerializer(serializers.Serializer):
    """Why a request was refused: ``detail``, or the refused fields each with their messages."""

    detail = serializers.CharField(required=False, help_text="错误说明")
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


class Schema(AutoSchema):
    """The OpenAPI schema as the endpoints behave, derived in one place for every endpoint.

    - an edit (PUT, PATCH) must send the ``version`` it read, so the edit bodies require it; PUT
      gets a request component of its own (``…UpdateRequest``), as a create needs no version;
    - the refusals every endpoint can answer are listed with ``ErrorSerializer``'s body: 400 for
      input it refuses, 403 without a login or the right to the unit, 404 for a record or unit
      the caller cannot see (and a page past the end), 409 for an edit of a stale version.
    """

    def get_serializer_name(self, serializer, direction):
        name = super().get_serializer_name(serializer, direction)
        if direction == "request" and self.method == "PUT" and _versioned(serializer):
            return name.removesuffix("Serializer") + "Update"
        return name

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and self.method in ("PUT", "PATCH") and _versioned(serializer):
            schema["required"] = sorted({*schema.get("required", []), "version"})
        return schema

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        query = {p["name"] for p in parameters if p["in"] == "query"}
        refusals = {}
        if self.method != "GET" or query - {"page"}:
            refusals["400"] = "请求有误：字段及其错误说明"
        if any(not isinstance(p, AllowAny) for p in self.view.get_permissions()):
            refusals["403"] = "未登录，或无权查看、修改该单位的记录"
        if any(p["in"] == "path" for p in parameters) or query & {"page", "unit"}:
            refusals["404"] = "没有该记录或单位，或您无权查看（页码超出范围亦然）"
        if self.method in ("PUT", "PATCH") and _versioned(self.get_request_serializer()):
            refusals["409"] = "记录已被他人修改：说明中给出当前版本号"
        for code, description in refusals.items():
            response = self._get_response_for_code(ErrorSerializer, code)
            operation["responses"].setdefault(code, {**response, "description": description})
        return operation


def _versioned(serializer) -> bool:
    """A record serializer whose edits carry the version read (optimistic locking)."""
    fields = getattr(force_instance(serializer), "fields", None)
    return fields is not None and "version" in fields


# Below ``Schema``: decorating a view reads DEFAULT_SCHEMA_CLASS, which names that class.
@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
def not_found(request, *args, **kwargs):
    """Any path under /api/ that names no endpoint (``/api/drafts/1.5/``): a JSON 404, as the API's."""
    raise NotFound("没有该接口或记录。")
