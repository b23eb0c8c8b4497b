"""The engine's counter for a type that declares no counter of its own (``core.registry``: a type whose
``counter`` names ``by_declaration``): its rows, its unit and date fields, its subset and its check
(``violation``) are all in its declaration, so one grouped query per type counts it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.apps import apps
from django.db.models import Count, Q, QuerySet

from taizhang.core.db import month_of, states_at
from taizhang.core.registry import record_type, resolve
from taizhang.org.models import Unit


def by_declaration(
    *, units: QuerySet[Unit], start: date, end: date, ends: list[date], today: date, codes: set[str]
) -> dict[int, dict[tuple[str, str], tuple[int, int]]]:
    """Per unit, ``(code, 'YYYY-MM') → (records, violations)``: events by the month of their date, a
    stock as it stands at each day of ``ends``; a violation is a record its ``violation`` names as of
    ``today`` (for a stock: as of each end, or today if earlier)."""
    out: dict[int, dict[tuple[str, str], tuple[int, int]]] = defaultdict(dict)
    for code in sorted(codes):
        t = record_type(code)
        failing = resolve(t.violation) if t.violation else (lambda day: Q(pk__in=[]))
        rows = apps.get_model(t.model).objects.filter(
            **{f"{t.unit_field}__in": units.values("pk")}, **t.where
        )
        if t.stock:
            states = states_at(
                rows,
                ends,
                counted=lambda day, t=t: Q(**{f"{t.date_field}__lte": day}),
                flagged=lambda day, failing=failing: failing(min(day, today)),
            )
            for unit_id, months in states.items():
                out[unit_id].update({(code, month): figures for month, figures in months.items()})
            continue
        dated = rows.filter(**{f"{t.date_field}__gte": start, f"{t.date_field}__lte": end})
        for unit_id, month, n, bad in (
            dated.annotate(month=month_of(t.date_field))
            .values_list(f"{t.unit_field}_id", "month")
            .annotate(n=Count("id"), bad=Count("id", filter=failing(today)))
            .order_by()
        ):
            out[unit_id][(code, month)] = (n, bad)
    return dict(out)
