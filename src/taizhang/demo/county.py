"""The county (县) above the demo's two organisations, and a dozen more units with generated ledgers.

The county itself is a region: no requirement applies to it, it only holds the organisations a
county leader compares. Its generated organs, offices and branches keep 2019 and 2020 ledgers
derived from the default framework's own requirements (each requirement a unit's kind must meet,
period by period), each unit doing a seeded share of what it must: a few keep almost everything,
a few lag well behind, so the county's dashboard has a believable spread. Everything comes from one
``random.Random`` seed, so two loads give the same records.

Each unit is true to its kind (its profile: a school, a hospital, the media centre, a community…):
what it studies comes from the calendar of what existed by then (``county_calendar``), its meetings
take up its own matters, and its year holds its own campaigns, articles, channels, risk points,
volunteer days and stories (``county_units``). Activities fall on working days, never on a public
holiday, and are hosted by someone who was there.

The activities are bulk-inserted (with their history rows), not saved one by one through the forms'
service: a few thousand activities and their attendance would otherwise cost the test session
many seconds. The rollup's triggers still see every insert. The other records go through their
modules' services, as a clerk's entries would.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import connection
from simple_history.utils import bulk_create_with_history

from taizhang.core.periods import Period
from taizhang.demo import county_practices
from taizhang.demo import county_units as data
from taizhang.demo.build import NameMaker, demo_user
from taizhang.demo.county_calendar import THEME_DAYS, is_working_day, subjects_for, working_day
from taizhang.ledger import rollup
from taizhang.ledger.models import Activity, ActivityKind, Attendance
from taizhang.org.models import Area, Duty, Post, Responsibility, Role, Unit, UnitKind, UnitProfile
from taizhang.org.services import person_create, position_create, unit_create
from taizhang.reporting.models import Adoption, Article, Level, Submission, SubmissionKind
from taizhang.rules.requirements import rules_of
from taizhang.rules.services import framework_ensure_default

YEARS = (2019, 2020)

# (code, name, short name, kind, parent code or "", share of its duties a unit keeps, profile)
UNITS = [
    ("county-office", "县委办公室", "县委办", UnitKind.ORGAN, "", 0.97, UnitProfile.PARTY_ORGAN),
    ("county-publicity", "县委宣传部", "宣传部", UnitKind.ORGAN, "", 0.95, UnitProfile.PARTY_ORGAN),
    ("county-publicity-theory", "县委宣传部理论科", "理论科", UnitKind.OFFICE, "county-publicity", 0.9, UnitProfile.PARTY_ORGAN),
    ("county-publicity-news", "县委宣传部新闻科", "新闻科", UnitKind.OFFICE, "county-publicity", 0.8, UnitProfile.PARTY_ORGAN),
    ("county-education", "县教育局", "教育局", UnitKind.ORGAN, "", 0.86, UnitProfile.GOVERNMENT),
    ("county-health", "县卫生健康局", "卫健局", UnitKind.ORGAN, "", 0.62, UnitProfile.GOVERNMENT),
    ("county-culture", "县文化广电旅游局", "文广旅局", UnitKind.ORGAN, "", 0.74, UnitProfile.GOVERNMENT),
    ("county-media", "县融媒体中心", "融媒体中心", UnitKind.ORGAN, "", 0.9, UnitProfile.MEDIA),
    ("county-town", "城关镇机关党支部", "城关镇支部", UnitKind.BRANCH, "", 0.68, UnitProfile.TOWN),
    ("county-hospital", "县人民医院党支部", "人民医院支部", UnitKind.BRANCH, "", 0.5, UnitProfile.HOSPITAL),
    ("county-school2", "县第二中学党支部", "二中支部", UnitKind.BRANCH, "", 0.82, UnitProfile.SCHOOL),
    ("county-community", "城东社区党支部", "城东社区支部", UnitKind.BRANCH, "", 0.4, UnitProfile.COMMUNITY),
]  # fmt: skip

LEADING = {"central_group_study", "ideology_session", "branch_general_meeting", "branch_committee_meeting",
           "party_lesson", "theme_day", "report_upward", "work_points", "study_plan"}  # fmt: skip
STUDY = {"central_group_study", "collective_study", "seminar", "cell_study", "party_lesson"}
MINUTES = (
    "与会人员逐一发言，结合分管工作谈了认识和打算。",
    "会议对下一步工作作了具体安排，明确了责任人和完成时限。",
    "学习后大家联系思想和工作实际进行了交流。",
    "会议要求各岗位把学习成果落实到具体工作中。",
)


def build_root() -> Unit:
    """The county region and its leader's login (the county's own leading group sits in it)."""
    county = unit_create(code="county", name="清源县", short_name="清源县", kind=UnitKind.REGION)
    name = NameMaker(seed=2019)
    head = person_create(unit=county, name=name(), job_title="县委常委、宣传部部长")
    demo_user("county-leader", person=head, unit=county, role=Role.LEADER)
    return county


class _Unit:
    """A generated unit while it is built: its people and the records it has so far."""

    def __init__(self, unit: Unit, share: float, people: list, rng: random.Random):
        self.unit, self.share, self.people, self.rng = unit, share, people, rng
        self.head, self.deputy, self.officer = people[:3]
        self.used: set[str] = set()  # subjects studied this year


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
    areas = {a.code: a for a in Area.objects.all()}
    made: dict[str, Unit] = {}
    built: list[_Unit] = []
    activities: list[tuple[Activity, _Unit]] = []
    duties: list[Responsibility] = []
    for code, full, short, kind, parent, share, profile in UNITS:
        unit = unit_create(
            code=code,
            name=full,
            short_name=short,
            kind=kind,
            parent=made.get(parent, county),
            profile=profile,
        )
        made[code] = unit
        head_title, deputy_title, officer_title, staff_titles = data.TITLES[code]
        head = person_create(unit=unit, name=name(), job_title=head_title)
        deputy = person_create(unit=unit, name=name(), job_title=deputy_title)
        officer = person_create(unit=unit, name=name(), job_title=officer_title)
        staff = [person_create(unit=unit, name=name(), job_title=t) for t in staff_titles]
        position_create(person=head, unit=unit, post=Post.SECRETARY, title=head_title)
        position_create(person=deputy, unit=unit, post=Post.LEADER_IN_CHARGE, title="分管意识形态工作")
        position_create(person=officer, unit=unit, post=Post.DESIGNATED_OFFICER, title=officer_title)
        duties += [
            Responsibility(unit=unit, area=area, person=person, duty=duty)
            for area in areas.values()
            for person, duty in (
                (head, Duty.ACCOUNTABLE),
                (deputy, Duty.RESPONSIBLE),
                (officer, Duty.SUPPORTING),
            )
        ]
        g = _Unit(unit, share, [head, deputy, officer, *staff], rng)
        built.append(g)
        for year in YEARS:
            g.used = set()
            activities += [(a, g) for a in _ledger(g, year, rules=rules, kinds=kinds)]
            activities += [(a, g) for a in _stories(g, year, kinds)]
    bulk_create_with_history(duties, Responsibility, batch_size=500)
    by_unit = {g.unit.pk: g for g in built}
    with rollup.suspended_for_units(connection, [unit.pk for unit in made.values()]):
        created = bulk_create_with_history([a for a, _ in activities], Activity, batch_size=500)
        roll_called_ids = {kinds[code] for code in roll_called if code in kinds}
        _attend(created, by_unit, roll_called_ids, rng)
    _reporting(built, rng)
    for g in built:
        _practices(g, areas, name)
    return list(made.values())


def _topic(g: _Unit, kind: str, day: date, period: Period) -> tuple[str, list[str]]:
    """What an activity of ``kind`` on ``day`` was about, and what was read: only what existed then."""
    code, year = g.unit.code, day.year
    if kind in STUDY:
        ready = [
            s
            for s in subjects_for(code)
            if (s[0] + timedelta(days=3) <= day and (day - s[0]).days <= 400) or s in data_own(code, day)
        ]
        fresh = [s for s in ready if s[1] not in g.used]
        pool = fresh or ready
        recent = [s for s in pool if (day - s[0]).days <= 75]
        _, topic, material = g.rng.choice(recent) if recent and g.rng.random() < 0.75 else g.rng.choice(pool)
        g.used.add(topic)
        if kind == "seminar":
            return "专题研讨：" + topic.removeprefix("学习"), [material]
        if kind == "party_lesson":
            return "书记讲党课：" + topic.removeprefix("学习"), [material]
        return topic, [material]
    if kind == "micro_lesson":
        lessons = data.MICRO_LESSONS.get(code, ("结合岗位讲初心", "身边的榜样", "守纪律讲规矩"))
        return f"微党课：{g.rng.choice(lessons)}", []
    if kind == "ideology_session":
        matters = data.MATTERS.get(code, {}).get(year, ("网络意识形态工作", "年度意识形态工作任务"))
        return f"专题研究{matters[0 if day.month <= 6 else -1]}", []
    if kind == "joint_meeting":
        return f"{year}年{'上' if day.month <= 6 else '下'}半年意识形态工作联席会议", []
    if kind == "report_upward":
        return f"向上级党组织报告{'上半年' if day.month <= 6 else '全年'}意识形态工作", []
    if kind == "assessment":
        return f"第{(day.month - 1) // 3 + 1}季度意识形态领域形势分析研判", []
    if kind == "work_points":
        return f"制定{_bare(g.unit.name)}{year}年意识形态工作要点", []
    if kind == "study_plan":
        return f"制定{_bare(g.unit.name)}{year}年理论学习{g.rng.choice(('计划', '安排'))}", []
    if kind == "branch_general_meeting":
        return f"第{(day.month - 1) // 3 + 1}季度支部党员大会", []
    if kind == "branch_committee_meeting":
        return f"{day.month}月支委会", []
    if kind == "ethics_lecture":
        return g.rng.choice(data.ETHICS.get(code, ("道德讲堂：崇德向善、见贤思齐",))), []
    return f"{day.month}月{ActivityKind.objects.get(code=kind).name}", []


def _bare(name: str) -> str:
    return name.removesuffix("党支部").removeprefix("县")


def data_own(code: str, day: date) -> list:
    """The unit's own line of study available on ``day`` (never stale: it is its daily work)."""
    from taizhang.demo.county_calendar import UNIT_SUBJECTS

    return [s for s in UNIT_SUBJECTS.get(code, []) if s[0] + timedelta(days=3) <= day]


