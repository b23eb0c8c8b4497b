"""The summary's weak points, from the rules engine's results and a few measurements of the records.

存在的问题 is written from these (``summary.weak``). Each says what shows it in words, never a
wrong cause: a half without a single 中心组学习 is "没有开展", not 出勤率偏低; a rate is low only
when sign-ins were recorded and fall short. The unit's own open risk points are candidates in their
own words. What the rules ask of the unit in the period (``expected``) lets the text leave out a
figure far below its rule rather than state it bare among the achievements.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from taizhang.core.periods import Period
from taizhang.core.registry import record_type
from taizhang.documents.summary import Rec, SummaryFacts, Weak, counted
from taizhang.documents.summary.wording import HALF_NAMES, half_of
from taizhang.org.models import Unit

PER = {"month": "每月", "quarter": "每季度", "half": "每半年", "year": "全年"}
RHYTHM = {"month": 0, "quarter": 1, "half": 2, "year": 3}
PERIOD_WORD = {"month": "月", "quarter": "季度", "half": "半年"}
WEAK_BY_COUNTS = {
    "publicity_articles": "few_articles",
    "publicity_articles_city_or_higher": "few_articles",
    "adoptions": "few_adopted",
    "adoptions_city_or_higher": "few_adopted",
    "channels": "channels_unreviewed",
    "high_risks": "risks_overdue",
    "risk_assessments": "rule_unmet",  # no assessment held is a rule not kept, not a risk overdue
    "opinion_responses": "opinion_late",
}
RISK_SEVERITY = {"high": 4, "medium": 3.5, "low": 2}  # the unit's own word for its problems comes first


def _rule_name(rule, kind_names: dict[str, str]) -> str:
    """What a requirement is about, in words a sentence can use: its kinds' names, else the record type's."""
    if rule.kinds:
        return "、".join(kind_names.get(k, k) for k in rule.kinds)
    try:
        return record_type(rule.counts).name
    except KeyError:
        return rule.title.split("（")[0]


def _subject_kinds(rule) -> tuple[str, ...]:
    """The activity kinds a rule is about, also when it counts a record type that is a subset of
    them (风险研判会议 are 研判 activities): two rules on the same kinds are one commitment."""
    if rule.kinds:
        return tuple(rule.kinds)
    try:
        kind = record_type(rule.counts).where.get("kind__code")
    except KeyError:
        kind = None
    return (kind,) if kind else (rule.counts,)


def _measure(rule) -> str:
    try:
        return record_type(rule.counts).measure if rule.counts != "activities" else "次"
    except KeyError:
        return "次"


def commitment(rule, kind_names: dict[str, str]) -> str:
    """The rule as a promise: 专题研究意识形态工作全年不少于2次, 出勤率不低于80%."""
    name = _rule_name(rule, kind_names)
    if rule.measure == "rate":
        return f"{name}出勤率不低于{rule.min:g}%"
    if rule.measure == "per_person":
        return f"每人每年撰写{name}不少于{rule.min:g}篇" if rule.period == "year" else f"人人完成{name}"
    if rule.measure == "every":
        return f"{name}全部符合要求"
    try:
        measure = record_type(rule.counts).measure if rule.counts != "activities" else "次"
    except KeyError:
        measure = "次"
    if rule.period == "month" and rule.min == 1:
        return f"{name}坚持每月开展"
    return f"{name}{PER.get(rule.period, '')}不少于{rule.min:g}{measure}"


def _evidence(rule, results, period: Period, own_days: list[date]) -> str:
    """What shows an unmet rule, plainly and without a figure: the half or quarter in which nothing
    was done, a rhythm not kept, a count short."""
    if rule.measure == "every":  # each record passes its check: some did not
        return f"{period.label}有的{_rule_name(rule, {})}没有按要求完成"
    zero = [r for r in results if not r.actual]
    labels = "、".join(r.period.label.removeprefix(f"{period.year}年") for r in results)
    if any(r.excluded for r in results):
        return "有的缺少会议记录等佐证材料，未能算作有效开展"
    if len(results) > 1 and len(zero) == len(results) == len(period.split(rule.period)):
        return "全年都没有开展" if period.kind == "year" else f"{period.label}都没有开展"
    if period.kind == "year" and len(zero) == len(results) and len(results) > 1:
        halves = {half_of(r.period.start) for r in zero} & {half_of(r.period.end) for r in zero}
        if len(halves) == 1 and len(zero) == len(period.split(rule.period)) // 2:
            return f"{HALF_NAMES[halves.pop()]}没有开展"
    if rule.period == "month" and len(results) > 1:
        return "没有做到每月开展" if own_days else f"{period.label}没有开展"
    if zero and len(zero) == len(results):
        return f"{labels}没有开展" if results[0].period != period else f"{period.label}没有开展"
    if len(results) == 1 and results[0].period == period and rule.measure in ("count", "document"):
        return f"没有达到{PER.get(rule.period, '')}不少于{rule.min:g}{_measure(rule)}的要求"
    if len(results) > 1 and len(results) == len(period.split(rule.period)):
        return f"{'全年' if period.kind == 'year' else period.label}各{PERIOD_WORD.get(rule.period, '期')}都没有达到规定的次数"
    if len(results) > 1:
        return f"{labels}都没有达到规定的次数"
    if results[0].period != period:
        return f"{labels}没有达到规定的次数"
    return f"{period.label}没有达到规定的次数"


def weak_points(*, unit: Unit, period: Period, facts: SummaryFacts) -> SummaryFacts:
    """The facts with their weak points, commitments and what the unit's own rules ask of it."""
    from taizhang.rules.check import compliance
    from taizhang.rules.engine import BEHIND, OVERDUE
    from taizhang.rules.requirements import requirements_of, rule_from

    kind_names = {code: name for code, (name, _) in facts.kinds.items()}
    check = compliance(unit=unit, window=period, with_children=True)
    requirements = requirements_of(check.framework)
    rules = {r.code: rule_from(r) for r in requirements}
    area_of = {r.code: r.area for r in requirements}
    own_acts = [a for a in facts.records.get("activities", ()) if a.unit == facts.unit.id]
    days_of: dict[str, list[date]] = defaultdict(list)
    signed: dict[str, list[date]] = defaultdict(list)  # days of activities with sign-ins recorded
    for a in own_acts:
        if a.day:
            days_of[a.kind].append(a.day)
            if a.info.get("attendance"):
                signed[a.kind].append(a.day)
    weak: list[Weak] = []
    unmet: dict[tuple[str, int], list] = defaultdict(list)
    for result in check.results:
        if result.status in (BEHIND, OVERDUE):
            unmet[(result.requirement, result.unit)].append(result)
    for (code, unit_id), results in unmet.items():
        rule = rules[code]
        who = "" if unit_id == unit.pk else f"{facts.units[unit_id].short}的"
        name = _rule_name(rule, kind_names)
        days = [d for k in rule.kinds for d in days_of.get(k, [])] if unit_id == unit.pk else []
        kind = WEAK_BY_COUNTS.get(rule.counts, "rule_unmet")
        evidence = _evidence(rule, results, period, days)
        if rule.measure == "per_person":
            kind = "reflections_incomplete"
        elif rule.measure == "rate":
            # A rate is low only where sign-ins were recorded; no record at all is work not done.
            signed_days = [d for k in rule.kinds for d in signed.get(k, [])] if unit_id == unit.pk else []
            measured = [r for r in results if any(r.period.contains(d) for d in signed_days)]
            kind = "attendance_low" if measured else "rule_unmet"
            if measured:
                evidence = "、".join(r.period.label.removeprefix(f"{period.year}年") for r in measured)
        # a rule kept in name only (one 中心组学习 in a year of quarterly ones): the body leaves the
        # figure out, so this is where it must be said
        fits = RHYTHM.get(rule.period, 9) <= RHYTHM.get(period.kind, 3)
        thin = bool(days) and fits and rule.measure == "count"
        thin = thin and len(days) * 2 < rule.min * len(period.split(rule.period))
        # a whole half without a kind its rules expect is said first, plainly
        half_missing = evidence.startswith(tuple(HALF_NAMES.values()))
        weak.append(
            Weak(
                kind,
                severity=4 if thin or half_missing else 3 if unit_id == unit.pk else 2,
                subject=f"{who}{name}",
                evidence=evidence,
                commitment=commitment(rule, kind_names),
                area=area_of.get(code, ""),
            )
        )
    rhythm = {k: r.period for r in rules.values() if facts.unit.kind in r.applies_to for k in r.kinds}
    weak += _measured(facts, rhythm)
    weak += _halves(facts)
    weak += _registered_risks(facts)
    own_rules = [r for r in rules.values() if facts.unit.kind in r.applies_to]
    expected: dict[str, tuple[int, str]] = {}
    for r in own_rules:
        # what the rules ask in the period, judged only where the rule's rhythm fits inside it
        if (
            r.measure == "count"
            and r.counts == "activities"
            and r.kinds
            and RHYTHM[r.period] <= RHYTHM.get(period.kind, 3)
        ):
            n = int(r.min * len(period.split(r.period)))
            if n > expected.get(r.kinds[0], (0, ""))[0]:
                expected[r.kinds[0]] = (n, r.period)
    return SummaryFacts(
        **{
            **facts.__dict__,
            "weak": tuple(weak),
            "commitments": tuple(_commitments(own_rules, area_of, kind_names)),
            "expected": expected,
            "required_areas": tuple(dict.fromkeys(area_of[r.code] for r in own_rules)),
        }
    )


