"""A unit admin adds a person with a post in a real browser (Debian's Chromium), from the menu."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from taizhang.org.models import Person, Post, Role, UnitKind
from taizhang.org.services import grant_create, person_create, unit_create
from tests.live import close_pages, log_in

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "People-add-2020"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium is not installed at /usr/bin/chromium"
    ),
]


def _world():
    """An organ with an office and its clerk: live-server tests start from an empty (flushed) database."""
    organ = unit_create(code="browser-organ", name="浏览器测试机关", kind=UnitKind.ORGAN)
    office = unit_create(
        code="browser-office",
        name="浏览器测试机关办公室",
        short_name="办公室",
        kind=UnitKind.OFFICE,
        parent=organ,
    )
    clerk = get_user_model().objects.create_user("browser-clerk", password=PASSWORD)
    person_create(unit=office, name="陈联络", job_title="办公室干事", user=clerk)
    grant_create(user=clerk, unit=organ, role=Role.UNIT_ADMIN)
    return office


def test_a_unit_admin_adds_a_person_with_a_post(chromium, live_server, transactional_db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    office = _world()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    browser = chromium  # the session's one Chromium (tests/live.py)
    try:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        log_in(page, live_server.url, "browser-clerk", PASSWORD)
        page.wait_for_load_state()
        # From the menu, as a clerk finds it.
        page.click("summary:text-is('组织')")
        page.click("a:text-is('登记人员')")
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "登记人员"
        page.select_option("select[name=unit]", office.code)
        page.fill("input[name=name]", "吴思源")
        page.fill("input[name=job_title]", "办公室副主任")
        page.fill("input[name=phone]", "13500135000")
        page.select_option("select[name=post]", Post.DESIGNATED_OFFICER)
        page.fill("input[name=start]", "2021-03-01")
        page.screenshot(path=str(SCREENSHOTS / "people-add.png"), full_page=True)
        page.click("form.record button[type=submit]")
        page.wait_for_load_state()
        heading = page.locator("h1").inner_text()
        posts = page.locator("table.posts tbody tr").first.inner_text()
        page.screenshot(path=str(SCREENSHOTS / "people-added.png"), full_page=True)
    finally:
        close_pages(browser)
    assert heading.startswith("吴思源") and "办公室" in heading
    assert "专人（联络员）" in posts and "办公室副主任" in posts and "2021-03-01" in posts and "现任" in posts
    person = Person.objects.get(name="吴思源")
    assert (person.unit, person.phone) == (office, "13500135000")
    assert person.positions.get().post == Post.DESIGNATED_OFFICER
