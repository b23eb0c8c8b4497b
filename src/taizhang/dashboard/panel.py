"""What the unit page shows beside its counts: a ring per requirement, the latest records, and what
falls due."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils.translation import get_language

from taizhang.core import stamps
from taizhang.core.i18n import localized
from taizhang.core.periods import Period
from taizhang.dashboard.board import DUE_DAYS, Ring
from taizhang.ledger.models import Activity
from taizhang.org.models import Unit
from taizhang.rules.check import compliance
from taizhang.rules.engine import NOT_MEASURED
from taizhang.rules.matrix import fold
from taizhang.rules.requirements import rules_of
from taizhang.rules.todo import todo_for


@dataclass
class UnitPanel:
    period: Period
    rings: list[Ring]
    recent: list
    due: list


def unit_panel(*, unit: Unit, period: Period, with_children: bool, today: date | None = None) -> UnitPanel:
    """What the unit page shows beside its counts: a ring per requirement (the matrix's folded cell
    for this unit over ``period``), the latest records, and what falls due within ``DUE_DAYS``.

    One check serves the rings and, when the page shows the current year, the due items too. Kept
    until a write in the unit's subtree (and for the day, in the page's language: ``core.stamps``)."""
    today = today or date.today()
    return stamps.cached(
        "unit-panel",
        unit_id=unit.pk,
        parts=(period.code, with_children, today, get_language()),
        compute=lambda: _unit_panel(unit=unit, period=period, with_children=with_children, today=today),
    )


def _unit_panel(*, unit: Unit, period: Period, with_children: bool, today: date) -> UnitPanel:
    check = compliance(unit=unit, window=period, with_children=with_children)
    rules = {rule.code: rule for rule in rules_of(check.framework)}
    own: dict[str, list] = defaultdict(list)
    for result in check.results:
        if result.unit == unit.pk:
            own[result.requirement].append(result)
    rings = []
    for code, rule in rules.items():
        if code not in own:
            continue
        cell = fold(unit, rule, own[code])
        if cell.status == NOT_MEASURED:
            continue
        rings.append(
            Ring(
                title=localized(rule.title, rule.title_en),
                status=cell.status,
                status_label=cell.status_label,
                percent=cell.percent,
                figures=cell.figures,
                responsible=rule.responsible,
            )
        )
    units = (
        Unit.objects.filter(path__startswith=unit.path) if with_children else Unit.objects.filter(pk=unit.pk)
    )
    recent = list(  # the period's own, latest first: a page on 2020H1 shows no December record
        Activity.objects.filter(unit__in=units.values("pk"), date__range=(period.start, period.end))
        .select_related("kind", "unit")
        .order_by("-date", "-id")[:8]
    )
    # what the period's year left undone (and, in the current year, what falls due soon)
    due = todo_for(
        unit=unit, today=today, days=DUE_DAYS, with_children=with_children, check=check, year=period.year
    )[:10]
    return UnitPanel(period=period, rings=rings, recent=recent, due=due)
