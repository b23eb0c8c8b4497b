"""The matrix: a check laid out as requirements by units, each cell its periods folded into the worst status."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from taizhang.core import stamps
from taizhang.org.models import Area, Unit
from taizhang.org.queries import tree_order
from taizhang.rules.check import Check
from taizhang.rules.engine import BEHIND, MET, NOT_MEASURED, ON_TRACK, OVERDUE, STATUS_LABELS, Result, Rule
from taizhang.rules.requirements import areas_of, rules_of

# The engine's status words, for the catalogue: the matrix shows them through {% translate %}.
STATUS_WORDS = (
    gettext_noop("已完成"),
    gettext_noop("进度正常"),
    gettext_noop("进度滞后"),
    gettext_noop("逾期未完成"),
    gettext_noop("不可计量"),
    gettext_noop("不适用"),
)


_SEVERITY = {OVERDUE: 4, BEHIND: 3, ON_TRACK: 2, MET: 1, NOT_MEASURED: 0}


@dataclass(frozen=True)
class Cell:
    """One unit × requirement of the matrix: its periods folded into the worst status.

    A rule judged in one period shows its figures as they are (27 submissions against 2). Over
    several periods a count does not add up: four studies in the first quarter and none in the
    second are not "4/2" of a quarterly rule, so each period counts at most what it requires
    (``actual`` is capped period by period) and the cell says how many periods were met ("1/2 个季度
    达标"). A rate does not add up either (95% and 88% are not 183%): the cell shows the rate of its
    worst period against the rule's target.
    """

    unit: Unit
    rule: Rule
    status: str
    required: float
    actual: float
    excluded: int
    periods: tuple[Result, ...]

    @property
    def status_label(self) -> str:
        """In Chinese, as the engine (no Django) names it; pages translate it where they show it."""
        return STATUS_LABELS[self.status]

    @property
    def is_rate(self) -> bool:
        return self.rule.measure == "rate"

    @property
    def periods_met(self) -> int:
        return sum(1 for r in self.periods if r.status == MET)

    @property
    def percent(self) -> int:
        """The ring's share, 0–100: a rate as it is (capped at 100), else what is done of what is
        required (each period capped, so an early surplus never hides a missed period)."""
        if self.is_rate:
            return max(0, min(100, round(self.actual)))
        if not self.required:
            return 100 if self.status == MET else 0
        return max(0, min(100, round(100 * self.actual / self.required)))

    @property
    def figures(self) -> str:
        """The cell's figures in words, in the page's language."""
        return cell_words(
            is_rate=self.is_rate,
            actual=self.actual,
            required=self.required,
            periods_met=self.periods_met,
            periods=len(self.periods),
            period_kind=self.periods[0].period.kind,
        )

    @property
    def kept(self) -> list:
        """What ``cell_words`` needs, as plain values (a dashboard keeps them as JSON)."""
        return [
            self.is_rate,
            self.actual,
            self.required,
            self.periods_met,
            len(self.periods),
            self.periods[0].period.kind,
        ]


def cell_words(
    *, is_rate: bool, actual: float, required: float, periods_met: int, periods: int, period_kind: str
) -> str:
    """A folded cell's figures in words (``Cell``): a rate against its target, how many of several
    periods were met, or one period's count against what it requires."""
    if is_rate:
        return gettext("%(actual)s%%，目标 %(required)s%%") % {
            "actual": f"{actual:g}",
            "required": f"{required:g}",
        }
    if periods > 1:
        words = PERIODS_MET.get(period_kind, PERIODS_MET["year"])
        return gettext(words) % {"met": periods_met, "total": periods}
    return f"{actual:g}/{required:g}"


# How many of a rule's periods were met, by the kind of period (whole sentences: no word is glued).
PERIODS_MET = {
    "month": gettext_noop("%(met)s/%(total)s 个月达标"),
    "quarter": gettext_noop("%(met)s/%(total)s 个季度达标"),
    "half": gettext_noop("%(met)s/%(total)s 个半年达标"),
    "year": gettext_noop("%(met)s/%(total)s 年达标"),
}


@dataclass(frozen=True)
class MatrixRow:
    """One requirement across the units: ``None`` where the rule does not apply to a unit's kind."""

    rule: Rule
    cells: list[Cell | None]


@dataclass(frozen=True)
class Matrix:
    """Requirements as rows grouped by work area ((code, the Area: its name in the page's language),
    rows), units as columns in tree order."""

    units: list[Unit]
    areas: list[tuple[tuple[str, Area | str], list[MatrixRow]]]

    def without_empty_units(self) -> Matrix:
        """The matrix without the sub-units to which no requirement applies (a CPPCC organ's
        offices: a column of 不适用 each), so a unit's own standing is what its page shows; the
        first unit, the one checked, always stays."""
        rows = [row for _, area_rows in self.areas for row in area_rows]
        shown = [i for i in range(len(self.units)) if i == 0 or any(row.cells[i] for row in rows)]
        if len(shown) == len(self.units):
            return self
        return Matrix(
            units=[self.units[i] for i in shown],
            areas=[
                (area, [MatrixRow(rule=row.rule, cells=[row.cells[i] for i in shown]) for row in area_rows])
                for area, area_rows in self.areas
            ],
        )


def _cell(unit: Unit, rule: Rule, results: list[Result]) -> Cell:
    worst = max(results, key=lambda r: (_SEVERITY[r.status], -r.actual))
    if rule.measure == "rate":
        required, actual = rule.min, worst.actual
    elif len(results) == 1:
        required, actual = results[0].required, results[0].actual
    else:  # each period counts at most what it requires (see Cell)
        required = sum(r.required for r in results)
        actual = sum(min(r.actual, r.required) for r in results)
    return Cell(
        unit=unit,
        rule=rule,
        status=worst.status,
        required=required,
        actual=actual,
        excluded=sum(r.excluded for r in results),
        periods=tuple(results),
    )


def fold(unit: Unit, rule: Rule, results: list[Result]) -> Cell:
    """One unit's periods of one requirement folded into the matrix's cell (the unit page's ring)."""
    return _cell(unit, rule, results)


def matrix(check: Check) -> Matrix:
    """The check laid out as the matrix page shows it; kept with the check (``core.stamps``)."""
    return stamps.cached(
        "matrix",
        unit_id=check.unit.pk,
        parts=(check.window.code, check.as_of, check.with_children, check.framework.pk),
        compute=lambda: _matrix(check),
        years=range(check.window.start.year, check.window.end.year + 1),
    )


def _matrix(check: Check) -> Matrix:
    grouped: dict[tuple[int, str], list[Result]] = defaultdict(list)
    for result in check.results:
        grouped[(result.unit, result.requirement)].append(result)
    judged = {code for _, code in grouped}
    units = tree_order(check.units.values())
    area_of = areas_of(check.framework)
    # the areas themselves: the page names them in its language (a kept matrix serves either)
    area_by_code = {area.code: area for area in stamps.vocabulary_rows(Area)}
    areas: dict[tuple[str, Area | str], list[MatrixRow]] = {}
    for rule in rules_of(check.framework):
        if rule.code not in judged:
            continue
        cells = [
            _cell(unit, rule, results) if (results := grouped.get((unit.pk, rule.code))) else None
            for unit in units
        ]
        area = area_of.get(rule.code, "")
        areas.setdefault((area, area_by_code.get(area, area)), []).append(MatrixRow(rule, cells))
    return Matrix(units=units, areas=list(areas.items()))
