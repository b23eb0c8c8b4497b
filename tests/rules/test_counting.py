"""Whether a record counts, said where a clerk looks: after saving it, on its page, in the list, in
the API and in an import's check, in the words of one function (``rules.counting``)."""

from __future__ import annotations

import os
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from openpyxl import Workbook

from taizhang.ledger import checked_uploads
from taizhang.ledger.models import Activity
from taizhang.org.queries import organisation_people
from taizhang.rules.counting import not_counted_words

STUDY = "理论学习中心组每季度至少学习1次"
RATE = "中心组学习出勤率不低于80%"


def counting_lines(html: str) -> str:
    """The visible text of the import check's list of what counts, whitespace folded."""
    start = html.index('<ul class="counting">')
    end = html.index("</section>", start)
    part = html[start : html.index("<form", start) if "<form" in html[start:end] else end]
    return " ".join(re.sub(r"<[^>]+>", " ", part).split())


@pytest.fixture(autouse=True)
def _checked_files_in_tmp(settings, tmp_path):
    """Checked uploads are kept under ``VAR_DIR``: the test's own."""
    settings.VAR_DIR = tmp_path / "var"


def test_the_words_come_from_one_function():
    assert not_counted_words(["minutes"]) == "未计入：缺少会议记录"
    assert not_counted_words(["attendance+minutes"]) == "未计入：缺少会议记录、考勤"
    assert not_counted_words([]) == "计入"


def _record_study(client, cppcc, *, minutes: str):
    people = list(organisation_people(cppcc)[:3])
    data = {
        "unit": "cppcc",
        "kind": "central_group_study",
        "date": "2020-05-20",
        "topic": "学习新修订的条例",
        "minutes": minutes,
        **{f"att-{p.pk}": "present" for p in people},
    }
    return client.post("/ledger/activities/new/?unit=cppcc", data)


def test_a_study_saved_without_minutes_says_it_does_not_count_and_why(cppcc_clerk, cppcc):
    answer = _record_study(cppcc_clerk, cppcc, minutes="")
    assert answer.status_code == 302
    [message] = [str(m) for m in get_messages(answer.wsgi_request)]
    assert message == f"活动已登记。未计入：缺少会议记录（{STUDY}）。"

    page = cppcc_clerk.get(answer["Location"]).content.decode()
    assert f'<span class="verdict">未计入：缺少会议记录</span> · {STUDY}' in page
    assert f'<span class="verdict">计入</span> · {RATE}' in page  # its attendance counts toward the rate

    listed = cppcc_clerk.get("/ledger/activities/?unit=cppcc&period=2020-05").content.decode()
    row = listed[listed.index("学习新修订的条例") :][:200]
    assert "未计入：缺少会议记录" in row

    activity = Activity.objects.get(topic="学习新修订的条例")
    counting = cppcc_clerk.get(f"/api/activities/{activity.pk}/").json()["counting"]
    study = next(c for c in counting if c["requirement"] == "central_group_study")
    assert study == {
        "requirement": "central_group_study",
        "title": STUDY,
        "counts": False,
        "missing": ["minutes"],
        "words": "未计入：缺少会议记录",
    }


def test_a_study_with_its_minutes_counts_and_the_list_says_nothing_more(cppcc_clerk, cppcc):
    answer = _record_study(cppcc_clerk, cppcc, minutes="学习了条例全文，成员逐一发言。")
    assert [str(m) for m in get_messages(answer.wsgi_request)] == ["活动已登记。"]
    page = cppcc_clerk.get(answer["Location"]).content.decode()
    assert f'<span class="verdict">计入</span> · {STUDY}' in page
    listed = cppcc_clerk.get("/ledger/activities/?unit=cppcc&period=2020-05").content.decode()
    assert "未计入" not in listed[listed.index("学习新修订的条例") :][:200]


def test_the_list_says_at_once_when_a_requirement_stops_asking_for_minutes(
    cppcc_clerk, cppcc, django_capture_on_commit_callbacks
):
    """The list keeps the requirements it judges by between requests; a change of the framework
    shows on the next one."""
    from taizhang.rules.models import Requirement

    with django_capture_on_commit_callbacks(execute=True):  # committed, as a request's write is
        _record_study(cppcc_clerk, cppcc, minutes="")
    url = "/ledger/activities/?unit=cppcc&period=2020-05"
    listed = cppcc_clerk.get(url).content.decode()
    assert "未计入：缺少会议记录" in listed[listed.index("学习新修订的条例") :][:200]
    cppcc_clerk.get(url)  # read twice: what the list keeps is in use
    with django_capture_on_commit_callbacks(execute=True):
        for requirement in Requirement.objects.filter(code="central_group_study"):
            requirement.evidence = [e for e in requirement.evidence if e != "minutes"]
            requirement.save()
    listed = cppcc_clerk.get(url).content.decode()
    assert "未计入" not in listed[listed.index("学习新修订的条例") :][:200]


