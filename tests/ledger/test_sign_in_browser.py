"""The sign-in round trip in a real browser on a 360 px phone screen: scan, log in, confirm, listed."""

from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from taizhang.ledger import services
from taizhang.ledger.models import ActivityKind, Attendance, AttendanceStatus
from taizhang.org.models import Role, UnitKind
from taizhang.org.services import grant_create, person_create, unit_create
from tests.live import close_pages

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "Sign-in-round-trip-2020"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium is not installed at /usr/bin/chromium"
    ),
]


def _world():
    """What the test needs, created here: live-server tests start from an empty (flushed) database."""
    if not ActivityKind.objects.exists():
        services.activity_kinds_sync_from_default_framework()
    unit = unit_create(code="browser-organ", name="浏览器测试机关", kind=UnitKind.ORGAN)
    User = get_user_model()
    user = User.objects.create_user("browser-member", password=PASSWORD)
    person = person_create(unit=unit, name="试签到", user=user)
    grant_create(user=user, unit=unit, role=Role.MEMBER)
    clerk = User.objects.create_user("browser-clerk", password=PASSWORD)
    grant_create(user=clerk, unit=unit, role=Role.UNIT_ADMIN)
    activity = services.activity_create(
        unit=unit, kind=ActivityKind.objects.first(), date=date.today(), topic="浏览器签到测试学习"
    )
    window = services.sign_in_open(activity=activity, opened_by=None)
    return activity, person, services.sign_in_token(window)


def _log_in(page, username: str) -> None:
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_member_signs_in_from_a_phone(chromium, live_server, transactional_db, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the database is only touched outside it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    activity, person, token = _world()
    url = live_server.url + reverse("ledger:sign-in", args=[token])

    browser = chromium  # the session's one Chromium (tests/live.py)
    try:
        console = []
        # The clerk's screen, showing the QR code and the live list of who has signed in.
        desk = browser.new_page(viewport={"width": 1024, "height": 768})
        desk.on("console", lambda message: console.append(message.text))
        desk.goto(live_server.url + reverse("ledger:activity-sign-in", args=[activity.pk]))
        _log_in(desk, "browser-clerk")
        desk.wait_for_selector(".qr svg")
        assert "尚无人签到" in desk.inner_text("#signed")

        page = browser.new_page(viewport={"width": 360, "height": 740}, device_scale_factor=2)
        page.on("console", lambda message: console.append(message.text))
        page.goto(url)  # what the phone opens from the QR code: first the login page
        assert "登录" in page.title()
        _log_in(page, "browser-member")
        page.wait_for_selector("text=确认签到")
        assert activity.topic in page.content()
        page.click("text=确认签到")
        page.wait_for_selector("h1:has-text('签到成功')")
        # Usable at 360 px: nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        # The clerk's list updates by itself (htmx polling) within a few seconds.
        desk.wait_for_selector("#signed li:has-text('试签到')", timeout=10000)
        # The pages meet the content security policy: the browser reported no violation.
        assert not [text for text in console if "Content Security Policy" in text], console
    finally:
        close_pages(browser)

    row = Attendance.objects.get(activity=activity, person=person)
    assert row.status == AttendanceStatus.PRESENT and row.signed_in_at is not None
