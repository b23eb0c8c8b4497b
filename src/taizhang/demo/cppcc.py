"""The county CPPCC organ (县政协机关), first half of 2020.

Its ledger yields the seed's counts for the half year: 4 central group studies, 2 seminars,
8 collective studies, 6 cell studies and 6 theme party days, plus the ideology session, joint
meeting, upward report, risk assessments and yearly plans the seed says the organ keeps.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from taizhang.demo import cppcc_offices, cppcc_practices
from taizhang.demo.build import NameMaker, demo_user, record
from taizhang.ledger.models import Activity
from taizhang.ledger.services import reflection_create
from taizhang.org.models import Area, Duty, Post, Role, Unit, UnitKind
from taizhang.org.services import person_create, position_create, responsibility_set, unit_create

OFFICES = [
    ("cppcc-office", "县政协办公室", "办公室"),
    ("cppcc-proposal", "县政协提案委员会", "提案委"),
    ("cppcc-economy", "县政协经济科技委员会", "经科委"),
    ("cppcc-social", "县政协社会法制民族宗教委员会", "社法委"),
    ("cppcc-culture", "县政协文化文史和学习委员会", "文史委"),
]

MATERIALS = [
    "习近平新时代中国特色社会主义思想学习纲要（相关章节）",
    "习近平总书记关于统筹疫情防控和经济社会发展的重要讲话",
    "《国家安全知识百问》",
    "习近平总书记关于力戒形式主义官僚主义的重要论述摘编",
    "党的十九届四中全会《决定》",
    "习近平总书记关于脱贫攻坚的重要论述摘编",
    "全国“两会”精神学习辅导材料",
    "《中国共产党政治协商工作条例》",
]


REFLECTION_TEXTS = [
    "通过学习{topic}，进一步认识到必须把理论学习同本职工作结合起来。今后要在调研、协商和服务委员中把学到的要求落到实处。",
    "这次学习{topic}，使我对政协工作的方向有了更清楚的把握。自己在学用结合上还有差距，下一步要多读原文、多联系实际。",
    "学习{topic}后，我梳理了本岗位的工作，找出了两点不足，准备在下半年逐项改进，并主动向同事请教。",
]


def build(parent: Unit | None = None) -> Unit:
    rng = random.Random(2020_06)
    name = NameMaker(seed=2020)
    organ = unit_create(
        code="cppcc", name="县政协机关", short_name="政协机关", kind=UnitKind.ORGAN, parent=parent
    )
    offices = [
        unit_create(code=c, name=n, short_name=s, kind=UnitKind.OFFICE, parent=organ) for c, n, s in OFFICES
    ]

    # The leading group sits in the organ itself; staff sit in the offices.
    secretary = person_create(unit=organ, name=name(), job_title="县政协党组书记、主席")
    leader = person_create(unit=organ, name=name(), job_title="县政协党组成员、副主席")
    vice = [person_create(unit=organ, name=name(), job_title="县政协副主席") for _ in range(2)]
    secretary_general = person_create(unit=organ, name=name(), job_title="县政协党组成员、秘书长")
    directors = [
        person_create(unit=office, name=name(), job_title=f"{office.short_name}主任") for office in offices
    ]
    officer = person_create(unit=offices[0], name=name(), job_title="办公室干事（宣传信息专人）")
    staff = [
        person_create(
            unit=offices[i % len(offices)], name=name(), job_title="干部", is_party_member=i % 5 != 4
        )
        for i in range(12)
    ]

    position_create(
        person=secretary, unit=organ, post=Post.SECRETARY, title="党组书记", start=date(2017, 1, 10)
    )
    position_create(
        person=leader,
        unit=organ,
        post=Post.LEADER_IN_CHARGE,
        title="分管意识形态工作",
        start=date(2018, 3, 1),
    )
    position_create(
        person=officer,
        unit=organ,
        post=Post.DESIGNATED_OFFICER,
        title="宣传思想工作专人",
        start=date(2019, 2, 1),
    )
    for director, office in zip(directors, offices, strict=True):
        position_create(
            person=director, unit=office, post=Post.OFFICE_DIRECTOR, title=f"{office.short_name}主任"
        )
    for person in [*vice, secretary_general, *staff]:
        position_create(person=person, unit=person.unit, post=Post.MEMBER)

    # 党组书记负总责、分管领导具体负责、各委室主任配合; a designated officer for publicity.
    for area in Area.objects.all():
        responsibility_set(unit=organ, area=area, person=secretary, duty=Duty.ACCOUNTABLE)
        responsibility_set(unit=organ, area=area, person=leader, duty=Duty.RESPONSIBLE)
        for director in directors:
            responsibility_set(unit=organ, area=area, person=director, duty=Duty.SUPPORTING)
    responsibility_set(
        unit=organ, area=Area.objects.get(code="publicity"), person=officer, duty=Duty.RESPONSIBLE
    )

    demo_user("cppcc-clerk", person=officer, unit=organ, role=Role.UNIT_ADMIN)
    demo_user("cppcc-leader", person=leader, unit=organ, role=Role.LEADER)
    demo_user("cppcc-secretary", person=secretary, unit=organ, role=Role.LEADER)
    demo_user("cppcc-member", person=staff[0], unit=staff[0].unit, role=Role.MEMBER)

    group = [secretary, leader, *vice, secretary_general]
    everyone = [*group, *directors, officer, *staff]
    party = [p for p in everyone if p.is_party_member]
    hall = "县政协机关三楼会议室"

    def held(kind, day, topic, people, host, materials=(), location=hall, minutes="", highlight=""):
        return record(
            unit=organ,
            kind=kind,
            day=day,
            topic=topic,
            people=people,
            rng=rng,
            host=host,
            recorder=officer,
            materials=materials,
            location=location,
            minutes=minutes
            or f"{host.name}主持会议。与会人员围绕“{topic}”逐项学习讨论，明确了贯彻落实的具体措施。",
            highlight=highlight,
        )

    # Plans of the year (工作要点、理论学习计划、中心组学习计划).
    held("work_points", date(2020, 2, 18), "研究制定机关2020年意识形态工作要点", group, secretary)
    held("study_plan", date(2020, 2, 18), "研究制定机关2020年理论学习计划", group, secretary)
    held("study_plan", date(2020, 2, 19), "印发党组理论学习中心组2020年学习计划", group, secretary)

    # 党组中心组学习 ×4
    for day, topic, mats in [
        (date(2020, 1, 16), "学习党的十九届四中全会精神", [MATERIALS[4]]),
        (date(2020, 3, 12), "学习习近平总书记关于统筹疫情防控和经济社会发展的重要讲话", [MATERIALS[1]]),
        (date(2020, 4, 23), "学习总体国家安全观", [MATERIALS[2], MATERIALS[0]]),
        (date(2020, 6, 4), "学习全国“两会”精神", [MATERIALS[6], MATERIALS[7]]),
    ]:
        held("central_group_study", day, topic, group, secretary, mats)

    # 专题研讨 ×2
    held(
        "seminar",
        date(2020, 4, 28),
        "专题研讨：力戒形式主义官僚主义",
        group + directors,
        leader,
        [MATERIALS[3]],
    )
    held(
        "seminar",
        date(2020, 6, 18),
        "专题研讨：政协专门协商机构作用的发挥",
        group + directors,
        leader,
        [MATERIALS[7]],
    )

    # 机关干部集中学习 ×8
    collective = [
        (date(2020, 1, 9), "学习“不忘初心、牢记使命”主题教育总结大会精神"),
        (date(2020, 2, 27), "学习疫情防控工作纪律要求"),
        (date(2020, 3, 19), "学习习近平总书记关于脱贫攻坚的重要论述"),
        (date(2020, 4, 9), "学习《中国共产党政治协商工作条例》"),
        (date(2020, 4, 30), "学习国家安全法律法规"),
        (date(2020, 5, 14), "学习全国政协有关会议精神"),
        (date(2020, 5, 28), "学习全国“两会”精神"),
        (date(2020, 6, 11), "学习民法典相关知识"),
    ]
    for day, topic in collective:
        # Nothing is studied before it exists: the national "two sessions" met in late May 2020.
        issued = [m for m in MATERIALS if m != MATERIALS[6] or day >= date(2020, 5, 28)]
        online = day == date(2020, 2, 27)  # during the lockdown the organ studied online
        held(
            "collective_study",
            day,
            topic,
            everyone,
            leader,
            rng.sample(issued, 2),
            location="线上（机关干部微信工作群）" if online else hall,
            highlight="封控期间把集中学习搬到线上，提前在工作群推送学习材料，再用视频连线交流体会，"
            "做到人员不聚集、学习不断线"
            if online
            else "",
        )

    # 党小组学习 ×6 and 主题党日 ×6, once a month
    for month in range(1, 7):
        held(
            "cell_study",
            date(2020, month, 20),
            f"党小组{month}月集中学习",
            party,
            secretary_general,
            [MATERIALS[0]],
        )
        held(
            "theme_day",
            date(2020, month, 25 if month != 2 else 26),
            [
                "重温入党誓词",
                "疫情防控志愿服务",
                "学习身边先进典型",
                "清明祭扫烈士陵园",
                "五四青年座谈",
                "七一前夕党性教育",
            ][month - 1],
            party,
            secretary,
            location=hall if month not in (2, 4) else "县烈士陵园",
        )

    # Leadership and responsibility: ideology session, joint meeting, upward report, assessments.
    held("ideology_session", date(2020, 3, 5), "党组会议专题研究意识形态工作", group, secretary)
    held(
        "joint_meeting",
        date(2020, 5, 21),
        "2020年上半年意识形态工作联席会议",
        group + directors + [officer],
        leader,
        highlight="联席会议逐一听取各委室的工作情况，针对疫情期间工作群管理和对外发布把关中暴露的问题，"
        "当场明确了整改责任人和完成时限",
    )
    held("report_upward", date(2020, 6, 29), "向县委、县政协党组报告上半年意识形态工作", group, secretary)
    held("assessment", date(2020, 3, 26), "一季度意识形态领域风险点分析研判", [*group, officer], leader)
    held("assessment", date(2020, 6, 23), "二季度意识形态领域风险点分析研判", [*group, officer], leader)
    held(
        "warning_education",
        date(2020, 5, 7),
        "通过视频会议通报违规违纪典型案例",
        everyone,
        secretary,
        location="视频会议",
        highlight="借助视频会议系统，把疫情期间查处的违规违纪案例讲给全体干部和委员听，"
        "以身边事警示身边人，大家对战时纪律有了更直观的认识",
    )
    held("ethics_lecture", date(2020, 5, 15), "道德讲堂：家风与作风", everyone, leader)
    consultations = [
        (
            date(2020, 5, 26),
            "公共卫生服务能力建设专题协商",
            secretary,
            "县疾控中心",
            "调研组先后走访县疾控中心和三家乡镇卫生院，听情况、看现场、找短板，"
            "协商形成的提高疾病预防控制能力的建议案提交常委会议审议通过，转县政府研究办理",
        ),
        (
            date(2020, 6, 16),
            "优化营商环境专题调研座谈",
            leader,
            "县经济开发区",
            "组织委员到开发区与二十多家企业面对面座谈，把复工复产中反映集中的用工、融资、审批难题"
            "逐条梳理成清单，形成专题报告送县委、县政府参阅",
        ),
    ]
    for day, topic, host, place, story in consultations:
        held("consultation", day, topic, group + directors, host, location=place, highlight=story)

    # Everyone writes a study reflection (学习体会) after one of the half year's studies.
    studies = list(
        Activity.objects.filter(unit=organ, kind__code__in=["central_group_study", "collective_study"])
    )
    for person in everyone:
        study = rng.choice(studies)
        reflection_create(
            person=person,
            activity=study,
            title=f"学习“{study.topic}”的体会",
            text=rng.choice(REFLECTION_TEXTS).format(topic=study.topic),
            date=min(study.date + timedelta(days=rng.randint(2, 9)), date(2020, 6, 30)),
        )

    # The offices keep their own weekly study records too (seen only with --with-children).
    for office, director in zip(offices, directors, strict=True):
        members = [director, *[p for p in staff if p.unit_id == office.pk]]
        record(
            unit=office,
            kind="collective_study",
            day=date(2020, 3, 30),
            topic=f"{office.short_name}业务学习",
            people=members,
            rng=rng,
            host=director,
            recorder=director,
            materials=[MATERIALS[7]],
            location=f"{office.short_name}办公室",
        )
    cppcc_practices.build(organ)
    cppcc_offices.build(organ)
    return organ
