"""Login hardening: throttled failures visible to admins, expiring sessions, headers and a met CSP."""

import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from taizhang.ledger.models import Activity

pytestmark = pytest.mark.django_db


ATTACKER, OWNER, ELSEWHERE = "203.0.113.7", "198.51.100.20", "192.0.2.55"


def sign_in(client, username: str, password: str, address: str):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def token(username: str, password: str, address: str):
    return Client().post("/api/token/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_repeated_failures_lock_the_login_on_that_address_and_admins_see_it(admin_client, settings):
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, "cppcc-clerk", "wrong", ATTACKER)
    # Even the right password is refused from there while locked, with a page saying why.
    response = sign_in(attacker, "cppcc-clerk", "taizhang-demo", ATTACKER)
    assert response.status_code == 429 and int(response["Retry-After"]) > 25 * 60
    assert "该账号从此网络地址登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in attacker.session
    listing = admin_client.get("/admin/axes/accessattempt/").content.decode()
    assert "cppcc-clerk" in listing and ATTACKER in listing


def test_six_wrong_passwords_from_one_address_leave_the_owner_signing_in_from_another(settings):
    """The lever the issue found: five wrong passwords from anywhere locked the owner out everywhere."""
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        sign_in(attacker, "cppcc-clerk", "wrong", ATTACKER)
    owner = Client()
    assert sign_in(owner, "cppcc-clerk", "taizhang-demo", OWNER).status_code == 302
    assert owner.get(reverse("ledger:activity-list")).status_code == 200
    assert token("cppcc-clerk", "taizhang-demo", ELSEWHERE).status_code == 200
    # the attacking address is still locked, on the page and at the token endpoint
    assert sign_in(attacker, "cppcc-clerk", "taizhang-demo", ATTACKER).status_code == 429
    locked = token("cppcc-clerk", "taizhang-demo", ATTACKER)
    assert locked.status_code == 429 and "token" not in locked.json() and locked.json()["retry_at"]


def test_six_wrong_passwords_at_the_token_endpoint_leave_the_owner_signing_in_on_the_page(settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        token("school-clerk", "wrong", ATTACKER)
    assert token("school-clerk", "taizhang-demo", ATTACKER).status_code == 429
    assert sign_in(Client(), "school-clerk", "taizhang-demo", OWNER).status_code == 302
    assert token("school-clerk", "taizhang-demo", OWNER).status_code == 200


def test_an_address_trying_a_password_on_every_login_is_locked_for_all_of_them(settings):
    settings.TAIZHANG_LOGIN_ADDRESS_FAILURE_LIMIT = 8
    users = ["cppcc-leader", "cppcc-secretary", "school-leader", "school-secretary"]
    for username in users:  # two tries each: no login reaches its own limit
        for _ in range(2):
            sign_in(Client(), username, "123456", ATTACKER)
    refused = sign_in(Client(), "county-leader", "taizhang-demo", ATTACKER)
    assert refused.status_code == 429 and "此网络地址登录失败次数过多" in refused.content.decode()
    assert sign_in(Client(), "county-leader", "taizhang-demo", OWNER).status_code == 302


def test_a_login_failing_from_many_addresses_is_slowed_but_never_where_its_owner_signs_in(settings):
    assert sign_in(Client(), "cppcc-clerk", "taizhang-demo", OWNER).status_code == 302  # the owner's address
    for n in range(3):  # three addresses, each up to its own lock
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in(Client(), "cppcc-clerk", "wrong", f"203.0.113.{10 + n}")
    slowed = sign_in(Client(), "cppcc-clerk", "taizhang-demo", ELSEWHERE)
    assert slowed.status_code == 429
    assert 0 < int(slowed["Retry-After"]) <= settings.TAIZHANG_LOGIN_ACCOUNT_INTERVAL.total_seconds()
    assert "已放慢登录" in slowed.content.decode()
    api = token("cppcc-clerk", "taizhang-demo", ELSEWHERE)
    assert api.status_code == 429 and "秒后再试" in api.json()["detail"]
    # from where the owner has signed in before, at once
    assert sign_in(Client(), "cppcc-clerk", "taizhang-demo", OWNER).status_code == 302
    # and from a new address once the interval has passed since the last failure
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.TAIZHANG_LOGIN_ACCOUNT_INTERVAL)
    assert sign_in(Client(), "cppcc-clerk", "taizhang-demo", ELSEWHERE).status_code == 302
    # the slowed tries were not counted as failures of that address
    assert not AccessAttempt.objects.filter(ip_address=ELSEWHERE).exists()


def test_an_admin_lifts_a_lock(admin_client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "cppcc-clerk", "wrong", ATTACKER)
    assert sign_in(Client(), "cppcc-clerk", "taizhang-demo", ATTACKER).status_code == 429
    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    confirm = admin_client.post(
        "/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert confirm.status_code == 302
    assert sign_in(Client(), "cppcc-clerk", "taizhang-demo", ATTACKER).status_code == 302


def test_passwords_are_hashed_with_argon2_and_old_hashes_upgrade_at_the_next_sign_in():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    user = get_user_model().objects.get(username="school-clerk")
    user.password = make_password("taizhang-demo", hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    assert sign_in(Client(), "school-clerk", "taizhang-demo", OWNER).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=3,p=1$")


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
    # a browser test earlier in this process allows the ORM beside Playwright's loop (tests/live.py);
    # a deployment does not have it, and Django's deploy check rightly warns of it
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
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
