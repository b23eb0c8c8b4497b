"""A school party branch (学校党支部), the whole of 2020.

The seed template leaves its figures blank; these are plausible ones: a monthly central group
study, a monthly micro lesson by a school leader (none in February, when school was closed by
the epidemic), the 三会一课 rhythm, two ideology sessions and quarterly assessments. Each record
says what happened at it (its minutes), each study is of what existed by its day (the 全国抗击
新冠肺炎疫情表彰大会 of 8 September, the 《深化新时代教育评价改革总体方案》 of 13 October, the
十九届五中全会 closed on 29 October), and no meeting falls on a public holiday (``core.timeline``).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from taizhang.core import timeline
from taizhang.demo import school_practices
from taizhang.demo.build import NameMaker, demo_user, meeting_writer
from taizhang.org.models import Area, Duty, Post, Role, Unit, UnitKind
from taizhang.org.services import person_create, position_create, responsibility_set, unit_create

# One central group study a month, each on what had been issued by then (the fifth plenum met in
# late October 2020, the education evaluation plan came out on 13 October), with what was said.
TOPICS = [
    (
        "学习习近平新时代中国特色社会主义思想学习纲要",
        "书记领学《学习纲要》总论部分，支委结合期末工作谈了体会。",
    ),
    ("学习疫情防控与复学复课要求", "停课期间线上学习，支委逐条对照复学复课要求，分工起草校园防控方案。"),
    ("学习党章和党内法规", "学习党章总纲和《中国共产党支部工作条例（试行）》，重点讨论支部的组织生活制度。"),
    (
        "学习习近平总书记关于教育的重要论述",
        "围绕“培养什么人、怎样培养人、为谁培养人”，校长结合复学后的课堂讲了认识。",
    ),
    (
        "学习社会主义核心价值观与师德规范",
        "对照新时代中小学教师职业行为十项准则，逐条查找学校在有偿补课、体罚方面的风险点。",
    ),
    ("学习全国“两会”精神", "学习政府工作报告中关于教育的内容，讨论秋季学期控辍保学和课后服务的安排。"),
    (
        "学习新时代爱国主义教育实施纲要",
        "学习《实施纲要》关于“聚焦青少年”的部分，确定秋季开学第一课的爱国主义主题。",
    ),
    ("学习《中国共产党基层组织选举工作条例》", "学习条例关于支部换届的规定，排出年内支部换届的步骤和时间。"),
    (
        "学习全国抗击新冠肺炎疫情表彰大会精神",
        "学习表彰大会上的重要讲话，商定在各班开展“致敬抗疫英雄”主题班会。",
    ),
    (
        "学习《深化新时代教育评价改革总体方案》",
        "逐条学习方案中关于学生评价和教师评价的改革要求，决定取消按考试成绩给班级排名。",
    ),
    (
        "学习党的十九届五中全会精神",
        "学习全会公报，校长讲了“建设高质量教育体系”对学校的要求，支委分头到教研组宣讲。",
    ),
    ("学习五中全会关于建设高质量教育体系的部署", "结合全会《建议》，讨论学校明年的课程改革和教师培训计划。"),
]
# Month by month: the theme day, the branch committee's business, the micro lesson, the cells' meeting.
MONTHS = [
    (
        "迎新春走访慰问退休老党员",
        "研究寒假安全工作和期末考核",
        "从主题教育成果谈教师初心",
        "学习党章第一章，交流期末工作",
    ),
    (
        "线上主题党日：党员教师认领辅导任务",
        "部署停课不停学期间党员教师分工",
        "",
        "线上交流网课准备和家校联系",
    ),
    ("党员教师校园防疫值守", "研究复学准备方案", "疫情中的逆行者", "讨论线上教学中暴露的问题"),
    (
        "复学第一课：党员教师带头讲防疫",
        "研究复学后学生心理疏导安排",
        "立德树人的根本任务",
        "交流复学后教学进度",
    ),
    ("青年教师五四座谈", "研究毕业班冲刺和师德考核", "师德师风从细节做起", "讨论师德负面清单"),
    ("七一前夕重温入党誓词", "研究中考组织和党员教师监考安排", "两会精神里的教育", "半年学习小结"),
    ("暑期党员教师家访", "研究暑期教师培训和校舍维修", "爱国主义教育怎么进课堂", "暑期读书分享"),
    ("支部换届选举动员", "研究支部换届和秋季开学防疫", "读懂基层组织选举工作条例", "讨论换届选举程序"),
    (
        "弘扬伟大抗疫精神主题班会观摩",
        "研究教师节表彰和文明校园创建",
        "抗疫精神进课堂",
        "交流开学一月的班级管理",
    ),
    (
        "纪念抗美援朝出国作战70周年主题党日",
        "研究落实教育评价改革的措施",
        "破除“唯分数”从我做起",
        "秋季运动会组织分工",
    ),
    ("五中全会精神宣讲进班级", "研究五中全会精神学习宣讲安排", "“十四五”里的教育强国", "学习五中全会公报"),
    ("年终谈心谈话", "研究民主评议党员和年终考核", "宪法精神与依法执教", "年终民主评议准备"),
]


def _month_day(year: int, month: int, day: int) -> date:
    """The day, or when it is a public holiday the nearest working day of the same month."""
    first = date(year, month, 1)
    last = (date(year, month + 1, 1) if month < 12 else date(year + 1, 1, 1)) - timedelta(days=1)
    return timeline.working_day_near(date(year, month, day), first=first, last=last)


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

    write = meeting_writer(unit=branch, rng=rng, recorder=officer, names={}, location=room)

    def held(kind, day, topic, people, host, minutes, unit=branch, location=room, highlight=""):
        materials = [topic.removeprefix("学习")] if topic.startswith("学习") else []
        # the branch's minutes name no one to fill in: any brace in them is text
        text = "{host}主持。" + minutes.replace("{", "{{").replace("}", "}}")
        return write(kind, day, topic, people, host, materials, location, text, highlight, unit=unit)

    held(
        "work_points", date(2020, 2, 24), "制定2020年宣传思想工作要点", committee, secretary,
        "讨论通过学校2020年宣传思想工作要点，把线上教学期间的家长群管理列为重点。",
    )  # fmt: skip
    held(
        "study_plan", date(2020, 2, 24), "制定2020年中心组理论学习计划", committee, secretary,
        "确定中心组每月学习一次、每季度书记讲一次党课，学习专题随上级部署调整。",
    )  # fmt: skip
    highlights = {
        9: "表彰大会后，支部把学习伟大抗疫精神同开学教育结合，各班用一节班会课讲身边的抗疫故事，"
        "三名党员教师走上讲台讲自己在社区值守的经历",
        10: "方案印发两天后，支部中心组就逐条学习，当月起取消按考试成绩给班级和教师排名，"
        "改用学生成长档案记录品德、体育和劳动表现",
    }
    for month in range(1, 13):
        topic, minutes = TOPICS[month - 1]
        held(
            "central_group_study",
            _month_day(2020, month, 15 if month != 2 else 27),
            topic,
            committee,
            secretary,
            minutes,
            highlight=highlights.get(month, ""),
        )
        theme, business, lesson, cell_topic = MONTHS[month - 1]
        held(
            "theme_day",
            _month_day(2020, month, 28),
            theme,
            everyone,
            secretary,
            f"全体党员参加“{theme}”活动，会后交流了感受。",
        )
        held(
            "branch_committee_meeting",
            _month_day(2020, month, 5 if month != 2 else 6),
            f"{month}月支委会：{business}",
            committee,
            secretary,
            f"会议{business}，明确了责任人和完成时间。",
        )
        if lesson:  # school closed in February 2020: no micro lesson that month
            leader = [secretary, principal, vice][month % 3]
            held(
                "micro_lesson",
                _month_day(2020, month, 20),
                f"微党课：{lesson}",
                everyone,
                leader,
                f"讲授“{lesson}”，用时二十分钟，两名党员谈了听课体会。",
                location="电教室",
            )
        for cell in cells:
            members = [t for t in teachers if t.unit_id == cell.pk]
            held(
                "cell_meeting",
                _month_day(2020, month, 10),
                f"{cell.short_name}{month}月组会",
                members,
                members[0],
                f"组会{cell_topic}。",
                unit=cell,
            )
    for quarter, month, meeting, lesson, judged in [
        (
            1,
            3,
            "通报停课期间党员教师线上辅导情况",
            "在抗疫大考中践行初心使命",
            "线上教学期间家长群的不当转发",
        ),
        (2, 6, "表决两名入党积极分子列为发展对象", "做“四有”好老师", "家长群个别不当言论的转发"),
        (3, 9, "选举产生新一届支部委员会", "弘扬伟大抗疫精神", "开学后校外培训机构的不实宣传"),
        (4, 12, "开展民主评议党员", "以五中全会精神引领学校发展", "家长群内评价改革的误读"),
    ]:
        held(
            "branch_general_meeting",
            _month_day(2020, month, 8),
            f"第{quarter}季度支部党员大会",
            everyone,
            secretary,
            f"党员大会{meeting}。",
        )
        held(
            "party_lesson",
            _month_day(2020, month, 22),
            f"第{quarter}季度书记讲党课：{lesson}",
            everyone,
            secretary,
            f"书记讲党课“{lesson}”，联系学校实际举了三个例子。",
        )
        held(
            "assessment",
            _month_day(2020, month, 24),
            f"第{quarter}季度意识形态工作分析研判",
            committee,
            principal,
            f"逐项研判本季度风险，重点研判了{judged}，明确由班主任做好提醒。",
        )
    held(
        "ideology_session", date(2020, 4, 16), "支委会专题研究意识形态工作", committee, secretary,
        "研究复学后课堂、教材和校园网站的把关，要求教材教辅进校前由教务处审核。",
    )  # fmt: skip
    held(
        "ideology_session", date(2020, 10, 15), "支委会专题研究意识形态工作（下半年）", committee, secretary,
        "研究五中全会精神和评价改革方案的学习宣传，部署家长群和班级群的年度检查。",
    )  # fmt: skip
    held(
        "report_upward", date(2020, 7, 6), "向县教育局党组报告上半年意识形态工作", committee, secretary,
        "审定上半年意识形态工作报告，报告写了线上教学期间的做法和家长群管理的不足，会后报县教育局党组。",
    )  # fmt: skip
    held(
        "report_upward", date(2020, 12, 28), "向县教育局党组报告全年意识形态工作", committee, secretary,
        "审定全年意识形态工作报告，会后报县教育局党组。",
    )  # fmt: skip
    held(
        "ethics_lecture",
        date(2020, 9, 10),
        "教师节道德讲堂：师德师风",
        everyone,
        principal,
        "教师节当天，两名从教三十年的老教师讲自己的从教故事，全体教师重温教师誓词。",
        location="学校报告厅",
    )
    held(
        "ethics_lecture", date(2020, 12, 3), "宪法宣传日道德讲堂", everyone, vice,
        "国家宪法日前夕，政治组教师讲宪法与未成年人保护，法治副校长答教师提问。", location="学校报告厅",
    )  # fmt: skip
    for day, topic, minutes in [
        (date(2020, 3, 14), "疫情防控校园值守志愿服务", "党员教师分班次在校门口值守，协助做好返校准备。"),
        (date(2020, 9, 19), "文明校园创建志愿服务", "党员教师带领学生清扫校园周边，清理小广告二十余处。"),
    ]:
        held("volunteer_service", day, topic, everyone, vice, minutes, location="校园")
    school_practices.build(branch)
    return branch
