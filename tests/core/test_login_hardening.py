"""Login hardening: throttled failures visible to admins, expiring sessions, headers and a met CSP."""

import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from taizhang.ledger.models import Activity

pytestmark = pytest.mark.django_db


def test_repeated_failures_lock_the_account_and_admins_see_it(admin_client, settings):
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = attacker.post(reverse("login"), {"username": "cppcc-clerk", "password": "wrong"})
    # Even the right password is refused while locked, with a page saying why.
    response = attacker.post(reverse("login"), {"username": "cppcc-clerk", "password": "taizhang-demo"})
    assert response.status_code in (403, 429)
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in attacker.session
    listing = admin_client.get("/admin/axes/accessattempt/").content.decode()
    assert "cppcc-clerk" in listing


def test_a_good_login_still_works_and_sessions_expire(client):
    response = client.post(reverse("login"), {"username": "cppcc-clerk", "password": "taizhang-demo"})
    assert response.status_code == 302
    assert client.get(reverse("ledger:activity-list")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("ledger:activity-list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_pages_send_security_headers(cppcc_clerk):
    response = cppcc_clerk.get(reverse("ledger:activity-list"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_pages_meet_the_policy_no_inline_script(cppcc_clerk, cppcc):
    activity = Activity.objects.filter(unit=cppcc).first()
    urls = [
        reverse("org:unit-detail", args=["cppcc"]),
        reverse("ledger:activity-list"),
        reverse("ledger:activity-detail", args=[activity.pk]),
        reverse("ledger:activity-sign-in", args=[activity.pk]),
        reverse("ledger:activity-edit", args=[activity.pk]),
    ]
    for url in urls:
        page = cppcc_clerk.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", page):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
        assert not re.search(r"\son[a-z]+=", page), url  # no inline event handlers
        assert "<style" not in page, url


def test_check_deploy_is_clean_with_the_documented_environment(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x7" * 30 + "-deploy-check-key-with-enough-variety-0123456789",
        "ALLOWED_HOSTS": "taizhang.example.org",
        "TAIZHANG_HTTPS": "1",
        "TAIZHANG_VAR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env={**env, "DJANGO_SETTINGS_MODULE": "taizhang.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_post_without_the_csrf_token_is_refused(cppcc):
    from django.contrib.auth import get_user_model

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(get_user_model().objects.get(username="cppcc-clerk"))
    activity = Activity.objects.filter(unit=cppcc).first()
    assert browser.post(reverse("ledger:activity-delete", args=[activity.pk])).status_code == 403
    response = browser.delete(f"/api/activities/{activity.pk}/")
    assert response.status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_api_token_login_works_and_is_throttled_too(settings):
    api = Client()
    good = api.post("/api/token/", {"username": "school-clerk", "password": "taizhang-demo"})
    assert good.status_code == 200 and good.json()["token"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post("/api/token/", {"username": "school-clerk", "password": "wrong"})
    locked = api.post("/api/token/", {"username": "school-clerk", "password": "taizhang-demo"})
    assert locked.status_code in (400, 403, 429)
    assert "token" not in locked.content.decode()


def test_no_template_carries_inline_styles_or_scripts_the_policy_would_block():
    """The content security policy allows only our own files: an inline <style> or <script> is dead on arrival."""
    import re
    from pathlib import Path

    import taizhang

    root = Path(taizhang.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.glob("*/templates/**/*.html")
        if re.search(r"<style|<script(?![^>]*\bsrc=)", path.read_text(encoding="utf-8"))
    ]
    assert not offenders


def test_error_pages_speak_chinese(cppcc_clerk, settings):
    settings.DEBUG = False
    response = cppcc_clerk.get("/ledger/activities/999999/")
    assert response.status_code == 404 and "找不到该页面" in response.content.decode()
