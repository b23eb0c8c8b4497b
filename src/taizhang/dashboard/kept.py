"""The dashboard a page shows, and where its figures come from.

A small scope (a county) is computed while the page is made, and kept until a write in its subtree
(``core.stamps``). A scope of at least ``TAIZHANG_DASHBOARD_KEPT_UNITS`` units (a city: the engine
judging ten thousand units twice takes seconds) is computed by a background task
(``dashboard.tasks.refresh_dashboard``) and kept in ``reporting.DashboardSnapshot``; the page reads
the kept figures, says when they were computed, and when the ledger has changed since
(``scope_stamp``) or a day has passed, shows them marked as such while the task computes them anew.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from taizhang.core import stamps
from taizhang.dashboard.board import CACHE_SECONDS, Dashboard
from taizhang.dashboard.charts import present
from taizhang.dashboard.figures import compute, scope_stamp
from taizhang.dashboard.tasks import refresh_dashboard
from taizhang.ledger import queries as ledger_queries
from taizhang.ledger.models import Activity, ActivityMonth
from taizhang.org.models import Unit
from taizhang.org.scope import subtree_size
from taizhang.reporting.models import DashboardSnapshot

# A refresh queued this long ago and still not done (its worker killed) is queued again.
RETRY_AFTER = timedelta(minutes=10)


def latest_year(top: Unit) -> int | None:
    """The newest year with activities in ``top``'s subtree; kept a while for a large scope.

    A unit or a county reads its months from the rollup, through the (unit, month) index. A city
    walks the activities' date index from the newest back to the first of its own, which is among
    the first few: the rollup would have had all of its ten thousand units' months read to sort
    them (220 ms on PostgreSQL)."""
    key = f"taizhang:dashboard-year:{top.pk}:{top.path}"
    large = is_large(top)
    if large and (hit := cache.get(key)) is not None:
        return hit
    if not large:  # the newest year most units kept their ledgers in
        return ledger_queries.latest_activity_year(Unit.objects.filter(path__startswith=top.path))
    subtree = Unit.objects.filter(path__startswith=top.path).values("pk")
    if large:
        newest = (
            Activity.objects.filter(unit_id__in=subtree)
            .order_by("-date")
            .values_list("date", flat=True)
            .first()
        )
        year = newest.year if newest else None
    else:
        month = (
            ActivityMonth.objects.filter(unit_id__in=subtree, activities__gt=0)
            .order_by("-month")
            .values_list("month", flat=True)
            .first()
        )
        year = int(month[:4]) if month else None
    if large and year is not None:
        cache.set(key, year, CACHE_SECONDS)
    return year


def build(*, top: Unit, year: int, today: date | None = None) -> Dashboard:
    """The dashboard of ``top``'s subtree for ``year`` (the trend compares the year with the one
    before; what is due is judged as of ``today``): its figures computed once per change in the
    subtree and day, then read from the cache (``core.stamps``)."""
    today = today or date.today()
    figures = stamps.cached(
        "dashboard",
        unit_id=top.pk,
        parts=(year, today),
        compute=lambda: compute(top=top, year=year, today=today),
        years=[year - 1, year, today.year],  # the trend compares with the year before; due: this year
    )
    return present(top, figures)


def is_large(top: Unit) -> bool:
    """Whether ``top``'s dashboard is computed in the background and kept (a city), not per page.
    The subtree's size is kept (``org.scope.subtree_size``)."""
    return subtree_size(top.pk, top.path) >= settings.TAIZHANG_DASHBOARD_KEPT_UNITS


def current(*, top: Unit, year: int, today: date | None = None) -> Dashboard:
    """The dashboard a page shows: a small scope's computed now; a large scope's kept figures,
    with a refresh queued when they are missing, from another day, or older than the ledger."""
    today = today or date.today()
    if not is_large(top):
        return build(top=top, year=year, today=today)
    snapshot = DashboardSnapshot.objects.filter(top=top, year=year).first()
    fresh = (
        snapshot is not None
        and snapshot.figures is not None
        and snapshot.as_of == today
        and snapshot.stamp == scope_stamp(top)
    )
    if not fresh:
        snapshot = request_refresh(top=top, year=year, snapshot=snapshot)
        fresh = snapshot.requested_at is None  # the immediate backend has computed it already
    if snapshot.figures is None:
        return Dashboard(top=top, shown=[], year=year, today=today, charts=[], snapshot=snapshot, fresh=False)
    # a snapshot's figures are named by the computation that made them
    board = present(top, snapshot.figures, name=f"{snapshot.pk}-{snapshot.computed_at:%Y%m%d%H%M%S%f}")
    board.snapshot, board.fresh, board.asked_on = snapshot, fresh, today
    return board


def request_refresh(*, top: Unit, year: int, snapshot: DashboardSnapshot | None = None) -> DashboardSnapshot:
    """Queue the computation of ``top``'s figures for ``year`` unless one is queued already (the
    row's ``requested_at`` is the claim: one UPDATE decides between concurrent pages)."""
    if snapshot is None:
        snapshot, _ = DashboardSnapshot.objects.get_or_create(top=top, year=year)
    now = timezone.now()
    if snapshot.requested_at is not None and snapshot.requested_at >= now - RETRY_AFTER:
        return snapshot  # queued already, as read a moment ago: no claim to make (an UPDATE a visit)
    claimed = (
        DashboardSnapshot.objects.filter(pk=snapshot.pk)
        .filter(Q(requested_at__isnull=True) | Q(requested_at__lt=now - RETRY_AFTER))
        .update(requested_at=now)
    )
    if claimed:
        refresh_dashboard.enqueue(top.pk, year)
    snapshot.refresh_from_db()
    return snapshot
