"""The school branch's other practices in 2020: its channels, publicity, three-review publishing,
risk points, a theme campaign with a 道德模范 selection, and volunteer service.

The seed template names these practices without figures; the ones here are small and plausible.
Everything goes through the modules' services, as a clerk's entries would.
"""

from __future__ import annotations

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
from taizhang.risks.models import OpinionLevel, OpinionPlatform, OpinionStatus, RiskLevel
from taizhang.risks.services import opinion_incident_create, risk_point_create

ARTICLES = [
    (date(2020, 3, 20), "停课不停学：线上课堂见闻", "县融媒体中心", Level.COUNTY),
    (date(2020, 5, 12), "复学第一课：疫情防控演练", "县融媒体中心", Level.COUNTY),
    (date(2020, 9, 10), "教师节表彰身边的好老师", "市教育信息网", Level.CITY),
    (date(2020, 10, 16), "“扫黑除恶”主题班会", "县政府网站", Level.COUNTY),
    (date(2020, 12, 4), "宪法宣传日走进校园", "县融媒体中心", Level.COUNTY),
]


def build(branch: Unit) -> None:
    secretary = holder(branch, Post.SECRETARY)
    principal = holder(branch, Post.LEADER_IN_CHARGE)
    officer = holder(branch, Post.DESIGNATED_OFFICER)
    cell_head = holder(branch, Post.OFFICE_DIRECTOR)
    teachers = list(
        Person.objects.filter(unit__path__startswith=branch.path, job_title="教师").order_by("id")
    )

    group = channel_create(
        unit=branch, kind=ChannelKind.WECHAT_GROUP, name="实验中学教职工微信群", administrator=officer,
        members_count=62, purpose="工作通知与学习资料", opened_on=date(2017, 9, 1),
        registered_on=date(2020, 3, 2), last_reviewed_on=date(2020, 12, 10),
    )  # fmt: skip
    channel_create(
        unit=branch, kind=ChannelKind.QQ_GROUP, name="实验中学党员QQ群", administrator=officer,
        members_count=19, purpose="党员学习交流", opened_on=date(2016, 3, 1),
        registered_on=date(2020, 3, 2), last_reviewed_on=date(2020, 12, 10),
    )  # fmt: skip
    board = channel_create(
        unit=branch, kind=ChannelKind.NOTICE_BOARD, name="教学楼一楼宣传栏", administrator=officer,
        purpose="主题宣传与先进典型", opened_on=date(2015, 9, 1),
        registered_on=date(2020, 3, 2), last_reviewed_on=date(2020, 12, 10),
    )  # fmt: skip

    for day, title, outlet, level in ARTICLES:
        article_create(unit=branch, author=officer, date=day, title=title, outlet=outlet, outlet_level=level)
    submission = submission_create(
        unit=branch, author=principal, date=date(2020, 4, 8), kind=SubmissionKind.WORK_INFO,
        title="线上教学期间家校协同的做法", target="县教育局《教育简报》",
    )  # fmt: skip
    adoption_create(
        submission=submission, level=Level.COUNTY, publication="县教育局《教育简报》", issue_year=2020,
        issue_no=6, date=date(2020, 4, 15),
    )  # fmt: skip
    submission = submission_create(
        unit=branch, author=principal, date=date(2020, 11, 3), kind=SubmissionKind.WORK_INFO,
        title="实验中学落实《深化新时代教育评价改革总体方案》的做法", target="县教育局《教育简报》",
    )  # fmt: skip
    adoption_create(
        submission=submission, level=Level.COUNTY, publication="县教育局《教育简报》", issue_year=2020,
        issue_no=21, date=date(2020, 11, 12),
    )  # fmt: skip

    for day, title, channel in [
        (date(2020, 5, 11), "复学复课告家长书", group),
        (date(2020, 9, 8), "“道德模范”评选结果公示", board),
    ]:
        at = timezone.make_aware(datetime.combine(day, time(8)))
        draft = draft_create(unit=branch, author=officer, title=title, text=f"{title}（正文略）。", date=day)
        draft = draft_submit(draft=draft, actor=officer, at=at)
        draft = draft_approve(draft=draft, actor=cell_head, comment="同意。", at=at + timedelta(hours=1))
        draft = draft_approve(draft=draft, actor=principal, comment="同意。", at=at + timedelta(hours=3))
        draft = draft_approve(draft=draft, actor=secretary, comment="同意发布。", at=at + timedelta(hours=4))
        draft_publish(draft=draft, actor=officer, channel=channel, day=day, at=at + timedelta(hours=5))

    meetings = list(Activity.objects.filter(unit=branch, kind__code="assessment").order_by("date"))
    risk_point_create(
        unit=branch, area=Area.objects.filter(code="channels_culture").first(),
        title="家长群内个别不当言论的转发", description="班级家长群偶有未经核实的信息转发。",
        level=RiskLevel.MEDIUM, source="第二季度研判", measures="班主任做好提醒，重要信息以学校发布为准。",
        owner=officer, identified_on=meetings[1].date, review_date=date(2020, 12, 31), assessments=meetings[1:],
    )  # fmt: skip
    opinion_incident_create(
        unit=branch, noticed_on=date(2020, 9, 3), platform=OpinionPlatform.PUBLIC_ACCOUNT,
        outlet="本地生活类公众号", title="网传学校秋季开学收取额外费用", level=OpinionLevel.SERIOUS,
        description="一篇推文称学校开学时另收资料费。", responded_on=date(2020, 9, 4),
        response="核实并无额外收费，在学校公众号发布收费公示，并向家长逐班说明。", reported_to="县教委",
        status=OpinionStatus.CLOSED, closed_on=date(2020, 9, 10), lessons="收费项目应在开学前主动公示。",
    )  # fmt: skip

    campaign = campaign_create(
        unit=branch, title="社会主义核心价值观主题宣传", theme="核心价值观", start=date(2020, 9, 1),
        end=date(2020, 12, 31), description="以“道德模范”评选和文明校园创建为抓手的主题宣传。",
    )  # fmt: skip
    selection_create(
        unit=branch, campaign=campaign, title="校园“道德模范”评选", date=date(2020, 9, 8),
        winners="\n".join(p.name for p in teachers[:3]),
    )  # fmt: skip
    volunteer_activity_create(
        unit=branch, campaign=campaign, date=date(2020, 9, 19), title="文明校园志愿清扫", place="校园周边",
        hours=2, participants=teachers[:8],
    )  # fmt: skip
    donation_create(
        unit=branch, date=date(2020, 2, 15), donor_group=DonorGroup.STAFF, donor_name="全体教职工",
        kind=DonationKind.MONEY, amount="6800",
    )  # fmt: skip
