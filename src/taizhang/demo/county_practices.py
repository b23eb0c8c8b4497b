"""A generated county unit's practice records, through the modules' services as a clerk's entries
would go: channels, risk points (reviewed at the unit's assessments), campaigns with the donations,
volunteer days and selections that belong to them, study reflections and, at the media centre,
items published after the three reviews. The diligent units keep their channels reviewed and their
risks up to date; the laggards let both slip.
"""

from __future__ import annotations

from datetime import date, timedelta

from taizhang.campaigns.models import DonationKind, DonorGroup
from taizhang.campaigns.services import (
    campaign_create,
    donation_create,
    selection_create,
    volunteer_activity_create,
)
from taizhang.channels.services import channel_create
from taizhang.demo import county_units as data
from taizhang.demo.build import aware
from taizhang.demo.county_calendar import is_working_day, working_day
from taizhang.ledger.models import Activity
from taizhang.ledger.services import reflection_create
from taizhang.org.models import Area, UnitKind
from taizhang.review.services import draft_approve, draft_create, draft_publish, draft_submit
from taizhang.risks.services import risk_point_create

PURPOSES = {
    "wechat_group": "工作通知和学习资料推送",
    "qq_group": "文件传输和业务交流",
    "public_account": "对外发布信息",
    "website": "政务公开和信息发布",
    "e_screen": "主题宣传标语和通知滚动播放",
    "notice_board": "党务公开和主题宣传",
}
REFLECTIONS = (
    "学习{topic}后，我对照本岗位找差距，准备在今后工作中把要求落实到每一件具体事上。",
    "通过学习{topic}，进一步明确了努力方向，今后要在学用结合上多下功夫。",
    "这次学习{topic}，感触最深的是要把群众的事放在心上，在本职岗位上作出实绩。",
)


