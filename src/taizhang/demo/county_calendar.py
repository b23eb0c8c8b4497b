"""The calendar the generated county ledgers keep to (2019–2020): the working days (weekdays off the
public holidays the timeline holds, ``frameworks/holidays.yaml``) and what a unit could study on a
given day (nothing before it existed: the day each document or meeting came out, 民法典 adopted 28 May
2020, 十九届五中全会 closed 29 October 2020, …). A study is dated at least a few days after what it
studies; the demo's walk checks every record against ``frameworks/events.yaml``.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from functools import lru_cache

from taizhang.core import timeline


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@lru_cache(maxsize=1024)
def is_working_day(day: date) -> bool:
    """A weekday that is no public holiday (the holidays are the timeline's: frameworks/holidays.yaml)."""
    return day.weekday() < 5 and timeline.holiday_on(day) is None


def working_day(rng: random.Random, first: date, last: date) -> date:
    """A working day between ``first`` and ``last`` (inclusive), chosen by ``rng``; the nearest one
    after ``first`` if the span holds none."""
    days = [d for d in _span(first, last) if is_working_day(d)]
    if days:
        return rng.choice(days)
    day = first
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


# What a unit could study, from the day it could: (available from, topic, material). A topic names a
# meeting's spirit or a document; the material is what was read.
GENERAL_SUBJECTS: list[tuple[date, str, str]] = [
    (date(2018, 12, 24), "学习习近平总书记在庆祝改革开放40周年大会上的讲话", "习近平总书记在庆祝改革开放40周年大会上的讲话"),
    (date(2019, 1, 7), "学习中央经济工作会议精神", "2018年中央经济工作会议公报"),
    (date(2019, 1, 14), "学习《中国共产党支部工作条例（试行）》", "中国共产党支部工作条例（试行）"),
    (date(2019, 3, 4), "学习《中国共产党重大事项请示报告条例》", "中国共产党重大事项请示报告条例"),
    (date(2019, 3, 18), "学习全国“两会”精神", "2019年《政府工作报告》"),
    (date(2019, 5, 13), "学习《中国共产党党员教育管理工作条例》", "中国共产党党员教育管理工作条例"),
    (date(2019, 7, 1), "学习《习近平新时代中国特色社会主义思想学习纲要》", "习近平新时代中国特色社会主义思想学习纲要"),
    (date(2019, 9, 9), "学习“不忘初心、牢记使命”主题教育应知应会知识", "主题教育应知应会知识读本"),
    (date(2019, 10, 8), "学习习近平总书记在庆祝中华人民共和国成立70周年大会上的讲话", "习近平总书记在庆祝中华人民共和国成立70周年大会上的讲话"),
    (date(2019, 11, 4), "学习党的十九届四中全会精神", "党的十九届四中全会《决定》"),
    (date(2019, 11, 18), "学习《新时代爱国主义教育实施纲要》", "新时代爱国主义教育实施纲要"),
    (date(2019, 11, 11), "学习《新时代公民道德建设实施纲要》", "新时代公民道德建设实施纲要"),
    (date(2019, 12, 16), "学习2019年中央经济工作会议精神", "2019年中央经济工作会议公报"),
    (date(2020, 1, 9), "学习“不忘初心、牢记使命”主题教育总结大会精神", "习近平总书记在主题教育总结大会上的讲话"),
    (date(2020, 1, 17), "学习十九届中央纪委四次全会精神", "习近平总书记在十九届中央纪委四次全会上的讲话"),
    (date(2020, 2, 24), "学习习近平总书记关于统筹推进疫情防控和经济社会发展的重要讲话", "习近平总书记在统筹推进新冠肺炎疫情防控和经济社会发展工作部署会议上的讲话"),
    (date(2020, 3, 2), "学习疫情防控工作纪律要求", "疫情防控工作纪律要求"),
    (date(2020, 4, 13), "学习总体国家安全观", "国家安全知识读本"),
    (date(2020, 5, 29), "学习全国“两会”精神", "2020年《政府工作报告》"),
    (date(2020, 6, 1), "学习《中华人民共和国民法典》", "中华人民共和国民法典"),
    (date(2020, 7, 6), "学习《习近平谈治国理政》第三卷", "《习近平谈治国理政》第三卷"),
    (date(2020, 9, 9), "学习全国抗击新冠肺炎疫情表彰大会精神", "习近平总书记在全国抗击新冠肺炎疫情表彰大会上的讲话"),
    (date(2020, 10, 26), "学习纪念中国人民志愿军抗美援朝出国作战70周年大会精神", "习近平总书记在纪念中国人民志愿军抗美援朝出国作战70周年大会上的讲话"),
    (date(2020, 11, 2), "学习党的十九届五中全会精神", "党的十九届五中全会《建议》"),
    (date(2020, 12, 21), "学习2020年中央经济工作会议精神", "2020年中央经济工作会议公报"),
]  # fmt: skip

# Each unit's own line of study, from the day it could (unit code → subjects).
UNIT_SUBJECTS: dict[str, list[tuple[date, str, str]]] = {
    "county-office": [
        (date(2019, 1, 1), "学习《党政机关公文处理工作条例》", "党政机关公文处理工作条例"),
        (date(2019, 1, 1), "学习保密法律法规", "中华人民共和国保守国家秘密法"),
    ],
    "county-publicity": [
        (date(2019, 9, 2), "学习《中国共产党宣传工作条例》", "中国共产党宣传工作条例"),
        (date(2019, 1, 1), "学习习近平总书记在全国宣传思想工作会议上的讲话", "习近平总书记在全国宣传思想工作会议上的讲话"),
    ],
    "county-publicity-theory": [
        (date(2019, 1, 1), "理论宣讲备课会：党的创新理论“进村入户”", "县委宣讲团宣讲提纲"),
    ],
    "county-publicity-news": [
        (date(2019, 1, 1), "学习习近平总书记关于新闻舆论工作的重要论述", "习近平总书记在党的新闻舆论工作座谈会上的讲话"),
    ],
    "county-education": [
        (date(2019, 1, 1), "学习全国教育大会精神", "习近平总书记在全国教育大会上的讲话"),
        (date(2019, 3, 25), "学习习近平总书记在学校思想政治理论课教师座谈会上的讲话", "习近平总书记在学校思想政治理论课教师座谈会上的讲话"),
        (date(2020, 10, 14), "学习《深化新时代教育评价改革总体方案》", "深化新时代教育评价改革总体方案"),
    ],
    "county-health": [
        (date(2020, 1, 6), "学习《中华人民共和国基本医疗卫生与健康促进法》", "中华人民共和国基本医疗卫生与健康促进法"),
        (date(2019, 1, 1), "学习“健康中国”战略有关要求", "“健康中国2030”规划纲要"),
    ],
    "county-culture": [
        (date(2019, 1, 1), "学习《中华人民共和国公共文化服务保障法》", "中华人民共和国公共文化服务保障法"),
        (date(2019, 1, 1), "学习习近平总书记关于文化和旅游工作的重要论述", "习近平总书记关于文化和旅游工作的重要论述摘编"),
    ],
    "county-media": [
        (date(2019, 2, 1), "学习习近平总书记在中央政治局第十二次集体学习时关于媒体融合的讲话", "习近平总书记在中央政治局第十二次集体学习时的讲话"),
        (date(2020, 9, 28), "学习《关于加快推进媒体深度融合发展的意见》", "关于加快推进媒体深度融合发展的意见"),
    ],
    "county-town": [
        (date(2019, 9, 9), "学习《中国共产党农村工作条例》", "中国共产党农村工作条例"),
        (date(2020, 1, 6), "学习决战决胜脱贫攻坚有关要求", "关于抓好“三农”领域重点工作确保如期实现全面小康的意见"),
    ],
    "county-hospital": [
        (date(2019, 1, 1), "学习《医疗机构从业人员行为规范》", "医疗机构从业人员行为规范"),
        (date(2020, 2, 3), "学习新冠肺炎诊疗方案和院感防控要求", "新型冠状病毒肺炎诊疗方案"),
        (date(2020, 1, 6), "学习《中华人民共和国基本医疗卫生与健康促进法》", "中华人民共和国基本医疗卫生与健康促进法"),
    ],
    "county-school2": [
        (date(2019, 1, 1), "学习《新时代中小学教师职业行为十项准则》", "新时代中小学教师职业行为十项准则"),
        (date(2019, 8, 19), "学习《关于深化新时代学校思想政治理论课改革创新的若干意见》", "关于深化新时代学校思想政治理论课改革创新的若干意见"),
        (date(2020, 10, 14), "学习《深化新时代教育评价改革总体方案》", "深化新时代教育评价改革总体方案"),
    ],
    "county-community": [
        (date(2019, 1, 1), "学习《中华人民共和国城市居民委员会组织法》", "中华人民共和国城市居民委员会组织法"),
        (date(2020, 9, 1), "学习第七次全国人口普查有关政策", "第七次全国人口普查宣传提纲"),
    ],
}  # fmt: skip

# 主题党日 by month: (topic, days of the month it is held on, or None for any working day).
THEME_DAYS: dict[int, list[tuple[str, tuple[int, int] | None]]] = {
    1: [("新年重温入党誓词", None), ("走访慰问困难党员", (6, 20))],
    2: [("疫情防控志愿服务", (10, 28)), ("学习身边先进典型", None)],
    3: [("学雷锋志愿服务", (4, 8)), ("植树护绿义务劳动", (9, 13))],
    4: [("清明祭扫烈士陵园", (1, 3)), ("国家安全教育日主题学习", (13, 17))],
    5: [("五四青年座谈", (6, 8)), ("参观廉政教育基地", None)],
    6: [("“七一”前夕党性教育", (22, 30)), ("重温党的光辉历程", None)],
    7: [("庆祝建党纪念日主题学习", (1, 10)), ("为身边党员过“政治生日”", None)],
    8: [("“八一”走访退役军人", (1, 7)), ("廉洁自律警示教育", None)],
    9: [("参观革命传统教育基地", None), ("纪念抗战胜利主题学习", (1, 4))],
    10: [("观看爱国主义教育影片", (9, 20)), ("重阳节走访老党员", None)],
    11: [("对照党章找差距", None), ("观看警示教育片", None)],
    12: [("宪法宣传日主题学习", (3, 4)), ("年终党员民主评议", (14, 25))],
}


def subjects_for(code: str) -> list[tuple[date, str, str]]:
    return sorted([*GENERAL_SUBJECTS, *UNIT_SUBJECTS.get(code, [])])
