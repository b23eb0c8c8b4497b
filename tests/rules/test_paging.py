"""A county's matrix and to-do list a page at a time, as a clerk pages through them: each page shows
so many sub-units or lines, the next-page link keeps the filters, and the totals are the scope's."""

from __future__ import annotations

import html
import re

import pytest
from django.core.cache import caches

from taizhang.rules import views
from tests.html import table


def per_page(monkeypatch, n: int) -> None:
    """Pages of ``n``; the fragments kept with the pages of 50 forgotten (the size is a constant)."""
    monkeypatch.setattr(views, "PER_PAGE", n)
    caches["default"].clear()


NEXT = re.compile(r'<a href="\?([^"]+)">下一页</a>')
PREVIOUS = re.compile(r'<a href="\?([^"]+)">上一页</a>')


def _next(page_html: str, path: str) -> str | None:
    found = NEXT.search(page_html)
    return f"{path}?{html.unescape(found.group(1))}" if found else None


def _lines(client, url: str) -> list[list[str]]:
    return table(client.get(url).content.decode(), "todo")[1:]  # without the header


@pytest.fixture
def missed(cppcc):
    """The organ's second half of 2020 left unrecorded: a list of a dozen lines or more, most overdue."""
    from taizhang.ledger.models import Activity

    Activity.objects.filter(unit__path__startswith=cppcc.path, date__year=2020, date__month__gte=7).delete()


def test_todo_list_pages_through_every_line_with_the_whole_lists_totals(cppcc_clerk, missed, monkeypatch):
    url = "/rules/todo/?unit=cppcc&as_of=2020-12-10"
    whole = _lines(cppcc_clerk, url)
    overdue = sum(1 for line in whole if "逾期" in line[0])
    assert len(whole) > 7 and overdue

    per_page(monkeypatch, 3)
    seen, address, pages = [], url, 0
    while address:
        page = cppcc_clerk.get(address)
        text = page.content.decode()
        lines = table(text, "todo")[1:]
        pages += 1
        assert len(lines) == 3 or not _next(text, "/rules/todo/")  # only the last page is shorter
        # the totals are the whole list's, on every page
        assert f"共 {len(whole)} 项，其中逾期 {overdue} 项。" in text
        assert f"本页列出第 {len(seen) + 1}–{len(seen) + len(lines)} 项。" in text
        assert f"第 {pages} / {-(-len(whole) // 3)} 页" in text
        seen += lines
        address = _next(text, "/rules/todo/")
        if address:
            assert "unit=cppcc" in address and "as_of=2020-12-10" in address  # the filters kept
    assert seen == whole
    assert PREVIOUS.search(text)  # the last page links back


def test_a_page_past_the_last_shows_the_last(cppcc_clerk, missed, monkeypatch):
    per_page(monkeypatch, 3)
    whole = cppcc_clerk.get("/rules/todo/?unit=cppcc&as_of=2020-12-10").content.decode()
    total = int(re.search(r"共 (\d+) 项", whole).group(1))
    last = -(-total // 3)
    page = cppcc_clerk.get("/rules/todo/?unit=cppcc&as_of=2020-12-10&page=999").content.decode()
    assert f"第 {last} / {last} 页" in page
    assert not NEXT.search(page)


def test_matrix_pages_through_the_sub_units_with_the_unit_itself_first_on_every_page(
    school_clerk, monkeypatch
):
    url = "/rules/?unit=school&period=2020"
    whole = table(school_clerk.get(url).content.decode(), "matrix")
    header = whole[0]
    assert header[1] == "实验中学党支部" and len(header) == 5  # the branch and its three groups
    assert "下一页" not in school_clerk.get(url).content.decode()  # four columns fit one page

    per_page(monkeypatch, 2)
    first = school_clerk.get(url).content.decode()
    assert table(first, "matrix")[0] == header[:4]
    assert "共 3 个下级单位，本页列出第 1–2 个" in first
    second_url = _next(first, "/rules/")
    assert "unit=school" in second_url and "period=2020" in second_url
    second = school_clerk.get(second_url).content.decode()
    second_rows = table(second, "matrix")
    assert second_rows[0] == [header[0], header[1], header[4]]
    assert "共 3 个下级单位，本页列出第 3–3 个" in second
    # each row's cells are its own units' on either page
    for row, full in zip(second_rows[1:], whole[1:], strict=True):
        assert row == (
            [full[0], full[1], full[4]] if len(full) == len(header) else full
        )  # an area's line as it is


@pytest.mark.parametrize("page", ["0", "-1", "abc", ""])
def test_a_page_that_is_not_a_number_is_the_first(school_clerk, monkeypatch, page):
    per_page(monkeypatch, 2)
    text = school_clerk.get(f"/rules/?unit=school&period=2020&page={page}").content.decode()
    assert "本页列出第 1–2 个" in text
