"""The unit chooser in a real browser: typing in its search box narrows the select to the matching
units and their parents; the unit chosen is preselected on the next filter form opened."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from taizhang import demo
from tests.live import log_in

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "Chooser-search-2020"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium is not installed at /usr/bin/chromium"
    ),
]


def test_searching_the_unit_chooser_and_keeping_the_choice(live_server, transactional_db, monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    demo.load(reset=True)  # live-server tests start from a flushed database
    user = get_user_model().objects.get(username="demo")
    user.set_password(PASSWORD)
    user.save()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"]
        )
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            errors = []
            page.on(
                "console", lambda message: errors.append(message.text) if message.type == "error" else None
            )
            log_in(page, live_server.url, "demo", PASSWORD)
            page.goto(live_server.url + reverse("ledger:activity-list"))
            search = page.get_by_label("搜索单位（名称或代码）")
            search.fill("党小组")
            visible = page.eval_on_selector_all(
                "select[name=unit] option", "os => os.filter(o => !o.hidden).map(o => o.text.trim())"
            )
            # the groups keep their parents above them: the school branch and, above it, the county
            assert visible[:3] == ["全部单位", "清源县", "县实验中学党支部"], (
                "the groups' parents kept above them"
            )
            assert sorted(visible[3:]) == sorted(
                ["县实验中学第一党小组", "县实验中学第二党小组", "县实验中学第三党小组"]
            )
            code = page.eval_on_selector_all(
                "select[name=unit] option", "os => os.find(o => o.text.includes('第二党小组')).value"
            )
            page.select_option("select[name=unit]", value=code)
            page.click("form.filters button[type=submit]")
            assert f"unit={code}" in page.url
            page.goto(live_server.url + reverse("reporting:submission-list"))
            assert page.eval_on_selector("select[name=unit]", "s => s.value") == code
            assert not errors, errors
        finally:
            browser.close()
