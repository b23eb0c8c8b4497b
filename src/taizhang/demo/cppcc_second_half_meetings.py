"""The county CPPCC organ's meetings in the second half of 2020 (``demo.cppcc_second_half``): its
studies, each on what had just come out and on a day after it existed, and its leadership's sessions,
joint meeting, assessments and upward report.
"""

from __future__ import annotations

from datetime import date

HALL = "县政协机关三楼会议室"

# What was studied, and the documents of the time each study used (each exists by its day).
BOOK_3 = "《习近平谈治国理政》第三卷（“发展社会主义民主政治”专题）"
AWARD_SPEECH = "习近平总书记在全国抗击新冠肺炎疫情表彰大会上的讲话"
PLENUM_COMMUNIQUE = "党的十九届五中全会公报"
PLENUM_PROPOSALS = "《中共中央关于制定国民经济和社会发展第十四个五年规划和二〇三五年远景目标的建议》"
LAW_SPEECH = "习近平总书记在中央全面依法治国工作会议上的讲话"
ELECTION_RULES = "《中国共产党基层组织选举工作条例》"
WASTE_INSTRUCTION = "习近平总书记关于制止餐饮浪费行为的重要指示"
CIVIL_CODE = "《中华人民共和国民法典》（婚姻家庭编、继承编）"
KOREA_SPEECH = "习近平总书记在纪念中国人民志愿军抗美援朝出国作战70周年大会上的讲话"
CONSTITUTION = "《中华人民共和国宪法》"
ECONOMIC_WORK = "中央经济工作会议精神学习辅导材料"


