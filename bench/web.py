"""Benchmark: server-side render time of the pages a leader and a clerk open, on the benchmark city.

    python bench/web.py [--db sqlite|postgres] [--units 10000] [--activities 1000000] [--keep] [--repeat 5]

Uses the synthetic city of bench/compliance.py (``setup`` and ``generate``: a root, counties of
about two hundred units each (``--county-size``), ``--units`` units in all, ``--activities``
activities over 2020), generated once and reused with ``--keep``. Pages are rendered in-process by Django's test Client
(no network, no browser: what the server spends on a request), logged in as a leader granted the
whole city:

  dashboard       ``/`` - the leader's dashboard of the whole city (heatmap, ranking, trend, reporting,
                  due items), worked out by the background worker and kept (see ``_dashboard``
                  for each step timed), then the median of the repeats;
  unit_page       ``/org/units/<one unit>/?period=2020``;
  activity_list   ``/ledger/activities/?unit=<a county>&period=2020``;
  activity_list_city  ``/ledger/activities/?period=2020``, no unit chosen: the city's million
                  (counted up to ``core.tables.IdPaginator.COUNT_LIMIT``);
  matrix          ``/rules/?unit=<a county of ~200 units>&period=2020H1``.

Targets (issue 12): dashboard and unit page 300 ms, list pages 150 ms, the matrix 300 ms.
Figures go to bench/results/web.json (one entry per database) and the "Web pages" section of
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))

TARGETS_MS = {
    "dashboard": 300,
    "unit_page": 300,
    "activity_list": 150,
    "activity_list_city": 150,
    "matrix": 300,
}


def _time(client, url: str, repeat: int) -> tuple[float, list[float]]:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, HTTP_HOST="localhost")
        runs.append(round((time.perf_counter() - started) * 1000, 1))
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return statistics.median(runs), runs


def _dashboard(client, root) -> dict:
    """The city's dashboard as its leader meets it (see ``dashboard.kept``): the first visit
    ever, while the worker has not yet worked the figures out (timed on a server that has shown
    that page once: the first page a process shows compiles its templates); the background computation itself;
    the first visit after it (nothing in the process's cache); a visit after a change to the ledger
    (the kept figures shown as such, a refresh queued)."""
    from django.core.cache import cache
    from django.db import transaction
    from django_tasks.backends.database.models import DBTaskResult

    from taizhang.dashboard import kept, tasks
    from taizhang.ledger.models import ActivityKind
    from taizhang.ledger.services import activity_create
    from taizhang.org.models import Unit
    from taizhang.reporting.models import DashboardSnapshot

    # once to warm the server (the dashboard's template compiled), as a running server is
    for _ in range(2):
        DashboardSnapshot.objects.filter(top=root).delete()
        DBTaskResult.objects.filter(task_path="taizhang.dashboard.tasks.refresh_dashboard").delete()
        cache.clear()
        started = time.perf_counter()
        pending = client.get("/", HTTP_HOST="localhost")
    figures = {"dashboard_pending_ms": round((time.perf_counter() - started) * 1000, 1)}
    if "正在汇总" not in pending.content.decode():
        raise SystemExit("the city's first dashboard did not wait for the worker")
    year = kept.latest_year(root)
    started = time.perf_counter()
    tasks.refresh(top_id=root.pk, year=year)  # what `taizhang worker` does with the queued task
    DBTaskResult.objects.filter(task_path="taizhang.dashboard.tasks.refresh_dashboard").delete()
    figures["dashboard_compute_seconds"] = round(time.perf_counter() - started, 2)
    cache.clear()
    started = time.perf_counter()
    first = client.get("/", HTTP_HOST="localhost")
    figures["dashboard_first_ms"] = round((time.perf_counter() - started) * 1000, 1)
    if "数据汇总于" not in first.content.decode() or "此后台账有新的变动" in first.content.decode():
        raise SystemExit("the city's dashboard did not show the figures the worker kept")
    leaf = Unit.objects.filter(parent__parent=root).order_by("pk").first()
    with transaction.atomic():
        activity_create(
            unit=leaf,
            kind=ActivityKind.objects.get(code="central_group_study"),
            date=date(2020, 6, 1),
            topic="学习",
        )
        cache.clear()
        started = time.perf_counter()
        stale = client.get("/", HTTP_HOST="localhost")
        figures["dashboard_after_change_ms"] = round((time.perf_counter() - started) * 1000, 1)
        if "此后台账有新的变动" not in stale.content.decode():
            raise SystemExit("a change to the ledger did not mark the city's kept dashboard")
        transaction.set_rollback(True)
    for name in ("pending", "first", "after_change"):
        print(f"  dashboard {name:12} {figures[f'dashboard_{name}_ms']:8.1f} ms")
    print(f"  dashboard computed by the worker in {figures['dashboard_compute_seconds']} s")
    return figures


def run(args) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    import compliance as city
    from taizhang.org.models import Role, Unit
    from taizhang.org.services import grant_create

    root = Unit.objects.filter(code="bench-city").first()
    info = {}
    if root is None:
        print(f"generating {args.units} units, {args.activities} activities …")
        from taizhang.ledger import rollup

        with rollup.bulk_load(connection):  # the rollup rebuilt once, not kept row by row
            info = city.generate(args.units, args.activities, county_size=args.county_size)
        root = Unit.objects.get(code="bench-city")
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    user, _ = get_user_model().objects.get_or_create(username="bench-leader")
    grant_create(user=user, unit=root, role=Role.LEADER)
    client = Client()
    client.force_login(user)
    county = Unit.objects.filter(parent=root).order_by("pk").first()
    county_size = Unit.objects.filter(path__startswith=county.path).count()
    leaf = Unit.objects.filter(parent=county).order_by("pk").first()
    _time(client, reverse("healthz"), 1)  # the URL configuration imported before anything is timed
    out = {
        "units": Unit.objects.filter(path__startswith=root.path).count(),
        "county_units": county_size,
        **info,
        **_dashboard(client, root),
    }
    pages = {
        "dashboard": "/",
        "unit_page": f"/org/units/{leaf.code}/?period=2020",
        "activity_list": f"/ledger/activities/?unit={county.code}&period=2020",
        "activity_list_city": "/ledger/activities/?period=2020",  # no unit chosen: the whole city
        "matrix": f"/rules/?unit={county.code}&period=2020H1",
    }
    for name, url in pages.items():
        _time(client, url, 1)  # warm: templates compiled, connection open
        median, runs = _time(client, url, args.repeat)
        out[f"{name}_ms"] = median
        out[f"{name}_runs"] = runs
        out[f"{name}_target_ms"] = TARGETS_MS[name]
        out[f"{name}_meets_target"] = median <= TARGETS_MS[name]
        print(f"  {name:14} {median:8.1f} ms (target {TARGETS_MS[name]})")
    out["load_average_1min"] = round(os.getloadavg()[0], 2)
    return out


def write_results(db: str, figures: dict) -> None:
    path = RESULTS / "web.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[db] = {**figures, "db": db, "python": platform.python_version()}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    lines = [
        "## Web pages (bench/web.py)",
        "",
        "Server-side render time (Django test Client, in-process), median of the repeats, logged in as a",
        "leader of the whole benchmark city. The city's dashboard is worked out by the background worker",
        "and kept (`dashboard.kept`): *waiting* is the first visit ever, before the worker has run",
        "(the page says it is being worked out and polls); *worker* the worker's computation; *first* the",
        "first visit after it, with nothing in the process's cache; *after a change* a visit once the",
        "ledger has changed (the kept figures shown as such, a refresh queued); *repeat* the median of",
        "later visits.",
        "",
        "| db | units | activities | dashboard: waiting | worker | first | after a change | repeat "
        "| unit page | activity list (county) | activity list (city) | matrix (county) | load avg |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, row in sorted(data.items()):
        lines.append(
            f"| {name} | {row['units']} | {row.get('requested_activities', '?')} "
            f"| {row.get('dashboard_pending_ms', '—')} ms | {row.get('dashboard_compute_seconds', '—')} s "
            f"| {row['dashboard_first_ms']} ms | {row.get('dashboard_after_change_ms', '—')} ms "
            f"| {row['dashboard_ms']} ms | {row['unit_page_ms']} ms | {row['activity_list_ms']} ms "
            f"| {row.get('activity_list_city_ms', '—')} ms "
            f"| {row['matrix_ms']} ms ({row['county_units']} units) | {row['load_average_1min']} |"
        )
    lines.append("")
    lines.append("Targets: dashboard and unit page 300 ms, list pages 150 ms, matrix 300 ms.")
    if any(row["units"] < 10000 for row in data.values()):
        lines += [
            "",
            "A row with fewer than 10,000 units is a scaled-down city: the targets are for 10,000 units and",
            "1,000,000 activities (`python bench/web.py --db sqlite` and `--db postgres`, whose generation",
            "takes several minutes on a quiet machine and far longer on a busy one). The load average is",
            "the machine's (2 cores) while the pages were timed: above 2, every figure is inflated by it.",
        ]
    section = "\n".join(lines) + "\n"
    results_md = HERE / "RESULTS.md"
    text = results_md.read_text() if results_md.exists() else ""
    start = text.find("## Web pages (bench/web.py)")
    if start >= 0:
        # up to the next section, or to the marker comment another bench's section starts with
        ends = [i for i in (text.find("\n## ", start + 1), text.find("\n<!--", start + 1)) if i >= 0]
        end = min(ends, default=-1)
        text = text[:start] + section + ("\n" + text[end + 1 :] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    results_md.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--units", type=int, default=10000)
    parser.add_argument("--activities", type=int, default=1000000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="reuse the city generated before")
    parser.add_argument(
        "--county-size", type=int, default=200, help="units per county (the matrix target is for 200)"
    )
    args = parser.parse_args()
    import compliance as city

    city.setup(args.db, fresh=not args.keep)
    figures = run(args)
    figures.update(requested_units=args.units, requested_activities=args.activities)
    write_results(args.db, figures)


if __name__ == "__main__":
    main()
