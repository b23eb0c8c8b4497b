"""The county (县) above the demo's two organisations, and a dozen more units with generated ledgers.

The county itself is a region: no requirement applies to it, it only holds the organisations a
county leader compares. Its generated organs, offices and branches keep 2019 and 2020 ledgers
derived from the default framework's own requirements (each requirement a unit's kind must meet,
period by period), each unit doing a seeded share of what it must: a few keep almost everything,
a few lag well behind, so the county's dashboard has a believable spread. Everything comes from one
``random.Random`` seed, so two loads give the same records.

The records are bulk-inserted (with their history rows), not saved one by one through the forms'
service: a few thousand activities and their attendance would otherwise cost the test session
many seconds. The rollup's triggers still see every insert.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import connection
from simple_history.utils import bulk_create_with_history

from taizhang.core import timeline
from taizhang.core.periods import Period
from taizhang.demo.build import NameMaker, demo_user
from taizhang.ledger import rollup
from taizhang.ledger.models import Activity, ActivityKind, Attendance
from taizhang.org.models import Post, Role, Unit, UnitKind
from taizhang.org.services import person_create, position_create, unit_create
from taizhang.reporting.models import Adoption, Level, Submission, SubmissionKind
from taizhang.rules.queries import rules_of
from taizhang.rules.services import framework_ensure_default

YEARS = (2019, 2020)

# (code, name, short name, kind, parent code or "", share of its duties a unit keeps)
UNITS = [
    ("county-office", "县委办公室", "县委办", UnitKind.ORGAN, "", 0.97),
    ("county-publicity", "县委宣传部", "宣传部", UnitKind.ORGAN, "", 0.95),
    ("county-publicity-theory", "县委宣传部理论科", "理论科", UnitKind.OFFICE, "county-publicity", 0.9),
    ("county-publicity-news", "县委宣传部新闻科", "新闻科", UnitKind.OFFICE, "county-publicity", 0.8),
    ("county-education", "县教育局", "教育局", UnitKind.ORGAN, "", 0.86),
    ("county-health", "县卫生健康局", "卫健局", UnitKind.ORGAN, "", 0.62),
    ("county-culture", "县文化广电旅游局", "文广旅局", UnitKind.ORGAN, "", 0.74),
    ("county-media", "县融媒体中心", "融媒体中心", UnitKind.ORGAN, "", 0.9),
    ("county-town", "城关镇机关党支部", "城关镇支部", UnitKind.BRANCH, "", 0.68),
    ("county-hospital", "县人民医院党支部", "人民医院支部", UnitKind.BRANCH, "", 0.5),
    ("county-school2", "县第二中学党支部", "二中支部", UnitKind.BRANCH, "", 0.82),
    ("county-community", "城东社区党支部", "城东社区支部", UnitKind.BRANCH, "", 0.4),
]

TOPICS = {
    "central_group_study": "中心组专题学习",
    "seminar": "专题研讨",
    "collective_study": "干部职工集体学习",
    "cell_study": "党小组学习",
    "theme_day": "主题党日",
    "micro_lesson": "微党课",
    "party_lesson": "党课",
    "branch_general_meeting": "党员大会",
    "branch_committee_meeting": "支委会",
    "cell_meeting": "党小组会",
    "ideology_session": "专题研究意识形态工作",
    "joint_meeting": "意识形态工作联席会议",
    "report_upward": "向上级报告意识形态工作",
    "assessment": "意识形态风险研判",
    "work_points": "制定年度意识形态工作要点",
    "study_plan": "制定年度理论学习计划",
    "ethics_lecture": "道德讲堂",
}


def build_root() -> Unit:
    """The county region and its leader's login (the county's own leading group sits in it)."""
    county = unit_create(code="county", name="清源县", short_name="清源县", kind=UnitKind.REGION)
    name = NameMaker(seed=2019)
    head = person_create(unit=county, name=name(), job_title="县委常委、宣传部部长")
    demo_user("county-leader", person=head, unit=county, role=Role.LEADER)
    return county


def build_units(county: Unit) -> list[Unit]:
    """The generated organs, offices and branches under ``county``, with their people and ledgers."""
    rng = random.Random(2019_2020)
    name = NameMaker(seed=1949)
    rules = [
        r
        for r in rules_of(framework_ensure_default())
        if r.counts == "activities" and r.kinds and r.measure in ("count", "document")
    ]
    # attendance is kept for the kinds whose requirements read it (evidence or a rate), as a clerk would
    roll_called = {
        kinds_code
        for r in rules_of(framework_ensure_default())
        if r.measure == "rate" or "attendance" in r.evidence
        for kinds_code in r.kinds
    }
    kinds = dict(ActivityKind.objects.values_list("code", "pk"))
    made: dict[str, Unit] = {}
    activities: list[Activity] = []
    people_of: dict[int, list] = {}
    diligence: dict[int, float] = {}
    for code, full, short, kind, parent, share in UNITS:
        unit = unit_create(code=code, name=full, short_name=short, kind=kind, parent=made.get(parent, county))
        made[code] = unit
        diligence[unit.pk] = share
        head = person_create(
            unit=unit, name=name(), job_title="党组书记" if kind != UnitKind.BRANCH else "支部书记"
        )
        deputy = person_create(unit=unit, name=name(), job_title="分管领导")
        officer = person_create(unit=unit, name=name(), job_title="宣传信息员")
        staff = [person_create(unit=unit, name=name(), job_title="干部") for _ in range(rng.randint(2, 4))]
        people_of[unit.pk] = [head, deputy, officer, *staff]
        position_create(person=head, unit=unit, post=Post.SECRETARY, title=head.job_title)
        position_create(person=deputy, unit=unit, post=Post.LEADER_IN_CHARGE, title="分管意识形态工作")
        position_create(person=officer, unit=unit, post=Post.DESIGNATED_OFFICER, title="宣传信息员")
        for year in YEARS:
            activities += _ledger(unit, year, rules=rules, kinds=kinds, share=share, rng=rng, host=head)
    with rollup.suspended_for_units(connection, [unit.pk for unit in made.values()]):
        created = bulk_create_with_history(activities, Activity, batch_size=500)
        roll_called_ids = {kinds[code] for code in roll_called if code in kinds}
        _attend([a for a in created if a.kind_id in roll_called_ids], people_of, diligence, rng)
    _reporting(made.values(), people_of, diligence, rng)
    return list(made.values())


def _attend(created, people_of, diligence, rng: random.Random) -> None:
    """Attendance of every generated activity: the more diligent the unit, the fuller the room."""
    attendance = []
    for activity in created:
        share = diligence[activity.unit_id]
        for person in people_of[activity.unit_id]:
            draw = rng.random()
            if person.pk == activity.host_id or draw < 0.55 + 0.42 * share:  # the host chaired it
                attendance.append(Attendance(activity=activity, person=person, status="present"))
            elif draw < 0.9 + 0.1 * share:
                attendance.append(
                    Attendance(activity=activity, person=person, status="leave", reason="公务外出")
                )
            else:
                attendance.append(
                    Attendance(activity=activity, person=person, status="absent", reason="未说明原因")
                )
    Attendance.objects.bulk_create(attendance, batch_size=1000)


def _ledger(unit: Unit, year: int, *, rules, kinds, share: float, rng: random.Random, host) -> list[Activity]:
    """What ``unit`` recorded in ``year``: each requirement period's required count, each one kept
    with probability ``share``; a plan the unit keeps may still come after its deadline."""
    out = []
    seen: set[tuple[str, str]] = set()  # one kind may serve two rules (central group: count and rate)
    for rule in rules:
        if unit.kind not in rule.applies_to:
            continue
        kind = rule.kinds[0]
        for period in (
            Period(year, "year").split(rule.period) if rule.period != "year" else [Period(year, "year")]
        ):
            if (kind, period.code) in seen:
                continue
            seen.add((kind, period.code))
            for _ in range(int(rule.min + 0.999)):
                if rng.random() >= share:
                    continue
                span = (period.end - period.start).days
                if rule.measure == "document":  # a plan: early in the year, late for the laggards
                    day = date(year, 2, 10) + timedelta(days=rng.randint(0, 40 if share > 0.7 else 90))
                else:
                    day = period.start + timedelta(days=rng.randint(0, span))
                # never on a public holiday: the next working day, or the last one before it
                day = timeline.working_day_near(day, first=period.start, last=period.end)
                out.append(
                    Activity(
                        unit=unit,
                        kind_id=kinds[kind],
                        date=day,
                        topic=f"{day.month}月{TOPICS.get(kind, '学习')}",
                        host=host,
                        recorder=host,
                        location="会议室",
                        minutes=""
                        if rng.random() > share + 0.1
                        else f"{host.name}主持，围绕主题学习交流并部署落实。",
                    )
                )
    return out


def _reporting(units, people_of, diligence, rng: random.Random) -> None:
    """Information submitted upward and what the county, the city and the province adopted of it."""
    submissions = []
    for unit in units:
        if unit.kind == UnitKind.OFFICE:
            continue
        share = diligence[unit.pk]
        for year in YEARS:
            for _ in range(int(4 + 14 * share * rng.random() + 4 * share)):
                day = date(year, 1, 1) + timedelta(days=rng.randint(0, 360))
                submissions.append(
                    Submission(
                        unit=unit,
                        author=rng.choice(people_of[unit.pk]),
                        date=day,
                        kind=rng.choice(list(SubmissionKind.values)),
                        title=f"{unit.short_name}{day.month}月工作动态",
                    )
                )
    created = bulk_create_with_history(submissions, Submission, batch_size=500)
    adoptions = []
    for submission in created:
        share = diligence[submission.unit_id]
        if rng.random() < 0.3 + 0.5 * share:
            adoptions.append(_adoption(submission, Level.COUNTY, "《清源信息》", rng))
            if rng.random() < 0.3 * share:
                adoptions.append(_adoption(submission, Level.CITY, "《市委信息》", rng))
    bulk_create_with_history(adoptions, Adoption, batch_size=500)


def _adoption(submission: Submission, level: str, publication: str, rng: random.Random) -> Adoption:
    day = min(submission.date + timedelta(days=rng.randint(3, 20)), date(submission.date.year, 12, 31))
    return Adoption(
        submission=submission, level=level, publication=publication, issue_year=day.year, date=day
    )
