"""The eight everyday tasks, done as the clerk, the leaders and the member do them: in Debian's
Chromium, at 1366 and at 360 px, in Chinese and in English, against the demo served by a real
``taizhang serve`` (one server and one browser for the session; a context per width and language).

Each task ends with a screenshot under ``var/screenshots/`` named for the task, language and width.
What is asserted is what a person would notice: the words and figures on the page, the file that
downloads, the page a click opens. A task writes records of its own (their topics and names carry
the context's tag), so the four runs of a task never meet.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.live import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "taizhang-demo"  # the demo's logins
CONTEXTS = [
    pytest.param(1366, "zh-hans", id="1366-zh"),
    pytest.param(360, "zh-hans", id="360-zh"),
    pytest.param(1366, "en", id="1366-en"),
    pytest.param(360, "en", id="360-en"),
]
# The words a task looks for, in each language (the catalogue's own translations).
WORDS = {
    "zh-hans": {
        "not_counted": "未计入：缺少会议记录",
        "counted": "计入",
        "overdue": "逾期",
        "present": "出席",
        "differs": "不符",
        "signed": "签到成功",
        "check_passed": "检查通过",
        "who": "责任：",
    },
    "en": {
        "not_counted": "Not counted: no minutes",
        "counted": "Counted",
        "overdue": "overdue",
        "present": "Present",
        "differs": "Differs",
        "signed": "Signed in",
        "check_passed": "Check passed",
        "who": "Answers for it:",
    },
}


_SIGNED_IN: dict[tuple[str, str], list] = {}  # (server, login) → its session cookies, signed in once


@pytest.fixture
def open_as(chromium, demo_server):
    """``open_as(username, width, language)``: a page in a fresh context, signed in (through the
    login form the first time, then with that login's session cookie: a sign-in per login, not per
    test) and showing ``start`` (default: the home page)."""
    contexts = []

    def open_as(username: str, width: int, language: str, start: str = "/"):
        context = chromium.new_context(
            viewport={"width": width, "height": 800 if width > 600 else 740},
            accept_downloads=True,
        )
        context.add_cookies([{"name": "django_language", "value": language, "url": demo_server}])
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        page.base = demo_server
        key = (demo_server, username)
        if key not in _SIGNED_IN:
            page.goto(f"{demo_server}/login/?next=/account/password/")  # a light page to land on
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()
            assert "/login/" not in page.url, page.inner_text("main")[:300]
            _SIGNED_IN[key] = [c for c in context.cookies() if c["name"] != "django_language"]
        else:
            context.add_cookies(_SIGNED_IN[key])
        page.goto(demo_server + start)
        return page

    yield open_as
    for context in contexts:
        context.close()


def shot(page, name: str, width: int, language: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{language}-{width}.png"), full_page=True)


RUN = secrets.token_hex(2)  # a server kept across runs (TAIZHANG_TEST_SERVER) gets new records each run


def tag(width: int, language: str) -> str:
    return f"{width}{'中' if language == 'zh-hans' else 'EN'}{RUN}"


def on_screen(locator, width: int) -> None:
    """``locator`` lies within the screen's width (a wide table's far column is past its scroll)."""
    box = locator.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box


def fits(page, width: int) -> None:
    """Nothing wider than the screen but what scrolls inside its own box (wide tables)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1


@pytest.mark.parametrize(("width", "language"), CONTEXTS)
def test_1_a_clerk_records_a_study_with_attendees_and_sees_it_count(open_as, width, language):
    words = WORDS[language]
    page = open_as("cppcc-clerk", width, language, "/ledger/activities/new/?unit=cppcc")
    page.select_option("select[name=kind]", "central_group_study")
    needs = page.inner_text("#kind-needs")  # said before saving: what it needs to count
    assert needs and needs != "", needs
    topic = f"中心组学习{tag(width, language)}"
    page.fill("input[name=date]", "2020-11-18")
    page.fill("input[name=topic]", topic)
    page.click("[data-mark-all]")
    page.click("form.record button[type=submit]")
    page.wait_for_load_state()
    # saved without minutes: the message and the record's page say it does not count, and why
    assert words["not_counted"] in page.inner_text(".messages")
    standing = page.inner_text("section.standing")
    assert words["not_counted"] in standing
    page.goto(f"{page.base}/ledger/activities/?unit=cppcc&period=2020-11")
    row = page.locator("table.grid tbody tr", has_text=topic)
    assert words["not_counted"] in row.inner_text()
    on_screen(row.locator("small.not-counted"), width)  # on a phone too, not past a sideways scroll
    # the minutes added: it counts
    row.locator("a").first.click()
    page.wait_for_load_state()
    page.click("a[href$='/edit/']")
    page.fill("textarea[name=minutes]", "学习了中央有关会议精神，成员逐一交流。")
    page.click("form.record button[type=submit]")
    page.wait_for_load_state()
    standing = page.inner_text("section.standing")
    assert words["not_counted"] not in standing and words["counted"] in standing
    assert page.locator("section.standing li.left-out").count() == 0
    fits(page, width)
    shot(page, "task1-record-a-study", width, language)


