"""One cell of the compliance check on its own: the rule, the facts, the result, and how a cell is
judged from them (``rules.engine`` judges a whole city's cells at once with the same arithmetic).

Pure Python (no Django), like the engine.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from taizhang.core.periods import Period
from taizhang.core.registry import stocks

MEASURES = ("count", "rate", "per_person", "document", "every")
# Evidence a record carries, as bits: a city's check tests it half a million times.
EVIDENCE_BITS = {"minutes": 1, "attendance": 2, "attachment": 4}
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
    title_en: str = ""  # the English title pages show in English (``core.i18n.localized``)


@dataclass
class Facts:
    """What the ledger says, bucketed by unit and month.

    ``activities[unit][(kind, month, mask)]`` counts the activities of a kind in a month that carry
    the evidence ``mask`` (the ``EVIDENCE_BITS`` of what they carry: ``evidence_mask(["minutes",
    "attendance"])``). ``attendance[unit][(kind, month)]`` is ``(present, due)``.
    ``per_person[unit][(record_type, month)]`` maps person id → count, and ``members[unit]`` is how
    many people must each meet a per-person rule. ``records[unit][(record_type, month)]`` is
    ``(records, violations)`` for the practice modules' record types (for a stock (``core.registry``):
    as they stand at the end of the judged period whose last day is in that month).
    ``measurable`` names the record types that have a table; the rest are reported as not measured.

    ``rollup`` holds rows of the monthly rollup as the database returned them, not yet folded into
    ``activities`` and ``attendance`` (``rules.facts.facts_for(folded=False)``): the engine scatters
    them straight into the cells, which on a city's 400,000 rows costs less than building the
    dicts first. Whoever reads the dicts themselves calls ``fold()`` first.
    """

    activities: dict[int, dict[tuple[str, str, int], int]] = field(default_factory=dict)
    attendance: dict[int, dict[tuple[str, str], tuple[int, int]]] = field(default_factory=dict)
    per_person: dict[int, dict[tuple[str, str], dict[int, int]]] = field(default_factory=dict)
    members: dict[int, int] = field(default_factory=dict)
    records: dict[int, dict[tuple[str, str], tuple[int, int]]] = field(default_factory=dict)
    measurable: frozenset = frozenset({"activities", "reflections"})
    rollup: Rollup | None = None

    def fold(self) -> Facts:
        """``rollup``'s rows added into ``activities`` and ``attendance`` (and ``rollup`` emptied)."""
        if self.rollup is None:
            return self
        rollup, self.rollup = self.rollup, None
        code_of, rated = rollup.kinds, rollup.rated
        for unit, kind_id, month, mask, n, present, due in rollup.rows:
            kind = code_of[kind_id]
            per_unit = self.activities.setdefault(unit, {})
            per_unit[(kind, month, mask)] = per_unit.get((kind, month, mask), 0) + n
            if due and (rated is None or kind_id in rated):
                per_unit_att = self.attendance.setdefault(unit, {})
                p, d = per_unit_att.get((kind, month), (0, 0))
                per_unit_att[(kind, month)] = (p + present, d + due)
        return self


@dataclass
class Rollup:
    """Rows of the monthly rollup as read: ``(unit, kind id, month, mask, activities, present, due)``,
    one per (unit, kind, month, mask), with the kinds' codes by id and the kind ids whose attendance
    is read (None: every kind's)."""

    rows: list[tuple[int, int, str, int, int, int, int]]
    kinds: dict[int, str]
    rated: frozenset[int] | None = None


@dataclass(slots=True)
class Result:
    """One cell of the compliance matrix (a city's check builds hundreds of thousands: slots, not frozen)."""

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
    return list(_periods_for(rule.period, window))


@lru_cache(maxsize=256)
def _periods_for(kind: str, window: Period) -> tuple[Period, ...]:
    # the same calendar for every rule of the kind: worked out once per process
    if Period(2000, kind).days <= Period(2000, window.kind).days:
        return tuple(window.split(kind))
    return (Period.containing(kind, window.start),)


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
    return Plan.build(period, as_of, due).judge(required, actual)


@dataclass(frozen=True, slots=True)
class Plan:
    """What a (rule, period) judgement needs that does not depend on the unit, computed once per check."""

    period: Period
    months: tuple[str, ...]
    due: date | None
    closed: bool
    share: float  # completed months / months in the period
    keys: tuple[tuple[str, str], ...] = ()  # (kind, month) buckets a rule reads
    needed: int = 0  # evidence mask a counted record must cover
    pace: int = 0  # the count judge() asks of a count rule by as_of (_Matrix.judge inlines it)
    end_month: str = ""  # the month of the period's last day, where a stock record's state is filed
    stock: bool = False  # the rule counts a state at the period's end, not events in its months

    @classmethod
    def build(cls, period: Period, as_of: date, due: date | None, rule: Rule | None = None) -> Plan:
        months = period.split("month")
        deadline = min(due, period.end) if due else period.end
        begun = tuple(m.code for m in months if m.start <= as_of)
        share = sum(1 for m in months if m.end <= as_of) / len(months)
        return cls(
            period=period,
            months=begun,
            due=due,
            closed=as_of >= deadline,
            share=share,
            keys=tuple((kind, month) for kind in rule.kinds for month in begun) if rule else (),
            needed=evidence_mask(rule.evidence) if rule else 0,
            pace=math.floor(rule.min * share + 1e-9) if rule else 0,
            end_month=f"{period.end:%Y-%m}",
            stock=rule is not None and rule.counts in stocks(),
        )

    def judge(self, required: float, actual: float) -> str:
        if actual >= required:
            return MET
        if self.closed:
            return OVERDUE
        if self.due is not None:
            return ON_TRACK
        return ON_TRACK if actual >= math.floor(required * self.share + 1e-9) else BEHIND