def studies(held, group, everyone, party, directors, secretary, leader, general) -> None:
    # 党组中心组学习 ×5: one a month or so, each on what had just come out
    held(
        "central_group_study", date(2020, 7, 16), "学习《习近平谈治国理政》第三卷", group, secretary, [BOOK_3],
        minutes="{host}领学第三卷“发展社会主义民主政治”专题中关于人民政协的篇目，{leader}、{general}结合"
        "专门协商机构建设谈体会。会议要求每名班子成员年内通读全书，各委室确定一篇重点研读。",
    )  # fmt: skip
    held(
        "central_group_study", date(2020, 9, 17), "学习全国抗击新冠肺炎疫情表彰大会精神", group, secretary,
        [AWARD_SPEECH],
        minutes="学习表彰大会上的重要讲话，围绕“生命至上、举国同心、舍生忘死、尊重科学、命运与共”交流体会。"
        "{host}要求把上半年机关干部和委员在防控中的做法整理成文史资料。",
        highlight="表彰大会后一周内，党组中心组即专题学习伟大抗疫精神，并把机关干部、委员参与防控的事迹"
        "交文史委整理，年底编成抗疫文史资料专辑",
    )  # fmt: skip
    held(
        "central_group_study", date(2020, 11, 5), "学习党的十九届五中全会精神", group, secretary,
        [PLENUM_COMMUNIQUE, PLENUM_PROPOSALS],
        minutes="全会闭幕后一周，{host}领学全会公报和《建议》说明，班子成员逐一发言，围绕县“十四五”规划中"
        "政协可以出力的领域提出协商选题，会议确定明年重点协商议题由各委室十一月底前报送。",
        highlight="全会闭幕一周内，党组中心组就专题学习全会精神，并当场把学习同谋划明年协商计划结合，"
        "各委室据此提出“十四五”开局之年的协商选题",
    )  # fmt: skip
    held(
        "central_group_study", date(2020, 11, 26), "学习习近平法治思想", group, secretary, [LAW_SPEECH, CIVIL_CODE],
        minutes="学习中央全面依法治国工作会议上的重要讲话，{leader}讲了民法典宣传的下一步安排，"
        "会议要求委员在协商监督中多用法治方式提建议。",
    )  # fmt: skip
    held(
        "central_group_study", date(2020, 12, 24), "学习中央经济工作会议精神", group, secretary, [ECONOMIC_WORK],
        minutes="学习中央经济工作会议精神，结合县里明年的经济工作安排，讨论政协明年围绕稳企业、保就业"
        "开展调研的重点。",
    )  # fmt: skip

    # 专题研讨 ×2
    held(
        "seminar", date(2020, 11, 19), "专题研讨：学习贯彻五中全会精神，谋划政协“十四五”履职", group + directors,
        leader, [PLENUM_PROPOSALS],
        minutes="各委室主任逐一汇报本委室的“十四五”履职设想，{host}逐条点评，研讨形成政协明年协商计划的"
        "初稿，提交党组会议审议。",
    )  # fmt: skip
    held(
        "seminar", date(2020, 12, 10), "专题研讨：弘扬伟大抗疫精神，锤炼干部作风", group + directors, leader,
        [AWARD_SPEECH],
        minutes="结合一年来的防控工作，干部围绕“战时作风如何转为平时作风”发言，会上梳理出文件办理、"
        "会议组织中三个需要提速的环节。",
    )  # fmt: skip

    # 机关干部集中学习 ×7 (two or more each quarter)
    for day, topic, materials, minutes in [
        (
            date(2020, 7, 23), "学习《中国共产党基层组织选举工作条例》", [ELECTION_RULES],
            "{general}解读条例关于支部换届的规定，机关党支部据此排出年内换届的时间表。",
        ),
        (
            date(2020, 8, 13), "学习习近平总书记关于制止餐饮浪费行为的重要指示", [WASTE_INSTRUCTION],
            "学习重要指示后，机关食堂当场商定按需取餐、小份供应，干部签名承诺践行“光盘行动”。",
        ),
        (
            date(2020, 9, 10), "观看全国抗击新冠肺炎疫情表彰大会录像", [AWARD_SPEECH],
            "集中观看表彰大会录像，三名参加过社区卡点值守的干部谈了感受。",
        ),
        (
            date(2020, 10, 22), "学习民法典婚姻家庭编和继承编", [CIVIL_CODE],
            "县人民法院法官结合离婚冷静期、遗嘱形式等新规定作辅导，干部现场提了七个问题。",
        ),
        (
            date(2020, 11, 12), "学习党的十九届五中全会公报", [PLENUM_COMMUNIQUE],
            "{host}领学全会公报，机关干部分组讨论，每组提交一条与本委室工作相关的学习心得。",
        ),
        (
            date(2020, 12, 3), "国家宪法日前夕学习宪法", [CONSTITUTION],
            "学习宪法关于人民政协的表述，新入职的两名干部进行了宪法宣誓。",
        ),
        (
            date(2020, 12, 17), "学习习近平法治思想", [LAW_SPEECH],
            "{host}讲了法治思想的主要内容，干部结合提案办理协商中的依法依规问题交流。",
        ),
    ]:  # fmt: skip
        held("collective_study", day, topic, everyone, leader, materials, minutes=minutes)

    # 党小组学习 and 主题党日, once a month
    for day, topic, materials, minutes in [
        (date(2020, 7, 20), "党小组学习：基层组织选举工作条例", [ELECTION_RULES], "对照条例逐条学习支部换届程序。"),
        (
            date(2020, 8, 20), "党小组学习：制止餐饮浪费", [WASTE_INSTRUCTION],
            "学习重要指示，党员交流家庭里节约粮食的做法。",
        ),
        (
            date(2020, 9, 21), "党小组学习：伟大抗疫精神", [AWARD_SPEECH],
            "学习伟大抗疫精神的内涵，{host}请在防控一线值守过的党员讲了一段经历。",
        ),
        (
            date(2020, 10, 27), "党小组学习：伟大抗美援朝精神", [KOREA_SPEECH],
            "学习纪念大会上的重要讲话，党员分享了家中长辈参加抗美援朝的故事。",
        ),
        (
            date(2020, 11, 20), "党小组学习：五中全会《建议》", [PLENUM_PROPOSALS],
            "分章节学习《建议》，每名党员选一段结合岗位写学习笔记。",
        ),
        (date(2020, 12, 21), "党小组学习：习近平法治思想", [LAW_SPEECH], "学习法治思想，{host}对全年党小组学习作了小结。"),
    ]:  # fmt: skip
        held("cell_study", day, topic, party, general, materials, minutes=minutes)
    for day, topic, place, minutes in [
        (
            date(2020, 7, 1), "庆祝建党99周年：重温入党誓词", HALL,
            "{host}领誓，全体党员重温入党誓词，为三名党龄满三十年的老党员颁发纪念章。",
        ),
        (
            date(2020, 8, 27), "践行“光盘行动”主题党日", "机关食堂",
            "党员到机关食堂张贴节约标识、值守餐余回收台，{host}通报了实行小份供应后剩饭减少的情况。",
        ),
        (
            date(2020, 9, 30), "烈士纪念日向人民英雄敬献花篮", "县烈士陵园",
            "烈士纪念日，党员到县烈士陵园敬献花篮，聆听讲解员讲述本县籍烈士的事迹。",
        ),
        (
            date(2020, 10, 28), "重温抗美援朝历史主题党日", HALL,
            "集体观看抗美援朝纪录片片段，请县退役军人事务局干部讲本县志愿军老战士的故事。",
        ),
        (
            date(2020, 11, 25), "民法典知识测试主题党日", HALL,
            "党员参加民法典知识闭卷测试，{host}对错误较多的三道题作了讲解。",
        ),
        (
            date(2020, 12, 4), "国家宪法日主题党日", HALL,
            "国家宪法日当天，党员诵读宪法序言，交流依宪履职的认识。",
        ),
    ]:  # fmt: skip
        held("theme_day", day, topic, party, secretary, location=place, minutes=minutes)

    held(
        "warning_education", date(2020, 10, 15), "观看警示教育片并通报典型案例", everyone, secretary,
        minutes="集中观看警示教育片，{host}通报本系统两起违反中央八项规定精神的典型案例，"
        "要求节日期间严守纪律。",
    )  # fmt: skip
    held(
        "ethics_lecture", date(2020, 8, 19), "道德讲堂：勤俭节约从餐桌做起", everyone, leader,
        minutes="{host}主讲勤俭节约的家风故事，机关食堂负责人介绍了小份菜的做法，全体干部诵读《朱子家训》"
        "中“一粥一饭，当思来处不易”一段。",
    )  # fmt: skip
    for day, topic, host, place, minutes, story in [
        (
            date(2020, 8, 25), "县“十四五”规划编制专题协商", secretary, HALL,
            "县发改局介绍规划编制思路，委员分组围绕产业、民生、生态三个方面发言，共提出建议二十六条。",
            "围绕县里正在编制的“十四五”规划，组织委员分组协商，把二十六条建议整理成专题报告送县委、县政府，"
            "其中关于县城老旧管网改造和农村寄递物流的建议被规划草案吸收",
        ),
        (
            date(2020, 11, 17), "协商在一线：老旧小区改造议事会", leader, "城关镇东关社区协商议事室",
            "居民代表、物业和住建部门在社区议事室面对面协商，商定加装电梯和停车位改造的先后顺序。",
            "把协商议事会开到老旧小区，居民代表、物业和住建部门当面商量，一次议定了两件群众盼了多年的事，"
            "社区把议定事项张榜公示、按月推进",
        ),
    ]:  # fmt: skip
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


