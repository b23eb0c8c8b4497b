"""Reads over drafts, and the counting seams for the rules engine and the documents.

Seams:

* ``monthly_counts(units=, start=, end=)`` → ``{unit_id: {month: (published, without_three_reviews)}}``:
  drafts published in each month, and of them those whose last round lacks approvals at all three
  stages by three different people (the "every published item passed three reviews" requirement
  counts these as violations; the state machine prevents them, imports and admin edits might not).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from taizhang.core.db import month_of
from taizhang.org.models import Unit
from taizhang.review.models import Action, Decision, Draft, DraftState


def _approvals(distinct_field: str):
    rows = (
        Decision.objects.filter(draft=OuterRef("pk"), round=OuterRef("round"), action=Action.APPROVE)
        .order_by()
        .values("draft")
        .annotate(n=Count(distinct_field, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def with_review_counts(queryset: QuerySet[Draft]) -> QuerySet[Draft]:
    """Annotate each draft with the stages approved and the distinct approvers of its last round."""
    return queryset.annotate(approved_stages=_approvals("stage"), approvers=_approvals("actor"))


THREE_REVIEWS = Q(approved_stages__gte=3, approvers__gte=3)


def monthly_counts(*, units: QuerySet[Unit], start: date, end: date) -> dict[int, dict[str, tuple[int, int]]]:
    """Published drafts and, of them, those without three reviews, per unit and month of publication.

    One grouped query for all units: the engine's "every published item passed three reviews" rule
    sums the months of its period and calls each draft without three approvals a violation.
    """
    rows = (
        with_review_counts(
            Draft.objects.filter(
                unit__in=units.values("pk"),
                state=DraftState.PUBLISHED,
                published_on__gte=start,
                published_on__lte=end,
            )
        )
        .annotate(month=month_of("published_on"))
        .values_list("unit_id", "month")
        .annotate(published=Count("id"), short=Count("id", filter=~THREE_REVIEWS))
        .order_by()
    )
    out: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for unit_id, month, published, short in rows:
        out[unit_id][month] = (published, short)
    return dict(out)


def draft_history(draft: Draft) -> QuerySet[Decision]:
    return draft.decisions.select_related("actor").order_by("at", "id")


# The drafts every member of the unit may read (``core.crud.RecordPages.published``).
PUBLISHED = Q(state=DraftState.PUBLISHED)


def engine_counts(*, units: QuerySet[Unit], start: date, end: date, **_) -> dict:
    """The rules engine's counter of published items (``core.registry``): per unit, ``("published_items",
    month) → (published, without three reviews)``."""
    return {
        unit_id: {("published_items", month): figures for month, figures in months.items()}
        for unit_id, months in monthly_counts(units=units, start=start, end=end).items()
    }


def published_sheet(rows: QuerySet[Draft]) -> QuerySet[Draft]:
    """The ledger workbook's published items, with the reviews of their last round, oldest first."""
    return with_review_counts(rows).select_related("unit", "author", "channel").order_by("published_on", "id")
