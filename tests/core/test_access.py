"""API tokens that expire and can be revoked, a lockout that says when to retry, logged-in pages kept
out of caches, and an API schema only for logged-in users."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db
CLERK = {"username": "cppcc-clerk", "password": "taizhang-demo"}


def _token(client: Client) -> str:
    response = client.post("/api/token/", CLERK)
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _get(path: str, token: str):
    return Client().get(path, HTTP_AUTHORIZATION=f"Token {token}")


def _refused(response) -> str:
    """The API refused the token itself (DRF answers 403 when session authentication is listed first)."""
    assert response.status_code in (401, 403), response.content
    detail = response.json()["detail"]
    assert "令牌" in detail, detail
    return detail


def _age(key: str, days: float) -> None:
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(days=days))


def test_a_token_stops_working_when_it_expires_and_a_new_one_is_issued(settings):
    key = _token(Client())
    assert _get("/api/activities/", key).status_code == 200
    _age(key, 29)
    assert _get("/api/activities/", key).status_code == 200  # 30 days by default

    _age(key, 31)
    assert "令牌已过期" in _refused(_get("/api/activities/", key))

    response = Client().post("/api/token/", CLERK)
    fresh = response.json()["token"]
    assert fresh != key
    assert _get("/api/activities/", fresh).status_code == 200
    _refused(_get("/api/activities/", key))  # the old key never works again
    expires = response.json()["expires"]
    assert expires.startswith(f"{timezone.localdate() + timedelta(days=30):%Y-%m-%d}")


def test_the_token_lifetime_is_a_setting(settings):
    settings.TAIZHANG_TOKEN_LIFETIME = timedelta(days=2)
    key = _token(Client())
    _age(key, 1)
    assert _get("/api/activities/", key).status_code == 200
    _age(key, 3)
    _refused(_get("/api/activities/", key))


def test_the_lifetime_comes_from_the_environment(tmp_path):
    env = {**os.environ, "TAIZHANG_TOKEN_DAYS": "7", "TAIZHANG_VAR": str(tmp_path)}
    env["DJANGO_SETTINGS_MODULE"] = "taizhang.settings"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.TAIZHANG_TOKEN_LIFETIME.days)",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.strip() == "7", done.stderr


def test_a_token_can_be_revoked_by_its_holder():
    key = _token(Client())
    response = Client().delete("/api/token/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 204
    _refused(_get("/api/activities/", key))
    _refused(Client().delete("/api/token/", HTTP_AUTHORIZATION=f"Token {key}"))
    assert Client().delete("/api/token/").status_code in (401, 403)  # nobody's token, anonymously


def test_an_admin_revokes_a_login_s_token_from_the_command_line(capsys):
    key = _token(Client())
    other = Client().post("/api/token/", {"username": "school-clerk", "password": "taizhang-demo"}).json()
    call_command("token", "list")
    listing = capsys.readouterr().out
    assert "cppcc-clerk" in listing and "school-clerk" in listing
    assert f"{timezone.localdate() + timedelta(days=30):%Y-%m-%d}" in listing

    call_command("token", "revoke", "cppcc-clerk")
    assert "已撤销" in capsys.readouterr().out
    _refused(_get("/api/activities/", key))
    assert _get("/api/activities/", other["token"]).status_code == 200  # only the one named


def test_revoking_an_unknown_login_is_refused_with_exit_status_2():
    with pytest.raises(CommandError) as refused:
        call_command("token", "revoke", "nobody-here")
    assert refused.value.returncode == 2
    assert str(refused.value) == "没有用户名为“nobody-here”的账号。"


def _locked_out(client: Client, path: str, data: dict, settings) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(path, {**data, "password": "wrong"})


def test_after_five_failed_token_requests_the_right_password_is_told_when_to_retry(settings):
    api = Client()
    _locked_out(api, "/api/token/", CLERK, settings)
    before = timezone.now()
    response = api.post("/api/token/", CLERK)
    assert response.status_code == 429
    detail = response.json()["detail"]
    assert "登录失败次数过多" in detail and "token" not in response.json()
    retry = before + settings.AXES_COOLOFF_TIME
    shown = {f"{timezone.localtime(retry + timedelta(seconds=s)):%H:%M}" for s in (0, 60)}
    # past midnight the day is written too ("请在 2026-12-01 00:10 之后再试")
    assert any(f"{hhmm} 之后再试" in detail for hhmm in shown), detail
    seconds = int(response["Retry-After"])
    assert (
        settings.AXES_COOLOFF_TIME.total_seconds() - 60
        <= seconds
        <= settings.AXES_COOLOFF_TIME.total_seconds()
    )


def test_the_login_page_says_when_to_retry_too(settings):
    browser = Client()
    _locked_out(browser, reverse("login"), CLERK, settings)
    response = browser.post(reverse("login"), CLERK)
    assert response.status_code == 429
    page = response.content.decode()
    retry = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    assert "请在" in page and (f"{retry:%H:%M}" in page or f"{retry - timedelta(minutes=1):%H:%M}" in page)
    assert "_auth_user_id" not in browser.session


def test_logged_in_pages_and_api_answers_are_private_and_not_stored(cppcc_clerk):
    for path in (reverse("ledger:activity-list"), "/", "/api/activities/"):
        response = cppcc_clerk.get(path, follow=True)
        assert response.status_code == 200
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, (path, response["Cache-Control"])
    key = _token(Client())
    directives = {d.strip() for d in _get("/api/activities/", key)["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_the_api_schema_needs_a_login(cppcc_clerk):
    assert Client().get("/api/schema/").status_code in (401, 403)
    assert cppcc_clerk.get("/api/schema/").status_code == 200
    key = _token(Client())
    assert _get("/api/schema/", key).status_code == 200
