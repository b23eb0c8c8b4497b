"""Logins: throttled password checks, the lockout answer that says when to retry, expiring API tokens,
the password hasher, and the one-time password a person must replace before anything else."""

from __future__ import annotations

from datetime import datetime, timedelta

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.auth import hashers, password_validation
from django.db.models import Max, Sum
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class Argon2PasswordHasher(hashers.Argon2PasswordHasher):
    """Argon2id, Django's own first choice, at a cost measured on the 2-core machine taizhang is built
    on: 3 passes over 19 MiB in one lane take 50 ms of CPU a login (Django's PBKDF2 at its 1,000,000
    iterations took 250 ms there, and its Argon2 defaults, 100 MiB in 8 lanes, 280 ms). A stolen
    database costs an attacker memory per guess, not just time; the hashes of older logins (PBKDF2)
    are rewritten in Argon2 the next time their owners sign in (``PASSWORD_HASHERS``)."""

    time_cost = 3
    memory_cost = 19_456  # KiB
    parallelism = 1


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


# Why a login was refused before its password was checked (``request.taizhang_lock``).
PAIR, ADDRESS, ACCOUNT = "pair", "address", "account"


class LoginAttempts(AxesDatabaseHandler):
    """Failed logins counted so that nobody can lock someone else out (``AXES_HANDLER``).

    A login is locked only on the address its failures came from (the pair: ``AXES_FAILURE_LIMIT``,
    ``TAIZHANG_LOGIN_FAILURE_LIMIT``), so five wrong passwords typed at someone's account from
    anywhere leave its owner signing in from their own. An address that fails for many logins is
    locked whatever login it tries next (``TAIZHANG_LOGIN_ADDRESS_FAILURE_LIMIT``): a password tried
    on every account. A login failing from several addresses at once (more than one address's worth
    of failures) is slowed, not locked: from an address it never signed in from, its password is
    checked at most once every ``TAIZHANG_LOGIN_ACCOUNT_INTERVAL``; from an address it has signed in
    from before (axes' access log), never slowed. An admin lifts any of these by deleting the
    attempts (admin → Axes → Access attempts), as before.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The failures that count against this attempt; the limit itself when it must be refused,
        with the reason in ``request.taizhang_lock``."""
        request.taizhang_lock = None
        limit = get_failure_limit(request, credentials)
        username = get_client_username(request, credentials)
        address = request.axes_ip_address
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        pair = _failures(recent.filter(username=username, ip_address=address))
        if pair >= limit:
            request.taizhang_lock = PAIR
            return pair
        if _failures(recent.filter(ip_address=address)) >= settings.TAIZHANG_LOGIN_ADDRESS_FAILURE_LIMIT:
            request.taizhang_lock = ADDRESS
            return limit
        wait = _account_wait(request, recent.filter(username=username), username, address, limit)
        if wait:
            request.taizhang_lock, request.taizhang_wait = ACCOUNT, wait
            return limit
        return pair

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        """A slowed attempt was refused before its password was checked: not a failure to count (the
        owner trying from a new address would otherwise lock that address for themselves)."""
        if request is not None and getattr(request, "taizhang_lock", None) == ACCOUNT:
            request.axes_locked_out, request.axes_credentials = True, credentials
            return
        super().user_login_failed(sender, credentials, request, **kwargs)


def _failures(attempts) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


def _account_wait(request, attempts, username, address, limit: int) -> int:
    """Seconds before this address may try the login's password again, 0 when it may now."""
    by_address = list(
        attempts.values("ip_address").annotate(n=Sum("failures_since_start"), last=Max("attempt_time"))
    )
    # An address counts up to the limit: past it that address is locked, and adds nothing.
    if sum(min(row["n"], limit) for row in by_address) <= limit:
        return 0
    if AccessLog.objects.filter(username=username, ip_address=address).exists():
        return 0  # where the owner signs in
    interval: timedelta = settings.TAIZHANG_LOGIN_ACCOUNT_INTERVAL
    now = getattr(request, "axes_attempt_time", None) or timezone.now()
    left = interval - (now - max(row["last"] for row in by_address))
    return max(0, int(left.total_seconds() + 0.999))


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, refused in our own words: Django 5.2 changed the message's msgid (to
    ``%d``) and its zh-Hans catalogue still translates the old one, so a clerk read this one rule in
    English."""

    def get_error_message(self):
        return gettext("密码太短：至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}


def retry_at(request) -> datetime:
    """When a locked-out login may try again: the cool-off counts from the latest failed attempt, and
    (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT``) an attempt while locked is one, so from now;
    a slowed login, after its wait."""
    attempted = getattr(request, "axes_attempt_time", None) or timezone.now()
    if getattr(request, "taizhang_lock", None) == ACCOUNT:
        return timezone.localtime(attempted + timedelta(seconds=request.taizhang_wait))
    return timezone.localtime(attempted + (get_cool_off(request) or settings.AXES_COOLOFF_TIME))


def lockout_message(request, when: datetime) -> str:
    lock = getattr(request, "taizhang_lock", None)
    if lock == ACCOUNT:
        return gettext(
            "该账号近来从多个网络地址登录失败，已放慢登录：请在 %(seconds)s 秒后再试。"
            "在曾经成功登录过的网络地址上登录不受影响。"
        ) % {"seconds": request.taizhang_wait}
    shown = f"{when:%H:%M}" if when.date() == timezone.localdate() else f"{when:%Y-%m-%d %H:%M}"
    if lock == ADDRESS:
        return gettext(
            "此网络地址登录失败次数过多，已被暂时锁定：请在 %(shown)s 之后再试"
            "（锁定期间再次尝试会重新计时），或联系系统管理员解锁。"
        ) % {"shown": shown}
    return gettext(
        "该账号从此网络地址登录失败次数过多，已被暂时锁定：请在 %(shown)s 之后再试"
        "（锁定期间再次尝试会重新计时），或联系系统管理员解锁。"
    ) % {"shown": shown}


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the login page and the token endpoint both say when to retry (429)."""
    when = retry_at(request)
    message = lockout_message(request, when)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": message, "retry_at": when.isoformat(timespec="seconds")}, status=429
        )
    else:
        response = render(request, "core/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(max(1, int((when - timezone.now()).total_seconds() + 0.999)))
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
        from taizhang.core.units import password_change_pending

        pending = request.session[PASSWORD_CHANGE_PENDING] = password_change_pending(request.user)
    return pending


def note_password_pending(sender, request, user, **kwargs) -> None:
    """``user_logged_in``: the answer is asked at login, written with the session the login writes
    anyway; asked on the first page instead, it cost every new session a second write, which a
    主题党日's hundreds of members signing in at once queued on SQLite's write lock."""
    if request is not None and hasattr(request, "session"):
        from taizhang.core.units import password_change_pending

        request.session[PASSWORD_CHANGE_PENDING] = password_change_pending(user)


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
