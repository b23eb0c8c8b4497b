"""Each unit in its own voice, the year as a year, and the truth rules where the prose is made (issue 18).

Read as a county's publicity department reads its units' summaries side by side: a school speaks of
its teachers and its classrooms, a hospital of 医德医风, the media centre of 导向, a community of its
grid; each names its superior once, as the unit tree has it; two units with different records do not
read alike; figures are written as people write them; an annual summary tells both halves; and no
sentence says more than its records (a part larger than its whole, a donation under a campaign its
record does not name, a mitigated risk told as resolved, a volunteer day counted twice).
The units built here are a small county of their own, with other data than the demo's.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from taizhang.campaigns.models import DonationKind, DonorGroup
from taizhang.campaigns.services import campaign_create, donation_create, volunteer_activity_create
from taizhang.channels.services import channel_create
from taizhang.core.periods import Period
from taizhang.documents.summary import SummaryError
from taizhang.documents.summary.facts import load_profiles
from taizhang.documents.summary.queries import summary_for
from taizhang.documents.summary.reading import chinese, headings, sentences
from taizhang.ledger.models import Activity, ActivityKind
from taizhang.ledger.services import AttendanceEntry, activity_create
from taizhang.org.models import Post, Unit, UnitKind, UnitProfile
from taizhang.org.services import person_create, position_create, unit_create
from taizhang.reporting.models import Level
from taizhang.reporting.services import article_create
from taizhang.risks.models import RiskLevel
from taizhang.risks.services import risk_point_create

YEAR = Period.parse("2020")
H1 = Period.parse("2020H1")
WRITTEN = date(2021, 1, 5)


def _summary(unit, period=YEAR):
    return summary_for(unit=unit, period=period, written_on=WRITTEN)


def _problems(doc) -> str:
    return doc.text[doc.text.index("存在的问题") :]


def _body(doc) -> str:
    return doc.text[: doc.text.index("存在的问题")]


class Built:
    """A unit of the test county with four people and a helper to record its work."""

    def __init__(self, code: str, name: str, kind: str, region: Unit, profile: str | None = None):
        self.unit = unit_create(code=code, name=name, kind=kind, parent=region, profile=profile)
        self.people = [person_create(unit=self.unit, name=f"{code}甲{i}") for i in range(4)]
        position_create(person=self.people[0], unit=self.unit, post=Post.SECRETARY)
        position_create(person=self.people[1], unit=self.unit, post=Post.LEADER_IN_CHARGE)

    def held(
        self, kind: str, day: date, topic: str, materials: str = "", highlight: str = "", absent: int = 0
    ):
        entries = [
            AttendanceEntry(person=p, status="absent" if i >= len(self.people) - absent else "present")
            for i, p in enumerate(self.people)
        ]
        return activity_create(
            unit=self.unit, kind=ActivityKind.objects.get(code=kind), date=day, topic=topic,
            materials=materials, host=self.people[0], minutes="记录", attendance=entries, highlight=highlight,
        )  # fmt: skip


MONTH_DAYS = {1: 15, 2: 26, 3: 16, 4: 15, 5: 14, 6: 16, 7: 15, 8: 14, 9: 15, 10: 15, 11: 16, 12: 15}


@pytest.fixture
def county(db):
    """某县: a bureau of education, a school, a hospital, the media centre, a town and its community."""
    region = unit_create(code="v-county", name="某县", kind=UnitKind.REGION)
    Built("v-edu", "某县教育局", UnitKind.ORGAN, region, UnitProfile.GOVERNMENT)
    Built("v-health", "某县卫生健康局", UnitKind.ORGAN, region, UnitProfile.GOVERNMENT)
    Built("v-town", "某镇机关党支部", UnitKind.BRANCH, region)
    units = {
        "school": Built("v-school", "某县第一小学党支部", UnitKind.BRANCH, region),
        "hospital": Built("v-hospital", "某县中医院党支部", UnitKind.BRANCH, region),
        "media": Built("v-media", "某县融媒体中心", UnitKind.ORGAN, region),
        "community": Built("v-community", "某镇东街社区党支部", UnitKind.BRANCH, region),
    }
    school, hospital, media, community = units.values()

    school.held("work_points", date(2020, 2, 24), "制定第一小学2020年意识形态工作要点")
    for month, day in MONTH_DAYS.items():
        school.held("theme_day", date(2020, month, day), f"{month}月主题党日")
    school.held("central_group_study", date(2020, 3, 12), "学习《新时代中小学教师职业行为十项准则》",
                "新时代中小学教师职业行为十项准则")  # fmt: skip
    school.held(
        "central_group_study", date(2020, 11, 12), "学习党的十九届五中全会精神", "党的十九届五中全会《建议》"
    )
    article_create(unit=school.unit, date=date(2020, 9, 10), title="开学第一课进课堂", outlet="县融媒体中心",
                   outlet_level=Level.COUNTY)  # fmt: skip
    campaign_create(unit=school.unit, title="开学第一课", theme="开学第一课", start=date(2020, 9, 1),
                    end=date(2020, 9, 30), highlight="把抗疫英雄的故事讲进课堂，班主任逐班组织讨论")  # fmt: skip
    donation_create(unit=school.unit, date=date(2020, 2, 14), donor_group=DonorGroup.STAFF, donor_name="全体教职工",
                    kind=DonationKind.MONEY, amount="3200")  # fmt: skip

    hospital.held("work_points", date(2020, 3, 18), "制定中医院2020年意识形态工作要点")
    hospital.held("theme_day", date(2020, 7, 15), "重温入党誓词")  # one in a year of monthly ones
    hospital.held(
        "ethics_lecture",
        date(2020, 8, 19),
        "道德讲堂：医德医风",
        highlight="请老中医讲述几十年坐诊不收红包的故事",
    )
    channel_create(unit=hospital.unit, kind="e_screen", name="门诊大厅电子屏", administrator=hospital.people[2],
                   opened_on=date(2018, 1, 8), registered_on=date(2019, 3, 1), last_reviewed_on=date(2019, 6, 3))  # fmt: skip

    media.held(
        "central_group_study",
        date(2020, 3, 12),
        "学习习近平总书记在中央政治局第十二次集体学习时关于媒体融合的讲话",
    )
    media.held("seminar", date(2020, 11, 12), "专题研讨：五中全会精神怎么报道", "党的十九届五中全会《建议》")
    for outlet, level in [("市日报", Level.CITY), ("市广播电视台", Level.CITY), ("省日报", Level.PROVINCE),
                          ("省广播电视台", Level.PROVINCE), ("学习强国平台", Level.NATIONAL)]:  # fmt: skip
        article_create(
            unit=media.unit, date=date(2020, 6, 10), title=f"{outlet}稿件", outlet=outlet, outlet_level=level
        )

    community.held("central_group_study", date(2020, 3, 12), "学习《中华人民共和国城市居民委员会组织法》",
                   "中华人民共和国城市居民委员会组织法")  # fmt: skip
    community.held("volunteer_service", date(2020, 9, 18), "垃圾分类桶边督导")
    volunteer_activity_create(unit=community.unit, date=date(2020, 9, 18), title="垃圾分类桶边督导", place="东街各小区",
                              participants=community.people[:2])  # fmt: skip
    risk_point_create(unit=community.unit, title="宣传思想工作力量薄弱", level=RiskLevel.MEDIUM, owner=community.people[1],
                      identified_on=date(2020, 9, 23), review_date=date(2021, 3, 31),
                      description="社区只有一名兼职宣传员。", measures="发动退休党员参与宣传")  # fmt: skip
    return units


# -- each unit in its own voice -------------------------------------------------------------------------


def test_each_unit_speaks_of_its_own_people_and_line_of_work(county):
    texts = {name: _summary(b.unit).text for name, b in county.items()}
    assert "教职工" in texts["school"] and "课堂" in texts["school"] and "学校" in texts["school"]
    assert "干部群众" not in texts["school"]
    assert "医德医风" in texts["hospital"] and "我院" in texts["hospital"] and "医务人员" in texts["hospital"]
    assert "导向" in texts["media"] and "编辑记者" in texts["media"] and "中心党组" in texts["media"]
    assert (
        "网格" in texts["community"] and "居民" in texts["community"] and "社区党支部" in texts["community"]
    )


def test_the_superior_is_named_once_as_the_tree_has_it(county, cppcc, school):
    opening = {name: _summary(b.unit).blocks[0].text for name, b in county.items()}
    text = {name: _summary(b.unit).text for name, b in county.items()}
    assert "县委和某县教育局党组" in opening["school"] and text["school"].count("某县教育局党组") == 1
    assert "某县卫生健康局党组" in opening["hospital"] and text["hospital"].count("某县卫生健康局") == 1
    assert "某镇党委" in opening["community"] and text["community"].count("某镇党委") == 1
    demo_school = _summary(school).text
    assert demo_school.count("县教育局党组") == 1 and "县教委" not in demo_school
    assert _summary(cppcc, H1).text.count("县委、县政协党组") == 1


def test_headings_come_from_the_units_own_pool_and_its_records(county):
    profiles = load_profiles()["profiles"]
    lists = {}
    for name, built in county.items():
        doc = _summary(built.unit)
        pools = {**profiles["default"]["headings"]}
        pool = {
            h if isinstance(h, str) else h["text"]
            for area in profiles[built.unit.profile]["headings"].values()
            for h in area
        }
        pool |= {h if isinstance(h, str) else h["text"] for area in pools.values() for h in area}
        lists[name] = headings(doc)
        assert set(lists[name]) <= pool, name
    assert len({tuple(h) for h in lists.values()}) == len(lists)
    # the media centre tells its publicity before its study
    media = lists["media"]
    assert media.index(next(h for h in media if h in str(profiles["media"]["headings"]["publicity"]))) == 1


def test_two_units_with_different_records_read_differently(county):
    school, hospital = (set(sentences(_summary(county[n].unit))) for n in ("school", "hospital"))
    assert not school & hospital


# -- numbers and dates as people write them ----------------------------------------------------------------


def test_年初_only_for_january_and_february(county):
    school, hospital = (_summary(county[n].unit).text for n in ("school", "hospital"))
    assert re.search(r"年初[，,]?学校.{0,6}制定|学校于年初", school)
    assert "年初" not in _body(_summary(county["hospital"].unit)) and "3月" in hospital


def test_a_practice_held_every_month_is_said_so(county):
    text = _summary(county["school"].unit).text
    assert "主题党日12次" in text and ("按月进行" in text or "每月一次" in text)


def test_a_tally_of_many_kinds_names_the_main_ones_and_sums_the_rest(county):
    desk = Built("v-desk", "某县融媒体中心新闻部", UnitKind.OFFICE, county["media"].unit, UnitProfile.MEDIA)
    for i, (kind, day) in enumerate(
        [("central_group_study", date(2020, 3, 12)), ("seminar", date(2020, 4, 16)), ("collective_study", date(2020, 5, 14)),
         ("cell_study", date(2020, 6, 16)), ("theme_day", date(2020, 7, 15)), ("warning_education", date(2020, 8, 14)),
         ("micro_lesson", date(2020, 9, 15)), ("party_lesson", date(2020, 10, 15))]
    ):  # fmt: skip
        desk.held(kind, day, f"采编人员学习会（{i + 1}）")
    doc = _summary(desk.unit)
    listing = next(s for s in _body(doc).split("。") if "等其他学习活动" in s)
    assert len(re.findall(r"\d+次", listing)) == 6  # five kinds named, the rest in one sum
    other = next(f for k, f in doc.figures.items() if k.endswith(".other"))
    assert other.value == len(other.records) == 3


def test_rates_are_rounded_as_the_genre_does_and_never_from_a_handful(county, cppcc):
    assert "%" not in _body(_summary(county["community"].unit))  # two activities of four people
    assert (
        "参学率达到100%" in _summary(county["school"].unit).text
        or "保持在100%" in _summary(county["school"].unit).text
    )
    text = _summary(cppcc, H1).text
    assert "出勤率保持在90%以上" in text or "参学率达到90%以上" in text
    assert not re.search(r"\d+\.\d+%", text)


def test_a_figure_far_below_its_rule_is_not_stated_bare(county):
    doc = _summary(county["hospital"].unit)
    assert "主题党日1次" not in doc.text
    assert "主题党日" in _problems(doc)


def test_no_weakness_or_odd_word_among_the_achievements(county, cppcc, school):
    docs = [_summary(b.unit) for b in county.values()]
    docs += [_summary(cppcc, H1), _summary(cppcc), _summary(school)]
    docs += [
        _summary(Unit.objects.get(code=code))
        for code in ("county-hospital", "county-community", "county-town")
    ]
    for doc in docs:
        assert "仍有提升空间" not in doc.text and "全期" not in doc.text
        assert "偏低" not in _body(doc) and "还不够" not in _body(doc), doc.title


# -- the year as a year ------------------------------------------------------------------------------------


def test_a_half_without_any_record_is_said_plainly_and_strict_refuses_it(db):
    region = unit_create(code="h-county", name="某县", kind=UnitKind.REGION)
    organ = Built("h-organ", "某县审计局", UnitKind.ORGAN, region, UnitProfile.GOVERNMENT)
    for day in (date(2020, 1, 16), date(2020, 3, 12), date(2020, 4, 16), date(2020, 6, 11)):
        organ.held("central_group_study", day, "学习《中国共产党支部工作条例（试行）》", absent=0)
    doc = _summary(organ.unit)
    problems = _problems(doc)
    assert "下半年" in problems and "出勤率偏低" not in doc.text
    assert any("下半年" in p for p in doc.placeholders)
    with pytest.raises(CommandError):
        call_command(
            "report", "summary", "--unit", "h-organ", "--period", "2020", "--format", "md", "--strict"
        )


def test_a_kind_missing_in_one_half_is_said_so_never_as_low_attendance(db):
    region = unit_create(code="k-county", name="某县", kind=UnitKind.REGION)
    organ = Built("k-organ", "某县统计局", UnitKind.ORGAN, region, UnitProfile.GOVERNMENT)
    for day in (date(2020, 2, 26), date(2020, 5, 14)):
        organ.held("central_group_study", day, "学习《中国共产党支部工作条例（试行）》")
    for day in (date(2020, 3, 12), date(2020, 9, 15), date(2020, 11, 16)):
        organ.held("collective_study", day, "学习《中国共产党党员教育管理工作条例》")
    doc = _summary(organ.unit)
    assert "理论学习中心组学习下半年没有开展" in _problems(doc) or "三季度、四季度" in _problems(doc)
    assert "出勤率偏低" not in doc.text and "出勤率没有达到" not in doc.text


def test_the_cppcc_year_tells_both_halves_and_is_not_the_half_relabelled(cppcc):
    from taizhang.documents.summary.reading import overlap

    year, half = _summary(cppcc), _summary(cppcc, H1)
    assert overlap(year, half) <= 0.3
    assert "上半年" in year.text and "下半年" in year.text and "五中全会" in year.text
    assert chinese(year.text) >= 2000 and chinese(half.text) >= 2500
    assert "出勤率偏低" not in year.text  # both halves were studied and signed in


# -- truth rules -------------------------------------------------------------------------------------------


def test_a_part_is_never_larger_than_its_whole(cppcc, county):
    from taizhang.documents.summary.facts import summary_facts
    from taizhang.documents.summary.writer import Writer

    text = _summary(cppcc, H1).text
    assert "各委室另组织专题协商" in text  # beside the organ's, not a part of it
    # adoptions outnumber the items sent (one item printed twice): never told as 其中
    adoptions = text[text.index("报送社情民意信息") :]
    assert "其中" not in adoptions.split("。")[1] and ("多家" in adoptions or "不止一家" in adoptions)

    w = Writer(summary_facts(unit=county["media"].unit, period=YEAR))
    recs = [r for r in w.facts.records["publicity_articles"]]
    span = w.figure("t.part", "部分", recs, unit="篇")
    with pytest.raises(SummaryError, match="大于其总数"):
        w.check_parts(len(recs) - 1, [span], "总数")
    w.check_parts(len(recs), [span], "总数")


def test_a_status_is_told_as_recorded(cppcc):
    text = _summary(cppcc, H1).text
    risk = next(s for s in text.split("。") if "登记风险点" in s or "梳理出风险点" in s)
    assert "得到缓解" in risk and "化解" not in risk


def test_outlets_are_named_as_the_articles_name_them(cppcc, county):
    text = _summary(cppcc, H1).text
    higher = next(s for s in text.split("。") if "市日报" in s)
    for outlet in ("人民日报", "省政协报", "市日报", "市政协网站"):
        assert outlet in higher
    media = _summary(county["media"].unit).text
    assert "等市级以上媒体刊发5篇" in media


def test_a_donation_is_told_under_the_campaign_its_record_names_and_no_other(school, county):
    text = _summary(school).text
    donation = next(s for s in text.split("。") if "6800元" in s)
    assert "核心价值观" not in donation and "2月" in donation
    built = _summary(county["school"].unit).text
    loose = next(s for s in built.split("。") if "3200元" in s)
    assert "开学第一课" not in loose


def test_one_volunteer_day_is_counted_once(school, county):
    for unit in (school, county["community"].unit):
        doc = _summary(unit)
        fig = doc.figures["civility.volunteer"]
        days = set(
            Activity.objects.filter(pk__in=[i for t, i in fig.records if t == "activities"]).values_list(
                "date", flat=True
            )
        )
        from taizhang.campaigns.models import VolunteerActivity

        recorded = set(
            VolunteerActivity.objects.filter(
                pk__in=[i for t, i in fig.records if t == "volunteer_activities"]
            ).values_list("date", flat=True)
        )
        assert not days & recorded, unit.code
        assert fig.value == len(days | recorded)


def test_the_units_own_risks_are_among_its_problems(cppcc, county):
    assert "宣传思想工作力量薄弱" in _problems(_summary(cppcc, H1))
    assert "宣传思想工作力量薄弱" in _problems(_summary(county["community"].unit))


def test_the_body_never_claims_what_the_problems_deny(county):
    doc = _summary(county["hospital"].unit)
    assert "阵地" in _problems(doc)  # its screen was last checked in 2019
    for claim in ("守得住、管得好", "有章可循", "规范有序"):
        assert claim not in _body(doc)


# -- the county read side by side ---------------------------------------------------------------------------


def test_the_county_summaries_read_as_twelve_units_not_one_template(cppcc, school):
    """Issue 18's measures: long enough where there is work, no sentence in more than three of the
    twelve plus CPPCC 2020H1 (the listed stock aside), no two units under one list of headings."""
    from taizhang.demo.county import UNITS
    from taizhang.documents.summary.reading import shared

    docs = {code: _summary(Unit.objects.get(code=code)) for code, *_ in UNITS}
    for code, doc in docs.items():
        assert chinese(doc.text) >= 1500, code
    stock = load_profiles().get("stock") or []
    assert len(stock) <= 3
    assert shared({**docs, "cppcc": _summary(cppcc, H1)}, 3, stock) == {}
    lists = [tuple(headings(d)) for d in docs.values()]
    assert len(set(lists)) == len(lists)
    assert chinese(_summary(school).text) >= 2000


def test_a_unit_names_its_line_of_work_in_full_twice_then_by_its_short_name(cppcc, school):
    """A writer spells out 课堂教学、教材管理和讲座论坛 once or twice, then says 教育教学: the long
    phrase six times in one summary read as a template filled in."""
    from taizhang.demo.county import UNITS
    from taizhang.documents.summary.facts import summary_facts
    from taizhang.documents.summary.voice import Voice

    shortened = 0
    for code in [code for code, *_ in UNITS] + ["school", "cppcc"]:
        doc = _summary(Unit.objects.get(code=code))
        words = Voice(summary_facts(unit=Unit.objects.get(code=code), period=YEAR)).words
        assert doc.text.count(words["line"]) <= 2, (code, words["line"])
        shortened += words["line_again"] != words["line"] and words["line_again"] in doc.text
    assert shortened >= 10  # and the short name does the rest of the work
