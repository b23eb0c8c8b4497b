"""What every API module shares: a service's refusal answered as 400 (or 409), never as 500.

Services raise Django's ValidationError for input a user can fix, and ``StaleEdit`` (a subclass)
when the record changed after the caller read it. ``exception_handler`` turns both into API errors
in one place, so an endpoint that forgets to catch them still answers with the service's message.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
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