@pytest.mark.parametrize(("width", "language"), CONTEXTS)
def test_2_a_clerk_downloads_the_summary_its_pdf_and_the_workbook(open_as, width, language):
    page = open_as("cppcc-clerk", width, language, "/org/units/cppcc/?period=2020H1")
    with page.expect_download() as workbook:
        page.click("a[href^='/documents/ledger.xlsx']")
    assert Path(workbook.value.path()).read_bytes()[:2] == b"PK"
    assert workbook.value.suggested_filename.endswith(".xlsx")
    page.click("a[href='/documents/summary/cppcc/2020H1/']")
    page.wait_for_load_state()
    shot(page, "task2-summary", width, language)
    with page.expect_download() as docx:
        page.click("button[formaction$='download.docx']")
    assert Path(docx.value.path()).read_bytes()[:2] == b"PK" and docx.value.suggested_filename.endswith(
        ".docx"
    )
    pdf_button = page.locator("button[formaction$='download.pdf']")
    if (width, language) == (1366, "zh-hans") and pdf_button.count():  # LibreOffice takes seconds: once
        with page.expect_download(timeout=90_000) as pdf:
            pdf_button.click()
        assert Path(pdf.value.path()).read_bytes()[:4] == b"%PDF"


def _workbook(path: Path, label: str, *, bad: bool) -> None:
    """A clerk's own sheet: their headers, dates as they type them, names in one cell; half the
    studies without minutes."""
    book = Workbook()
    sheet = book.active
    sheet.title = "学习台账"
    sheet.append(["时间", "类型", "学习内容", "参加人员", "会议记录"])
    for i, day in enumerate(["2021.3.9", "2021.4.13", "2021.5.11", "2021.6.8"]):
        when = "2021.6.31" if bad and i == 2 else day
        minutes = "记录在案" if i % 2 == 0 else ""
        sheet.append([when, "中心组学习", f"{label}学习第{i + 1}次", "余娟欣、邓佳庆，董丽杰", minutes])
    book.save(path)


@pytest.mark.parametrize(("width", "language"), CONTEXTS)
def test_3_a_clerk_imports_a_workbook_with_a_bad_row_then_a_good_one(open_as, width, language, tmp_path):
    words = WORDS[language]
    label = f"导入{tag(width, language)}"
    page = open_as("cppcc-clerk", width, language, "/ledger/activities/import/")  # no unit: it asks
    page.click("ul.children a[href='?unit=cppcc']")
    page.wait_for_load_state()
    bad = tmp_path / "学习台账.xlsx"
    _workbook(bad, label, bad=True)
    page.set_input_files("input[name=file]", str(bad))
    page.click("button[value=check]")
    page.wait_for_load_state()
    assert "学习台账!A4" in page.inner_text("[role=alert]")  # the bad cell, named
    _workbook(bad, label, bad=False)
    page.set_input_files("input[name=file]", str(bad))
    page.click("button[value=check]")
    page.wait_for_load_state()
    check = page.inner_text("section.import-check")
    assert words["check_passed"] in check and words["not_counted"] in check
    assert re.search(r"\b2\b", page.inner_text("ul.counting"))  # two count, two do not
    shot(page, "task3-import-checked", width, language)
    page.click("button[value=write]")  # the file checked, written without choosing it again
    page.wait_for_load_state()
    assert "/ledger/activities/" in page.url
    assert words["not_counted"] in page.inner_text(".messages")
    page.goto(f"{page.base}/ledger/activities/?unit=cppcc&q={label}")
    assert page.locator("table.grid tbody tr").count() == 4


@pytest.mark.parametrize(("width", "language"), CONTEXTS)
def test_4_a_clerk_fact_checks_a_draft(open_as, width, language):
    words = WORDS[language]
    page = open_as("cppcc-clerk", width, language, "/documents/factcheck/")
    page.select_option("select[name=unit]", "cppcc")
    page.fill("input[name=period]", "2020H1")
    draft = "2020年上半年，机关党组开展理论学习中心组学习9次，专题研讨2次。"
    page.fill("textarea[name=text]", draft)
    page.click("form.factcheck-form button[type=submit]")
    page.wait_for_load_state()
    marked = page.locator(".factcheck-draft .fc-differs")
    assert marked.count() >= 1 and "9次" in marked.first.inner_text()
    assert words["differs"] in page.inner_text("table.factcheck-table")
    assert page.input_value("textarea[name=text]") == draft  # the draft stays in its box
    fits(page, width)
    shot(page, "task4-factcheck", width, language)