def _workday(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def build(g, areas: dict[str, Area], name) -> None:
    _channels(g)
    _risks(g, areas)
    campaigns = _campaigns(g)
    _donations(g, campaigns)
    _volunteering(g, campaigns)
    _selections(g, campaigns, name)
    _reflections(g)
    if g.unit.code == "county-media":
        _published(g)


def _channels(g) -> None:
    for kind, channel_name, members, opened, registered in data.CHANNELS.get(g.unit.code, []):
        # the diligent review their channels every half year; the laggards last looked in 2019
        reviewed = date(2020, 12, 10) if g.share >= 0.7 else date(2019, 11, 20)
        channel_create(
            unit=g.unit, kind=kind, name=channel_name, administrator=g.officer, members_count=members,
            purpose=PURPOSES[kind], opened_on=opened, registered_on=registered,
            last_reviewed_on=_workday(max(reviewed, registered)) if registered else None,
        )  # fmt: skip


def _risks(g, areas: dict[str, Area]) -> None:
    meetings = list(Activity.objects.filter(unit=g.unit, kind__code="assessment").order_by("date"))
    for identified, title, description, measures, level, area, status, closed_on in data.RISKS.get(
        g.unit.code, []
    ):
        reviewed = [
            m for m in meetings if m.date >= identified and (closed_on is None or m.date <= closed_on)
        ]
        last = reviewed[-1].date if reviewed else identified
        # an open risk is due for review a quarter after it was last looked at
        review = closed_on or (last + timedelta(days=92) if g.share >= 0.6 else last + timedelta(days=60))
        risk_point_create(
            unit=g.unit, area=areas.get(area), title=title, description=description, level=level,
            source="季度研判", measures=measures, owner=g.deputy, status=status, closed_on=closed_on,
            identified_on=identified, review_date=review, assessments=reviewed[:4],
        )  # fmt: skip


def _campaigns(g) -> list:
    out = []
    for start, end, title, theme, description, highlight in data.CAMPAIGNS.get(g.unit.code, []):
        out.append(
            campaign_create(
                unit=g.unit,
                title=title,
                theme=theme,
                start=start,
                end=end,
                description=description,
                highlight=highlight,
            )
        )
    return out


def _of(campaigns, day: date, title: str | None = None):
    """The campaign a record belongs to: the one its data names, else none (never the one whose
    dates merely cover it)."""
    return next((c for c in campaigns if title and c.title == title), None)


def _during(campaigns, day: date):
    return next((c for c in campaigns if c.start <= day <= (c.end or c.start)), None)


def _donations(g, campaigns) -> None:
    for day, donor, yuan, campaign in data.DONATIONS.get(g.unit.code, []):
        donation_create(
            unit=g.unit, date=_workday(day), donor_group=DonorGroup.STAFF, donor_name=donor,
            kind=DonationKind.MONEY, amount=str(yuan), campaign=_of(campaigns, day, campaign),
        )  # fmt: skip


def _volunteering(g, campaigns) -> None:
    for day, title, place in data.VOLUNTEER.get(g.unit.code, []):
        day = _workday(day)
        # a town's volunteer days in 2020 were its 文明实践 campaign's; elsewhere none is claimed
        campaign = _during(campaigns, day) if g.unit.code == "county-town" else None
        volunteer_activity_create(
            unit=g.unit, date=day, title=title, place=place, hours=3, campaign=campaign,
            participants=g.people[: 3 + len(g.people) // 2],
        )  # fmt: skip


def _selections(g, campaigns, name) -> None:
    for day, title, winners in data.SELECTIONS.get(g.unit.code, []):
        day = _workday(day)
        selection_create(
            unit=g.unit, title=title, date=day, campaign=_during(campaigns, day),
            winners="\n".join(name() for _ in range(winners)),
        )  # fmt: skip


def _reflections(g) -> None:
    """Organs ask every member for a study reflection a year; the diligent write theirs."""
    if g.unit.kind != UnitKind.ORGAN:
        return
    studies = list(
        Activity.objects.filter(
            unit=g.unit, kind__code__in=["central_group_study", "collective_study"]
        ).order_by("date")
    )
    for year in (2019, 2020):
        held = [a for a in studies if a.date.year == year]
        for person in g.people:
            if not held or g.rng.random() > g.share:
                continue
            study = g.rng.choice(held)
            day = min(study.date + timedelta(days=g.rng.randint(2, 9)), date(year, 12, 30))
            reflection_create(
                person=person, activity=study, title=f"学习“{study.topic}”的体会",
                text=g.rng.choice(REFLECTIONS).format(topic=study.topic), date=_workday(day),
            )  # fmt: skip


def _published(g) -> None:
    """The media centre's own items, each through first, second and final review before it goes out."""
    from taizhang.channels.models import Channel

    channel = Channel.objects.filter(unit=g.unit, kind="public_account").order_by("id").first()
    author = g.people[3]
    items = [
        (date(2019, 9, 30), "国庆特别策划：我和我的祖国"),
        (date(2020, 2, 10), "防疫知识问答"),
        (date(2020, 5, 29), "全国两会特别报道"),
        (date(2020, 11, 3), "五中全会公报解读"),
        (date(2020, 12, 4), "宪法宣传周专题"),
    ]
    for day, title in items:
        day = _workday(day)
        draft = draft_create(unit=g.unit, author=author, title=title, text=f"{title}（正文略）。", date=day)
        draft = draft_submit(draft=draft, actor=author, at=aware(day, 8))
        draft = draft_approve(draft=draft, actor=g.officer, comment="事实核实无误。", at=aware(day, 9))
        draft = draft_approve(draft=draft, actor=g.deputy, comment="导向把关通过。", at=aware(day, 10))
        draft = draft_approve(draft=draft, actor=g.head, comment="同意发布。", at=aware(day, 11))
        draft_publish(draft=draft, actor=author, channel=channel, day=day, at=aware(day, 12))


__all__ = ["build", "working_day"]
