"""The dashboard's background task: a large scope's figures, computed and kept.

Queued by ``dashboard.kept.request_refresh`` when a leader's page finds a city's figures missing, from
another day, or older than the ledger; run by ``taizhang worker``.
"""

from __future__ import annotations

import time
from datetime import date

from django.utils import timezone
from django_tasks import task

from taizhang.dashboard.figures import compute, scope_stamp
from taizhang.org.models import Unit
from taizhang.reporting.models import DashboardSnapshot
from taizhang.rules.requirements import framework_for


@task()
def refresh_dashboard(top_id: int, year: int) -> None:
    refresh(top_id=top_id, year=year)


def refresh(*, top_id: int, year: int) -> DashboardSnapshot | None:
    """Compute and keep ``top``'s figures for ``year`` as of today (the background task's work).

    The stamp is read before computing: a change made meanwhile leaves the kept figures older than
    the ledger, and the next page to read them queues another refresh.
    """
    top = Unit.objects.filter(pk=top_id).first()
    if top is None:  # the unit was removed while the task waited
        DashboardSnapshot.objects.filter(top_id=top_id).delete()
        return None
    framework_for(top)  # the first check of a new database stores the default framework: before the stamp
    stamp = scope_stamp(top)
    today = date.today()
    started = time.perf_counter()
    try:
        figures = compute(top=top, year=year, today=today)
    except Exception as error:
        DashboardSnapshot.objects.filter(top=top, year=year).update(
            requested_at=None, error=repr(error)[:2000]
        )
        raise
    snapshot, _ = DashboardSnapshot.objects.update_or_create(
        top=top,
        year=year,
        defaults={
            "figures": figures,
            "stamp": stamp,
            "as_of": today,
            "computed_at": timezone.now(),
            "seconds": round(time.perf_counter() - started, 2),
            "requested_at": None,
            "error": "",
        },
    )
    return snapshot
