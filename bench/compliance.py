"""Benchmark: the half-year compliance matrix of a synthetic city.

    python bench/compliance.py --units 10000 [--activities 1000000] [--db sqlite|postgres] [--keep]

Generates (once; reused when the same sizes are asked again with --keep) a city of ``--units`` units
under one root, five people each, ``--activities`` activities spread over 2020 and attendance for
every central-group study (the kind the attendance-rate rule reads), then times four ways of
getting the 2020H1 matrix for every unit:

  engine  - taizhang.rules.check.compliance(with_children=True): the reads (whole months from the
            monthly rollup the database's triggers keep) + the pure engine;
  naive   - one ORM count per unit × requirement × period, on a sample of units, extrapolated;
  sql     - hand-written SQL: one aggregate over activities (with the evidence flags the default
            framework reads: minutes, attendance, for the kinds it reads them of) and one over
            attendance, rows fetched, no judging; checked to give the same counts as the engine;
  rollup  - one SELECT of the same figures from the rollup, rows fetched, no judging.

It also measures what the rollup costs a write (--writes activities inserted with and without its
triggers, rolled back).

Each of engine, sql and rollup is run ``--repeat`` times (default 5) and the median is reported.

SQLite goes to bench/results/bench.sqlite3, PostgreSQL to the database ``taizhang_bench`` (or the one
BENCH_DATABASE_URL names, which must contain "bench"); without --keep either is dropped and created
anew.
Results are written to bench/results/compliance.json (one entry per database).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
KINDS = [
    "central_group_study",
    "seminar",
    "collective_study",
    "cell_study",
    "theme_day",
    "micro_lesson",
    "party_lesson",
    "branch_general_meeting",
    "branch_committee_meeting",
    "cell_meeting",
    "ideology_session",
    "joint_meeting",
    "report_upward",
    "assessment",
    "ethics_lecture",
]


MEASURES = {
    "engine_seconds": "median wall time of compliance(with_children=True) for the whole city over 2020H1: "
    "the grouped queries, building the facts, judging every unit × requirement × period (results)",
    "hand_sql_seconds": "median wall time of the best hand-written SQL we found for the same counts over the "
    "raw tables (one aggregate over activities with the evidence mask, one over attendance), rows "
    "fetched, nothing judged; same_counts says its rows equal the facts the engine judged",
    "naive_seconds_extrapolated": "one ORM count per unit × requirement × period on naive_sample_units "
    "units, scaled to units_checked",
    "rollup_sql_seconds": "median wall time of one hand-written SELECT of the same figures from the monthly "
    "rollup (ledger_activitymonth) the engine reads, rows fetched, nothing judged",
    "write_ms_per_activity": "what keeping the rollup costs a write: write_sample_activities activities with "
    "one attendance row each, bulk-inserted with the rollup's triggers and without them, rolled back",
    "runs": "every timed run, seconds; load_average_1min before and after (2 cores, shared)",
    "engine_vs_rollup_select": "issue 21's ratio (goal: 2): engine_seconds / rollup_sql_seconds, wall, same run",
    "cpu_seconds": "CPU seconds of each run: the benchmark's process, and on PostgreSQL also the backend "
    "serving it (read from /proc); engine_vs_rollup_select_cpu is the same ratio in CPU seconds",
}


def setup(db: str, *, fresh: bool) -> None:
    """Point Django at the benchmark database, created anew when ``fresh`` (the whole database is
    the synthetic city's: dropping it is faster than deleting a million rows through the ORM)."""
    RESULTS.mkdir(exist_ok=True)
    if db == "sqlite":
        path = RESULTS / "bench.sqlite3"
        if fresh:
            for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        os.environ["DATABASE_URL"] = os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/taizhang_bench"
        )
        import psycopg
        from psycopg import sql

        name = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            if fresh:
                if "bench" not in name:  # BENCH_DATABASE_URL pointing at a real database
                    sys.exit(f"refusing to drop {name!r}: the benchmark's database name must contain 'bench'")
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
    # What is timed is the check worked out, not read back: the results cache (core.stamps) would
    # answer every run after the first from what the first kept.
    os.environ["CACHE_URL"] = "none://"
    sys.path.insert(0, str(HERE.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(units: int, activities: int, seed: int = 2020, county_size: int = 100) -> dict:
    """A city: root → counties of about ``county_size`` units → units (organs and branches),
    bulk-inserted."""
    from django.db import transaction

    from taizhang.ledger.models import Activity, ActivityKind, Attendance
    from taizhang.org.models import Person, Unit, UnitKind

    rng = random.Random(seed)
    started = time.perf_counter()
    with transaction.atomic():
        root = Unit.objects.create(code="bench-city", name="样本市", kind=UnitKind.REGION, path="", depth=0)
        root.path = f"/{root.pk}/"
        root.save(update_fields=["path"])
        counties_n = max(1, units // county_size)
        counties = Unit.objects.bulk_create(
            Unit(code=f"bench-c{i}", name=f"样本县{i}", kind=UnitKind.REGION, parent=root, depth=1)
            for i in range(counties_n)
        )
        for c in counties:
            c.path = f"{root.path}{c.pk}/"
        Unit.objects.bulk_update(counties, ["path"])
        leaf_n = units - 1 - counties_n
        leaves = Unit.objects.bulk_create(
            (
                Unit(
                    code=f"bench-u{i}",
                    name=f"样本单位{i}",
                    kind=UnitKind.ORGAN if i % 2 else UnitKind.BRANCH,
                    parent=counties[i % counties_n],
                    depth=2,
                )
                for i in range(leaf_n)
            ),
            batch_size=5000,
        )
        by_id = {c.pk: c for c in counties}
        for u in leaves:
            u.path = f"{by_id[u.parent_id].path}{u.pk}/"
        Unit.objects.bulk_update(leaves, ["path"], batch_size=5000)
        all_units = [root, *counties, *leaves]
        people = Person.objects.bulk_create(
            (Person(unit=u, name=f"人员{u.pk}-{j}") for u in all_units for j in range(5)), batch_size=10000
        )
    people_of: dict[int, list[int]] = {}
    for p in people:
        people_of.setdefault(p.unit_id, []).append(p.pk)
    kinds = dict(ActivityKind.objects.filter(code__in=KINDS).values_list("code", "pk"))
    kind_ids = [kinds[k] for k in KINDS]
    cgs = kinds["central_group_study"]
    unit_ids = [u.pk for u in all_units]
    start = date(2020, 1, 1)
    batch = 20000
    made = 0
    attendance_rows = 0
    while made < activities:
        n = min(batch, activities - made)
        rows = []
        for _ in range(n):
            rows.append(
                Activity(
                    unit_id=rng.choice(unit_ids),
                    kind_id=rng.choice(kind_ids),
                    date=start + timedelta(days=rng.randrange(366)),
                    topic="学习",
                    minutes="" if rng.random() < 0.05 else "记录",
                )
            )
        with transaction.atomic():
            created = Activity.objects.bulk_create(rows, batch_size=5000)
            att = [
                Attendance(
                    activity_id=a.pk, person_id=pid, status="present" if rng.random() < 0.9 else "leave"
                )
                for a in created
                if a.kind_id == cgs
                for pid in people_of[a.unit_id]
            ]
            Attendance.objects.bulk_create(att, batch_size=10000)
        attendance_rows += len(att)
        made += n
        print(f"  activities {made}/{activities}", end="\r", flush=True)
    print()
    return {
        "units": len(all_units),
        "people": len(people),
        "activities": activities,
        "attendance": attendance_rows,
        "generate_seconds": round(time.perf_counter() - started, 1),
    }


def timed(fn, repeat: int = 3) -> tuple[float, list[float], object]:
    """Median wall time of ``repeat`` runs (the machine is shared: one run says little), and all runs.
    The CPU seconds of each run (this process's, and on PostgreSQL its backend's) go to ``CPU``."""
    runs, out, cpu = [], None, []
    for _ in range(repeat):
        server = server_cpu()
        own = time.process_time()
        t = time.perf_counter()
        out = fn()
        runs.append(time.perf_counter() - t)
        used = time.process_time() - own
        if server is not None:
            used += server_cpu() - server
        cpu.append(used)
    CPU.append(cpu)
    return statistics.median(runs), runs, out


# the CPU seconds of each run of the last ``timed`` calls (the machine is shared: waiting for a core
# stretches the wall time of whatever waits, CPU seconds much less)
CPU: list[list[float]] = []


def server_cpu(connection=None) -> float | None:
    """CPU seconds PostgreSQL's backend for this connection (default: Django's) has used (it runs on
    this machine), or None (SQLite runs inside the benchmark's own process and is in its CPU seconds)."""
    if connection is None:
        from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def write_cost(root, n: int) -> dict:
    """What keeping the rollup costs a write: ``n`` activities of the city, each with one attendance
    row, inserted with the triggers and without them (dropped inside the transaction), rolled back."""
    from django.db import connection, transaction

    from taizhang.ledger import rollup
    from taizhang.ledger.models import Activity, ActivityKind, Attendance
    from taizhang.org.models import Person

    rng = random.Random(7)
    people = list(Person.objects.filter(unit__path__startswith=root.path).values_list("pk", "unit_id")[:5000])
    kinds = list(ActivityKind.objects.filter(code__in=KINDS).values_list("pk", flat=True))

    def insert() -> float:
        rows = []
        for _ in range(n):
            person, unit = rng.choice(people)
            day = date(2021, 1, 1) + timedelta(days=rng.randrange(365))
            rows.append(
                (
                    person,
                    Activity(unit_id=unit, kind_id=rng.choice(kinds), date=day, topic="学习", minutes="记录"),
                )
            )
        started = time.perf_counter()
        made = Activity.objects.bulk_create([a for _, a in rows], batch_size=1000)
        Attendance.objects.bulk_create(
            [
                Attendance(activity_id=a.pk, person_id=p, status="present")
                for (p, _), a in zip(rows, made, strict=True)
            ],
            batch_size=1000,
        )
        return time.perf_counter() - started

    figures = {}
    for label, keep in (("with_triggers", True), ("without_triggers", False)):
        with transaction.atomic():
            if not keep:
                rollup.uninstall(connection)
            figures[label] = insert()
            transaction.set_rollback(True)
    return {
        "write_sample_activities": n,
        "write_ms_per_activity_with_rollup": round(1000 * figures["with_triggers"] / n, 3),
        "write_ms_per_activity_without_rollup": round(1000 * figures["without_triggers"] / n, 3),
    }


def run(args) -> dict:
    from django.db import connection
    from django.db.models import Exists, OuterRef

    from taizhang.core.periods import Period
    from taizhang.ledger.models import Activity, ActivityKind, Attendance
    from taizhang.org.models import Unit
    from taizhang.rules.check import compliance, units_of
    from taizhang.rules.engine import EVIDENCE_BITS, periods_for, window_span
    from taizhang.rules.facts import evidence_demanded, facts_for
    from taizhang.rules.requirements import framework_for, rules_of

    root = Unit.objects.filter(code="bench-city").first()
    info = {}
    if root is None:  # a fresh database (see setup), or --keep found no city
        print(f"generating {args.units} units, {args.activities} activities …")
        info = generate(args.units, args.activities)
        root = Unit.objects.get(code="bench-city")
        with connection.cursor() as cur:
            # after a bulk load, as an operator would (the rollup's triggers rewrote a bucket row
            # per insert, which leaves PostgreSQL dead row versions until autovacuum comes by)
            cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    window = Period.parse("2020H1")
    as_of = date(2020, 6, 30)

    load_before = os.getloadavg()
    engine_s, engine_runs, check = timed(
        lambda: compliance(unit=root, window=window, as_of=as_of, with_children=True), args.repeat
    )
    engine_cpu = CPU[-1]
    results = len(check.results)
    units_n = len(check.units)

    # naive: a loop of ORM counts, as a typical app would write it
    rules = [r for r in rules_of(framework_for(root)) if r.kinds and r.counts == "activities"]
    sample = list(Unit.objects.filter(path__startswith=root.path).order_by("?")[: args.sample])

    def naive():
        n = 0
        for unit in sample:
            for rule in rules:
                if rule.applies_to and unit.kind not in rule.applies_to:
                    continue
                for period in periods_for(rule, window):
                    qs = Activity.objects.filter(
                        unit=unit,
                        kind__code__in=rule.kinds,
                        date__gte=period.start,
                        date__lte=min(period.end, as_of),
                    )
                    if "minutes" in rule.evidence:
                        qs = qs.exclude(minutes="")
                    if "attendance" in rule.evidence:
                        qs = qs.filter(Exists(Attendance.objects.filter(activity=OuterRef("pk"))))
                    n += qs.count()
        return n

    naive_sample_s, _, _ = timed(naive, repeat=1)
    naive_s = naive_sample_s * units_n / max(1, len(sample))

    # The best single aggregate over the raw tables we found for the same counts: the month as
    # text (cheaper than EXTRACT or strftime), the kind's id (no join), each evidence flag tested
    # only for the kinds whose rules demand it, folded into one mask; on SQLite a full scan.
    activity_rules = [r for r in rules_of(framework_for(root)) if r.counts == "activities"]
    kind_ids = dict(ActivityKind.objects.values_list("code", "pk"))

    def ids(codes) -> str:
        return ", ".join(str(kind_ids[c]) for c in sorted(set(codes)) if c in kind_ids) or "NULL"

    counted = ids(k for r in activity_rules for k in r.kinds)
    rated = ids(k for r in activity_rules if r.measure == "rate" for k in r.kinds)
    judged = [r for r in activity_rules if r.measure != "rate"]
    with_minutes = ids(k for r in judged if "minutes" in r.evidence for k in r.kinds)
    with_attendance = ids(k for r in judged if "attendance" in r.evidence for k in r.kinds)
    month = "SUBSTR(CAST(a.date AS text), 1, 7)"
    # SQLite walks the (unit, date) index row by row unless told to scan: a third faster here
    scan = "NOT INDEXED" if connection.vendor == "sqlite" else ""
    sql_activities = f"""
        SELECT a.unit_id, a.kind_id, {month},
               CASE WHEN a.kind_id IN ({with_minutes}) AND a.minutes <> '' THEN 1 ELSE 0 END
               + CASE WHEN a.kind_id IN ({with_attendance}) AND EXISTS (
                   SELECT 1 FROM ledger_attendance t WHERE t.activity_id = a.id AND NOT t.deleted)
                 THEN 2 ELSE 0 END,
               COUNT(*)
        FROM ledger_activity a {scan} JOIN org_unit u ON u.id = a.unit_id
        WHERE u.path LIKE %s AND NOT u.deleted AND NOT a.deleted AND a.date >= %s AND a.date <= %s
              AND a.kind_id IN ({counted})
        GROUP BY 1, 2, 3, 4"""
    sql_attendance = f"""
        SELECT a.unit_id, a.kind_id, {month},
               SUM(CASE WHEN t.status = 'present' THEN 1 ELSE 0 END), COUNT(*)
        FROM ledger_attendance t JOIN ledger_activity a ON a.id = t.activity_id
             JOIN org_unit u ON u.id = a.unit_id
        WHERE u.path LIKE %s AND NOT u.deleted AND NOT a.deleted AND NOT t.deleted
              AND a.date >= %s AND a.date <= %s AND a.kind_id IN ({rated})
        GROUP BY 1, 2, 3"""
    params = [root.path + "%", date(2020, 1, 1), as_of]

    def hand_sql():
        with connection.cursor() as cur:
            cur.execute(sql_activities, params)
            rows = cur.fetchall()
            cur.execute(sql_attendance, params)
            return rows, cur.fetchall()

    sql_s, sql_runs, (sql_rows, sql_att_rows) = timed(hand_sql, args.repeat)

    # The same figures read from the monthly rollup the engine reads (rows fetched, nothing judged):
    # what reading costs once the aggregate is kept, for comparison with the engine's total.
    sql_rollup = f"""
        SELECT r.unit_id, r.kind_id, r.month, r.mask, r.activities, r.present, r.due
        FROM ledger_activitymonth r JOIN org_unit u ON u.id = r.unit_id
        WHERE u.path LIKE %s AND NOT u.deleted AND r.month >= %s AND r.month <= %s
              AND r.kind_id IN ({counted})"""

    def rollup_sql():
        with connection.cursor() as cur:
            cur.execute(sql_rollup, [root.path + "%", "2020-01", f"{as_of:%Y-%m}"])
            return cur.fetchall()

    rollup_s, rollup_runs, _ = timed(rollup_sql, args.repeat)
    rollup_cpu = CPU[-1]
    writes = write_cost(root, args.writes)

    # the same counts: the facts the engine judged (re-read once, untimed) against the SQL's rows
    rules_all = rules_of(framework_for(root))
    start, end = window_span(rules_all, window, as_of)
    facts = facts_for(
        units=units_of(root, with_children=True),
        start=start,
        end=end,
        rate_kinds={k for r in rules_all if r.measure == "rate" for k in r.kinds},
        evidence=evidence_demanded(rules_all),
        kinds={k for r in rules_all if r.counts == "activities" for k in r.kinds},
    )
    code_of = {pk: code for code, pk in kind_ids.items()}
    # the rollup's masks carry every evidence bit; the SQL computes only the bits some rule
    # demands of each kind: compare on those
    demanded: dict[str, int] = {}
    for name, codes in evidence_demanded(rules_all).items():
        for code in codes:
            demanded[code] = demanded.get(code, 0) | EVIDENCE_BITS[name]
    engine_counts: dict[tuple, int] = {}
    for u, buckets in facts.activities.items():
        for (kind, month, mask), n in buckets.items():
            key = (u, kind, month, mask & demanded.get(kind, 0))
            engine_counts[key] = engine_counts.get(key, 0) + n
    sql_counts = {(u, code_of[k], m, mask): n for u, k, m, mask, n in sql_rows}
    engine_att = {(u, *key): tuple(v) for u, per in facts.attendance.items() for key, v in per.items()}
    sql_att = {(u, code_of[k], m): (p, d) for u, k, m, p, d in sql_att_rows}
    load_after = os.getloadavg()
    return {
        **info,
        "units_checked": units_n,
        "results": results,
        "naive_sample_units": len(sample),
        "engine_seconds": round(engine_s, 3),
        "engine_runs": [round(x, 3) for x in engine_runs],
        "naive_seconds_extrapolated": round(naive_s, 1),
        "naive_sample_seconds": round(naive_sample_s, 3),
        "hand_sql_seconds": round(sql_s, 3),
        "hand_sql_runs": [round(x, 3) for x in sql_runs],
        "hand_sql_rows": len(sql_rows) + len(sql_att_rows),
        "rollup_sql_seconds": round(rollup_s, 3),
        "rollup_sql_runs": [round(x, 3) for x in rollup_runs],
        **writes,
        "same_counts": engine_counts == sql_counts and engine_att == sql_att,
        "load_average_1min": [round(load_before[0], 2), round(load_after[0], 2)],
        "engine_vs_sql": round(engine_s / sql_s, 2),
        "engine_vs_rollup_select": round(engine_s / rollup_s, 2),
        "engine_cpu_seconds": round(statistics.median(engine_cpu), 3),
        "engine_cpu_runs": [round(x, 3) for x in engine_cpu],
        "rollup_sql_cpu_seconds": round(statistics.median(rollup_cpu), 3),
        "rollup_sql_cpu_runs": [round(x, 3) for x in rollup_cpu],
        "engine_vs_rollup_select_cpu": round(
            statistics.median(engine_cpu) / statistics.median(rollup_cpu), 2
        ),
        "naive_vs_engine": round(naive_s / engine_s, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=10000)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--sample", type=int, default=50, help="units in the naive loop's sample")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the engine and the SQL (median)")
    parser.add_argument("--keep", action="store_true", help="reuse the generated city if one exists")
    parser.add_argument("--writes", type=int, default=2000, help="activities in the write-cost sample")
    args = parser.parse_args()
    setup(args.db, fresh=not args.keep)
    figures = run(args)
    figures.update(db=args.db, requested_units=args.units, requested_activities=args.activities)
    figures["machine"] = f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"
    out = RESULTS / "compliance.json"
    data = json.loads(out.read_text()) if out.exists() else {}
    if args.keep and "generate_seconds" not in figures:
        # the city was reused: keep what the run that generated it recorded about it
        previous = data.get(args.db, {})
        kept = ("units", "people", "activities", "attendance", "generate_seconds")
        figures = {**{k: previous[k] for k in kept if k in previous}, **figures, "reused_city": True}
    data[args.db] = figures
    data["measures"] = MEASURES
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