def _day(g: _Unit, kind: str, period: Period, rule) -> tuple[date, str | None]:
    """A working day in the period for the activity; a theme day on its occasion's days."""
    if rule.measure == "document":  # a plan: early in the year, late for the laggards
        first = date(period.year, 2, 10) if period.year == 2020 else date(period.year, 1, 14)
        return working_day(g.rng, first, first + timedelta(days=40 if g.share > 0.7 else 90)), None
    if kind == "theme_day" and rule.period == "month":
        month = period.first_month
        topic, days = g.rng.choice(THEME_DAYS[month])
        if period.year == 2019 and month == 2:
            topic, days = "学习身边先进典型", (18, 28)
        if period.year == 2020 and month == 2:
            topic, days = "疫情防控志愿服务", (10, 28)
        first = period.start.replace(day=days[0]) if days else period.start
        last = period.start.replace(day=days[1]) if days else period.end
        return working_day(g.rng, first, last), topic
    if kind in ("assessment", "report_upward"):  # late in the period, when there is something to judge
        return working_day(g.rng, max(period.start, period.end - timedelta(days=25)), period.end), None
    return working_day(g.rng, period.start, period.end), None


def _ledger(g: _Unit, year: int, *, rules, kinds) -> list[Activity]:
    """What the unit recorded in ``year`` for its rules: each requirement period's required count,
    each one kept with probability ``share``; a plan the unit keeps may still come after its deadline."""
    out = []
    seen: set[tuple[str, str]] = set()  # one kind may serve two rules (central group: count and rate)
    places = data.PLACES[g.unit.code]
    if g.unit.kind == UnitKind.OFFICE:  # an office has no rule of its own: it studies with its department
        for quarter in Period(year, "year").split("quarter"):
            if g.rng.random() < g.share:
                day = working_day(g.rng, quarter.start, quarter.end)
                topic, materials = _topic(g, "collective_study", day, quarter)
                out.append(
                    _activity(g, "collective_study", day, topic, materials, kinds, g.rng.choice(places))
                )
        for half in Period(year, "year").split("half"):
            day = working_day(g.rng, half.end - timedelta(days=60), half.end - timedelta(days=10))
            topic, materials = _topic(g, "seminar", day, half)
            out.append(_activity(g, "seminar", day, topic, materials, kinds, places[0]))
    for rule in rules:
        if g.unit.kind not in rule.applies_to:
            continue
        kind = rule.kinds[0]
        for period in (
            Period(year, "year").split(rule.period) if rule.period != "year" else [Period(year, "year")]
        ):
            if (kind, period.code) in seen:
                continue
            seen.add((kind, period.code))
            for _ in range(int(rule.min + 0.999)):
                if g.rng.random() >= g.share:
                    continue
                day, topic = _day(g, kind, period, rule)
                if topic is None:
                    topic, materials = _topic(g, kind, day, period)
                else:
                    materials = []
                out.append(_activity(g, kind, day, topic, materials, kinds, g.rng.choice(places)))
    return out


