"""Figures read out of summaries, drafts and templates, as a clerk checking a draft would list them.

The two seeds are read from ../shared/seeds at run time; the figures each must yield are listed here,
in full, so a figure too many (a set phrase, an ordinal) fails as surely as one too few.
"""

from __future__ import annotations

import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taizhang.extract import extract, load_vocabulary


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(
        record_types={
            "donations": "捐赠",
            "publicity_articles": "宣传稿件",
            "adoptions": "信息采用",
            "reflections": "学习体会",
        }
    )


def _seed(seed_texts, prefix: str) -> str:
    return next(text for name, text in seed_texts.items() if name.startswith(prefix))


def _rows(result):
    return [(f.text, f.value, f.unit, f.qualifier, f.subject, f.kind) for f in result.figures]


CPPCC_FIGURES = [
    ("2020年", 2020, "年", None, "", "year"),
    ("2020年", 2020, "年", None, "", "year"),
    ("2020年", 2020, "年", None, "", "year"),
    ("2020年", 2020, "年", None, "", "year"),
    ("2020年", 2020, "年", None, "", "year"),
    # rules, not counts of what was done: the qualifiers say so
    ("2次", 2, "次", "每年、不少于", "專題研究意識形態工作", "ideology_session"),
    ("1次", 1, "次", "每半年", "意識形態工作聯席會議", "joint_meeting"),
    ("4次", 4, "次", None, "中心組學習", "central_group_study"),
    ("2次", 2, "次", None, "專題研討", "seminar"),
    ("8次", 8, "次", None, "集中學習", "collective_study"),
    ("6次", 6, "次", None, "黨小組學習", "cell_study"),
    ("6次", 6, "次", None, "主題黨日", "theme_day"),
    ("18000餘元", 18000, "元", "余", "捐款捐物", "donations"),
    ("157.3萬餘元", 1573000, "元", "累计、余", "捐款", "donations"),
    ("54.7萬元", 547000, "元", None, "物資", "donations"),
    ("5600個", 5600, "个", None, "口罩", "donations"),
    ("27期", 27, "期", "共", "《各界反映》", None),
    ("3期", 3, "期", None, "《政協調研》", None),
    ("60餘篇", 60, "篇", "余", "宣傳稿件", "publicity_articles"),
    ("2次", 2, "次", "不少于", "專題研究意識形態工作", "ideology_session"),
]


def test_cppcc_seed_traditional(seed_texts, vocab):
    """Every count of the seed with its subject and value; no set phrase (“四個意識”, 三會一課),
    ordinal (第一時間), section number (一是, 二.) or 十九屆 among them."""
    text = _seed(seed_texts, "000_")
    result = extract(text, vocab)
    assert _rows(result) == CPPCC_FIGURES
    for f in result.figures:
        assert text[f.start : f.end] == f.text  # positions refer to the original (traditional) text
    assert result.missing == ()


def test_the_same_figures_in_simplified_script(seed_texts, vocab):
    """Converted to simplified, the seed yields the same figures at the same positions."""
    text = _seed(seed_texts, "000_")
    simple = opencc.OpenCC("t2s").convert(text)
    traditional = extract(text, vocab).figures
    converted = extract(simple, vocab).figures
    assert [(f.value, f.unit, f.kind, f.start, f.end) for f in converted] == [
        (f.value, f.unit, f.kind, f.start, f.end) for f in traditional
    ]
    assert [f.subject for f in converted][7:12] == [
        "中心组学习",
        "专题研讨",
        "集中学习",
        "党小组学习",
        "主题党日",
    ]