def evidence_mask(names: Iterable[str]) -> int:
    mask = 0
    for name in names:
        mask |= EVIDENCE_BITS[name]
    return mask


def evidence_reason(missing: int) -> str:
    """The key a left-out record is counted under: the evidence it lacks, as names joined by "+"
    ("minutes", "attendance+minutes"); ``rules.counting.not_counted_words`` says it in words."""
    return "+".join(name for name, bit in sorted(EVIDENCE_BITS.items()) if missing & bit)


def reads_activity(rule: Rule, *, unit_kind: str, kind: str) -> bool:
    """Whether ``rule`` counts an activity of ``kind`` recorded by a unit of ``unit_kind``: the same
    test the check makes (a unit is judged on its own records, by the rules of its kind)."""
    return (
        rule.counts == "activities"
        and kind in rule.kinds
        and (not rule.applies_to or unit_kind in rule.applies_to)
    )


def missing_evidence(rule: Rule, carried: Iterable[str]) -> tuple[str, ...]:
    """The evidence ``rule`` demands that a record carrying ``carried`` lacks (empty: it counts), in
    the order of the reason keys (``evidence_reason``). A rate reads the attendance rows themselves:
    an activity without any adds nothing to it, which its ``evidence: [attendance]`` says."""
    lacking = evidence_mask(rule.evidence) & ~evidence_mask(carried)
    return tuple(name for name, bit in sorted(EVIDENCE_BITS.items()) if lacking & bit)


def evaluate_cell(rule: Rule, unit: int, plan: Plan, facts: Facts) -> Result:
    """A rule that does not count activities: a rate, a per-person rule, a module's records."""
    months = plan.months
    if rule.counts not in facts.measurable:
        return Result(unit, rule.code, rule.title, plan.period, rule.min, 0, NOT_MEASURED, due=plan.due)

    if rule.measure == "rate":
        present = due_n = 0
        unit_att = facts.attendance.get(unit, {})
        for key in plan.keys:
            p, d = unit_att.get(key, (0, 0))
            present, due_n = present + p, due_n + d
        if due_n == 0:
            status = OVERDUE if plan.closed else ON_TRACK
            return Result(unit, rule.code, rule.title, plan.period, rule.min, 0, status, due=plan.due)
        actual = round(100.0 * present / due_n, 1)
        # A rate is judged on what has happened so far: no pace, just the threshold.
        status = MET if actual >= rule.min else (OVERDUE if plan.closed else BEHIND)
        return Result(unit, rule.code, rule.title, plan.period, rule.min, actual, status, due=plan.due)

    if rule.measure == "per_person":
        members = facts.members.get(unit, 0)
        totals: dict[int, int] = {}
        unit_pp = facts.per_person.get(unit, {})
        for month in months:
            for person, n in unit_pp.get((rule.counts, month), {}).items():
                totals[person] = totals.get(person, 0) + n
        actual = sum(1 for n in totals.values() if n >= rule.min)
        status = plan.judge(members, actual)
        return Result(unit, rule.code, rule.title, plan.period, members, actual, status, due=plan.due)

    return evaluate_records(rule, unit, plan, facts)


def evaluate_records(rule: Rule, unit: int, plan: Plan, facts: Facts) -> Result:
    """A count, document or every rule over a practice module's records (see the module docstring)."""
    unit_records = facts.records.get(unit)
    if not unit_records:
        total = violations = 0
    elif plan.stock:
        total, violations = unit_records.get((rule.counts, plan.end_month), (0, 0))
    else:
        total = violations = 0
        for month in plan.months:
            n, bad = unit_records.get((rule.counts, month), (0, 0))
            total, violations = total + n, violations + bad
    if rule.measure != "every":
        return Result(
            unit,
            rule.code,
            rule.title,
            plan.period,
            rule.min,
            total,
            plan.judge(rule.min, total),
            due=plan.due,
        )
    required = math.ceil(total * rule.min / 100 - 1e-9)
    passed = total - violations
    status = MET if passed >= required else (OVERDUE if plan.closed else BEHIND)
    return Result(unit, rule.code, rule.title, plan.period, float(required), passed, status, due=plan.due)