def _activity(g: _Unit, kind: str, day: date, topic: str, materials, kinds, place: str, highlight: str = ""):
    host = g.head if kind in LEADING else g.rng.choice([g.head, g.deputy])
    if kind == "micro_lesson":
        host = g.rng.choice(g.people[:3])
    keeps_minutes = g.rng.random() <= g.share + 0.1
    return Activity(
        unit=g.unit,
        kind_id=kinds[kind],
        date=day,
        topic=topic,
        materials="\n".join(m for m in materials if m),
        host=host,
        recorder=g.officer,
        location=place,
        minutes=f"{host.name}主持，围绕“{topic}”进行。{g.rng.choice(MINUTES)}" if keeps_minutes else "",
        highlight=highlight,
    )


def _stories(g: _Unit, year: int, kinds) -> list[Activity]:
    """The unit's marked activities of the year, with what came of them in the clerk's words; the
    unit's 志愿服务 days are activities too (a clerk records them twice: the summary counts them once)."""
    out = []
    places = data.PLACES[g.unit.code]
    for day, kind, topic, material, story in data.STORIES.get(g.unit.code, []):
        if day.year == year:
            g.used.add(topic)
            out.append(_activity(g, kind, _on_workday(day), topic, [material], kinds, places[0], story))
    for day, title, place in data.VOLUNTEER.get(g.unit.code, []):
        if day.year == year and g.unit.profile in (UnitProfile.COMMUNITY, UnitProfile.TOWN):
            out.append(_activity(g, "volunteer_service", _on_workday(day), title, [], kinds, place))
    return out


