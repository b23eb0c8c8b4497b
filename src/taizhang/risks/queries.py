"""Reads over risk points and public-opinion incidents, and the rules engine's counters.

* ``overdue_high_risks(units)``: open high risks past their review date, the unit's to-do list.
* ``monthly_assessments(units=, start=, end=)`` → ``{unit_id: {'YYYY-MM': n}}``: assessment meetings
  that reviewed at least one risk point, by month, and ``high_risk_state(units=, ends=, today=)`` →
  ``{unit_id: {'YYYY-MM': (open_high, overdue)}}``: open high risks as they stand at each day of
  ``ends``, for the rules engine; one grouped query each for all units.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from taizhang.core.db import month_of, states_at
from taizhang.ledger.models import Activity
from taizhang.org.models import Unit
from taizhang.risks.models import RiskLevel, RiskPoint, RiskStatus


def overdue_high_risks(units: QuerySet[Unit], *, day: date | None = None) -> QuerySet[RiskPoint]:
    """Open high risks past their review date: the unit's to-do list."""
    day = day or timezone.localdate()
    return RiskPoint.objects.filter(
        unit__in=units.values("pk"), level=RiskLevel.HIGH, status=RiskStatus.OPEN, review_date__lt=day
    ).select_related("unit", "owner")


def _reviewing_meetings() -> QuerySet:
    """Ids of the meetings that reviewed at least one (not deleted) risk point.

    Read from the small link table rather than joined onto the activities: joined, SQLite walks
    every activity of the checked units (about a second on a city's million) to find the few
    linked to a risk point; as an ``IN`` list it looks each linked meeting up by key.
    """
    return RiskPoint.assessments.through.objects.filter(riskpoint__deleted=False).values("activity_id")


def monthly_assessments(*, units: QuerySet[Unit], start: date, end: date) -> dict[int, dict[str, int]]:
    """Assessment meetings that reviewed at least one risk point, per unit and month.

    A meeting that names no risk point may still have happened (the ledger's ``assessment`` kind
    counts it); this figure asks whether the meetings actually worked the unit's risk register.
    """
    rows = (
        Activity.objects.filter(
            pk__in=_reviewing_meetings(),
            unit__in=units.values("pk"),
            kind__code="assessment",
            date__gte=start,
            date__lte=end,
        )
        .annotate(month=month_of("date"))
        .values_list("unit_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, month, n in rows:
        out[unit_id][month] = n
    return dict(out)


def high_risk_state(
    *, units: QuerySet[Unit], ends: list[date], today: date | None = None
) -> dict[int, dict[str, tuple[int, int]]]:
    """Open high risks and, of them, those past their review date, per unit at each day of ``ends``.

    A risk is overdue at a day when its review date has passed by then (or by ``today``, if the day
    is still ahead: a review due next month is not late yet). A risk is open at a day when it had
    been identified and not yet closed (``closed_on``): a past period is judged as the risk stood
    then, not by its status today. One query with two conditional counts per day; the key is the
    day's month.
    """
    if not ends:
        return {}
    today = today or timezone.localdate()
    rows = RiskPoint.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=min(ends)),
        unit__in=units.values("pk"),
        level=RiskLevel.HIGH,
        identified_on__lte=max(ends),
    )
    return states_at(
        rows,
        ends,
        counted=lambda end: open_at(end),
        flagged=lambda end: Q(review_date__lt=min(end, today)),
    )


def open_at(day: date) -> Q:
    """Risk points standing open at ``day``: identified by then and not closed by then."""
    return Q(identified_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


def overdue_filter(rows: QuerySet[RiskPoint], name: str, value) -> QuerySet[RiskPoint]:
    """The list's 仅看逾期 box: open high risks past their review date, as the to-do list has them."""
    if not value:
        return rows
    return rows.filter(level=RiskLevel.HIGH, status=RiskStatus.OPEN, review_date__lt=timezone.localdate())


def assessment_counts(*, units: QuerySet[Unit], start: date, end: date, **_) -> dict:
    """The rules engine's counter of ``risk_assessments`` (``core.registry``)."""
    return {
        unit_id: {("risk_assessments", month): (n, 0) for month, n in months.items()}
        for unit_id, months in monthly_assessments(units=units, start=start, end=end).items()
    }


def high_risk_counts(*, units: QuerySet[Unit], ends: list[date], today: date, **_) -> dict:
    """The rules engine's counter of ``high_risks`` (``core.registry``): open and overdue at each end."""
    return {
        unit_id: {("high_risks", month): figures for month, figures in months.items()}
        for unit_id, months in high_risk_state(units=units, ends=ends, today=today).items()
    }