def test_school_template_blanks_are_missing_with_subjects(seed_texts, vocab):
    text = _seed(seed_texts, "002_")
    result = extract(text, vocab)
    missing = [(f.unit, f.subject, f.kind) for f in result.missing]
    assert missing == [
        ("年", "", "year"),  # 现将 年以来
        ("年", "", "year"),  # 《 县 年教育系统…》
        ("次", "中心组学习", "central_group_study"),  # 学校共开展中心组学习 次
        ("次", "理论学习", "central_group_study"),  # 其中理论学习 次: part of the same kind
    ]
    blank = result.missing[2]
    assert text[blank.start : blank.end] == blank.text and blank.text.strip() == "次"
    assert text[: blank.start].endswith("学校共开展中心组学习")
    assert _rows(result) == [
        ("2021-04-19", "2021-04-19", "", None, "", "date"),
        ("37.5 KB", 37.5, "KB", None, "", None),
        ("5页", 5, "页", None, "", None),
        ("2020年", 2020, "年", None, "", "year"),
        ("2020 年", 2020, "年", None, "", "year"),
        ("一堂", 1, "堂", "每月", "微党课", "micro_lesson"),  # 每月上一堂“微党课”: a rule
        ("2020 年", 2020, "年", None, "", "year"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年共组织集中学习十二次", [("十二次", 12, "次", "共", "集中学习", "collective_study")]),
        ("捐款十余万元", [("十余万元", 100000, "元", "余", "捐款", "donations")]),
        ("捐赠口罩两千零二十个", [("两千零二十个", 2020, "个", None, "口罩", "donations")]),
        ("开展二十多场报告会", [("二十多场", 20, "场", "多", "报告会", None)]),
        ("出勤率达到94.6%", [("94.6%", 94.6, "%", None, "出勤率", "attendance")]),
        ("百分之九十五的党员参加", [("百分之九十五", 95, "%", None, "党员参加", None)]),
        ("累计投入1.5亿元", [("1.5亿元", 150000000, "元", "累计", "投入", None)]),
        ("接待群众来访近50人次", [("50人次", 50, "人次", "近", "接待群众来访", None)]),
        ("超过100人参加", [("100人", 100, "人", "超过", "参加", None)]),
        ("发放资料2,000余份", [("2,000余份", 2000, "份", "余", "资料", None)]),
        ("撰写心得体会５６篇", [("５６篇", 56, "篇", None, "心得体会", "reflections")]),
        ("召开1次意识形态工作联席会议", [("1次", 1, "次", None, "意识形态工作联席会议", "joint_meeting")]),
        ("二〇二〇年三月五日召开", [("二〇二〇年三月五日", "2020-03-05", "", None, "", "date")]),
        (
            "2020.3.5至3月20日",
            [("2020.3.5", "2020-03-05", "", None, "", "date"), ("3月20日", "--03-20", "", None, "", "date")],
        ),
        ("两千零二十年", [("两千零二十年", 2020, "年", None, "", "year")]),
    ],
)
def test_numerals_qualifiers_and_subjects(vocab, text, expected):
    assert _rows(extract(text, vocab)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "增强四个意识、坚定四个自信、做到两个维护",
        "落实一岗双责，坚持三严三实，推进两学一做，落实三会一课",
        "一是加强学习。二、强化责任。第五次会议，荣获二等奖",
        "学习贯彻党的十九大和十九届四中全会精神",
        "同业务工作一起部署、一起检查",
        "五一期间，三年级学生参观",
        "党的十八大以来，全县有二三十人",
        "主要表现在“五个强化”，发出《致全县政协委员的一封信》",
        "第一时间出台方案，第27期简报",
    ],
)
def test_set_phrases_ordinals_and_names_are_not_counts(vocab, text):
    assert extract(text, vocab).figures == ()


@pytest.mark.parametrize(
    ("text", "blank", "subject", "kind"),
    [
        ("开展中心组学习XX次，", "XX次", "中心组学习", "central_group_study"),
        ("专题研讨____次。", "____次", "专题研讨", "seminar"),
        ("集中学习（ ）次", "（ ）次", "集中学习", "collective_study"),
        ("撰写学习体会  篇，", "  篇", "学习体会", "reflections"),
    ],
)
def test_blank_styles(vocab, text, blank, subject, kind):
    (found,) = extract(text, vocab).missing
    assert (found.text, found.subject, found.kind, found.value) == (blank, subject, kind, None)


def test_a_wrapped_line_is_not_a_blank(vocab):
    """Text copied from a PDF breaks words with spaces (各党小 组按照): not blanks."""
    assert extract("各党小 组按照学校安排，先进 人 物事迹报告会", vocab).missing == ()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200) | st.text(max_size=200))
def test_never_raises_on_any_text(text):
    """Arbitrary Unicode: no exception, and every position points at what it reports."""
    result = extract(text)
    for f in (*result.figures, *result.missing):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "开展",
                "中心组学习",
                "4",
                "十二",
                "余",
                "万",
                "次",
                "元",
                "，",
                "。",
                " ",
                "“",
                "”",
                "《",
                "》",
                "第",
                "四个意识",
                "XX",
                "____",
                "年",
                "2020",
                "〇",
                "\ud800",
                "\x00",
                "\U0001f600",
                "億",
                "萬餘",
                "%",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_never_raises_on_genre_fragments(text):
    """Fragments of the genre in every order, with a lone surrogate and a NUL among them."""
    result = extract(text)
    for f in (*result.figures, *result.missing):
        assert text[f.start : f.end] == f.text
