"""What every API module shares: a service's refusal answered as 400 (or 409), never as 500; and the
token endpoint, the API's login.

Services raise Django's ValidationError for input a user can fix, and ``StaleEdit`` (a subclass)
when the record changed after the caller read it. ``exception_handler`` turns both into API errors
in one place, so an endpoint that forgets to catch them still answers with the service's message.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from taizhang.core.auth import token_expires_at
from taizhang.core.services import StaleEdit, token_issue, token_revoke


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
        responses={200: TokenSerializer, 400: None, 429: None},
        description="用户名和密码换取令牌；令牌有效期见 TAIZHANG_TOKEN_DAYS，过期后再次请求得到新令牌。",
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            for flag in ("axes_locked_out", "axes_credentials", "axes_attempt_time"):
                if hasattr(request, flag):
                    setattr(request._request, flag, getattr(request, flag))
            raise ValidationError(serializer.errors)
        token = token_issue(user=serializer.validated_data["user"])
        return Response(TokenSerializer({"token": token.key, "expires": token_expires_at(token)}).data)

    @extend_schema(request=None, responses={204: None, 404: None}, description="撤销当前账号的令牌。")
    def delete(self, request, *args, **kwargs):
        if not token_revoke(user=request.user):
            return Response({"detail": "该账号没有可撤销的令牌。"}, status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)