def _on_workday(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _attend(created, by_unit: dict[int, _Unit], roll_called_ids: set[int], rng: random.Random) -> None:
    """Attendance of the roll-called activities: the more diligent the unit, the fuller the room; the
    host is always there."""
    attendance = []
    for activity in created:
        if activity.kind_id not in roll_called_ids:
            continue
        g = by_unit[activity.unit_id]
        for person in g.people:
            draw = rng.random()
            if person.pk == activity.host_id or draw < 0.55 + 0.42 * g.share:
                attendance.append(Attendance(activity=activity, person=person, status="present"))
            elif draw < 0.9 + 0.1 * g.share:
                reason = rng.choice(("公务外出", "下乡调研", "参加县里会议", "病假"))
                attendance.append(Attendance(activity=activity, person=person, status="leave", reason=reason))
            else:
                attendance.append(
                    Attendance(activity=activity, person=person, status="absent", reason="未说明原因")
                )
    Attendance.objects.bulk_create(attendance, batch_size=1000)


def _reporting(built: list[_Unit], rng: random.Random) -> None:
    """Information submitted upward, what the county and the city adopted of it, and each unit's
    articles in the media its kind writes for."""
    submissions, articles = [], []
    for g in built:
        topics = data.SUBMISSION_TOPICS.get(g.unit.code, ("工作动态",))
        outlets = data.OUTLETS.get(g.unit.code, [])
        titles = data.ARTICLE_TITLES.get(g.unit.code, ())
        for year in YEARS:
            n = int(4 + 14 * g.share * rng.random() + 4 * g.share) if g.unit.kind != UnitKind.OFFICE else 2
            for i in range(n):
                day = working_day(rng, date(year, 1, 6), date(year, 12, 25))
                kind = rng.choice(list(SubmissionKind.values))
                word = {"research_report": "调研报告", "public_sentiment": "社情民意"}.get(kind, "工作信息")
                submissions.append(
                    Submission(
                        unit=g.unit,
                        author=rng.choice(g.people),
                        date=day,
                        kind=kind,
                        title=f"关于{topics[i % len(topics)]}的{word}",
                    )
                )
            for i in range(int(1 + 8 * g.share * rng.random() + 3 * g.share) if outlets else 0):
                draw = rng.random()
                higher = [o for o in outlets if o[1] != "county"]
                outlet, level = rng.choice(higher) if higher and draw < 0.15 + 0.3 * g.share else outlets[0]
                if level == "county" and len(outlets) > 1 and outlets[1][1] == "county" and draw > 0.8:
                    outlet, level = outlets[1]
                articles.append(
                    Article(unit=g.unit, author=g.officer, date=working_day(rng, date(year, 1, 6), date(year, 12, 25)),
                            title=titles[i % len(titles)] if titles else "工作动态", outlet=outlet, outlet_level=level)
                )  # fmt: skip
    created = bulk_create_with_history(submissions, Submission, batch_size=500)
    bulk_create_with_history(articles, Article, batch_size=500)
    share = {g.unit.pk: g.share for g in built}
    adoptions = []
    for submission in created:
        if rng.random() < 0.3 + 0.5 * share[submission.unit_id]:
            adoptions.append(_adoption(submission, Level.COUNTY, "《清源信息》", rng))
            if rng.random() < 0.3 * share[submission.unit_id]:
                adoptions.append(_adoption(submission, Level.CITY, "《市委信息》", rng))
    bulk_create_with_history(adoptions, Adoption, batch_size=500)


def _adoption(submission: Submission, level: str, publication: str, rng: random.Random) -> Adoption:
    day = min(submission.date + timedelta(days=rng.randint(3, 20)), date(submission.date.year, 12, 31))
    return Adoption(
        submission=submission, level=level, publication=publication, issue_year=day.year, date=day
    )


def _practices(g: _Unit, areas: dict[str, Area], name: NameMaker) -> None:
    """The unit's channels, risk points, campaigns with their donations, volunteer days and
    selections, its members' study reflections and (the media centre) its reviewed publishing."""
    county_practices.build(g, areas, name)
