"""What every API module shares: a service's refusal answered as 400 (or 409), never as 500, and a
schema that says so; and the token endpoint, the API's login.

Services raise Django's ValidationError for input a user can fix, and ``StaleEdit`` (a subclass)
when the record changed after the caller read it. ``exception_handler`` turns both into API errors
in one place, so an endpoint that forgets to catch them still answers with the service's message.
``Schema`` documents those answers, and the version an edit must send, for every endpoint at once.
"""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import api_view
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from taizhang.core.auth import token_expires_at
from taizhang.core.services import StaleEdit, token_issue, token_revoke
from taizhang.core.units import password_change_pending


class Conflict(APIException):
    """409: the record was changed by someone else; the message names the newer version."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("该记录已被他人修改，请刷新后重新编辑。")
    default_code = "stale"


def as_api_error(error: DjangoValidationError) -> APIException:
    if isinstance(error, StaleEdit):
        return Conflict({"version": error.messages})
    if hasattr(error, "error_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"non_field_errors": error.messages})


def form_errors(form) -> ValidationError:
    """A form's errors as the API's 400: each refused field (query parameter) with its messages,
    the words the page shows beside the same field."""
    return ValidationError(
        {
            field: [error["message"] for error in errors]
            for field, errors in form.errors.get_json_data().items()
        }
    )


def refuse_empty_days(request) -> None:
    """``as_of=`` sent with no day: a 400 naming it. A page's form sends the field empty when it is
    left blank, meaning today; a program that sends it empty has lost its date, and would otherwise
    be answered for a day it never asked about."""
    if "as_of" in request.query_params and not request.query_params.get("as_of", "").strip():
        raise ValidationError(
            {
                "as_of": [
                    gettext("参数 as_of（截至日期）为空：应为日期，如 2020-06-10；不限日期时请去掉这个参数。")
                ]
            }
        )


def bound_form(form_class, request, **kwargs):
    """``form_class`` bound to the request's query string for its login, or the 400 naming the field."""
    refuse_empty_days(request)
    form = form_class(request.query_params, user=request.user, **kwargs)
    if not form.is_valid():
        raise form_errors(form)
    return form


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
      the caller cannot see (and a page past the end), 409 for an edit of a stale version (and
      the token endpoint's 429 for a lockout).
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

    REFUSALS = {
        "400": "请求有误：字段及其错误说明",
        "403": "未登录，或无权查看、修改该单位的记录",
        "404": "没有该记录或单位，或您无权查看（页码超出范围亦然）",
        "409": "记录已被他人修改：说明中给出当前版本号",
        "429": "登录失败次数过多，暂时锁定：说明中给出何时可以再试",
    }

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        query = {p["name"] for p in parameters if p["in"] == "query"}
        codes = set()
        if self.method != "GET" or query - {"page"}:
            codes.add("400")
        if any(not isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes.add("403")
        if any(p["in"] == "path" for p in parameters) or query & {"page", "unit"}:
            codes.add("404")
        if self.method in ("PUT", "PATCH") and _versioned(self.get_request_serializer()):
            codes.add("409")
        responses = operation["responses"]
        # Every refusal, added here or declared by a view without a body, gets the error body.
        for code in codes | {c for c, r in responses.items() if c.startswith("4") and "content" not in r}:
            responses[code] = {
                **self._get_response_for_code(ErrorSerializer, code),
                "description": self.REFUSALS.get(code, ""),
            }
        return operation


class PrebuiltFields:
    """A ModelSerializer (mixed in before it) whose fields are worked out from its model once per
    process and copied for each instance: DRF works them out for every serializer it makes, 2–3 ms
    of every activity the API records, where the copy takes a tenth of that.

    The copy is the one DRF itself makes of declared fields (``copy.deepcopy``: each field made
    again from the arguments it was declared with, a queryset copied unevaluated), and the kept
    fields are never bound to a serializer, so nothing a request sets on its own (a queryset scoped
    to its login, ``context``) is kept for the next. What the kept fields are built from is only
    the class: its ``Meta`` and its declared fields."""

    _prebuilt: dict[type, dict] = {}

    def get_fields(self):
        kept = PrebuiltFields._prebuilt.get(type(self))
        if kept is None:
            kept = PrebuiltFields._prebuilt[type(self)] = super().get_fields()
        return copy.deepcopy(kept)


def _versioned(serializer) -> bool:
    """A record serializer whose edits carry the version read (optimistic locking)."""
    fields = getattr(force_instance(serializer), "fields", None)
    return fields is not None and "version" in fields


# The views below come after ``Schema``: decorating a view reads DEFAULT_SCHEMA_CLASS, which names it.


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
def not_found(request, *args, **kwargs):
    """Any path under /api/ that names no endpoint (``/api/drafts/1.5/``): a JSON 404, as the API's."""
    raise NotFound("没有该接口或记录。")


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires = serializers.DateTimeField()


class TokenView(ObtainAuthToken):
    """``/api/token/``, the API's login. POST username and password for a token (a new key once the old
    one has expired); DELETE, authenticated by the token itself or a session, revokes it.

    A lockout is answered by django-axes' middleware (``core.auth.lockout_response``, 429 with the
    time to retry): DRF hands the password check its own request object, so the flag axes sets on it
    is copied to Django's request, where the middleware looks.
    """

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else []

    @extend_schema(
        request=AuthTokenSerializer,
        responses={200: TokenSerializer, 400: None, 403: None, 429: None},
        description="用户名和密码换取令牌；令牌有效期见 TAIZHANG_TOKEN_DAYS，过期后再次请求得到新令牌。"
        "管理员发放的一次性密码须先在网页上修改（403）。",
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            for flag in (
                "axes_locked_out",
                "axes_credentials",
                "axes_attempt_time",
                "taizhang_lock",
                "taizhang_wait",
            ):
                if hasattr(request, flag):
                    setattr(request._request, flag, getattr(request, flag))
            raise ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        if password_change_pending(user):
            # The one-time password opens only the change page (core.middleware.OneTimePasswordMiddleware).
            raise PermissionDenied(_("您的密码是管理员发放的一次性密码：请先登录网页修改密码，再获取令牌。"))
        token = token_issue(user=user)
        return Response(TokenSerializer({"token": token.key, "expires": token_expires_at(token)}).data)

    @extend_schema(request=None, responses={204: None, 404: None}, description="撤销当前账号的令牌。")
    def delete(self, request, *args, **kwargs):
        if not token_revoke(user=request.user):
            return Response({"detail": "该账号没有可撤销的令牌。"}, status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)
