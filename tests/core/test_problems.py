"""A file's problems are listed 200 by cell and the rest counted by kind, without keeping them."""

from __future__ import annotations

from taizhang.core.problems import Problems, kind_of


def test_the_first_two_hundred_are_listed_and_the_rest_counted_by_kind():
    problems = Problems()
    for n in range(2, 150_002):
        problems.append(f"台账!A{n}: 日期“2020-02-{30 + n % 2}”不存在")
        problems.append(f"台账!D{n}: “无名氏{n}”不是县政协机关的人员")
    assert len(problems) == 300_000 and bool(problems)
    assert list(problems)[:2] == ["台账!A2: 日期“2020-02-30”不存在", "台账!D2: “无名氏2”不是县政协机关的人员"]
    assert len(list(problems)) == 200
    assert problems.summary() == (
        "另有 299,800 处问题未列出：日期不存在 149,900 处、不是县政协机关的人员 149,900 处"
    )
    assert problems.lines()[-1] == problems.summary() and len(problems.lines()) == 201
    assert sum(len(k) for k in problems.more) < 100  # counted, not kept


def test_a_short_list_is_listed_whole():
    problems = Problems()
    problems.extend(["台账!B3: 未填写主题"])
    assert problems.lines() == ["台账!B3: 未填写主题"] and problems.summary() == ""


def test_kinds_leave_out_cells_quotes_asides_and_figures():
    assert kind_of("捐赠!F7: 金额“abc”不是数字（应如 1,200 或 1200.50元）") == "金额不是数字"
    assert kind_of("台账!B9: 超过 200 字") == "超过 N 字"


def test_past_fifty_kinds_the_rest_are_others():
    problems = Problems(shown=0)
    for n in range(80):
        problems.append(f"台账!A{n}: {chr(0x4E00 + n)}有误")
    assert len(problems) == 80
    assert len(problems.more) <= 51