@pytest.mark.parametrize(("width", "language"), CONTEXTS)
def test_5_a_leader_finds_what_is_behind_and_who_answers(open_as, width, language):
    words = WORDS[language]
    page = open_as("cppcc-leader", width, language)
    # the CPPCC leader's home: the organ's own standing, not a comparison of its offices
    own = page.locator("section.own-standing")
    assert own.count() == 1 and "县政协机关" in own.inner_text()
    assert page.locator("#chart-heatmap").count() == 0
    shot(page, "task5-leader-home", width, language)
    page.click("form.filters a[href^='/rules/?unit=cppcc']")
    page.wait_for_load_state()
    assert words["who"] in page.inner_text("table.matrix")  # each requirement names who answers
    page.click("main a[href^='/rules/todo/']")
    page.wait_for_load_state()
    rows = page.locator("table.grid tbody tr.overdue")
    assert rows.count() > 0  # what the unit has already missed this year is there
    lines = rows.all_inner_texts()
    assert all(words["overdue"] in line for line in lines)
    on_screen(rows.first.locator("td").nth(4), width)  # who answers: seen without scrolling sideways
    # each names who answers: the post's holder, or the post when no one holds it
    assert sum(bool(re.search(r"余娟欣|邓佳庆|董明", line)) for line in lines) > len(lines) // 2, lines
    fits(page, width)
    shot(page, "task5-todo", width, language)


@pytest.mark.parametrize(("width", "language"), CONTEXTS)
def test_6_a_county_leader_compares_units_and_drills_into_one(open_as, width, language):
    page = open_as("county-leader", width, language)
    page.wait_for_load_state("networkidle")
    heatmap = page.locator("#chart-heatmap")
    heatmap.locator("canvas").first.wait_for()
    page.locator("#chart-ranking canvas").first.wait_for()
    assert page.locator("table.table-ranking tbody tr").count() >= 10
    assert page.locator("table.table-due tbody tr").count() <= 30  # a line per unit, short
    fits(page, width)
    shot(page, "task6-county", width, language)
    heatmap.scroll_into_view_if_needed()
    x, y = page.evaluate(
        """() => echarts.getInstanceByDom(document.getElementById('chart-heatmap'))
                   .convertToPixel({seriesIndex: 0}, [0, 0])"""
    )
    box = heatmap.bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + x, box["y"] + y)
    assert "/rules/" in page.url and "unit=cppcc" in page.url
    assert "县政协机关" in page.inner_text("h1")
    shot(page, "task6-drilled", width, language)


@pytest.mark.parametrize(("width", "language"), CONTEXTS)
def test_7_a_member_signs_in_on_a_phone_and_sees_it(open_as, width, language):
    words = WORDS[language]
    desk = open_as("cppcc-clerk", width, language, "/ledger/activities/new/?unit=cppcc")
    topic = f"集中学习签到{tag(width, language)}"
    desk.select_option("select[name=kind]", "collective_study")
    desk.fill("input[name=date]", "2025-11-18")
    desk.fill("input[name=topic]", topic)
    desk.click("form.record button[type=submit]")
    desk.wait_for_load_state()
    desk.click("a[href$='/sign-in/']")
    desk.click("main form.filters button[type=submit]")  # 开始签到
    desk.wait_for_selector(".qr svg")
    url = desk.inner_text(".qr-url").strip()

    phone = open_as("cppcc-member", 360, language, url.removeprefix(desk.base))  # as the QR code opens
    name = phone.text_content("header .who")
    phone.click("section.mobile form button[type=submit]")
    phone.wait_for_load_state()
    assert words["signed"] in phone.inner_text("h1")
    fits(phone, 360)
    phone.goto(f"{phone.base}/ledger/mine/")
    mine = phone.locator("ul.cards li", has_text=topic)
    assert words["present"] in mine.inner_text()
    fits(phone, 360)
    shot(phone, "task7-member-phone", width, language)
    # the clerk's page says so by itself, without a reload
    desk.locator("ul.cards li", has_text=name).locator(f"span.meta:has-text('{words['present']}')").wait_for(
        timeout=10_000
    )
    shot(desk, "task7-clerk-desk", width, language)


@pytest.mark.parametrize(("width", "language"), CONTEXTS)
def test_8_an_admin_adds_a_person_a_post_and_a_login(open_as, width, language):
    page = open_as("cppcc-clerk", width, language, "/org/people/new/")
    name = f"测试{tag(width, language)}"
    page.select_option("select[name=unit]", "cppcc-office")
    page.fill("input[name=name]", name)
    page.fill("input[name=job_title]", "宣传信息员")
    page.select_option("select[name=post]", "designated_officer")
    page.fill("input[name=start]", "2021-03-01")
    page.click("form.record button[type=submit]")
    page.wait_for_load_state()
    assert page.inner_text("h1").startswith(name)
    assert "2021-03-01" in page.inner_text("table.posts")
    login = page.locator("form[action$='/login/']")
    login.locator("input[name=username]").fill(f"test-{width}-{language}-{RUN}")
    login.locator("button[type=submit]").click()
    page.wait_for_load_state()
    password = page.inner_text("code")  # shown once
    assert len(password) >= 8
    fits(page, width)
    shot(page, "task8-login-made", width, language)
