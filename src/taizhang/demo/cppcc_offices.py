"""The five CPPCC offices' (委室) own work in 2020H1, so the organ's bulletin ranks something real.

The seed counts the organ's work as a whole; its offices are where much of it is done. Each office
here reports work information (工作信息) and places a publicity piece or two, and the four
committees each hold a consultation of their own. Deliberately none of it touches the seed's
figures: no public-sentiment items and nothing adopted by 《各界反映》 or 《政协调研》 (the seed's 27 and
3 issues), six articles (the organ's 62 stay "60余篇" with them), no kind of activity the seed
counts. Two committees end level on every measure, as real offices sometimes do: the bulletin
ranks them 并列. People and titles are fictional.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from taizhang.demo.build import record
from taizhang.org.models import Person, Post, Unit
from taizhang.reporting.models import Level, SubmissionKind
from taizhang.reporting.services import adoption_create, article_create, submission_create

# Per office (by code): work information sent, with the levels that took them up (None: not taken
# up); publicity articles as (outlet, level); consultations held.
OFFICE_WORK = {
    "cppcc-office": {
        "submissions": [
            ("机关统筹疫情防控和复工复产服务保障工作", (Level.COUNTY, Level.CITY)),
            ("机关开展“双报到”下沉社区服务群众", (Level.COUNTY,)),
            ("机关干部职工踊跃为疫情防控捐款捐物", ()),
        ],
        "articles": [("县融媒体中心", Level.COUNTY), ("市日报", Level.CITY)],
        "consultations": [],
    },
    "cppcc-proposal": {
        "submissions": [
            ("提案委推动重点提案办理协商见实效", (Level.COUNTY,)),
            ("县政协召开提案办理情况通报会", (Level.COUNTY,)),
        ],
        "articles": [("县融媒体中心", Level.COUNTY)],
        "consultations": [
            (
                "重点提案办理协商座谈",
                date(2020, 5, 19),
                "承办单位通报五件重点提案的办理进度，提案人逐件发表意见，对两件答复不够具体的提案约定再协商。",
            )
        ],
    },
    "cppcc-economy": {
        "submissions": [
            ("经科委围绕复工复产开展专题调研", (Level.COUNTY,)),
            ("委员助力中小企业纾困解难", (Level.COUNTY,)),
        ],
        "articles": [("县政府网站", Level.COUNTY)],
        "consultations": [
            (
                "中小企业复工复产情况调研座谈",
                date(2020, 4, 16),
                "十二家中小企业负责人反映用工、订单和资金周转情况，委员们记下问题清单，交由经科委整理上报。",
            )
        ],
    },
    "cppcc-social": {
        # after 28 May 2020, when the Civil Code was adopted (core.timeline)
        "submissions": [("社法委开展民法典宣传进社区活动", (Level.COUNTY,), date(2020, 6, 15))],
        "articles": [("县电视台", Level.COUNTY)],
        "consultations": [
            (
                "法治政府建设情况协商座谈",
                date(2020, 6, 9),
                "县司法局通报法治政府建设情况，委员围绕行政执法公示和涉企执法提出六条建议。",
            )
        ],
    },
    "cppcc-culture": {
        "submissions": [("文史委启动抗疫文史资料征集", ())],
        "articles": [("县融媒体中心", Level.COUNTY)],
        "consultations": [
            (
                "抗疫文史资料征集工作座谈",
                date(2020, 6, 12),
                "商定抗疫文史资料的征集范围和体例，请各界别委员推荐亲历者，首批确定二十个征集线索。",
            )
        ],
    },
}
# Where a county-level adoption of work information appears (no issue numbers: counted in 条).
ADOPTED_BY = {
    Level.COUNTY: "县委办公室《工作动态》",
    Level.CITY: "市政协办公室《政协信息》",
}


def build(organ: Unit) -> None:
    rng = random.Random(2020_0701)
    offices = {u.code: u for u in Unit.objects.filter(parent=organ)}
    for code, work in OFFICE_WORK.items():
        office = offices[code]
        members = list(Person.objects.filter(unit=office).order_by("id"))
        director = office.positions.filter(post=Post.OFFICE_DIRECTOR).select_related("person").first().person
        sent_on = []
        for n, (title, levels, *day) in enumerate(work["submissions"]):
            sent = day[0] if day else date(2020, 2 + 2 * n, 8 + 3 * len(code) % 12)
            sent_on.append(sent)
            office_submission(
                office=office, author=members[n % len(members)], sent=sent, title=title, levels=levels
            )
        for n, (outlet, level) in enumerate(work["articles"]):
            told = n % len(work["submissions"])  # the article tells the work an item reported, not before it
            article_create(
                unit=office,
                author=members[(n + 1) % len(members)],
                date=max(date(2020, 3 + 2 * n, 10 + rng.randint(0, 15)), sent_on[told] + timedelta(days=5)),
                title=f"{office.short_name}：{work['submissions'][told][0]}",
                outlet=outlet,
                outlet_level=level,
            )
        for topic, day, story in work["consultations"]:
            office_consultation(office, members, director, rng, topic=topic, day=day, story=story)


def office_submission(*, office: Unit, author: Person, sent: date, title: str, levels) -> None:
    """One item of work information an office sent, and its adoptions: a week apart, at each of
    ``levels`` in turn, the first three days after it was sent."""
    submission = submission_create(
        unit=office,
        author=author,
        date=sent,
        kind=SubmissionKind.WORK_INFO,
        title=title,
        target=ADOPTED_BY[Level.COUNTY],
    )
    for i, level in enumerate(levels):
        adoption_create(
            submission=submission,
            level=level,
            outlet=ADOPTED_BY[level],
            date=sent + timedelta(days=3 + 7 * i),
        )


def office_consultation(
    office: Unit, members: list[Person], director: Person, rng: random.Random, *, topic, day, story
) -> None:
    """A consultation the office held in its own room, its director in the chair and all its people
    asked (``story``: what was said and decided)."""
    record(
        unit=office,
        kind="consultation",
        location=f"{office.short_name}会议室",
        minutes=f"{director.name}主持座谈。{story}",
        day=day,
        topic=topic,
        people=members,
        rng=rng,
        host=director,
        recorder=members[-1],
    )