def _commitments(own_rules, area_of, kind_names) -> list[str]:
    """The leadership rules as promises; two rules on the same kinds are one promise, the more
    frequent (研判每季度 and 风险研判会议每半年: the quarterly one)."""
    chosen: dict[tuple[str, ...], object] = {}
    for r in own_rules:
        if area_of.get(r.code) != "leadership" or r.measure != "count":
            continue
        key = _subject_kinds(r)
        if key not in chosen or RHYTHM.get(r.period, 9) < RHYTHM.get(chosen[key].period, 9):
            chosen[key] = r
    return [commitment(r, kind_names) for r in chosen.values()]


def _halves(facts: SummaryFacts) -> list[Weak]:
    """A half of a closed year with no record at all: said plainly, and the draft asks the clerk."""
    period = facts.period
    if period.kind != "year":
        return []
    days = [r.day for recs in facts.records.values() for r in recs if r.day and not r.imported]
    if not days or any(r.imported for recs in facts.records.values() for r in recs):
        return []  # an aggregate from a past summary stands for the whole period: no half is empty
    out = []
    for half in (1, 2):
        end = date(period.year, 6, 30) if half == 1 else period.end
        if end < facts.written_on and not any(half_of(d) == half and period.contains(d) for d in days):
            out.append(Weak("half_empty", 4, subject="各项工作", when=HALF_NAMES[half], area="leadership"))
    return out


