"""A school party branch (学校党支部), the whole of 2020.

The seed template leaves its figures blank; these are plausible ones: a monthly central group
study, a monthly micro lesson by a school leader (none in February, when school was closed by
the epidemic), the 三会一课 rhythm, two ideology sessions and quarterly assessments.
"""

from __future__ import annotations

import random
from datetime import date

from taizhang.demo import school_practices
from taizhang.demo.build import NameMaker, demo_user, record
from taizhang.org.models import Area, Duty, Post, Role, Unit, UnitKind
from taizhang.org.services import person_create, position_create, responsibility_set, unit_create

# One central group study a month, each on what had been issued by then (the fifth plenum met in
# late October 2020, the education evaluation plan came out in mid-October).
TOPICS = [
    "学习习近平新时代中国特色社会主义思想学习纲要",
    "学习疫情防控与复学复课要求",
    "学习党章和党内法规",
    "学习习近平总书记关于教育的重要论述",
    "学习社会主义核心价值观与师德规范",
    "学习全国“两会”精神",
    "学习新时代爱国主义教育实施纲要",
    "学习《中国共产党基层组织选举工作条例》",
    "学习全国抗击新冠肺炎疫情表彰大会精神",
    "学习《关于新时代教育评价改革的总体方案》",
    "学习党的十九届五中全会精神",
    "学习五中全会关于建设高质量教育体系的部署",
]


def build(parent: Unit | None = None) -> Unit:
    rng = random.Random(2020_12)
    name = NameMaker(seed=2021)
    branch = unit_create(
        code="school",
        name="县实验中学党支部",
        short_name="实验中学党支部",
        kind=UnitKind.BRANCH,
        parent=parent,
    )
    cells = [
        unit_create(
            code=f"school-cell-{i}",
            name=f"县实验中学第{n}党小组",
            short_name=f"第{n}党小组",
            kind=UnitKind.CELL,
            parent=branch,
        )
        for i, n in ((1, "一"), (2, "二"), (3, "三"))
    ]
    secretary = person_create(unit=branch, name=name(), job_title="党支部书记")
    principal = person_create(unit=branch, name=name(), job_title="校长、支部副书记")
    vice = person_create(unit=branch, name=name(), job_title="副校长、支部委员")
    officer = person_create(unit=branch, name=name(), job_title="宣传委员")
    teachers = [person_create(unit=cells[i % 3], name=name(), job_title="教师") for i in range(15)]
    position_create(person=secretary, unit=branch, post=Post.SECRETARY, title="党支部书记")
    position_create(person=principal, unit=branch, post=Post.LEADER_IN_CHARGE, title="分管宣传思想工作")
    position_create(person=officer, unit=branch, post=Post.DESIGNATED_OFFICER, title="宣传委员")
    for cell in cells:
        head = next(t for t in teachers if t.unit_id == cell.pk)
        position_create(person=head, unit=cell, post=Post.OFFICE_DIRECTOR, title="党小组组长")
    for area in Area.objects.all():
        responsibility_set(unit=branch, area=area, person=secretary, duty=Duty.ACCOUNTABLE)
        responsibility_set(unit=branch, area=area, person=principal, duty=Duty.RESPONSIBLE)
        responsibility_set(unit=branch, area=area, person=vice, duty=Duty.SUPPORTING)

    demo_user("school-clerk", person=officer, unit=branch, role=Role.UNIT_ADMIN)
    demo_user("school-leader", person=principal, unit=branch, role=Role.LEADER)
    demo_user("school-secretary", person=secretary, unit=branch, role=Role.LEADER)

    committee = [secretary, principal, vice, officer]
    everyone = [*committee, *teachers]
    room = "党员活动室"

    def held(kind, day, topic, people, host, unit=branch, location=room):
        return record(
            unit=unit,
            kind=kind,
            day=day,
            topic=topic,
            people=people,
            rng=rng,
            host=host,
            recorder=officer,
            materials=[topic.removeprefix("学习")] if topic.startswith("学习") else [],
            location=location,
            minutes=f"{host.name}主持。围绕“{topic}”进行了学习交流，并就落实工作作了安排。",
        )

    held("work_points", date(2020, 2, 24), "制定2020年宣传思想工作要点", committee, secretary)
    held("study_plan", date(2020, 2, 24), "制定2020年中心组理论学习计划", committee, secretary)
    for month in range(1, 13):
        day = 15 if month != 2 else 27
        held(
            "central_group_study",
            date(2020, month, day),
            TOPICS[month - 1],
            committee,
            secretary,
        )
        held(
            "theme_day",
            date(2020, month, 28),
            f"{month}月主题党日",
            everyone,
            secretary,
        )
        held(
            "branch_committee_meeting",
            date(2020, month, 5 if month != 2 else 6),
            f"{month}月支委会",
            committee,
            secretary,
        )
        if month != 2:  # school closed in February 2020: no micro lesson that month
            leader = [secretary, principal, vice][month % 3]
            held(
                "micro_lesson", date(2020, month, 20), f"{month}月微党课", everyone, leader, location="电教室"
            )
        for cell in cells:
            members = [t for t in teachers if t.unit_id == cell.pk]
            held(
                "cell_meeting",
                date(2020, month, 10),
                f"{cell.short_name}{month}月组会",
                members,
                members[0],
                unit=cell,
            )
    for quarter, month in enumerate((3, 6, 9, 12), start=1):
        held(
            "branch_general_meeting",
            date(2020, month, 8),
            f"第{quarter}季度支部党员大会",
            everyone,
            secretary,
        )
        held("party_lesson", date(2020, month, 22), f"第{quarter}季度书记讲党课", everyone, secretary)
        held(
            "assessment", date(2020, month, 24), f"第{quarter}季度意识形态工作分析研判", committee, principal
        )
    held("ideology_session", date(2020, 4, 16), "支委会专题研究意识形态工作", committee, secretary)
    held("ideology_session", date(2020, 10, 15), "支委会专题研究意识形态工作（下半年）", committee, secretary)
    held("report_upward", date(2020, 7, 6), "向县教育局党组报告上半年意识形态工作", committee, secretary)
    held("report_upward", date(2020, 12, 28), "向县教育局党组报告全年意识形态工作", committee, secretary)
    held(
        "ethics_lecture",
        date(2020, 9, 10),
        "教师节道德讲堂：师德师风",
        everyone,
        principal,
        location="学校报告厅",
    )
    held("ethics_lecture", date(2020, 12, 3), "宪法宣传日道德讲堂", everyone, vice, location="学校报告厅")
    for day, topic in [
        (date(2020, 3, 14), "疫情防控校园值守志愿服务"),
        (date(2020, 9, 19), "文明校园创建志愿服务"),
    ]:
        held("volunteer_service", day, topic, everyone, vice, location="校园")
    school_practices.build(branch)
    return branch
