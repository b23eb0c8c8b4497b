"""A hand-written draft checked against the ledger, as a clerk checks one before it goes up: the CPPCC
seed (traditional script) against the CPPCC demo's 2020H1 ledger, with one figure changed."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from taizhang.core.periods import Period
from taizhang.documents.drafts.queries import factcheck_for
from taizhang.ledger.models import Activity

H1 = Period.parse("2020H1")
pytestmark = pytest.mark.django_db


def _cppcc_seed(seed_texts) -> str:
    return next(text for name, text in seed_texts.items() if name.startswith("000_"))


def _changed(seed_texts, old: str, new: str) -> str:
    text = _cppcc_seed(seed_texts)
    assert text.count(old) == 1
    return text.replace(old, new)


def test_one_changed_figure_differs_with_the_ledgers_value_and_records(seed_texts, cppcc):
    draft = _changed(seed_texts, "中心組學習4次", "中心組學習5次")
    _, report = factcheck_for(text=draft, unit=cppcc, period=H1)
    by_status = {}
    for check in report.checks:
        by_status.setdefault(check.status, []).append(check)
    (differs,) = by_status["differs"]
    assert (differs.figure.text, differs.figure.subject) == ("5次", "中心組學習")
    held = Activity.objects.filter(
        unit=cppcc, kind__code="central_group_study", date__range=(H1.start, H1.end)
    )
    assert differs.ledger_value == held.count() == 4
    assert {pk for _, pk in differs.records} == set(held.values_list("pk", flat=True))
    assert draft[differs.figure.start : differs.figure.end] == "5次"
    # every other figure that maps to the ledger agrees: the study list, the donations, the
    # bulletins and the articles (60余篇 against the county's and the higher media's together)
    assert "unknown" not in by_status
    agreed = {(c.figure.text, c.figure.subject) for c in by_status["agrees"]}
    assert agreed == {
        ("2次", "專題研討"),
        ("8次", "集中學習"),
        ("6次", "黨小組學習"),
        ("6次", "主題黨日"),
        ("18000餘元", "捐款捐物"),
        ("157.3萬餘元", "捐款"),
        ("54.7萬元", "物資"),
        ("5600個", "口罩"),
        ("27期", "《各界反映》"),
        ("3期", "《政協調研》"),
        ("60餘篇", "宣傳稿件"),
    }


def test_the_rules_stated_in_the_draft_are_not_compared(seed_texts, cppcc):
    """全年不少于2次 is a promise, not a count of what was done."""
    _, report = factcheck_for(text=_cppcc_seed(seed_texts), unit=cppcc, period=H1)
    assert all(c.figure.kind not in ("ideology_session", "joint_meeting") for c in report.checks)
    assert {c.status for c in report.checks} == {"agrees"}


@pytest.mark.parametrize(
    ("old", "new", "text", "ledger_value"),
    [
        ("捐助54.7萬元物資", "捐助64.7萬元物資", "64.7萬元", 547000),
        ("宣傳稿件60餘篇", "宣傳稿件70餘篇", "70餘篇", "articles"),  # county plus higher media, the tree's
        ("《各界反映》27期", "《各界反映》28期", "28期", 27),
    ],
)
def test_money_approximations_and_publications(seed_texts, cppcc, old, new, text, ledger_value):
    if ledger_value == "articles":
        from taizhang.reporting.models import Article

        ledger_value = Article.objects.filter(
            unit__path__startswith=cppcc.path, date__range=(H1.start, H1.end)
        ).count()
    _, report = factcheck_for(text=_changed(seed_texts, old, new), unit=cppcc, period=H1)
    (differs,) = [c for c in report.checks if c.status == "differs"]
    assert (differs.figure.text, differs.ledger_value) == (text, ledger_value)


def test_command_json(seed_texts, cppcc, tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(_changed(seed_texts, "專題研討2次", "專題研討3次") + "\n做到二个维护。", encoding="utf-8")
    out = io.StringIO()
    call_command("factcheck", str(path), "--unit", "cppcc", "--period", "2020H1", "--json", stdout=out)
    data = json.loads(out.getvalue())
    (differs,) = [f for f in data["figures"] if f["status"] == "differs"]
    assert set(differs) == {
        "text",
        "value",
        "unit",
        "subject",
        "start",
        "end",
        "status",
        "ledger_value",
        "records",
    }
    assert (differs["text"], differs["value"], differs["ledger_value"]) == ("3次", 3, 2)
    assert {r["type"] for r in differs["records"]} == {"activities"} and len(differs["records"]) == 2
    (wrong,) = data["expressions"]
    assert (wrong["text"], wrong["canonical"]) == ("二个维护", "两个维护")
    assert path.read_text(encoding="utf-8")[wrong["start"] : wrong["end"]] == "二个维护"


def test_sub_units_are_told_apart(cppcc):
    """The organ's own 集中学习 and its offices' are separate figures; a draft naming the offices is
    checked against theirs, one naming the total against both."""
    own = Activity.objects.filter(unit=cppcc, kind__code="collective_study", date__range=(H1.start, H1.end))
    subs = Activity.objects.filter(
        unit__parent=cppcc, kind__code="collective_study", date__range=(H1.start, H1.end)
    )
    n, m = own.count(), subs.count()
    assert n and m
    draft = f"今年以来，机关干部集中学习{n}次。各委室开展集中学习{m}次。全机关共开展集中学习{n + m}次。"
    _, report = factcheck_for(text=draft, unit=cppcc, period=H1)
    assert [(c.status, c.ledger_value) for c in report.checks] == [
        ("agrees", n),
        ("agrees", m),
        ("agrees", n + m),
    ]


def test_page_marks_the_differing_figure(client, seed_texts, cppcc):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="cppcc-clerk"))
    draft = _changed(seed_texts, "黨小組學習6次", "黨小組學習7次").encode("utf-8")
    upload = io.BytesIO(draft)
    upload.name = "draft.txt"
    response = client.post("/documents/factcheck/", {"unit": "cppcc", "period": "2020H1", "draft": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="fc-differs" title="与台账不符：台账为 6次' in html
    assert html.count('class="fc-agrees" title=') == 11  # the other figures that map to the ledger


def test_page_refuses_another_units_ledger(client, seed_texts):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="cppcc-clerk"))
    response = client.post(
        "/documents/factcheck/", {"unit": "school", "period": "2020", "text": "开展中心组学习12次"}
    )
    assert response.status_code == 400
    assert "没有代码为“school”的单位，或您无权查看。" in response.content.decode()
    assert "县实验中学" not in response.content.decode()


def test_page_refuses_a_corrupt_docx(client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="cppcc-clerk"))
    upload = io.BytesIO(b"not a word file")
    upload.name = "draft.docx"
    response = client.post("/documents/factcheck/", {"unit": "cppcc", "period": "2020H1", "draft": upload})
    assert response.status_code == 400
    assert "不是有效的 Word 文档" in response.content.decode()
