"""A one-time password is one-time: the person it was handed to sets their own before anything else.

A unit admin gives a person a login (or resets it) on the person's page; the person signs in through
the login form with the password shown there, finds every page sends them to the change page, fills
in that page's form as rendered (``tests.html.form_data``), and only then uses the ledger. The demo's
logins, which the whole suite signs in with, are never asked.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from taizhang.org.models import OneTimePassword, Person, Role

from ..html import form_data, table

pytestmark = pytest.mark.django_db

CHANGE = reverse("password-change")
NEW = "Xuanchuan-2020-taizhang"


def _field_errors(html: str) -> list[str]:
    """The errors printed under the fields, each as ``label：message``."""
    return re.findall(r"<p>([^<]*：[^<]*)</p>", html.split('class="record"', 1)[1])


def _grant_login(clerk, person: Person, username: str) -> str:
    """The clerk opens a login for ``person`` on their page, as the page's form submits it; the one-time
    password the page shows."""
    detail = reverse("org:person-detail", args=[person.pk])
    action = reverse("org:person-login", args=[person.pk])
    data = form_data(clerk.get(detail).content.decode(), action)
    data.update({"username": username, "role": Role.UNIT_ADMIN})
    shown = clerk.post(action, data)
    return table(shown.content.decode(), "password")[1][1]


def _reset(clerk, person: Person) -> str:
    shown = clerk.post(reverse("org:person-password", args=[person.pk]))
    return table(shown.content.decode(), "password")[1][1]


def _sign_in(username: str, password: str) -> tuple[Client, object]:
    browser = Client()
    page = browser.post(reverse("login"), {"username": username, "password": password}, follow=True)
    return browser, page


def _change(browser, old: str, new: str, again: str | None = None):
    data = form_data(browser.get(CHANGE).content.decode())
    assert set(data) == {"csrfmiddlewaretoken", "old_password", "new_password1", "new_password2"}
    data.update({"old_password": old, "new_password1": new, "new_password2": new if again is None else again})
    return browser.post(CHANGE, data)


@pytest.fixture
def newcomer(cppcc):
    """A person of the CPPCC organ without a login yet."""
    return Person.objects.filter(unit=cppcc, user__isnull=True).order_by("pk").first()


def test_a_new_login_sets_its_own_password_before_using_the_ledger(cppcc_clerk, cppcc, newcomer):
    one_time = _grant_login(cppcc_clerk, newcomer, "cppcc-new")
    detail = cppcc_clerk.get(reverse("org:person-detail", args=[newcomer.pk])).content.decode()
    assert "一次性密码尚未修改" in detail  # the admin sees the person has not replaced it yet

    browser, page = _sign_in("cppcc-new", one_time)
    assert page.redirect_chain[-1][0] == CHANGE
    html = page.content.decode()
    assert "管理员发放的一次性密码" in html and 'href="/account/password/"' in html
    assert "你的密码必须包含至少 8 个字符。你的密码不能是一个常见密码。" in html  # the rules, in Chinese

    # Every page leads back to the change page, and nothing can be written meanwhile.
    for url in ("/", reverse("org:unit-detail", args=["cppcc"]), reverse("ledger:activity-list")):
        response = browser.get(url)
        assert (response.status_code, response["Location"]) == (302, CHANGE), url
    people = Person.objects.count()
    response = browser.post(reverse("org:person-create"), {"unit": "cppcc", "name": "未改密码者"})
    assert response["Location"] == CHANGE and Person.objects.count() == people
    # What stays open: the health check, the language switch and logging out.
    assert browser.get("/healthz").status_code == 200
    switched = browser.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert switched["Location"] == "/"

    changed = _change(browser, one_time, NEW)
    assert (changed.status_code, changed["Location"]) == (302, reverse("home"))
    home = browser.get(reverse("home"), follow=True).content.decode()
    assert "密码已修改" in home and cppcc.name in home and newcomer.name in home  # signed in still
    assert browser.get(reverse("ledger:activity-list")).status_code == 200

    assert not Client().login(username="cppcc-new", password=one_time)
    _, page = _sign_in("cppcc-new", NEW)
    assert CHANGE not in [url for url, _ in page.redirect_chain] and cppcc.name in page.content.decode()
    detail = cppcc_clerk.get(reverse("org:person-detail", args=[newcomer.pk])).content.decode()
    assert "一次性密码尚未修改" not in detail
    assert browser.post(reverse("logout")).status_code == 302


def test_a_reset_by_the_admin_asks_for_a_new_password_again(cppcc_clerk, newcomer):
    one_time = _grant_login(cppcc_clerk, newcomer, "cppcc-new")
    browser, _ = _sign_in("cppcc-new", one_time)
    assert _change(browser, one_time, NEW).status_code == 302
    assert browser.get(reverse("ledger:activity-list")).status_code == 200

    again = _reset(cppcc_clerk, newcomer)
    # The session signed in with the old password ends; the new one-time password opens the change page only.
    assert browser.get(reverse("ledger:activity-list"))["Location"].startswith(reverse("login"))
    assert not Client().login(username="cppcc-new", password=NEW)
    browser, page = _sign_in("cppcc-new", again)
    assert page.redirect_chain[-1][0] == CHANGE
    assert browser.get(reverse("ledger:activity-list"))["Location"] == CHANGE
    assert _change(browser, again, "Another-own-password-7").status_code == 302
    assert browser.get(reverse("ledger:activity-list")).status_code == 200
    # Kept for the record: each password handed out, and when its owner replaced it.
    issued = OneTimePassword.history.filter(user__username="cppcc-new").order_by("history_id")
    assert [(row.changed is None) for row in issued] == [True, False, True, False]


@pytest.mark.parametrize(
    ("old", "new", "again", "error"),
    [
        ("wrong-password", NEW, None, "原密码：原密码不正确，请重新输入。"),
        (None, NEW, NEW + "x", "确认新密码：两次输入的新密码不一致。"),
        (None, "Xz-12", None, "新密码：密码太短：至少需要 8 个字符。"),
        (None, "20200601", None, "新密码：密码只包含数字。"),
        (None, "password", None, "新密码：这个密码太常见了。"),
        (None, "cppcc-new1", None, "新密码：密码跟 用户名 太相似了。"),
    ],
    ids=["wrong-old", "mismatch", "short", "numeric", "common", "like-username"],
)
def test_a_refused_change_names_the_field_and_changes_nothing(cppcc_clerk, newcomer, old, new, again, error):
    one_time = _grant_login(cppcc_clerk, newcomer, "cppcc-new")
    browser, _ = _sign_in("cppcc-new", one_time)
    response = _change(browser, old or one_time, new, again)
    assert response.status_code == 400
    html = response.content.decode()
    assert error in _field_errors(html), _field_errors(html)
    assert 'aria-invalid="true"' in html
    assert browser.get(reverse("ledger:activity-list"))["Location"] == CHANGE  # still to be changed
    assert Client().login(username="cppcc-new", password=one_time)


def test_the_form_speaks_english_when_the_switch_is_on(cppcc_clerk, newcomer):
    one_time = _grant_login(cppcc_clerk, newcomer, "cppcc-new")
    browser, _ = _sign_in("cppcc-new", one_time)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = browser.get(CHANGE).content.decode()
    assert "Current password" in page and "at least 8 characters" in page
    html = _change(browser, one_time, "Xz-12").content.decode()
    assert "New password：This password is too short: it must contain at least 8 characters." in html
    assert "原密码" not in html and "密码太短" not in html
    html = _change(browser, "wrong-password", NEW).content.decode()
    assert "Current password：The current password is incorrect; please enter it again." in html


def test_the_api_refuses_until_the_password_is_changed(cppcc_clerk, newcomer):
    one_time = _grant_login(cppcc_clerk, newcomer, "cppcc-new")
    browser, _ = _sign_in("cppcc-new", one_time)
    response = browser.get("/api/activities/")
    assert response.status_code == 403
    assert "一次性密码" in response.json()["detail"]
    # Nor can the one-time password be traded for a token to use the API with instead.
    token = Client().post("/api/token/", {"username": "cppcc-new", "password": one_time})
    assert token.status_code == 403 and "一次性密码" in token.json()["detail"]

    _change(browser, one_time, NEW)
    assert browser.get("/api/activities/").status_code == 200
    key = Client().post("/api/token/", {"username": "cppcc-new", "password": NEW}).json()["token"]
    assert Client().get("/api/activities/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    # A reset takes the token too: it was had with the password the reset replaces.
    _reset(cppcc_clerk, newcomer)
    assert Client().get("/api/activities/", HTTP_AUTHORIZATION=f"Token {key}").status_code in (401, 403)


def test_the_demo_logins_are_never_asked_and_may_change_their_password_themselves(cppcc_clerk, cppcc):
    assert not OneTimePassword.objects.filter(user__in=get_user_model().objects.all()).exists()
    _, page = _sign_in("cppcc-clerk", "taizhang-demo")
    assert CHANGE not in [url for url, _ in page.redirect_chain] and cppcc.name in page.content.decode()

    # The header offers the change page to anyone signed in; the session stays signed in after it.
    home = cppcc_clerk.get(reverse("org:unit-detail", args=["cppcc"])).content.decode()
    assert f'href="{CHANGE}"' in home
    response = _change(cppcc_clerk, "taizhang-demo", NEW)
    assert response["Location"] == reverse("home")
    assert cppcc_clerk.get(reverse("ledger:activity-list")).status_code == 200
    assert Client().login(username="cppcc-clerk", password=NEW)
