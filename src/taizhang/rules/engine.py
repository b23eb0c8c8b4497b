"""The compliance engine: requirements + facts + a day "as of" → a status per unit × requirement × period.

Pure Python (no Django), so it is fast to test and the same code serves the CLI, the pages, the
score sheet and the benchmark. Facts arrive bucketed by month (``'2020-05'``): every period kind is
a whole number of months, so one set of monthly facts answers monthly, quarterly, half-year and
yearly requirements alike, and one grouped query per record type can fill it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from taizhang.core.periods import Period

MEASURES = ("count", "rate", "per_person", "document", "every")
MET, ON_TRACK, BEHIND, OVERDUE, NOT_MEASURED = "met", "on_track", "behind", "overdue", "not_measured"
STATUS_LABELS = {
    MET: "已完成",
    ON_TRACK: "进度正常",
    BEHIND: "进度滞后",
    OVERDUE: "逾期未完成",
    NOT_MEASURED: "不可计量",
}


@dataclass(frozen=True)
class Rule:
    """One requirement as the engine needs it (a frozen copy of the stored row)."""

    code: str
    title: str
    period: str
    min: float
    measure: str = "count"
    kinds: tuple[str, ...] = ()
    counts: str = "activities"
    due: str = ""  # "MM-DD" or ""
    applies_to: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    points: float = 0.0
    responsible: str = ""


@dataclass
class Facts:
    """What the ledger says, bucketed by unit and month.

    ``activities[unit][(kind, month)]`` maps an evidence signature (a frozenset of the evidence the
    records carry, e.g. ``{"minutes", "attendance"}``) to a count. ``attendance[unit][(kind, month)]``
    is ``(present, due)``. ``per_person[unit][(record_type, month)]`` maps person id → count, and
    ``members[unit]`` is how many people must each meet a per-person rule. ``measurable`` names the
    record types that have a table; the rest are reported as not measured.
    """

    activities: dict[int, dict[tuple[str, str], dict[frozenset, int]]] = field(default_factory=dict)
    attendance: dict[int, dict[tuple[str, str], tuple[int, int]]] = field(default_factory=dict)
    per_person: dict[int, dict[tuple[str, str], dict[int, int]]] = field(default_factory=dict)
    members: dict[int, int] = field(default_factory=dict)
    measurable: frozenset = frozenset({"activities", "reflections"})


@dataclass(frozen=True)
class Result:
    """One cell of the compliance matrix."""

    unit: int
    requirement: str
    title: str
    period: Period
    required: float
    actual: float
    status: str
    excluded: int = 0
    excluded_reasons: tuple[tuple[str, int], ...] = ()
    due: date | None = None

    @property
    def gap(self) -> float:
        return max(0.0, self.required - self.actual) if self.status != NOT_MEASURED else 0.0

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def periods_for(rule: Rule, window: Period) -> list[Period]:
    """The periods of ``rule`` a check over ``window`` judges.

    A rule as fine as the window or finer is judged in each of its periods inside the window (a
    monthly rule over a half year: six months); a coarser rule is judged in the one period that
    contains the window (a yearly rule checked over the first half: the year, as of the check day).
    """
    if Period(2000, rule.period).days <= Period(2000, window.kind).days:
        return window.split(rule.period)
    return [Period.containing(rule.period, window.start)]


def months_of(period: Period, as_of: date) -> list[str]:
    """Month codes of ``period`` that have begun by ``as_of``."""
    return [m.code for m in period.split("month") if m.start <= as_of]


def due_date(rule: Rule, period: Period) -> date | None:
    if not rule.due:
        return None
    month, day = (int(x) for x in rule.due.split("-"))
    return date(period.year, month, day)


def judge(*, required: float, actual: float, period: Period, as_of: date, due: date | None = None) -> str:
    """Status of one figure: met, else overdue once closed or past due, else on track if the pace is enough.

    Pace is measured in completed months (a clerk plans by the month, and day fractions would make
    the end of June of a leap year "not yet half"): after k of n months, at least the whole part of
    k/n of the required figure must be done. A document with a due date is on track until the due day.
    """
    if actual >= required:
        return MET
    deadline = min(due, period.end) if due else period.end
    if as_of >= deadline:
        return OVERDUE
    if due is not None:
        return ON_TRACK
    months = period.split("month")
    completed = sum(1 for m in months if m.end <= as_of)
    expected = math.floor(required * completed / len(months) + 1e-9)
    return ON_TRACK if actual >= expected else BEHIND


def _evidence_reason(missing: Iterable[str]) -> str:
    names = {"minutes": "缺会议记录", "attendance": "缺考勤", "attachment": "缺附件"}
    return "、".join(names[m] for m in sorted(missing))


def evaluate_one(rule: Rule, unit: int, period: Period, facts: Facts, as_of: date) -> Result:
    due = due_date(rule, period)
    months = months_of(period, as_of)
    base = dict(unit=unit, requirement=rule.code, title=rule.title, period=period, due=due)
    if rule.counts not in facts.measurable:
        return Result(**base, required=rule.min, actual=0, status=NOT_MEASURED)

    if rule.measure == "rate":
        present = due_n = 0
        unit_att = facts.attendance.get(unit, {})
        for kind in rule.kinds:
            for month in months:
                p, d = unit_att.get((kind, month), (0, 0))
                present, due_n = present + p, due_n + d
        if due_n == 0:
            status = OVERDUE if as_of >= period.end else ON_TRACK
            return Result(**base, required=rule.min, actual=0, status=status)
        actual = round(100.0 * present / due_n, 1)
        # A rate is judged on what has happened so far: no pace, just the threshold.
        status = MET if actual >= rule.min else (OVERDUE if as_of >= period.end else BEHIND)
        return Result(**base, required=rule.min, actual=actual, status=status)

    if rule.measure == "per_person":
        members = facts.members.get(unit, 0)
        totals: dict[int, int] = {}
        unit_pp = facts.per_person.get(unit, {})
        for month in months:
            for person, n in unit_pp.get((rule.counts, month), {}).items():
                totals[person] = totals.get(person, 0) + n
        actual = sum(1 for n in totals.values() if n >= rule.min)
        status = judge(required=members, actual=actual, period=period, as_of=as_of)
        return Result(**base, required=members, actual=actual, status=status)

    # count / document: activities whose evidence covers what the rule demands.
    needed = frozenset(rule.evidence)
    counted = 0
    reasons: dict[str, int] = {}
    unit_act = facts.activities.get(unit, {})
    for kind in rule.kinds:
        for month in months:
            for signature, n in unit_act.get((kind, month), {}).items():
                if needed <= signature:
                    counted += n
                else:
                    reason = _evidence_reason(needed - signature)
                    reasons[reason] = reasons.get(reason, 0) + n
    status = judge(required=rule.min, actual=counted, period=period, as_of=as_of, due=due)
    return Result(
        **base,
        required=rule.min,
        actual=counted,
        status=status,
        excluded=sum(reasons.values()),
        excluded_reasons=tuple(sorted(reasons.items())),
    )


def evaluate(
    *,
    rules: Iterable[Rule],
    units: Mapping[int, str],
    facts: Facts,
    window: Period,
    as_of: date,
) -> list[Result]:
    """Every applicable unit × rule × period of ``window`` that has begun by ``as_of``.

    ``units`` maps unit id → unit kind; a rule applies to the unit kinds it names (all, if none).
    """
    if as_of < window.start:
        raise ValueError(f"核查日期 {as_of} 早于期间 {window.label} 的开始")
    out: list[Result] = []
    rules = list(rules)
    plans = [(rule, [p for p in periods_for(rule, window) if p.start <= as_of]) for rule in rules]
    for unit, kind in units.items():
        for rule, periods in plans:
            if rule.applies_to and kind not in rule.applies_to:
                continue
            for period in periods:
                out.append(evaluate_one(rule, unit, period, facts, as_of))
    return out


def window_span(rules: Iterable[Rule], window: Period, as_of: date) -> tuple[date, date]:
    """The dates the facts must cover: from the earliest judged period's start to ``as_of``."""
    starts = [p.start for rule in rules for p in periods_for(rule, window)]
    return (min(starts, default=window.start), as_of)
