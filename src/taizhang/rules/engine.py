"""The compliance engine: requirements + facts + a day "as of" → a status per unit × requirement × period.

Pure Python (no Django), so it is fast to test and the same code serves the CLI, the pages, the
score sheet and the benchmark. Facts arrive bucketed by month (``'2020-05'``): every period kind is
a whole number of months, so one set of monthly facts answers monthly, quarterly, half-year and
yearly requirements alike, and one grouped query per record type can fill it.

Records of the practice modules (submissions, articles, published items, channels, risk points)
arrive as ``Facts.records``: a count per unit, record type and month, with how many of those
records fail the record type's own check (a published item without three approvals, a channel not
registered or not reviewed within half a year, an open high risk past its review date).

``measure: every`` ("every record passes its check") is judged on those two figures: ``required``
is the number of records that must pass (``ceil(total × min / 100)``; with the default ``min: 100``,
all of them) and ``actual`` the number that do. No violation is ``met``, also when there is no
record at all (0 of 0: nothing was published without review, so nothing was violated, and a unit
is not marked down for having no channel). A violation makes the period ``behind`` while it is
open (a channel can still be reviewed; the item still has to be put right) and ``overdue`` once it
has closed. Record types that are states rather than events (the registry's ``stocks()``: channels,
open high risks) are not summed over months: a period is judged by the state at its end, filed under
the month of the period's last day.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

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
    """

    activities: dict[int, dict[tuple[str, str, int], int]] = field(default_factory=dict)
    attendance: dict[int, dict[tuple[str, str], tuple[int, int]]] = field(default_factory=dict)
    per_person: dict[int, dict[tuple[str, str], dict[int, int]]] = field(default_factory=dict)
    members: dict[int, int] = field(default_factory=dict)
    records: dict[int, dict[tuple[str, str], tuple[int, int]]] = field(default_factory=dict)
    measurable: frozenset = frozenset({"activities", "reflections"})


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
    return _Plan.build(period, as_of, due).judge(required, actual)


@dataclass(frozen=True, slots=True)
class _Plan:
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
    def build(cls, period: Period, as_of: date, due: date | None, rule: Rule | None = None) -> _Plan:
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


