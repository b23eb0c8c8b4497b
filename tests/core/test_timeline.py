"""The events and holidays data, and the questions the ledger and the summary ask of them."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from taizhang.core import timeline
from taizhang.core.framework_file import frameworks_dir


def test_the_shipped_files_load_and_hold_the_dates_the_demo_and_the_genre_name():
    line = timeline.load()
    by_name = {e.name: e for e in line.events}
    assert len(line.events) >= 30
    assert by_name["《中国共产党政治协商工作条例》"].day == date(2022, 6, 13)
    assert by_name["《中华人民共和国民法典》"].day == date(2020, 5, 28)
    assert by_name["党的十九届五中全会"].day == date(2020, 10, 29)
    assert by_name["《习近平谈治国理政》第三卷"].day == date(2020, 6, 30)
    assert by_name["全国抗击新冠肺炎疫情表彰大会"].day == date(2020, 9, 8)
    assert by_name["《深化新时代教育评价改革总体方案》"].day == date(2020, 10, 13)
    assert {2019, 2020} <= line.years  # the demo's years
    assert timeline.holiday_on(date(2020, 1, 25)).name == "春节"  # 大年初一
    assert timeline.holiday_on(date(2020, 2, 2)).name == "春节"  # the extension for the epidemic
    assert timeline.holiday_on(date(2020, 4, 4)).name == "清明节"
    assert timeline.holiday_on(date(2020, 10, 8)).name == "国庆节、中秋节"
    assert timeline.holiday_on(date(2020, 4, 25)) is None  # a Saturday, not a public holiday
    assert timeline.holiday_on(date(2020, 2, 3)) is None


def test_a_document_is_named_in_any_spelling_and_only_from_its_day():
    late = timeline.anachronisms("学习《中国共产党政治协商工作条例》", date(2020, 4, 9))
    assert [m.event.name for m in late] == ["《中国共产党政治协商工作条例》"]
    assert late[0].event.date_text == "2022年6月13日"
    assert timeline.anachronisms("学习《中国共产党政治协商工作条例》", date(2022, 6, 13)) == []
    # marks, brackets and spaces do not hide a name
    assert timeline.anachronisms("学习《习近平谈治国理政》 第三卷", date(2020, 6, 29))
    assert timeline.anachronisms("学习《习近平谈治国理政》（第三卷）", date(2020, 6, 30)) == []
    assert timeline.anachronisms("民法典进社区", date(2020, 2, 8))
    assert timeline.anachronisms("", date(2020, 2, 8)) == []


def test_a_plenum_named_without_its_term_is_the_one_of_the_term_then_sitting():
    # in September 2020 "五中全会" can only mean the 19th Committee's, which met in late October
    assert [m.event.name for m in timeline.anachronisms("学习五中全会精神", date(2020, 9, 15))] == [
        "党的十九届五中全会"
    ]
    assert timeline.anachronisms("学习五中全会精神", date(2020, 11, 5)) == []
    # in 2016 it is the 18th's (not listed, so nothing is refused)
    assert timeline.anachronisms("学习五中全会精神", date(2016, 3, 1)) == []
    # the seed's way of naming three plenums at once reads the last as the 19th's fourth: it existed
    assert timeline.anachronisms("十九届二中三中四中全会精神", date(2020, 1, 16)) == []
    # a longer name wins: "十八届五中全会" is not the 19th's
    assert timeline.anachronisms("回顾十八届五中全会", date(2020, 9, 15)) == []


def test_the_summary_asks_what_its_period_could_know():
    h1 = {e.name for e in timeline.events_known_by(date(2020, 6, 30))}
    year = {e.name for e in timeline.events_known_by(date(2020, 12, 31))}
    assert "《中华人民共和国民法典》" in h1 and "党的十九届五中全会" not in h1
    assert "党的十九届五中全会" in year and "《中国共产党政治协商工作条例》" not in year
    brought = [e.name for e in timeline.events_between(date(2020, 7, 1), date(2020, 12, 31))]
    assert "全国抗击新冠肺炎疫情表彰大会" in brought and "《中华人民共和国民法典》" not in brought


def test_a_generated_day_moves_off_a_holiday_within_its_period():
    january = (date(2020, 1, 1), date(2020, 1, 31))
    assert timeline.working_day_near(date(2020, 1, 28), first=january[0], last=january[1]) == date(
        2020, 1, 23
    )
    assert timeline.working_day_near(
        date(2020, 5, 5), first=date(2020, 5, 1), last=date(2020, 5, 31)
    ) == date(2020, 5, 6)
    assert timeline.working_day_near(
        date(2020, 5, 6), first=date(2020, 5, 1), last=date(2020, 5, 31)
    ) == date(2020, 5, 6)


@pytest.mark.parametrize(
    ("broken", "needle"),
    [
        (
            {"events": [{"name": "甲", "date": "2020-13-01", "what": "发布", "names": ["甲"]}]},
            "日期“2020-13-01”无效",
        ),
        ({"events": [{"name": "甲", "date": "2020-01-01", "names": ["甲"]}]}, "缺少 what"),
        (
            {"events": [{"name": "甲", "date": "2020-01-01", "what": "发布", "names": []}]},
            "names：应为非空的字符串列表",
        ),
        (
            {
                "events": [
                    {
                        "name": "甲",
                        "date": "2020-01",
                        "what": "闭幕",
                        "names": ["甲"],
                        "term": "九届",
                        "bare": "五中",
                    }
                ]
            },
            "term“九届”不在 terms 中",
        ),
        (
            {
                "events": [
                    {"name": "甲", "date": "2020-01-01", "what": "发布", "names": ["甲"]},
                    {"name": "甲", "date": "2020-02-01", "what": "发布", "names": ["乙"]},
                ]
            },
            "name 重复",
        ),
    ],
)
def test_a_malformed_events_file_is_refused_naming_the_entry_and_the_key(broken, needle):
    with pytest.raises(timeline.TimelineDataError) as refused:
        timeline.parse_events(broken)
    assert needle in str(refused.value) and "events.yaml" in str(refused.value)


def test_a_malformed_holidays_file_is_refused_naming_the_year():
    overlapping = {
        "years": [
            {
                "year": 2020,
                "holidays": [
                    ["春节", date(2020, 1, 24), date(2020, 2, 2)],
                    ["元宵", date(2020, 2, 1), date(2020, 2, 1)],
                ],
            }
        ]
    }
    with pytest.raises(timeline.TimelineDataError, match="春节与元宵的日期重叠"):
        timeline.parse_holidays(overlapping)
    with pytest.raises(timeline.TimelineDataError, match="2020年第1个假日：应为"):
        timeline.parse_holidays({"years": [{"year": 2020, "holidays": [["春节", date(2020, 1, 24)]]}]})


def test_a_changed_file_is_read_again(tmp_path):
    for name in (timeline.EVENTS_FILE, timeline.HOLIDAYS_FILE):
        (tmp_path / name).write_text((frameworks_dir() / name).read_text(encoding="utf-8"), encoding="utf-8")
    assert timeline.holiday_on(date(2030, 5, 1), timeline=timeline.load(tmp_path)) is None
    data = yaml.safe_load((tmp_path / timeline.HOLIDAYS_FILE).read_text(encoding="utf-8"))
    data["years"].append({"year": 2030, "holidays": [["劳动节", date(2030, 5, 1), date(2030, 5, 5)]]})
    (tmp_path / timeline.HOLIDAYS_FILE).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    import os

    os.utime(tmp_path / timeline.HOLIDAYS_FILE, ns=(1, 10**18))  # a later modification time
    assert timeline.holiday_on(date(2030, 5, 1), timeline=timeline.load(tmp_path)).name == "劳动节"
