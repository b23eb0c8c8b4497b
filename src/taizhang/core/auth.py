"""Logins: throttled password checks, the lockout answer that says when to retry, expiring API tokens."""

from __future__ import annotations

from datetime import datetime

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class ThrottledLoginBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login that comes with a request (the login page, the API).

    axes refuses calls without a request; those come only from code on the server (management
    commands, ``Client.login`` in tests), which no remote attacker can drive, so they pass on to
    ``ModelBackend`` unthrottled.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def retry_at(request) -> datetime:
    """When a locked-out login may try again: the cool-off counts from the latest failed attempt, and
    (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT``) an attempt while locked is one, so from now."""
    attempted = getattr(request, "axes_attempt_time", None) or timezone.now()
    return timezone.localtime(attempted + (get_cool_off(request) or settings.AXES_COOLOFF_TIME))


def lockout_message(when: datetime) -> str:
    shown = f"{when:%H:%M}" if when.date() == timezone.localdate() else f"{when:%Y-%m-%d %H:%M}"
    return gettext(
        "登录失败次数过多，该账号或该网络地址已被暂时锁定：请在 %(shown)s 之后再试"
        "（锁定期间再次尝试会重新计时），或联系系统管理员解锁。"
    ) % {"shown": shown}


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the login page and the token endpoint both say when to retry (429)."""
    when = retry_at(request)
    message = lockout_message(when)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": message, "retry_at": when.isoformat(timespec="minutes")}, status=429
        )
    else:
        response = render(request, "core/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(max(1, int((when - timezone.now()).total_seconds())))
    return response


def token_expires_at(token) -> datetime:
    return token.created + settings.TAIZHANG_TOKEN_LIFETIME


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a token older than ``TAIZHANG_TOKEN_DAYS``.

    A token is a password that never changes; one that leaks from a script or a laptop should stop
    working on its own. ``POST /api/token/`` hands out a new key once the old one has expired.
    """

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expires_at(token) <= timezone.now():
            raise AuthenticationFailed("令牌已过期：请用用户名和密码重新获取（POST /api/token/）。")
        return user, token
