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

A city's check judges some 370,000 cells. ``evaluate`` compiles what a cell needs that is the same
for every unit (its rule's targets, the period's months, due day and pace) once per kind of unit,
scatters each fact into the cells that read it, judges each unit's cells from a few per-cell
tables, and keeps the figures compactly (``Results``): a ``Result`` object is made when a cell is
read, so a page that shows one county's part of a kept city check builds that county's only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache

from taizhang.core.periods import Period
from taizhang.rules.cells import (
    BEHIND,
    EVIDENCE_BITS,
    MEASURES,
    MET,
    NOT_MEASURED,
    ON_TRACK,
    OVERDUE,
    STATUS_LABELS,
    Facts,
    Plan,
    Result,
    Rollup,
    Rule,
    due_date,
    evaluate_cell,
    evidence_mask,
    evidence_reason,
    judge,
    missing_evidence,
    months_of,
    periods_for,
    reads_activity,
)
from taizhang.rules.results import CellSpec, Results, UnitRow

__all__ = [
    "BEHIND",
    "EVIDENCE_BITS",
    "MEASURES",
    "MET",
    "NOT_MEASURED",
    "ON_TRACK",
    "OVERDUE",
    "STATUS_LABELS",
    "Facts",
    "Result",
    "Results",
    "Rollup",
    "Rule",
    "due_date",
    "evaluate",
    "evidence_mask",
    "judge",
    "missing_evidence",
    "months_of",
    "periods_for",
    "reads_activity",
    "window_span",
]

# How a cell is judged (see _Matrix)
_COUNT, _RATE, _PER_PERSON, _RECORDS, _FIXED = range(5)