def _workbook(path, cppcc, *, bad: bool = False) -> None:
    names = "、".join(p.name for p in organisation_people(cppcc)[:3])
    book = Workbook()
    sheet = book.active
    sheet.title = "学习台账"
    sheet.append(["日期", "类型", "主题", "参加人员", "会议记录"])
    days = ["1.12", "2.24", "3.12", "4.12", "5.12", "6.10", "7.12", "8.12", "9.8", "10.12"]  # no holiday
    for i, day in enumerate(days, start=1):
        day = "2021.4.31" if bad and i == 4 else f"2021.{day}"
        sheet.append([day, "中心组学习", f"中心组第{i}次学习", names, "记录在案" if i % 2 else ""])
    book.save(path)


def test_the_import_checks_says_what_will_not_count_then_writes_the_checked_file(
    cppcc_clerk, cppcc, tmp_path
):
    path = tmp_path / "台账.xlsx"
    url = "/ledger/activities/import/?unit=cppcc"
    _workbook(path, cppcc, bad=True)
    with open(path, "rb") as handle:
        page = cppcc_clerk.post(url, {"unit": "cppcc", "file": handle, "action": "check"})
    assert page.status_code == 400 and "学习台账!A5: 日期“2021.4.31”不存在" in page.content.decode()

    _workbook(path, cppcc)
    count = Activity.objects.count()
    with open(path, "rb") as handle:
        page = cppcc_clerk.post(url, {"unit": "cppcc", "file": handle, "action": "check"})
    html = page.content.decode()
    assert page.status_code == 200 and Activity.objects.count() == count
    counting = counting_lines(html)
    assert counting == "5 条活动将计入考核要求 5 条不计入 未计入：缺少会议记录 5 条"
    token = page.context["token"]

    other = get_user_model().objects.get(username="demo")
    cppcc_clerk.force_login(other)  # another login cannot write what this one checked
    page = cppcc_clerk.post(url, {"unit": "cppcc", "action": "write", "token": token})
    assert page.status_code == 400 and Activity.objects.count() == count

    cppcc_clerk.force_login(get_user_model().objects.get(username="cppcc-clerk"))
    answer = cppcc_clerk.post(url, {"unit": "cppcc", "action": "write", "token": token})
    assert answer.status_code == 302 and Activity.objects.count() == count + 10
    [message] = [str(m) for m in get_messages(answer.wsgi_request)]
    assert message == "已导入 10 条活动、30 条考勤；其中 5 条活动不计入考核（未计入：缺少会议记录 5 条）。"
    again = cppcc_clerk.post(url, {"unit": "cppcc", "action": "write", "token": token})
    assert again.status_code == 400 and Activity.objects.count() == count + 10  # written once only


def test_a_checked_file_expires(cppcc_clerk, cppcc, tmp_path, monkeypatch):
    path = tmp_path / "台账.xlsx"
    _workbook(path, cppcc)
    url = "/ledger/activities/import/?unit=cppcc"
    with open(path, "rb") as handle:
        token = cppcc_clerk.post(url, {"unit": "cppcc", "file": handle, "action": "check"}).context["token"]
    kept = next((checked_uploads._root()).glob(f"*/{token}"))
    old = time.time() - checked_uploads.KEEP_SECONDS - 60
    os.utime(kept, (old, old))
    page = cppcc_clerk.post(url, {"unit": "cppcc", "action": "write", "token": token})
    assert page.status_code == 400 and "已失效" in page.content.decode()
    assert not kept.exists()


@pytest.mark.parametrize("token", ["", "../../secret_key", "x" * 100])
def test_a_forged_token_writes_nothing(cppcc_clerk, token):
    page = cppcc_clerk.post(
        "/ledger/activities/import/?unit=cppcc", {"unit": "cppcc", "action": "write", "token": token}
    )
    assert page.status_code == 400
