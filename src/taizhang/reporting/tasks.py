"""Background tasks of the reporting module: a large scope's dashboard figures, computed and kept.

Queued by ``dashboard.request_refresh`` when a leader's page finds a city's figures missing, from
another day, or older than the ledger; run by ``taizhang worker``.
"""

from __future__ import annotations

from django_tasks import task

from taizhang.reporting import dashboard


@task()
def refresh_dashboard(top_id: int, year: int) -> None:
    dashboard.refresh(top_id=top_id, year=year)