class _Matrix:
    """The cells one kind of unit is judged in, compiled once per check and applied to each unit.

    A unit's row holds its cells in this order: the cells that count activities (``_COUNT``), the
    attendance rates (``_RATE``), then the rest; ``cells`` says where each cell of the report
    order is. Facts are scattered rather than gathered: each (kind, month, mask) fact goes to the
    counting cells whose rule counts that kind in a period containing that month, as counted or,
    when the mask lacks evidence the rule demands, as left out with the reason; attendance goes to
    the rate cells the same way (``_targets``, worked out once per key a check meets). A counting
    cell's status then needs only three per-cell figures (its minimum; the status every shortfall
    gets once the period is closed or, for a document with a due day, until then; the pace), a
    whole unit's counting cells are judged in one comprehension. What a cell that cannot differ
    between units says is worked out once (``_FIXED``: a record type with no table; ``_RECORDS``
    where the unit has none; ``_PER_PERSON`` where nobody has a record: only the number of members
    varies); every other cell is judged by ``cells.evaluate_cell``.
    """

    def __init__(self, applicable: list[tuple[Rule, list[Plan]]], facts: Facts):
        sorts: tuple[list, list, list] = (
            [],
            [],
            [],
        )  # counting, rates, the rest: (position, how, rule, plan)
        position = 0
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
                sorts[min(how, 2)].append((position, how, rule, plan))
                position += 1
        counting, rates, rest = sorts
        self.width = len(counting) + len(rates)  # the cells facts are scattered into
        self.minimum = [rule.min for _, _, rule, _ in counting]
        self.short = [
            OVERDUE if plan.closed else (ON_TRACK if plan.due is not None else "")
            for _, _, _, plan in counting
        ]
        self.pace = [plan.pace for _, _, _, plan in counting]
        self.rates = [(rule.min, plan.closed) for _, _, rule, plan in rates]
        nothing = Facts(measurable=facts.measurable)
        # the rest, with the result of a unit that has nothing recorded
        self.rest = [(how, rule, plan, evaluate_cell(rule, 0, plan, nothing)) for _, how, rule, plan in rest]
        # (kind, month) → the counting cells that read it, with the evidence each demands
        self.readers: dict[tuple[str, str], list[tuple[int, int]]] = {}
        # (kind, month) → the rate cells whose attendance it is
        self.attendance_readers: dict[tuple[str, str], list[int]] = {}
        cells: list[tuple[int, CellSpec]] = []
        for index, (position, how, rule, plan) in enumerate(counting + rates + rest):
            if how == _COUNT:
                for key in plan.keys:
                    self.readers.setdefault(key, []).append((index, plan.needed))
            elif how == _RATE:
                for key in plan.keys:
                    self.attendance_readers.setdefault(key, []).append(index)
            required = rule.min if how <= _RATE else self.rest[index - self.width][3].required
            cells.append((position, CellSpec(rule.code, rule.title, plan.period, plan.due, index, required)))
        self.cells = tuple(cell for _, cell in sorted(cells, key=lambda c: c[0]))
        # (kind, month, mask) → (cells it counts in, (cell, reason) it is left out of), as facts arrive;
        # for the rollup's rows, keyed by the kind's id, with the rate cells its attendance goes to
        self.route: dict[tuple[str, str, int], tuple[tuple[int, ...], tuple[tuple[int, str], ...]]] = {}
        self.rollup_route: dict[tuple[int, str, int], tuple[tuple, tuple, tuple[int, ...]]] = {}
        # (cell, members) → the status of a per-person rule nobody has met (0 of members)
        self.nobody: dict[tuple[int, int], str] = {}
        self.rest_actual = [blank.actual for _, _, _, blank in self.rest]
        self.rest_status = [blank.status for _, _, _, blank in self.rest]
        self.per_person = [
            (index, plan)
            for index, (how, _, plan, _) in enumerate(self.rest, self.width)
            if how == _PER_PERSON
        ]

    def _targets(
        self, kind: str, month: str, mask: int
    ) -> tuple[tuple[int, ...], tuple[tuple[int, str], ...]]:
        """Where a fact goes: the cells where it counts, and (cell, reason) where it is left out."""
        counted, left_out = [], []
        for index, needed in self.readers.get((kind, month), ()):
            if mask & needed == needed:
                counted.append(index)
            else:
                left_out.append((index, evidence_reason(needed & ~mask)))
        targets = self.route[(kind, month, mask)] = (tuple(counted), tuple(left_out))
        return targets

    def _rollup_targets(self, rollup: Rollup, kind_id: int, month: str, mask: int) -> int | tuple:
        """``_targets`` for a row of the rollup, with the rate cells its attendance goes to; shaped for
        ``_scatter``'s loop: ``_NOTHING`` where no cell reads the row (most rows of a city: a kind no
        rule of this kind of unit counts, a month outside a period), the cell alone where it counts
        in one cell only, else (counted, left out, rate cells)."""
        kind = rollup.kinds[kind_id]
        counted, left_out = self.route.get((kind, month, mask)) or self._targets(kind, month, mask)
        rated = rollup.rated is None or kind_id in rollup.rated
        rates = tuple(self.attendance_readers.get((kind, month), ())) if rated else ()
        targets: int | tuple = (counted, left_out, rates)
        if not (counted or left_out or rates):
            targets = _NOTHING
        elif len(counted) == 1 and not (left_out or rates):
            targets = counted[0]
        self.rollup_route[(kind_id, month, mask)] = targets
        return targets

    def row(self, unit: int, sums: list | None, facts: Facts) -> UnitRow:
        """The unit's row from what was scattered into its cells (``sums``: counts, attendance due,
        what was left out; None: nothing) and, for the rest, its own facts."""
        if sums is None:
            actual, due_of, left = [0] * self.width, None, None
        else:
            actual, due_of, left = sums
        # the counting cells (``actual`` runs on into the rates: zip stops at the counting cells'
        # end); Plan.judge(minimum, n), inlined
        status = [
            MET if n >= minimum else short or (ON_TRACK if n >= pace else BEHIND)
            for n, minimum, short, pace in zip(actual, self.minimum, self.short, self.pace, strict=False)
        ]
        # the rates: no pace, just the threshold (what cells.evaluate_cell says of a rate)
        for index, (minimum, closed) in enumerate(self.rates, len(self.minimum)):
            due = due_of[index] if due_of is not None else 0
            if due == 0:
                actual[index] = 0
                status.append(OVERDUE if closed else ON_TRACK)
            else:
                rate = actual[index] = round(100.0 * actual[index] / due, 1)
                status.append(MET if rate >= minimum else (OVERDUE if closed else BEHIND))
        required: dict[int, float] | None = None
        if not self.rest:
            return UnitRow(unit, self.cells, actual, status, required, left)
        has_records = unit in facts.records
        people = facts.per_person.get(unit)
        if not has_records and not people:
            # what the rest says of a unit without records: all as for a unit with nothing, but for
            # the per-person rules' members
            actual += self.rest_actual
            status += self.rest_status
            if self.per_person:
                members = facts.members.get(unit, 0)
                required = {}
                for index, plan in self.per_person:
                    verdict = self.nobody.get((index, members))
                    if verdict is None:
                        verdict = self.nobody[(index, members)] = plan.judge(members, 0)
                    status[index] = verdict
                    required[index] = members
        else:
            for index, (how, rule, plan, blank) in enumerate(self.rest, self.width):
                if how == _FIXED or (how == _RECORDS and not has_records):
                    actual.append(blank.actual)
                    status.append(blank.status)
                    continue
                if required is None:
                    required = {}
                if how == _PER_PERSON and not people:
                    members = facts.members.get(unit, 0)
                    verdict = self.nobody.get((index, members))
                    if verdict is None:
                        verdict = self.nobody[(index, members)] = plan.judge(members, 0)
                    actual.append(0)
                    status.append(verdict)
                    required[index] = members
                    continue
                result = evaluate_cell(rule, unit, plan, facts)
                actual.append(result.actual)
                status.append(result.status)
                required[index] = result.required
        return UnitRow(unit, self.cells, actual, status, required, left)


def _left_out(sums: list, targets: tuple[tuple[int, str], ...], n: int) -> None:
    left = sums[2]
    if left is None:
        left = sums[2] = {}
    for target in targets:
        left[target] = left.get(target, 0) + n


