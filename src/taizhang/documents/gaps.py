"""The seam between the compliance engine and the summary: ``Gap`` and ``gaps_for()``.

The summary's 存在的问题 and 下一步打算 are proposed from the requirements the rules engine finds
unmet (``behind`` or ``overdue``) for the unit and period. Requirements that are met, on track or
not measurable (their record type has no table yet) propose nothing, so the text never claims a
shortcoming the ledger does not show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from taizhang.core.periods import Period
from taizhang.org.models import Unit
from taizhang.rules.engine import BEHIND, MET, ON_TRACK, OVERDUE
from taizhang.rules.queries import compliance, rule_from


@dataclass(frozen=True)
class Gap:
    """One requirement judged for one unit and one of its periods, in the numbers a summary states."""

    requirement: str  # title as the framework names it
    area: str  # framework area code
    kinds: tuple[str, ...]  # activity kinds counted ("" measures such as reflections count none)
    measure: str  # count | rate | per_person | document | every
    counts: str  # the record type counted: activities, publicity_articles, reflections, …
    period_label: str  # the requirement's own period judged: 2020年2月, 2020年第一季度, 2020年
    start: date
    end: date
    required: float
    actual: float
    status: str  # met | on_track | behind | overdue
    next_label: str = ""  # the period after the summary's, for 下一步打算
    next_required: float = 0  # the requirement's minimum per ``per``
    per: str = ""  # 每月, 每季度, 每半年, 全年

    @property
    def unmet(self) -> bool:
        return self.status not in (MET, ON_TRACK)

    @property
    def kind(self) -> str:
        return self.kinds[0] if self.kinds else ""

    @property
    def missing(self) -> float:
        return max(0, self.required - self.actual)


PER = {"month": "每月", "quarter": "每季度", "half": "每半年", "year": "全年"}


def gaps_for(*, unit: Unit, period: Period, as_of: date | None = None) -> list[Gap]:
    """The unmet requirements of ``unit`` (itself, not its subtree) over ``period``, as the engine judges them."""
    check = compliance(unit=unit, window=period, as_of=as_of)
    requirements = list(check.framework.requirements.all())
    rules = {r.code: rule_from(r) for r in requirements}
    areas = {r.code: r.area for r in requirements}
    out = []
    for result in check.results:
        if result.status not in (BEHIND, OVERDUE):
            continue
        rule = rules[result.requirement]
        out.append(
            Gap(
                requirement=result.title,
                area=areas.get(result.requirement, ""),
                kinds=tuple(rule.kinds),
                measure=rule.measure,
                counts=rule.counts,
                period_label=result.period.label,
                start=result.period.start,
                end=result.period.end,
                required=result.required,
                actual=result.actual,
                status=result.status,
                next_label=period.next().label,
                next_required=rule.min,
                per=PER[rule.period],
            )
        )
    return out
