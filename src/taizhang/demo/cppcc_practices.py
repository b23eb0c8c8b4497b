"""The CPPCC organ's other practices in 2020H1: reporting, three-review publishing, risks, channels, campaigns.

Figures the seed states and this ledger reproduces (everything goes through the modules' services):
27 issues of 《各界反映》 and 3 of 《政协调研》 (as adopted submissions); more than 60 publicity
articles in county-or-higher media; organ staff donations of more than 18,000 元; members'
donations of more than 1,573,000 元 in money and 547,000 元 in goods, and 5,600 masks; registered
WeChat/QQ work groups, a members' group, an e-screen and a notice board; two risk points reviewed
by the ledger's two assessment meetings. People and titles are fictional.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from taizhang.campaigns.models import DonationKind, DonorGroup
from taizhang.campaigns.services import (
    campaign_create,
    donation_create,
    selection_create,
    volunteer_activity_create,
)
from taizhang.channels.models import ChannelKind
from taizhang.channels.services import channel_create
from taizhang.demo.build import holder
from taizhang.ledger.models import Activity
from taizhang.org.models import Area, Person, Post, Unit
from taizhang.reporting.models import Level, SubmissionKind
from taizhang.reporting.services import adoption_create, article_create, submission_create
from taizhang.review.services import draft_approve, draft_create, draft_publish, draft_submit
from taizhang.risks.models import OpinionLevel, OpinionPlatform, OpinionStatus, RiskLevel, RiskStatus
from taizhang.risks.services import opinion_incident_create, risk_point_create

HALF_START = date(2020, 1, 1)
STAFF_DONATIONS_YUAN = 18_360
MEMBERS_MONEY_YUAN = (820_000, 468_000, 285_480)  # 157.348万元 in three batches
MEMBERS_GOODS_YUAN = (300_000, 247_000)  # 54.7万元
MASKS = (3_000, 2_600)
ARTICLES = 61  # and one more telling a model cadre's story: 62 in all

SENTIMENT_TOPICS = [
    "复工复产企业用工", "农村疫情防控物资", "中小学线上教学", "农产品滞销", "社区封闭管理", "个体工商户房租",
    "基层防控人员保障", "返乡人员健康管理", "农贸市场环境卫生", "困难群众生活保障", "医疗废弃物处置",
    "县域公共卫生应急", "物流运输通行", "小微企业融资", "农业春耕备耕", "乡村旅游复苏", "城乡环境整治",
    "老旧小区改造", "养老机构防控", "重点项目复工", "稳岗就业", "学生返校防控", "疾病预防控制体系",
    "营商环境优化", "政务服务网上办理", "农村饮水安全", "防汛备汛",
]  # fmt: skip
RESEARCH_TOPICS = ["提高公共卫生服务能力", "优化营商环境", "推进“协商在一线”"]
OUTLETS = [
    ("县电视台", Level.COUNTY),
    ("县融媒体中心", Level.COUNTY),
    ("县政府网站", Level.COUNTY),
    ("市日报", Level.CITY),
    ("市政协网站", Level.CITY),
    ("省政协报", Level.PROVINCE),
    ("人民日报", Level.NATIONAL),
]
ARTICLE_THEMES = ["政协动态", "委员履职", "疫情防控", "专题协商", "协商在一线", "复工复产", "文明实践"]


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def build(organ: Unit) -> None:
    rng = random.Random(2020_0630)
    people = list(Person.objects.filter(unit__path__startswith=organ.path).order_by("id"))
    secretary = holder(organ, Post.SECRETARY)
    leader = holder(organ, Post.LEADER_IN_CHARGE)
    officer = holder(organ, Post.DESIGNATED_OFFICER)
    director = holder(organ, Post.OFFICE_DIRECTOR)
    writers = [officer, *[p for p in people if p not in (secretary, leader)][:6]]

    channels = _channels(organ, officer, leader)
    _reporting(organ, rng, writers)
    _publishing(organ, officer, director, leader, secretary, channels)
    _risks(organ, leader, officer)
    _campaign(organ, rng, people, officer)


def _channels(organ: Unit, officer: Person, leader: Person) -> dict[str, object]:
    registered, reviewed = date(2020, 2, 10), date(2020, 6, 22)
    rows = [
        (
            "wechat",
            ChannelKind.WECHAT_GROUP,
            "县政协机关干部微信工作群",
            officer,
            26,
            "机关工作通知与学习资料推送",
        ),
        ("qq", ChannelKind.QQ_GROUP, "县政协机关QQ工作群", officer, 24, "文件传输与工作交流"),
        ("members", ChannelKind.WECHAT_GROUP, "县政协委员活动群", leader, 180, "委员履职活动通知与学习"),
        ("screen", ChannelKind.E_SCREEN, "机关大院电子显示屏", officer, None, "标语与公告"),
        ("board", ChannelKind.NOTICE_BOARD, "机关一楼宣传栏", officer, None, "理论学习与文明创建宣传"),
    ]
    out = {}
    for key, kind, name, admin, members, purpose in rows:
        out[key] = channel_create(
            unit=organ,
            kind=kind,
            name=name,
            administrator=admin,
            members_count=members,
            purpose=purpose,
            opened_on=date(2018, 9, 1),
            registered_on=registered,
            last_reviewed_on=reviewed,
        )
    return out


def _reporting(organ: Unit, rng: random.Random, writers: list[Person]) -> None:
    """27 public-sentiment submissions adopted into 《各界反映》, 3 reports into 《政协调研》, 62 articles."""
    for number, topic in enumerate(SENTIMENT_TOPICS, start=1):
        sent = date(2020, 1, 6) + timedelta(days=6 * (number - 1))
        submission = submission_create(
            unit=organ,
            author=writers[number % len(writers)],
            date=sent,
            kind=SubmissionKind.PUBLIC_SENTIMENT,
            title=f"关于{topic}问题的社情民意",
            target="《各界反映》",
            highlight=(
                "防控最吃紧的那段时间，专人每天汇总委员和群众反映的情况，当天整理成稿报送；"
                "上级的通知要求也随到随转，第一时间推送到机关干部工作群"
            )
            if number == 2
            else "",
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
    for number, topic in enumerate(RESEARCH_TOPICS, start=1):
        sent = date(2020, 2 * number, 10)
        submission = submission_create(
            unit=organ,
            author=writers[0],
            date=sent,
            kind=SubmissionKind.RESEARCH_REPORT,
            title=f"关于{topic}的调研报告",
            target="《政协调研》",
            highlight=(
                "在调研基础上出台推动“协商在一线”的实施意见，细化议题征集、协商议事、成果办理的流程，"
                "让委员把协商平台搭到社区、小区和村组，群众的急难愁盼在家门口就能议、能办"
            )
            if "协商在一线" in topic
            else "",
        )
        adoption_create(
            submission=submission,
            level=Level.COUNTY,
            publication="《政协调研》",
            issue_year=2020,
            issue_no=number,
            date=sent + timedelta(days=5),
        )
    for number in range(1, ARTICLES + 1):
        outlet, level = OUTLETS[0 if number % 3 else (number // 3) % len(OUTLETS)]
        article_create(
            unit=organ,
            author=writers[number % len(writers)],
            date=_day(rng, HALF_START, date(2020, 6, 30)),
            title=f"{ARTICLE_THEMES[number % len(ARTICLE_THEMES)]}（{number}）",
            outlet=outlet,
            outlet_level=level,
        )
    # The one that told the organ's own people: a model cadre in national media.
    hero = writers[1]
    article_create(
        unit=organ,
        author=writers[0],
        date=date(2020, 3, 18),
        title=f"社区卡点上的政协干部——记{hero.name}",
        outlet="人民日报",
        outlet_level=Level.NATIONAL,
        highlight=f"及时挖掘机关干部在防控一线的感人事迹，{hero.name}等同志连续值守社区卡点的事迹"
        "被人民日报等媒体刊发，机关上下学先进、当先锋的氛围更加浓厚",
    )


def _publishing(organ, officer, director, leader, secretary, channels) -> None:
    """News items the organ published itself, each through 初审, 复审 and 终审."""
    items = [
        (date(2020, 2, 3), "县政协机关部署疫情防控工作", "wechat"),
        (date(2020, 3, 2), "致全县政协委员的倡议", "members"),
        (date(2020, 4, 1), "清明文明祭扫倡议", "screen"),
        (date(2020, 5, 4), "五四青年节主题宣传", "board"),
        (date(2020, 6, 1), "机关上半年理论学习安排", "wechat"),
    ]
    for day, title, channel in items:
        draft = draft_create(unit=organ, author=officer, title=title, text=f"{title}（正文略）。", date=day)
        at = timezone.make_aware(datetime.combine(day, time(9)))
        draft = draft_submit(draft=draft, actor=officer, at=at)
        draft = draft_approve(
            draft=draft, actor=director, comment="内容属实，同意。", at=at + timedelta(hours=2)
        )
        draft = draft_approve(draft=draft, actor=leader, comment="同意。", at=at + timedelta(hours=5))
        draft = draft_approve(draft=draft, actor=secretary, comment="同意发布。", at=at + timedelta(hours=7))
        draft_publish(
            draft=draft,
            actor=officer,
            channel=channels[channel],
            day=day + timedelta(days=1),
            at=at + timedelta(days=1),
        )
    pending = draft_create(
        unit=organ,
        author=officer,
        title="机关精神文明建设工作动态",
        text="（待审稿）",
        date=date(2020, 6, 28),
    )
    draft_submit(draft=pending, actor=officer, at=timezone.make_aware(datetime(2020, 6, 28, 16)))
    # One still with its author, so a clerk has a draft to go on writing.
    draft_create(
        unit=organ,
        author=officer,
        title="委员履职风采专栏（第三期）",
        text="围绕委员在复工复产中的履职事迹，拟选取三位委员的做法。\n（初稿，待补充照片）",
        date=date(2020, 6, 30),
    )


def _risks(organ: Unit, leader: Person, officer: Person) -> None:
    meetings = list(Activity.objects.filter(unit=organ, kind__code="assessment").order_by("date"))
    area = Area.objects.filter(code="publicity").first()
    risk_point_create(
        unit=organ,
        area=area,
        title="疫情期间工作群内转发未经核实的信息",
        description="群成员转发来源不明的疫情消息，可能造成误传。",
        level=RiskLevel.HIGH,
        source="一季度研判",
        measures="管理员及时提醒；只转发官方发布；群公告重申纪律要求。",
        owner=officer,
        status=RiskStatus.MITIGATED,
        closed_on=date(2020, 5, 22),
        identified_on=meetings[0].date,
        review_date=date(2020, 9, 30),
        assessments=meetings,
    )
    risk_point_create(
        unit=organ,
        area=area,
        title="宣传思想工作力量薄弱",
        description="缺少专职宣传人员，信息宣传稿件质量不稳定。",
        level=RiskLevel.MEDIUM,
        source="二季度研判",
        measures="加强培训，调动委员参与信息宣传。",
        owner=leader,
        identified_on=meetings[-1].date,
        review_date=date(2020, 9, 30),
        assessments=meetings[-1:],
    )
    # A public-opinion incident about the organ and how it was handled (never who posted it).
    opinion_incident_create(
        unit=organ,
        noticed_on=date(2020, 3, 9),
        platform=OpinionPlatform.FORUM,
        outlet="本地论坛",
        title="网传政协委员捐赠物资未发放到位",
        description="帖文称委员捐赠的防疫物资积压未发，引起部分转发评论。",
        level=OpinionLevel.GENERAL,
        responded_on=date(2020, 3, 10),
        response="会同县红十字会核实发放台账，在原平台公布物资去向和签收情况。",
        reported_to="县委网信办",
        status=OpinionStatus.CLOSED,
        closed_on=date(2020, 3, 16),
        lessons="捐赠物资的接收和发放情况应及时公开。",
    )


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``parts`` positive whole-yuan amounts summing to ``total``."""
    cuts = sorted(rng.sample(range(1, total // 10), parts - 1))
    amounts = [b - a for a, b in zip([0, *cuts], [*cuts, total // 10], strict=True)]
    amounts = [a * 10 for a in amounts]
    amounts[-1] += total - sum(amounts)
    return amounts


def _campaign(organ: Unit, rng: random.Random, people: list[Person], officer: Person) -> None:
    campaign = campaign_create(
        unit=organ,
        title="疫情防控主题宣传",
        theme="疫情防控",
        start=date(2020, 1, 25),
        end=date(2020, 6, 30),
        description="动员机关干部和全县政协委员参与联防联控、捐款捐物。",
        highlight="疫情发生后，机关当即拿出防控工作方案，并以公开信的形式向全县政协委员发出倡议，"
        "请委员们在守护群众健康、落实联防联控、宣传科学防疫上作表率；机关干部按照“双报到”要求"
        "全员下沉联系社区，轮流参加卡点值守和入户排查",
    )
    for person, amount in zip(people, _split(STAFF_DONATIONS_YUAN, len(people), rng), strict=True):
        donation_create(
            unit=organ,
            campaign=campaign,
            date=_day(rng, date(2020, 1, 28), date(2020, 2, 20)),
            donor_group=DonorGroup.STAFF,
            donor=person,
            kind=DonationKind.MONEY,
            amount=str(amount),
        )
    for batch, amount in enumerate(MEMBERS_MONEY_YUAN, start=1):
        donation_create(
            unit=organ,
            campaign=campaign,
            date=date(2020, 2, 5 * batch),
            donor_group=DonorGroup.MEMBERS,
            donor_name=f"全县政协委员（第{batch}批汇总）",
            kind=DonationKind.MONEY,
            amount=str(amount),
        )
    for batch, amount in enumerate(MEMBERS_GOODS_YUAN, start=1):
        donation_create(
            unit=organ,
            campaign=campaign,
            date=date(2020, 2, 8 * batch),
            donor_group=DonorGroup.MEMBERS,
            donor_name=f"全县政协委员（第{batch}批物资）",
            kind=DonationKind.GOODS,
            amount=str(amount),
            item_name="防疫物资",
        )
    for batch, count in enumerate(MASKS, start=1):
        donation_create(
            unit=organ,
            campaign=campaign,
            date=date(2020, 2, 3 + batch),
            donor_group=DonorGroup.MEMBERS,
            donor_name="全县政协委员",
            kind=DonationKind.ITEMS,
            item_name="口罩",
            item_count=count,
            item_unit="个",
        )
    party = [p for p in people if p.is_party_member]
    volunteer_activity_create(
        unit=organ,
        campaign=campaign,
        date=date(2020, 2, 12),
        title="“双报到”社区疫情防控值守",
        place="机关联系社区",
        hours=4,
        participants=party[:10],
    )
    volunteer_activity_create(
        unit=organ,
        date=date(2020, 4, 10),
        title="爱国卫生运动环境整治",
        place="机关联系社区",
        hours=3,
        participants=party[:8],
    )
    selection_create(
        unit=organ,
        campaign=campaign,
        title="机关疫情防控先进个人评选",
        date=date(2020, 6, 24),
        winners="\n".join(p.name for p in [officer, *party[-2:]]),
    )
