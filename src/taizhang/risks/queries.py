"""Reads over risk points, and the counting seams for the rules engine and the documents.

Seams:

* ``measure_counts(units=, period=)`` → ``{unit_id: {measure: n}}``, one grouped query per table:
  ``risk_assessments`` (assessment meetings in the period that reviewed at least one risk point;
  the ledger's ``assessment`` kind counts all such meetings), ``risk_points_open`` and
  ``high_risks_overdue`` (open high risks whose review date passed by the period's end, or today
  if earlier — the to-do list item).
* ``summary_figures(unit=, period=)`` → ``risk_points``, ``risk_points_reviewed``,
  ``risk_assessments``, ``high_risks_overdue``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from taizhang.core.periods import Period
from taizhang.ledger.models import Activity
from taizhang.org.models import Unit
from taizhang.risks.models import RiskLevel, RiskPoint, RiskStatus


def as_of(period: Period) -> date:
    return min(period.end, timezone.localdate())


def overdue_high_risks(units: QuerySet[Unit], *, day: date | None = None) -> QuerySet[RiskPoint]:
    """Open high risks past their review date: the unit's to-do list."""
    day = day or timezone.localdate()
    return RiskPoint.objects.filter(
        unit__in=units.values("pk"), level=RiskLevel.HIGH, status=RiskStatus.OPEN, review_date__lt=day
    ).select_related("unit", "owner")


def _assessments(units_filter: dict, period: Period) -> QuerySet[Activity]:
    return Activity.objects.filter(
        **units_filter,
        kind__code="assessment",
        date__gte=period.start,
        date__lte=period.end,
        risk_points__deleted=False,
    ).distinct()


def measure_counts(*, units: QuerySet[Unit], period: Period) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = defaultdict(dict)
    day = as_of(period)
    risks = (
        RiskPoint.objects.filter(unit__in=units.values("pk"), identified_on__lte=period.end)
        .values("unit_id")
        .annotate(
            open=Count("id", filter=Q(status=RiskStatus.OPEN)),
            overdue=Count("id", filter=Q(status=RiskStatus.OPEN, level=RiskLevel.HIGH, review_date__lt=day)),
        )
        .order_by()
    )
    for row in risks:
        out[row["unit_id"]].update(risk_points_open=row["open"], high_risks_overdue=row["overdue"])
    meetings = (
        Activity.objects.filter(
            unit__in=units.values("pk"),
            kind__code="assessment",
            date__gte=period.start,
            date__lte=period.end,
            risk_points__deleted=False,
        )
        .values("unit_id")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    for row in meetings:
        out[row["unit_id"]]["risk_assessments"] = row["n"]
    return dict(out)


def summary_figures(*, unit: Unit, period: Period) -> dict[str, dict]:
    subtree = {"unit__path__startswith": unit.path}
    risks = RiskPoint.objects.filter(**subtree, identified_on__lte=period.end)
    all_ids = list(risks.values_list("id", flat=True))
    reviewed = list(
        risks.filter(assessments__date__gte=period.start, assessments__date__lte=period.end)
        .values_list("id", flat=True)
        .distinct()
    )
    meetings = list(_assessments(subtree, period).values_list("id", flat=True))
    overdue = list(
        risks.filter(status=RiskStatus.OPEN, level=RiskLevel.HIGH, review_date__lt=as_of(period)).values_list(
            "id", flat=True
        )
    )
    return {
        "risk_points": {"value": len(all_ids), "ids": all_ids},
        "risk_points_reviewed": {"value": len(reviewed), "ids": sorted(reviewed)},
        "risk_assessments": {"value": len(meetings), "ids": sorted(meetings)},
        "high_risks_overdue": {"value": len(overdue), "ids": overdue},
    }
