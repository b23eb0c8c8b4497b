"""The summary preview after a write: recording an activity (what clerks write most) works out the
activities again and keeps what reads none of them; a write of any other record shows at once."""

from __future__ import annotations

import pytest

from taizhang.documents.summary import facts as summary_facts
from taizhang.documents.summary import queries as summary_queries
from taizhang.reporting.models import Article
from taizhang.reporting.services import article_update
from tests.records import record_study

SUMMARY = "/documents/summary/cppcc/2020H1/"


@pytest.fixture
def worked_out(monkeypatch) -> list[str]:
    """What the preview read again rather than from the cache: the records of the types other than
    activities, and the names behind the figures."""
    calls: list[str] = []
    for module, name in ((summary_facts, "_undated_facts"), (summary_queries, "_record_names")):
        real = getattr(module, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            if _name != "_record_names" or any(code != "activities" for code in args[0]):
                calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    return calls


def test_an_activity_leaves_the_other_records_kept(
    cppcc_clerk, cppcc, worked_out, django_capture_on_commit_callbacks
):
    cppcc_clerk.get(SUMMARY)
    worked_out.clear()
    response = record_study(cppcc_clerk, cppcc, django_capture_on_commit_callbacks)

    page = cppcc_clerk.get(SUMMARY)
    assert f"#{response.json()['id']} 2020-06-10 学习新党章".encode() in page.content
    assert worked_out == []


def test_an_article_renamed_shows_at_once(cppcc_clerk, cppcc, worked_out, django_capture_on_commit_callbacks):
    article = Article.objects.filter(
        unit__path__startswith=cppcc.path, date__year=2020, date__month__lte=6
    ).first()
    assert article is not None, "the demo's CPPCC has articles in 2020H1"
    old = f"#{article.pk} {article.date:%Y-%m-%d} {article.title}"
    assert old.encode() in cppcc_clerk.get(SUMMARY).content  # kept now
    with django_capture_on_commit_callbacks(execute=True):
        article_update(record=article, expected_version=None, title="政协委员谈基层协商新探索")

    page = cppcc_clerk.get(SUMMARY)
    assert f"#{article.pk} {article.date:%Y-%m-%d} 政协委员谈基层协商新探索".encode() in page.content
    assert old.encode() not in page.content
