"""The seam between the compliance engine and the summary: ``Gap`` and ``gaps_for()``.

The summary's 存在的问题 and 下一步打算 are proposed from unmet requirements. The real requirement
library and its engine belong to the ``rules`` module (issue 3), which is not merged yet. Until
it is, this module computes gaps from a handful of minimums stated in the seeds and DESIGN.md
(``INTERIM_MINIMUMS``), prorated to the period and judged only as met / behind on whole
counts, so nothing it says is stronger than the ledger supports.

When ``rules`` lands, ``gaps_for`` is the one function to replace: it must return ``list[Gap]``
for (unit, period, counts), e.g. by mapping the engine's per-requirement statuses. Nothing else
in ``documents`` reads requirements.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from taizhang.core.periods import Period


@dataclass(frozen=True)
class Gap:
    """One requirement judged for one unit and period, in the numbers a summary states."""

    requirement: str  # title as a sentence would name it: 专题研究意识形态工作
    area: str  # framework area code
    kind: str  # activity kind code the requirement counts
    required: int
    actual: int
    status: str  # "met" | "behind" (the rules engine may add "on_track" and "overdue")

    @property
    def unmet(self) -> bool:
        return self.status not in ("met", "on_track")

    @property
    def missing(self) -> int:
        return max(0, self.required - self.actual)


@dataclass(frozen=True)
class Minimum:
    requirement: str
    area: str
    kind: str
    per_year: int


# Minimums per year from the seeds and DESIGN.md's defaults (the rules module's YAML replaces them).
INTERIM_MINIMUMS: tuple[Minimum, ...] = (
    Minimum("专题研究意识形态工作", "leadership", "ideology_session", 2),  # CPPCC seed: ≥2 a year
    Minimum("召开意识形态工作联席会议", "leadership", "joint_meeting", 2),  # seed: once each half year
    Minimum("向上级报告意识形态工作", "leadership", "report_upward", 2),  # seed: each half year
    Minimum("开展意识形态形势分析研判", "leadership", "assessment", 4),  # common local rule: quarterly
    Minimum("开展理论学习中心组学习", "theory_study", "central_group_study", 4),  # at least quarterly
)


def required_in(period: Period, per_year: int) -> int:
    """A yearly minimum prorated to a period, rounded up (2 a year → 1 in a half year)."""
    months = period.last_month - period.first_month + 1
    return math.ceil(per_year * months / 12)


def gaps_for(*, period: Period, counts: dict[str, int]) -> list[Gap]:
    """Every interim requirement judged against ``counts`` ({kind code: activities in the period})."""
    out = []
    for minimum in INTERIM_MINIMUMS:
        required = required_in(period, minimum.per_year)
        actual = counts.get(minimum.kind, 0)
        out.append(
            Gap(
                requirement=minimum.requirement,
                area=minimum.area,
                kind=minimum.kind,
                required=required,
                actual=actual,
                status="met" if actual >= required else "behind",
            )
        )
    return out
