"""The county CPPCC organ's second half of 2020: the demo's own records, so the year reads as a year.

The seed tells the first half only; what follows is fictional, true to the time and to the genre:
the organ studies what came out in those months on the day after it existed (《习近平谈治国理政》
第三卷 from 30 June, the 全国抗击新冠肺炎疫情表彰大会 of 8 September, the 十九届五中全会 closed on
29 October, 习近平法治思想 from 16 November), carries on the Civil Code publicity begun in June,
holds the half year's joint meeting, assessments and upward report, hears its members' year-end
reports (年终述职) in December, and keeps reporting, publishing and checking its channels.

Nothing here is dated before 1 July 2020, so the first half's figures (the seed's) stay as they are;
no meeting falls on a public holiday (国庆节、中秋节 1–8 October) and every host attended.
Figures of the half (the report of the demo's load states them too): see ``FIGURES``.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

import yaml
from django.utils import timezone

from taizhang.campaigns.models import DonationKind, DonorGroup
from taizhang.campaigns.services import (
    campaign_create,
    donation_create,
    selection_create,
    volunteer_activity_create,
)
from taizhang.channels.models import Channel
from taizhang.channels.services import channel_review
from taizhang.core import timeline
from taizhang.demo.build import holder, meeting_writer
from taizhang.demo.cppcc_offices import office_consultation, office_submission
from taizhang.ledger.models import Activity
from taizhang.ledger.services import reflection_create
from taizhang.org.models import Area, Person, Post, Unit
from taizhang.reporting.models import Level, SubmissionKind
from taizhang.reporting.services import adoption_create, article_create, submission_create
from taizhang.review.services import draft_approve, draft_create, draft_publish, draft_submit
from taizhang.risks.models import RiskLevel, RiskPoint, RiskStatus
from taizhang.risks.services import risk_point_assess, risk_point_create

HALL = "县政协机关三楼会议室"
START, END = date(2020, 7, 1), date(2020, 12, 31)
# The organ's studies and leadership meetings of the half, as data (see the file's own notes).
MEETINGS_FILE = Path(__file__).with_name("cppcc_second_half_meetings.yaml")

# 社情民意 items of the half, each adopted by 《各界反映》 (issues 28 onwards).
SENTIMENT_TOPICS = [
    "汛期山洪地质灾害防范", "农村留守老人照护", "秋季学期校园疫情防控", "冷链食品疫情防控", "城区停车难",
    "农村客运班线恢复", "高标准农田建设管护", "农民工工资支付", "电信网络诈骗防范", "乡村振兴与脱贫攻坚衔接",
    "养老服务设施建设", "义务教育大班额化解", "畜禽养殖污染治理", "冬季清洁取暖", "消费帮扶农产品销售",
    "城乡公交一体化", "民法典普及宣传", "年底农民工返乡疫情防控",
]  # fmt: skip
RESEARCH_TOPICS = ["我县“十四五”时期公共卫生体系建设", "农村人居环境整治", "“协商在一线”向村组延伸"]
OUTLETS = [
    ("县融媒体中心", Level.COUNTY),
    ("县电视台", Level.COUNTY),
    ("县政府网站", Level.COUNTY),
    ("市日报", Level.CITY),
    ("市政协网站", Level.CITY),
    ("省政协报", Level.PROVINCE),
]
ARTICLE_THEMES = [
    "委员履职", "民法典宣传", "防汛一线", "专题协商", "协商在一线", "学习五中全会精神", "政协动态", "文明实践",
]  # fmt: skip
ARTICLES = 40  # the organ's own in the half, besides the offices' and the one with a story
STAFF_FLOOD_YUAN = 9_600  # the staff's donations for flood relief in July

# The offices' work in the half: information sent and who took it up, an article, a consultation.
OFFICE_WORK = yaml.safe_load(
    Path(__file__).with_name("cppcc_second_half_offices.yaml").read_text(encoding="utf-8")
)

REFLECTION_TEXTS = [
    "学习{topic}，我对“十四五”时期政协工作的方向有了更具体的认识，准备在明年的调研选题中多关注民生短板。",
    "通过{topic}，体会到学习不能停在读原文，还要落到协商议题和委员服务上，下一步把学习笔记整理成工作清单。",
    "{topic}后，我对照岗位职责查找了自己在文稿把关上的不足，今后每篇稿件都请同事交叉审读。",
]


def build(organ: Unit, *, rng: random.Random) -> None:
    everyone = list(Person.objects.filter(unit__path__startswith=organ.path).order_by("id"))
    secretary = holder(organ, Post.SECRETARY)
    leader = holder(organ, Post.LEADER_IN_CHARGE)
    officer = holder(organ, Post.DESIGNATED_OFFICER)
    general = next(p for p in everyone if "秘书长" in p.job_title)
    group = [p for p in everyone if p.unit_id == organ.pk]
    offices = {u.code: u for u in Unit.objects.filter(parent=organ)}
    directors = [
        office.positions.filter(post=Post.OFFICE_DIRECTOR).select_related("person").first().person
        for office in offices.values()
    ]
    party = [p for p in everyone if p.is_party_member]
    names = {
        "secretary": secretary.name,
        "leader": leader.name,
        "general": general.name,
        "officer": officer.name,
    }
    held = meeting_writer(unit=organ, rng=rng, recorder=officer, names=names, location=HALL)

    _meetings(
        held,
        lists={"group": group, "everyone": everyone, "party": party, "directors": directors},
        people={"secretary": secretary, "leader": leader, "general": general, "officer": officer},
    )
    _reflections(organ, everyone, rng)
    _reporting(organ, rng, [officer, *[p for p in everyone if p not in (secretary, leader)][:6]])
    _publishing(organ, officer, directors[0], leader, secretary)
    _channels(organ)
    _risks(organ, leader, officer)
    _campaigns(organ, rng, everyone, party, officer)
    _offices(offices, rng)


def _meetings(held, *, lists: dict[str, list[Person]], people: dict[str, Person]) -> None:
    """Every meeting of ``MEETINGS_FILE``, in its order: its attendees are lists of people and single
    people named in ``lists`` and ``people``, its host one of ``people``."""
    data = yaml.safe_load(MEETINGS_FILE.read_text(encoding="utf-8"))
    for meeting in [*data["studies"], *data["leadership"]]:
        attendees = [
            person
            for name in meeting["people"]
            for person in (lists[name] if name in lists else [people[name]])
        ]
        held(
            meeting["kind"],
            meeting["date"],
            meeting["topic"],
            attendees,
            people[meeting["host"]],
            meeting.get("materials", ()),
            minutes=meeting["minutes"],
            location=meeting.get("location", HALL),
            highlight=meeting.get("highlight", ""),
        )


def _reflections(organ: Unit, everyone: list[Person], rng: random.Random) -> None:
    """After the plenum's study, half the organ writes a reflection on one of the half's studies."""
    studies = list(
        Activity.objects.filter(
            unit=organ, kind__code__in=["central_group_study", "collective_study"], date__gte=START
        ).order_by("date", "id")
    )
    for person in everyone[::2]:
        study = rng.choice(studies)
        reflection_create(
            person=person,
            activity=study,
            title=f"学习“{study.topic}”的体会",
            text=rng.choice(REFLECTION_TEXTS).format(topic=study.topic),
            date=min(study.date + timedelta(days=rng.randint(2, 9)), END),
        )


def _reporting(organ: Unit, rng: random.Random, writers: list[Person]) -> None:
    """18 public-sentiment items adopted into 《各界反映》 (issues 28–45), 3 reports into 《政协调研》
    (issues 4–6), 41 articles."""
    for offset, topic in enumerate(SENTIMENT_TOPICS):
        number = 28 + offset
        sent = date(2020, 7, 6) + timedelta(days=9 * offset)
        while sent.weekday() >= 5 or (date(2020, 10, 1) <= sent <= date(2020, 10, 8)):
            sent += timedelta(days=1)
        submission = submission_create(
            unit=organ,
            author=writers[number % len(writers)],
            date=sent,
            kind=SubmissionKind.PUBLIC_SENTIMENT,
            title=f"关于{topic}问题的社情民意",
            target="《各界反映》",
        )
        adoption_create(
            submission=submission,
            level=Level.COUNTY,
            publication="《各界反映》",
            issue_year=2020,
            issue_no=number,
            date=sent + timedelta(days=2),
        )
        if number % 9 == 0:  # a few taken up by the city CPPCC's bulletin as well
            adoption_create(
                submission=submission,
                level=Level.CITY,
                publication="市政协《社情民意》",
                date=sent + timedelta(days=9),
            )
    for offset, topic in enumerate(RESEARCH_TOPICS):
        sent = date(2020, 8 + 2 * offset, 12)
        submission = submission_create(
            unit=organ,
            author=writers[0],
            date=sent,
            kind=SubmissionKind.RESEARCH_REPORT,
            title=f"关于{topic}的调研报告",
            target="《政协调研》",
        )
        adoption_create(
            submission=submission,
            level=Level.COUNTY,
            publication="《政协调研》",
            issue_year=2020,
            issue_no=4 + offset,
            date=sent + timedelta(days=5),
        )
    for number in range(1, ARTICLES + 1):
        outlet, level = OUTLETS[0 if number % 3 else (number // 3) % len(OUTLETS)]
        day = START + timedelta(days=rng.randint(0, (END - START).days))
        # the theme in turn, passing over one the day could not yet know (the plenum before 29 October)
        themes = (
            ARTICLE_THEMES[number % len(ARTICLE_THEMES) :] + ARTICLE_THEMES[: number % len(ARTICLE_THEMES)]
        )
        theme = next(t for t in themes if not timeline.anachronisms(t, day))
        article_create(
            unit=organ,
            author=writers[number % len(writers)],
            date=day,
            title=f"{theme}（下半年{number}）",
            outlet=outlet,
            outlet_level=level,
        )
    article_create(
        unit=organ,
        author=writers[0],
        date=date(2020, 7, 28),
        title="堤坝上的政协委员",
        outlet="省政协报",
        outlet_level=Level.PROVINCE,
        highlight="汛期委员和机关干部轮流上堤巡查，办公室及时把一线的故事写成稿件，《省政协报》刊发后，"
        "机关上下学先进、比担当的劲头更足",
    )


def _publishing(organ, officer, director, leader, secretary) -> None:
    """News items of the half, each through 初审, 复审 and 终审, on the channels the organ keeps."""
    channels = {c.name: c for c in Channel.objects.filter(unit=organ)}
    for day, title, channel in [
        (date(2020, 7, 1), "县政协机关庆祝建党99周年主题党日活动", "县政协机关干部微信工作群"),
        (date(2020, 9, 9), "学习宣传全国抗击新冠肺炎疫情表彰大会精神", "机关一楼宣传栏"),
        (date(2020, 11, 2), "学习贯彻党的十九届五中全会精神专栏", "县政协委员活动群"),
        (date(2020, 12, 4), "国家宪法日宣传标语", "机关大院电子显示屏"),
    ]:
        draft = draft_create(unit=organ, author=officer, title=title, text=f"{title}（正文略）。", date=day)
        at = timezone.make_aware(datetime.combine(day, time(9)))
        draft = draft_submit(draft=draft, actor=officer, at=at)
        draft = draft_approve(
            draft=draft, actor=director, comment="已核对，同意。", at=at + timedelta(hours=1)
        )
        draft = draft_approve(draft=draft, actor=leader, comment="同意。", at=at + timedelta(hours=3))
        draft = draft_approve(draft=draft, actor=secretary, comment="同意发布。", at=at + timedelta(hours=5))
        draft_publish(
            draft=draft, actor=officer, channel=channels[channel], day=day, at=at + timedelta(hours=6)
        )
    # the year's last, still with its author: a clerk opening the demo has a draft to go on writing
    draft_create(
        unit=organ,
        author=officer,
        title="2021年元旦春节期间文明祝福标语",
        text="拟在电子显示屏滚动播放三条祝福标语，另提醒节日期间厉行节约。\n（初稿，待分管领导审阅）",
        date=date(2020, 12, 30),
    )


def _channels(organ: Unit) -> None:
    """The year-end check of every channel the joint meeting asked for."""
    for channel in Channel.objects.filter(unit=organ).order_by("id"):
        channel_review(record=channel, day=date(2020, 12, 14))


def _risks(organ: Unit, leader: Person, officer: Person) -> None:
    q3, q4 = Activity.objects.filter(unit=organ, kind__code="assessment", date__gte=START).order_by("date")
    weak = RiskPoint.objects.get(unit=organ, title="宣传思想工作力量薄弱")
    risk_point_assess(record=weak, activity=q3, next_review=date(2020, 12, 31))
    risk_point_assess(record=weak, activity=q4, next_review=date(2021, 6, 30))
    risk_point_create(
        unit=organ,
        area=Area.objects.filter(code="channels_culture").first(),
        title="冬季疫情期间网上不实信息传播",
        description="冷链食品等疫情消息多，委员活动群偶有未经核实的转发。",
        level=RiskLevel.MEDIUM,
        source="四季度研判",
        measures="群主每日巡查；疫情信息只转发官方发布；重申群规。",
        owner=officer,
        status=RiskStatus.OPEN,
        identified_on=q4.date,
        review_date=date(2021, 3, 31),
        assessments=[q4],
    )


def _campaigns(organ: Unit, rng: random.Random, everyone: list[Person], party: list[Person], officer) -> None:
    flood = campaign_create(
        unit=organ,
        title="防汛救灾爱心捐助",
        theme="防汛救灾",
        start=date(2020, 7, 13),
        end=date(2020, 8, 31),
        description="汛期组织机关党员上堤巡查，干部职工为受灾群众捐款。",
        highlight="七月汛情紧急，机关党员分三班上堤巡查值守，干部职工为受灾群众踊跃捐款",
    )
    amounts = _split(STAFF_FLOOD_YUAN, len(everyone), rng)
    for person, amount in zip(everyone, amounts, strict=True):
        donation_create(
            unit=organ,
            campaign=flood,
            date=date(2020, 7, 22),
            donor_group=DonorGroup.STAFF,
            donor=person,
            kind=DonationKind.MONEY,
            amount=str(amount),
        )
    volunteer_activity_create(
        unit=organ,
        campaign=flood,
        date=date(2020, 7, 14),
        title="汛期堤段巡查值守",
        place="城关镇河堤",
        hours=6,
        participants=party[:12],
    )
    code = campaign_create(
        unit=organ,
        title="民法典学习宣传",
        theme="法治宣传",
        start=date(2020, 7, 1),
        end=date(2020, 12, 31),
        description="机关干部先学一步，委员带头讲，进社区、进企业宣传民法典。",
        highlight="民法典通过后，机关先组织干部学，再请法律界委员组成宣讲小组进社区、进企业，"
        "半年宣讲六场，社区居民带着家里的实际问题来听",
    )
    volunteer_activity_create(
        unit=organ,
        campaign=code,
        date=date(2020, 11, 11),
        title="民法典进社区宣讲",
        place="城关镇东关社区",
        hours=3,
        participants=party[:8],
    )
    campaign_create(
        unit=organ,
        title="制止餐饮浪费、践行光盘行动",
        theme="文明风尚",
        start=date(2020, 8, 14),
        end=date(2020, 12, 31),
        description="机关食堂按需取餐、小份供应，干部签名承诺，主题党日进食堂。",
    )
    selection_create(
        unit=organ,
        title="机关2020年度“最美政协人”评选",
        date=date(2020, 12, 25),
        winners="\n".join(p.name for p in [officer, *party[2:4]]),
    )


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``parts`` positive amounts, each a multiple of ten yuan, summing to ``total``."""
    cuts = sorted(rng.sample(range(1, total // 10), parts - 1))
    return [(b - a) * 10 for a, b in zip([0, *cuts], [*cuts, total // 10], strict=True)]


def _offices(offices: dict[str, Unit], rng: random.Random) -> None:
    for code, work in OFFICE_WORK.items():
        office = offices[code]
        members = list(Person.objects.filter(unit=office).order_by("id"))
        director = office.positions.filter(post=Post.OFFICE_DIRECTOR).select_related("person").first().person
        for n, item in enumerate(work["submissions"]):
            office_submission(
                office=office,
                author=members[n % len(members)],
                sent=item["sent"],
                title=item["title"],
                levels=item["levels"],
            )
        article = work["article"]
        article_create(
            unit=office,
            author=members[-1],
            date=article["date"],
            title=f"{office.short_name}：{work['submissions'][0]['title']}",
            outlet=article["outlet"],
            outlet_level=article["level"],
        )
        if work["consultation"]:
            consultation = work["consultation"]
            office_consultation(
                office,
                members,
                director,
                rng,
                topic=consultation["topic"],
                day=consultation["date"],
                story=consultation["story"],
            )


FIGURES = {
    "central_group_study": 5,
    "seminar": 2,
    "collective_study": 7,
    "cell_study": 6,
    "theme_day": 6,
    "public_sentiment_adopted": len(SENTIMENT_TOPICS),
    "research_reports": len(RESEARCH_TOPICS),
    "articles": ARTICLES + 1 + len(OFFICE_WORK),
    "staff_flood_yuan": STAFF_FLOOD_YUAN,
}