def _evidence_reason(missing: int) -> str:
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
    the order of the reason keys (``_evidence_reason``). A rate reads the attendance rows themselves:
    an activity without any adds nothing to it, which its ``evidence: [attendance]`` says."""
    lacking = evidence_mask(rule.evidence) & ~evidence_mask(carried)
    return tuple(name for name, bit in sorted(EVIDENCE_BITS.items()) if lacking & bit)


def _evaluate(rule: Rule, unit: int, plan: _Plan, facts: Facts) -> Result:
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

    return _evaluate_records(rule, unit, plan, facts)


def _evaluate_records(rule: Rule, unit: int, plan: _Plan, facts: Facts) -> Result:
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


# How a cell of the matrix is judged (see _Matrix)
_COUNT, _RECORDS, _FIXED, _OTHER, _RATE, _PER_PERSON = range(6)


class _Matrix:
    """The cells one kind of unit is judged in, compiled once per check and applied to each unit.

    ``cells`` lists (how, rule, plan, spec) in the order results are reported: rules in the
    framework's order, each rule's periods in time order. Counting activities is the hot path of a
    city's check (a few hundred thousand cells over a few hundred thousand facts), so it is done by
    scattering rather than gathering: each of a unit's (kind, month, mask) facts is routed to the
    cells whose rule counts that kind in a period containing that month, as counted or, when the
    mask lacks evidence the rule demands, as left out with the reason; one pass over the unit's
    facts fills all its counting cells (``_COUNT``). Attendance is scattered the same way into the
    rate cells (``_RATE``). What a cell's result copies from its rule and period is worked out
    here once (``spec``), and so is what a cell that cannot differ between units says: a record
    type with no table (``_FIXED``), a module's records where the unit has none (``_RECORDS``), a
    per-person rule where nobody has a record (``_PER_PERSON``: only the number of members varies).
    Every other cell is judged by ``_evaluate``.
    """

    def __init__(self, applicable: list[tuple[Rule, list[_Plan]]], facts: Facts):
        self.cells: list[tuple[int, Rule, _Plan, tuple]] = []
        # (kind, month) → the counting cells that read it, with the evidence each demands
        self.readers: dict[tuple[str, str], list[tuple[int, int]]] = {}
        # (kind, month, mask) → (cell, reason it is left out, or None), filled as facts arrive
        self.route: dict[tuple[str, str, int], list[int | tuple[int, str]]] = {}
        # (kind, month) → the rate cells whose attendance it is
        self.attendance_readers: dict[tuple[str, str], list[int]] = {}
        # (cell, members) → the status of a per-person rule nobody has met (0 of members)
        self.nobody: dict[tuple[int, int], str] = {}
        for rule, plans in applicable:
            if rule.counts not in facts.measurable:
                how = _FIXED
            elif rule.measure == "rate":
                how = _RATE
            elif rule.measure == "per_person":
                how = _PER_PERSON
            elif rule.counts == "activities":
                how = _COUNT
            else:
                how = _RECORDS
            for plan in plans:
                index = len(self.cells)
                if how == _COUNT:
                    short = OVERDUE if plan.closed else (ON_TRACK if plan.due is not None else "")
                    spec: tuple = (rule.code, rule.title, plan.period, rule.min, plan.due, short, plan.pace)
                    for key in plan.keys:
                        self.readers.setdefault(key, []).append((index, plan.needed))
                elif how == _RATE:
                    spec = (rule.code, rule.title, plan.period, rule.min, plan.due, plan.closed)
                    for key in plan.keys:
                        self.attendance_readers.setdefault(key, []).append(index)
                elif how == _PER_PERSON:
                    spec = (rule.code, rule.title, plan.period, plan.due)
                else:
                    nothing = _evaluate(rule, 0, plan, Facts(measurable=facts.measurable))
                    spec = tuple(getattr(nothing, f) for f in Result.__slots__[1:])
                self.cells.append((how, rule, plan, spec))

    def _targets(self, key: tuple[str, str, int]) -> list[int | tuple[int, str]]:
        """Where a fact goes: a cell's index where it counts, (index, reason) where it is left out."""
        kind, month, mask = key
        targets = self.route[key] = [
            index if mask & needed == needed else (index, _evidence_reason(needed & ~mask))
            for index, needed in self.readers.get((kind, month), ())
        ]
        return targets

    def judge(self, unit: int, facts: Facts, out: list[Result]) -> None:
        cells = self.cells
        counts = [0] * len(cells)
        excluded: dict[int, dict[str, int]] | None = None
        unit_act = facts.activities.get(unit)
        if unit_act:
            route = self.route
            for key, n in unit_act.items():
                targets = route.get(key)
                if targets is None:
                    targets = self._targets(key)
                for target in targets:
                    if target.__class__ is int:
                        counts[target] += n
                        continue
                    index, reason = target
                    if excluded is None:
                        excluded = {}
                    per_cell = excluded.get(index)
                    if per_cell is None:
                        excluded[index] = {reason: n}
                    else:
                        per_cell[reason] = per_cell.get(reason, 0) + n
        # attendance: present into ``counts`` (a rate cell counts nothing else), due into ``due_of``
        due_of: list[int] | None = None
        if self.attendance_readers:
            unit_att = facts.attendance.get(unit)
            if unit_att:
                readers = self.attendance_readers
                for key, (present, due) in unit_att.items():
                    rate_cells = readers.get(key)
                    if rate_cells:
                        if due_of is None:
                            due_of = [0] * len(cells)
                        for index in rate_cells:
                            counts[index] += present
                            due_of[index] += due
        has_records = unit in facts.records
        append = out.append
        for index, (how, rule, plan, spec) in enumerate(cells):
            if how == _COUNT:
                n = counts[index]
                code, title, period, minimum, due, short, pace = spec
                # plan.judge(minimum, n), inlined: MET, else a fixed status once closed or for a
                # document with a due date, else by pace
                status = MET if n >= minimum else short or (ON_TRACK if n >= pace else BEHIND)
                reasons = excluded.get(index) if excluded else None
                if reasons is None:
                    append(Result(unit, code, title, period, minimum, n, status, 0, (), due))
                elif len(reasons) == 1:
                    ((reason, left_out),) = reasons.items()
                    append(
                        Result(
                            unit,
                            code,
                            title,
                            period,
                            minimum,
                            n,
                            status,
                            left_out,
                            ((reason, left_out),),
                            due,
                        )
                    )
                else:
                    left_out, why = sum(reasons.values()), tuple(sorted(reasons.items()))
                    append(Result(unit, code, title, period, minimum, n, status, left_out, why, due))
            elif how == _FIXED or (how == _RECORDS and not has_records):
                append(Result(unit, *spec))
            elif how == _RATE:
                # _evaluate's rate, on the scattered sums: no pace, just the threshold
                code, title, period, minimum, due, closed = spec
                due_n = due_of[index] if due_of is not None else 0
                if due_n == 0:
                    status = OVERDUE if closed else ON_TRACK
                    append(Result(unit, code, title, period, minimum, 0, status, 0, (), due))
                else:
                    actual = round(100.0 * counts[index] / due_n, 1)
                    status = MET if actual >= minimum else (OVERDUE if closed else BEHIND)
                    append(Result(unit, code, title, period, minimum, actual, status, 0, (), due))
            elif how == _PER_PERSON and not facts.per_person.get(unit):
                members = facts.members.get(unit, 0)
                status = self.nobody.get((index, members))
                if status is None:
                    status = self.nobody[(index, members)] = plan.judge(members, 0)
                code, title, period, due = spec
                append(Result(unit, code, title, period, members, 0, status, 0, (), due))
            else:
                append(_evaluate(rule, unit, plan, facts))


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
    The period arithmetic is done once per rule and period, and which rules apply once per unit
    kind (a ``_Matrix``), not once per unit: a city's check judges some 300,000 cells.
    """
    if as_of < window.start:
        raise ValueError(f"核查日期 {as_of} 早于期间 {window.label} 的开始")
    plans = [
        (
            rule,
            [
                _Plan.build(p, as_of, due_date(rule, p), rule)
                for p in periods_for(rule, window)
                if p.start <= as_of
            ],
        )
        for rule in rules
    ]
    by_kind: dict[str, _Matrix] = {}
    out: list[Result] = []
    for unit, kind in units.items():
        matrix = by_kind.get(kind)
        if matrix is None:
            matrix = by_kind[kind] = _Matrix(
                [
                    (rule, rule_plans)
                    for rule, rule_plans in plans
                    if not rule.applies_to or kind in rule.applies_to
                ],
                facts,
            )
        matrix.judge(unit, facts, out)
    return out


def window_span(rules: Iterable[Rule], window: Period, as_of: date) -> tuple[date, date]:
    """The dates the facts must cover: from the earliest judged period's start to ``as_of``."""
    starts = [p.start for rule in rules for p in periods_for(rule, window)]
    return (min(starts, default=window.start), as_of)