def _scatter(facts: Facts, matrix_of: dict[int, _Matrix]) -> dict[int, list]:
    """Each unit's facts added into its cells: unit → [counts, attendance due (or None), what was
    left out (or None)]. Units not judged are passed over."""
    sums: dict[int, list] = {}
    if facts.rollup is not None:
        rollup = facts.rollup
        current = None
        # Rows come in unit order (``rules.facts``): the unit's matrix and sums are looked up when
        # the unit changes, not per row; rows in any other order give the same sums.
        for unit, kind_id, month, mask, n, present, due in rollup.rows:
            if unit != current:
                current = unit
                matrix = matrix_of.get(unit, _NOWHERE)
                cell_sums = sums.get(unit)
                if cell_sums is None:
                    cell_sums = sums[unit] = [[0] * matrix.width, None, None]
                counts = cell_sums[0]
                route = matrix.rollup_route
            targets = route.get((kind_id, month, mask))
            if targets is None:
                targets = matrix._rollup_targets(rollup, kind_id, month, mask)
            if targets is _NOTHING:
                continue
            if targets.__class__ is int:
                counts[targets] += n
                continue
            counted, left_out, rates = targets
            for index in counted:
                counts[index] += n
            if left_out:
                left = cell_sums[2]
                if left is None:
                    left = cell_sums[2] = {}
                for target in left_out:
                    left[target] = left.get(target, 0) + n
            if rates and due:
                due_of = cell_sums[1]
                if due_of is None:
                    due_of = cell_sums[1] = [0] * matrix.width
                for index in rates:
                    counts[index] += present
                    due_of[index] += due
    for unit, unit_act in facts.activities.items():
        matrix = matrix_of.get(unit)
        if matrix is None:
            continue
        cell_sums = sums.get(unit)
        if cell_sums is None:
            cell_sums = sums[unit] = [[0] * matrix.width, None, None]
        counts = cell_sums[0]
        route = matrix.route
        for (kind, month, mask), n in unit_act.items():
            targets = route.get((kind, month, mask))
            if targets is None:
                targets = matrix._targets(kind, month, mask)
            counted, left_out = targets
            for index in counted:
                counts[index] += n
            if left_out:
                _left_out(cell_sums, left_out, n)
    for unit, unit_att in facts.attendance.items():
        matrix = matrix_of.get(unit)
        if matrix is None or not matrix.attendance_readers:
            continue
        for key, (present, due) in unit_att.items():
            rate_cells = matrix.attendance_readers.get(key)
            if not rate_cells:
                continue
            cell_sums = sums.get(unit)
            if cell_sums is None:
                cell_sums = sums[unit] = [[0] * matrix.width, None, None]
            counts, due_of = cell_sums[0], cell_sums[1]
            if due_of is None:
                due_of = cell_sums[1] = [0] * matrix.width
            for index in rate_cells:
                counts[index] += present
                due_of[index] += due
    return sums


# A route's "no cell reads this fact"
_NOTHING = ()
# Where the rollup's rows of a unit that is not judged go: no cell reads them.
_NOWHERE = _Matrix([], Facts())


def evaluate(
    *,
    rules: Iterable[Rule],
    units: Mapping[int, str],
    facts: Facts,
    window: Period,
    as_of: date,
) -> Results:
    """Every applicable unit × rule × period of ``window`` that has begun by ``as_of``.

    ``units`` maps unit id → unit kind; a rule applies to the unit kinds it names (all, if none).
    The period arithmetic is done once per rule and period, and which rules apply once per unit
    kind (a ``_Matrix``), not once per unit: a city's check judges some 370,000 cells.
    """
    if as_of < window.start:
        raise ValueError(f"核查日期 {as_of} 早于期间 {window.label} 的开始")
    plans = _plans(tuple(rules), window, as_of)
    by_kind: dict[str, _Matrix] = {}
    matrix_of: dict[int, _Matrix] = {}
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
        matrix_of[unit] = matrix
    sums = _scatter(facts, matrix_of)
    return Results([matrix_of[unit].row(unit, sums.get(unit), facts) for unit in units])


@lru_cache(maxsize=64)
def _plans(rules: tuple[Rule, ...], window: Period, as_of: date) -> list[tuple[Rule, list[Plan]]]:
    """Each rule with the plans of its periods in ``window`` begun by ``as_of``: the same for every
    check of a framework's rules over that window on that day (a unit's check after each write in
    it worked the same calendar out again, a third of its judging). Kept per process; the rules,
    periods and plans are frozen, and ``_Matrix`` only reads the lists."""
    return [
        (
            rule,
            [
                Plan.build(p, as_of, due_date(rule, p), rule)
                for p in periods_for(rule, window)
                if p.start <= as_of
            ],
        )
        for rule in rules
    ]


def window_span(rules: Iterable[Rule], window: Period, as_of: date) -> tuple[date, date]:
    """The dates the facts must cover: from the earliest judged period's start to ``as_of``."""
    starts = [p.start for rule in rules for p in periods_for(rule, window)]
    return (min(starts, default=window.start), as_of)
