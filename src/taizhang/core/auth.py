"""Logins: throttled password checks, the lockout answer that says when to retry, expiring API tokens,
and the one-time password a person must replace before anything else."""

from __future__ import annotations

from datetime import datetime

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import password_validation
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


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, refused in our own words: Django 5.2 changed the message's msgid (to
    ``%d``) and its zh-Hans catalogue still translates the old one, so a clerk read this one rule in
    English."""

    def get_error_message(self):
        return gettext("密码太短：至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}


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


# The session's answer to "must this login change its password first?" (``must_change_password``).
PASSWORD_CHANGE_PENDING = "password_change_pending"


def must_change_password(request) -> bool:
    """Whether the signed-in person still uses a password someone else set (``org.OneTimePassword``).

    Asked once per session and kept in it, so pages cost no query for it: a password set by someone
    else (a new login, a reset) ends every session the login had (Django checks a hash of the password
    on each request), so a session's answer changes only when its person changes the password on the
    change page, which records the new answer (``password_change_done``).
    """
    if not request.user.is_authenticated:
        return False
    pending = request.session.get(PASSWORD_CHANGE_PENDING)
    if pending is None:
        from taizhang.org.queries import password_change_pending

        pending = request.session[PASSWORD_CHANGE_PENDING] = password_change_pending(request.user)
    return pending


def password_change_done(request) -> None:
    request.session[PASSWORD_CHANGE_PENDING] = False


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
