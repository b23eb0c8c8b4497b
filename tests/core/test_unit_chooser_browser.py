"""The unit chooser in a real browser: typing in its search box narrows the select to the matching
units and their parents (asked of the server when the select lists only part of a long tree); the
unit chosen is preselected on the next filter form opened."""

from __future__ import annotations

from django.urls import reverse

from tests.live import BROWSER, close_pages, demo_login, log_in

PASSWORD = "Chooser-search-2020"

pytestmark = BROWSER


def test_searching_the_unit_chooser_and_keeping_the_choice(chromium, live_server, transactional_db):
    demo_login("demo", PASSWORD)
    browser = chromium  # the session's one Chromium (tests/live.py)
    try:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
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
        close_pages(browser)


def test_a_long_chooser_asks_the_server_and_the_unit_found_filters_the_list(
    chromium, live_server, transactional_db, monkeypatch
):
    """Past CHOOSER_LISTED units (lowered here below the demo county's 23) the select lists a short
    tree: typing asks /org/units/?q= and shows the units found under their parents."""
    monkeypatch.setattr("taizhang.core.forms.CHOOSER_LISTED", 5)
    demo_login("demo", PASSWORD)
    texts = "os => os.map(o => o.text)"
    browser = chromium  # the session's one Chromium (tests/live.py)
    try:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        errors, asked = [], []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on(
            "request", lambda request: asked.append(request.url) if "/org/units/" in request.url else None
        )
        log_in(page, live_server.url, "demo", PASSWORD)
        page.goto(live_server.url + reverse("ledger:activity-list"))
        listed = page.eval_on_selector_all("select[name=unit] option", texts)
        assert "\u3000县政协机关" in listed and "\u3000\u3000县实验中学第二党小组" not in listed
        search = page.get_by_label("搜索单位（名称或代码）")
        search.fill("s")  # one letter would match most of a city: not asked
        page.wait_for_timeout(600)
        assert asked == []
        search.fill("第二党小组")
        page.wait_for_function(
            "() => [...document.querySelectorAll('select[name=unit] option')].some(o => o.text.includes('第二党小组'))"
        )
        assert page.eval_on_selector_all("select[name=unit] option", texts) == [
            "全部单位",
            "清源县",
            "\u3000县实验中学党支部",
            "\u3000\u3000县实验中学第二党小组",
        ], "the unit found, under its parents"
        assert len(asked) == 1 and "q=%E7%AC%AC" in asked[0], "asked once, after the typing stopped"
        page.select_option("select[name=unit]", label="\u3000\u3000县实验中学第二党小组")
        search.fill("")  # the short tree again, the unit chosen kept
        listed = page.eval_on_selector_all("select[name=unit] option", texts)
        assert "\u3000县政协机关" in listed and "\u3000\u3000县实验中学第二党小组" in listed
        page.click("form.filters button[type=submit]")
        page.wait_for_url("**unit=school-cell-2**")
        units = page.eval_on_selector_all(
            "table.grid tbody tr td:nth-child(2)", "tds => tds.map(t => t.textContent.trim())"
        )
        assert units and set(units) == {"第二党小组"}, "the list is that unit's records"
        assert page.eval_on_selector("select[name=unit]", "s => s.value") == "school-cell-2"
        assert not errors, errors
    finally:
        close_pages(browser)
