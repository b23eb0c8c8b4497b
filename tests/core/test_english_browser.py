"""The English switch as a person uses it, in Debian's Chromium: one click in the header turns the menu
and the page into English, and the choice holds on the next page and in a new visit."""

from __future__ import annotations

from django.urls import reverse

from tests.live import BROWSER, SCREENSHOTS, close_pages, demo_login, signed_in_page

PASSWORD = "English-switch-2020"

pytestmark = BROWSER


def test_a_clerk_switches_to_english_and_it_stays(chromium, live_server, transactional_db):
    clerk = demo_login("cppcc-clerk", PASSWORD)

    browser = chromium  # the session's one Chromium (tests/live.py)
    try:
        # A browser that prefers English still opens the ledger in Chinese, the default.
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
        page = context.new_page()
        page.goto(live_server.url + reverse("login"))
        assert page.locator("h1").inner_text() == "登录台账"
        page.fill("input[name=username]", clerk.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("h1").count() and "/login/" not in page.url, page.content()[:2000]
        assert page.locator("nav summary").first.inner_text() == "台账"

        page.goto(live_server.url + reverse("ledger:activity-list"))
        page.locator("header form.language [type=submit]").click()
        page.wait_for_load_state()
        assert page.url.endswith(reverse("ledger:activity-list"))  # back on the same page
        assert page.locator("h1").inner_text().startswith("Activity ledger")
        assert page.locator("html").get_attribute("lang") == "en"
        header = page.locator("header").inner_text()
        assert "{" not in header and "Log out" in header, header  # no template text leaks out
        menus = page.locator("nav summary").all_inner_texts()
        assert menus[:2] == ["Ledger", "Assessment"], menus

        # The choice survives following a link from the menu…
        page.locator("nav summary", has_text="Assessment").click()
        page.locator("nav a", has_text="Requirements").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text().startswith("Requirements met")

        # …and a new visit in a fresh tab of the same browser.
        again = context.new_page()
        again.goto(live_server.url + "/")
        assert again.locator("nav summary").first.inner_text() == "Ledger"
        assert again.locator("header form.language [type=submit]").get_attribute("value") == "简体中文"
        again.screenshot(path=str(SCREENSHOTS / "home-en.png"), full_page=True)

        # Switching back restores Chinese.
        again.locator("header form.language [type=submit]").click()
        again.wait_for_load_state()
        assert again.locator("nav summary").first.inner_text() == "台账"
    finally:
        close_pages(browser)


def test_the_county_leader_reads_the_dashboard_in_english(chromium, live_server, transactional_db):
    """The leader's dashboard after the switch: headings, table headers and the charts' axes in
    English (the units' names stay as registered); a screenshot beside the Chinese one."""
    import re

    demo_login("county-leader", PASSWORD)
    han = re.compile(r"[\u4e00-\u9fff]")

    browser = chromium  # the session's one Chromium (tests/live.py)
    try:
        page, errors = signed_in_page(browser, live_server.url, "county-leader", PASSWORD)
        assert "概览" in page.inner_text("h1")
        page.locator("header form.language [type=submit]").click()
        page.wait_for_load_state("networkidle")

        assert page.locator("html").get_attribute("lang") == "en"
        assert page.inner_text("h1 small") == "Overview of 2020"
        headings = page.locator("section.dashboard-chart h2").all_inner_texts()
        assert len(headings) == 5 and not [h for h in headings if han.search(h)], headings
        assert headings[0].startswith("Requirements met by unit, 2020")
        ranking = page.locator("#table-ranking thead th").all_text_contents()  # in a closed <details>
        assert ranking == ["Rank", "Unit", "Score rate", "Score", "Full score"]
        due = page.locator("#table-due thead th").all_text_contents()
        assert due == ["Unit", "Not done", "Item"]
        for key in ("heatmap", "ranking", "trend", "reporting"):
            page.locator(f"#chart-{key} canvas, #chart-{key} svg").first.wait_for()
        # the trend chart's months as its script drew them, from the same header
        months = page.evaluate(
            """() => echarts.getInstanceByDom(document.getElementById('chart-trend'))
                    .getOption().xAxis[0].data.slice(0, 3)"""
        )
        assert months == ["M1", "M2", "M3"], months
        labels = page.locator(".filters label").all_inner_texts()
        assert "Year" in " ".join(labels) and not [t for t in labels if han.search(t)], labels
        page.screenshot(path=str(SCREENSHOTS / "dashboard-en.png"), full_page=True)
        # the words the scripts write come in English too: the unit chooser's search box
        page.goto(live_server.url + reverse("ledger:activity-list"))
        search = page.locator("input.unit-search")
        assert search.get_attribute("placeholder") == "Search units"
        assert search.get_attribute("aria-label") == "Search units (name or code)"
        assert errors == [], errors
    finally:
        close_pages(browser)
