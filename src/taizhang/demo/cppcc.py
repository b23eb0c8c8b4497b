"""The county CPPCC organ (县政协机关), 2020.

Its first half yields the seed's counts: 4 central group studies, 2 seminars, 8 collective
studies, 6 cell studies and 6 theme party days, plus the ideology session, joint meeting, upward
report, risk assessments and yearly plans the seed says the organ keeps. The second half is the
demo's own (``cppcc_second_half``), so that the year reads as a year. Every record keeps to its
time (``core.timeline``): nothing is studied before it existed, no meeting falls on a public
holiday, and whoever hosts a meeting attended it.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from taizhang.core import timeline
from taizhang.demo import cppcc_offices, cppcc_practices, cppcc_second_half
from taizhang.demo.build import NameMaker, demo_user, meeting_writer, record
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
    "习近平总书记在中央政协工作会议暨庆祝中国人民政治协商会议成立70周年大会上的讲话",
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

    names = {
        "secretary": secretary.name,
        "leader": leader.name,
        "general": secretary_general.name,
        "officer": officer.name,
        "director": directors[0].name,
    }
    held = meeting_writer(unit=organ, rng=rng, recorder=officer, names=names, location=hall)

    # Plans of the year (工作要点、理论学习计划、中心组学习计划).
    held(
        "work_points", date(2020, 2, 18), "研究制定机关2020年意识形态工作要点", group, secretary,
        minutes="{host}主持党组会议，讨论机关2020年意识形态工作要点（送审稿）。结合疫情防控形势，会议补充了"
        "工作群管理和对外信息发布审核两条措施，同意修改后印发。",
    )  # fmt: skip
    held(
        "study_plan", date(2020, 2, 18), "研究制定机关2020年理论学习计划", group, secretary,
        minutes="会议审议机关2020年理论学习计划，按月排出集中学习专题；疫情期间可改为线上学习，"
        "因公缺学的由所在委室负责补学。",
    )  # fmt: skip
    held(
        "study_plan", date(2020, 2, 19), "印发党组理论学习中心组2020年学习计划", group, secretary,
        minutes="印发党组理论学习中心组2020年学习计划，确定每季度的学习专题和领学人，"
        "每次学习安排一至两名班子成员重点发言。",
    )  # fmt: skip

    # 党组中心组学习 ×4
    for day, topic, mats, minutes in [
        (
            date(2020, 1, 16), "学习党的十九届四中全会精神", [MATERIALS[4]],
            "{host}领学全会《决定》关于坚持和完善人民政协制度的论述，{leader}等三名班子成员结合分管工作"
            "谈了体会。会议要求把学习全会精神同谋划全年协商议题结合起来。",
        ),
        (
            date(2020, 3, 12), "学习习近平总书记关于统筹疫情防控和经济社会发展的重要讲话", [MATERIALS[1]],
            "会议分散就座、控制人数召开。{host}传达讲话精神，班子成员围绕委员如何服务企业复工复产逐一发言，"
            "会议确定由经科委牵头开展复工复产专题调研。",
        ),
        (
            date(2020, 4, 23), "学习总体国家安全观", [MATERIALS[2], MATERIALS[0]],
            "结合全民国家安全教育日，学习总体国家安全观。{leader}重点讲了政治安全和网络安全的要求，"
            "会议要求办公室对机关各类工作群再排查一遍。",
        ),
        (
            date(2020, 6, 4), "学习全国“两会”精神", [MATERIALS[6], MATERIALS[7]],
            "学习政府工作报告和全国政协常委会工作报告，班子成员交流了收看大会的体会，"
            "会议对下半年调研协商和委员联络工作提出了要求。",
        ),
    ]:  # fmt: skip
        held("central_group_study", day, topic, group, secretary, mats, minutes=minutes)

    # 专题研讨 ×2
    held(
        "seminar",
        date(2020, 4, 28),
        "专题研讨：力戒形式主义官僚主义",
        group + directors,
        leader,
        [MATERIALS[3]],
        minutes="{host}主持研讨。班子成员和各委室主任逐一发言，对照“文山会海”“调研走过场”等表现查摆问题"
        "9条，会后由办公室汇总成整改清单。",
    )
    held(
        "seminar",
        date(2020, 6, 18),
        "专题研讨：政协专门协商机构作用的发挥",
        group + directors,
        leader,
        [MATERIALS[7]],
        minutes="各委室主任结合“协商在一线”的做法谈认识、提建议，{host}作总结讲话，"
        "要求下半年把协商议事室向村组延伸。",
    )

    # 机关干部集中学习 ×8
    collective = [
        (
            date(2020, 1, 9), "学习“不忘初心、牢记使命”主题教育总结大会精神",
            "{host}传达主题教育总结大会精神，要求各委室对照检视出的问题，逐条对账销号。",
        ),
        (
            date(2020, 2, 27), "学习疫情防控工作纪律要求",
            "在工作群推送防控纪律要求，干部在线学习后逐一回复学习体会，{host}通过视频连线作点评。",
        ),
        (
            date(2020, 3, 19), "学习习近平总书记关于脱贫攻坚的重要论述",
            "学习关于脱贫攻坚的重要论述，联系帮扶村的两名干部介绍了村里产业和务工的进展。",
        ),
        (
            date(2020, 4, 9), "学习中央政协工作会议精神",
            "再学习中央政协工作会议上的重要讲话，围绕“专门协商机构”的定位，"
            "干部交流了在提案、调研和委员服务中的做法。",
        ),
        (
            date(2020, 4, 30), "学习国家安全法律法规",
            "学习国家安全法和网络安全法的有关条文，{officer}结合工作群管理讲了信息转发的注意事项。",
        ),
        (
            date(2020, 5, 14), "学习全国政协有关会议精神",
            "学习全国政协有关会议精神，各委室交流了疫情期间组织委员履职的做法。",
        ),
        (
            date(2020, 5, 28), "学习全国“两会”精神",
            "集中收看大会闭幕会，{host}领学政府工作报告要点，干部围绕“六稳”“六保”谈认识。",
        ),
        (
            date(2020, 6, 11), "学习民法典相关知识",
            "邀请县司法局干部解读民法典总则编和物权编，干部结合家庭和工作中遇到的事提问交流。",
        ),
    ]  # fmt: skip
    for day, topic, minutes in collective:
        # Nothing is studied before it exists (core.timeline): the national "two sessions" met in
        # late May 2020, the speech on the epidemic and development was given on 23 February.
        issued = [m for m in MATERIALS if not timeline.anachronisms(m, day)]
        online = day == date(2020, 2, 27)  # during the lockdown the organ studied online
        held(
            "collective_study",
            day,
            topic,
            everyone,
            leader,
            rng.sample(issued, 2),
            location="线上（机关干部微信工作群）" if online else hall,
            minutes=minutes,
            highlight="封控期间把集中学习搬到线上，提前在工作群推送学习材料，再用视频连线交流体会，"
            "做到人员不聚集、学习不断线"
            if online
            else "",
        )

    # 党小组学习 ×6 and 主题党日 ×6, once a month (none on a public holiday: the first theme day
    # is before the Spring Festival, the Qingming one before the holiday, June's before 1 July)
    cell_minutes = [
        "学习《学习纲要》导读部分，{host}布置了全年自学篇目。",
        "疫情期间在线学习《学习纲要》关于人民至上的章节，党员在群里交流了下沉社区的见闻。",
        "学习《学习纲要》关于全面深化改革的章节，结合复工复产谈体会。",
        "学习《学习纲要》关于总体国家安全观的章节，讨论工作群信息安全。",
        "学习《学习纲要》关于党的建设的章节，三名党员交流了读书笔记。",
        "学习《学习纲要》关于协商民主的章节，{host}对上半年党小组学习作了小结。",
    ]
    theme_days = [
        (date(2020, 1, 22), "重温入党誓词", hall, "{host}领誓，全体党员重温入党誓词，并为两名新转正党员佩戴党徽。"),
        (
            date(2020, 2, 26), "疫情防控志愿服务", hall,
            "党员分组到联系社区卡点值守、入户登记，活动结束后在机关会议室作了简短交流。",
        ),
        (date(2020, 3, 25), "学习身边先进典型", hall, "两名在社区卡点值守的党员讲述一线经历，大家谈了感受。"),
        (
            date(2020, 4, 3), "清明祭扫烈士陵园", "县烈士陵园",
            "清明节前，党员到县烈士陵园敬献花篮、瞻仰烈士事迹，{host}讲了陵园里几位烈士的故事。",
        ),
        (date(2020, 5, 25), "五四青年座谈", hall, "机关35岁以下干部座谈，谈入职以来的成长和对机关工作的建议。"),
        (
            date(2020, 6, 30), "七一前夕党性教育", hall,
            "七一前夕，{host}讲党性教育课，党员对照党章查找差距，会上表扬了疫情防控中表现突出的党员。",
        ),
    ]  # fmt: skip
    for month in range(1, 7):
        held(
            "cell_study",
            date(2020, month, 20),
            f"党小组{month}月集中学习",
            party,
            secretary_general,
            [MATERIALS[0]],
            minutes=cell_minutes[month - 1],
        )
        day, topic, place, minutes = theme_days[month - 1]
        held("theme_day", day, topic, party, secretary, location=place, minutes=minutes)

    # Leadership and responsibility: ideology session, joint meeting, upward report, assessments.
    held(
        "ideology_session", date(2020, 3, 5), "党组会议专题研究意识形态工作", group, secretary,
        minutes="党组会议听取{leader}关于一季度意识形态工作的汇报，研究疫情期间网上舆情的应对，"
        "明确由{officer}每日收集委员群内的舆情并报分管领导。",
    )  # fmt: skip
    held(
        "joint_meeting",
        date(2020, 5, 21),
        "2020年上半年意识形态工作联席会议",
        group + directors + [officer],
        leader,
        minutes="{host}召集，各委室主任汇报本委室阵地管理和信息报送情况，会议通报了两起工作群转发不实信息的问题。",
        highlight="联席会议逐一听取各委室的工作情况，针对疫情期间工作群管理和对外发布把关中暴露的问题，"
        "当场明确了整改责任人和完成时限",
    )
    held(
        "report_upward", date(2020, 6, 29), "向县委、县政协党组报告上半年意识形态工作", group, secretary,
        minutes="党组会议审定上半年意识形态工作情况报告，报告如实写了阵地管理中的两处不足，会后报送县委。",
    )  # fmt: skip
    held(
        "assessment", date(2020, 3, 26), "一季度意识形态领域风险点分析研判", [*group, officer], leader,
        minutes="研判疫情期间工作群转发未经核实信息的风险，定为高风险，由{officer}负责落实提醒和群公告。",
    )  # fmt: skip
    held(
        "assessment", date(2020, 6, 23), "二季度意识形态领域风险点分析研判", [*group, officer], leader,
        minutes="复核一季度的高风险点，已得到缓解；新识别“宣传思想工作力量薄弱”风险，由{leader}牵头落实培训措施。",
    )  # fmt: skip
    held(
        "warning_education",
        date(2020, 5, 7),
        "通过视频会议通报违规违纪典型案例",
        everyone,
        secretary,
        location="视频会议",
        minutes="{host}通报疫情期间查处的违规违纪典型案例，要求干部严守战时纪律。",
        highlight="借助视频会议系统，把疫情期间查处的违规违纪案例讲给全体干部和委员听，"
        "以身边事警示身边人，大家对战时纪律有了更直观的认识",
    )
    held(
        "ethics_lecture", date(2020, 5, 15), "道德讲堂：家风与作风", everyone, leader,
        minutes="{host}主讲家风与作风，两名干部分享了自家的家训故事，全体干部诵读了《朱子家训》选段。",
    )  # fmt: skip
    consultations = [
        (
            date(2020, 5, 26),
            "公共卫生服务能力建设专题协商",
            secretary,
            "县疾控中心",
            "县卫健局、疾控中心负责人介绍情况，委员们围绕疾控人员编制、基层发热门诊和应急物资储备提出建议。",
            "调研组先后走访县疾控中心和三家乡镇卫生院，听情况、看现场、找短板，"
            "协商形成的提高疾病预防控制能力的建议案提交常委会议审议通过，转县政府研究办理",
        ),
        (
            date(2020, 6, 16),
            "优化营商环境专题调研座谈",
            leader,
            "县经济开发区",
            "委员与开发区企业负责人座谈，县发改、人社、行政审批部门现场回应了企业提出的问题。",
            "组织委员到开发区与二十多家企业面对面座谈，把复工复产中反映集中的用工、融资、审批难题"
            "逐条梳理成清单，形成专题报告送县委、县政府参阅",
        ),
    ]
    for day, topic, host, place, minutes, story in consultations:
        held(
            "consultation",
            day,
            topic,
            group + directors,
            host,
            location=place,
            minutes=minutes,
            highlight=story,
        )

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
            minutes=f"{director.name}主持，学习中央政协工作会议上的重要讲话，结合{office.short_name}的业务，"
            "商定了二季度的工作安排。",
        )
    cppcc_practices.build(organ)
    cppcc_offices.build(organ)
    cppcc_second_half.build(organ, rng=random.Random(2020_12))
    return organ