def leadership(held, group, everyone, directors, secretary, leader, officer) -> None:
    held(
        "ideology_session", date(2020, 9, 3), "党组会议专题研究下半年意识形态工作", group, secretary,
        minutes="党组会议听取{leader}关于上半年意识形态工作的汇报，部署表彰大会和五中全会精神的学习宣传，"
        "要求年内对机关所有工作群再检查一次。",
    )  # fmt: skip
    held(
        "ideology_session", date(2020, 12, 22), "党组会议听取班子成员意识形态工作责任制落实情况述职",
        group, secretary,
        minutes="年终述职：班子成员逐一报告落实意识形态工作责任制的情况，{host}逐一点评，"
        "指出委员队伍中宣传骨干不足的问题，要求明年上半年前办一期信息宣传培训班。",
        highlight="年底党组会议上，班子成员逐一述职、书记逐一点评，把分管领域意识形态工作的情况摆到桌面上，"
        "点出的问题列入明年工作要点",
    )  # fmt: skip
    held(
        "joint_meeting", date(2020, 11, 24), "2020年下半年意识形态工作联席会议",
        [*group, *directors, officer], leader,
        minutes="{host}召集，各委室主任汇报下半年学习宣传五中全会精神和阵地管理的情况，会议对委员活动群"
        "转发不实信息的风险作了提醒，确定十二月中旬完成阵地年度检查。",
    )  # fmt: skip
    held(
        "assessment", date(2020, 9, 24), "三季度意识形态领域风险点分析研判", [*group, officer], leader,
        minutes="复核“宣传思想工作力量薄弱”风险，培训措施尚未落实，维持中风险，下次研判提前到十二月。",
    )  # fmt: skip
    held(
        "assessment", date(2020, 12, 15), "四季度意识形态领域风险点分析研判", [*group, officer], leader,
        minutes="复核“宣传思想工作力量薄弱”风险，仍未缓解；新识别冬季疫情期间网上不实信息传播的风险，"
        "由{officer}负责，明年一季度复核。",
    )  # fmt: skip
    held(
        "report_upward", date(2020, 12, 29), "向县委、县政协党组报告2020年意识形态工作", group, secretary,
        minutes="党组会议审定全年意识形态工作情况报告，报告写明了宣传队伍薄弱等问题和明年的措施，会后报送县委。",
    )  # fmt: skip