def _registered_risks(facts: SummaryFacts) -> list[Weak]:
    """The unit's own risk points still open at the period's end, each a candidate problem."""
    out = []
    for r in facts.records.get("risk_points", ()):
        if r.unit == facts.unit.id and r.info.get("status") == "open":
            out.append(
                Weak(
                    "registered_risk",
                    RISK_SEVERITY.get(r.kind, 1),
                    subject=r.title,
                    evidence=r.info.get("description") or "",
                    commitment=r.info.get("measures") or "",
                    area=r.info.get("area__code") or "leadership",
                )
            )
    return out


def _measured(facts: SummaryFacts, rhythm: dict[str, str]) -> list[Weak]:
    """Weak points the records show even where every rule is met, as a real summary names them."""
    out: list[Weak] = []
    own = [a for a in facts.records.get("activities", ()) if a.unit == facts.unit.id]
    period = facts.period
    by_kind: dict[str, list[Rec]] = defaultdict(list)
    for act in own:
        by_kind[act.kind].append(act)
    for kind, acts in by_kind.items():
        # an imported aggregate says how many, not when: no judgement of timing where one stands
        area = facts.kinds.get(kind, ("", ""))[1]
        if len(acts) < 2 or any(a.imported for a in acts) or area not in ("theory_study", "channels_culture"):
            continue
        if kind in ("work_points", "study_plan") or rhythm.get(kind, "year") == "year":
            continue  # a plan is made once; a once-a-year practice falls where it falls
        if period.kind == "year":
            halves = {half_of(a.day) for a in acts}
            if len(halves) == 1:
                out.append(
                    Weak("uneven", 2, subject=facts.kinds[kind][0], when=HALF_NAMES[halves.pop()], area=area)
                )
        elif period.kind == "half" and len(acts) >= 3:
            quarters = {(a.day.month - 1) // 3 for a in acts}
            if len(quarters) == 1:
                q = next(iter(quarters)) % 2
                out.append(
                    Weak(
                        "uneven",
                        1,
                        subject=facts.kinds[kind][0],
                        when="一季度" if q == 0 else "二季度",
                        area=area,
                    )
                )
    studies = sum(counted(by_kind.get(k, ())) for k in ("central_group_study", "collective_study"))
    seminars = counted(by_kind.get("seminar", ()))
    if studies and seminars * 4 < studies:
        out.append(Weak("study_shallow", 2, area="theory_study"))
    submissions = facts.records.get("submissions", ())
    adoptions = facts.records.get("adoptions", ())
    higher = [a for a in adoptions if a.kind in ("city", "province", "national")]
    if submissions and counted(higher) * 5 < counted(submissions):
        out.append(Weak("few_adopted", 2, area="integration"))
    articles = facts.records.get("publicity_articles", ())
    high_articles = [a for a in articles if a.kind and a.kind != "county"]  # imported: level unknown
    if not articles:
        out.append(Weak("no_articles", 2, area="publicity"))
    elif counted(high_articles) * 3 < counted(articles):
        out.append(Weak("few_articles", 1, area="publicity"))
    if any(c.info["lapsed"] for c in facts.records.get("channels", ())):
        out.append(Weak("channels_unreviewed", 2, area="channels_culture"))
    if any(
        r.info.get("status") == "open" and r.info.get("review_date") and r.info["review_date"] < period.end
        for r in facts.records.get("risk_points", ())
    ):
        out.append(Weak("risks_overdue", 2, area="leadership"))
    return out
