"""The score sheet (考核评分), pure: points per requirement from the engine's results.

A requirement earns its points in proportion to actual/required, averaged over its periods and
capped at 1 (doing more than required earns no extra points); each overdue period then deducts a
tenth of the requirement's points, never below zero. Requirements whose records cannot be counted
yet are listed but left out of both the score and the maximum, so a unit is not marked down for
what the system cannot see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from taizhang.rules.engine import NOT_MEASURED, OVERDUE, Result, Rule

OVERDUE_DEDUCTION = 0.1


@dataclass(frozen=True)
class ScoreLine:
    rule: Rule
    periods: int
    required: float
    actual: float
    overdue: int
    earned: float
    deduction: float
    measurable: bool

    @property
    def score(self) -> float:
        return round(max(0.0, self.earned - self.deduction), 2)


def score_lines(rules: Iterable[Rule], results: Iterable[Result], *, unit: int) -> list[ScoreLine]:
    by_rule: dict[str, list[Result]] = {}
    for result in results:
        if result.unit == unit:
            by_rule.setdefault(result.requirement, []).append(result)
    lines = []
    for rule in rules:
        mine = by_rule.get(rule.code)
        if not mine:
            continue
        measurable = all(r.status != NOT_MEASURED for r in mine)
        ratios = [min(1.0, r.actual / r.required) if r.required else 1.0 for r in mine]
        overdue = sum(1 for r in mine if r.status == OVERDUE)
        earned = rule.points * sum(ratios) / len(ratios) if measurable else 0.0
        lines.append(
            ScoreLine(
                rule=rule,
                periods=len(mine),
                required=sum(r.required for r in mine),
                actual=sum(r.actual for r in mine),
                overdue=overdue,
                earned=round(earned, 2),
                deduction=round(min(earned, rule.points * OVERDUE_DEDUCTION * overdue), 2)
                if measurable
                else 0.0,
                measurable=measurable,
            )
        )
    return lines


def total(lines: Iterable[ScoreLine]) -> tuple[float, float]:
    """(score, maximum) over the measurable lines."""
    lines = [line for line in lines if line.measurable]
    return round(sum(line.score for line in lines), 2), round(sum(line.rule.points for line in lines), 2)
