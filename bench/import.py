"""Benchmark: importing a clerk's ledger of ``--rows`` activities (``taizhang import``'s two steps).

    python bench/import.py --rows 1000000 [--format csv|xlsx] [--db sqlite|postgres]

Generates a file of ``--rows`` activities in a clerk's style (a title row, alias headers, Chinese
kind names, dates in four styles, five attendees' names in one cell) for one unit of thirty people,
then times reading and checking every row (``plan_import``) and writing them with their attendance
and history (``import_plan``: batches, the rollup rebuilt once), and checks that the rollup agrees
with the ledger afterwards. The database is the compliance benchmark's (``compliance.setup``),
created anew (on PostgreSQL set BENCH_DATABASE_URL to a database of your own whose name contains
"bench"). The generated file is kept under $BENCH_IMPORT_CACHE (/tmp/taizhang-bench-import) for
the next run. With --compare-readers an .xlsx is also read whole by calamine and by openpyxl's
read-only mode, nothing checked. Results go to bench/results/import.json (one entry per database
and format) and the import section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from compliance import RESULTS, server_cpu, setup  # noqa: E402  (the benchmark's database, made the same way)

KIND_NAMES = ["中心组学习", "集中学习", "专题研讨", "主题党日", "党小组学习", "研判", "警示教育"]
HEADERS = ["序号", "活动时间", "学习内容", "类别", "参会人员", "主持人", "地点"]


def date_text(day: date, style: int):
    return (
        day,
        f"{day:%Y-%m-%d}",
        f"{day.year}.{day.month}.{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
    )[style]


def rows(count: int, names: list[str], seed: int = 2020):
    from taizhang.core import timeline

    rng = random.Random(seed)
    start = date(2015, 1, 1)
    for i in range(1, count + 1):
        day = start + timedelta(days=rng.randrange(3000))
        while timeline.holiday_on(
            day
        ):  # a clerk's activities fall on working days (the ledger refuses holidays)
            day += timedelta(days=1)
        people = rng.sample(names, 5)
        yield [
            i,
            date_text(day, i % 4),
            f"第{i}次集体学习",
            rng.choice(KIND_NAMES),
            "、".join(people),
            people[0],
            "会议室",
        ]


def write_file(path: Path, count: int, names: list[str]) -> None:
    if path.suffix == ".csv":
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["样本单位理论学习台账"])
            writer.writerow(HEADERS)
            for row in rows(count, names):
                writer.writerow([f"{v:%Y-%m-%d}" if isinstance(v, date) else v for v in row])
        return
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("学习台账")
    sheet.append(["样本单位理论学习台账"])
    sheet.append(HEADERS)
    for row in rows(count, names):
        sheet.append(row)
    book.save(path)


CACHE = Path(os.environ.get("BENCH_IMPORT_CACHE", "/tmp/taizhang-bench-import"))


def cached_file(count: int, fmt: str, names: list[str]) -> Path:
    """The generated file of ``count`` rows, made once and kept (a million-row workbook takes
    minutes to write); the names are the bench unit's, the same in every run."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = (
        CACHE / f"import-{count}-workdays.{fmt}"
    )  # files cached before holidays were refused are not reused
    if not path.exists():
        partial = path.with_suffix(f".partial.{fmt}")
        started = time.perf_counter()
        write_file(partial, count, names)
        partial.rename(path)
        print(f"generated {path} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def read_only(reader, path: Path) -> dict:
    """Every row of the workbook through one reader, nothing checked: wall and CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    rows = sum(1 for table in reader(path) for _ in table.rows)
    return {
        "rows": rows,
        "wall_seconds": round(time.perf_counter() - wall, 1),
        "cpu_seconds": round(time.process_time() - cpu, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--compare-readers", action="store_true", help="also time openpyxl against calamine on the workbook"
    )
    parser.add_argument(
        "--serial", action="store_true", help="check the whole file first, then write (as before 2026-12-07)"
    )
    args = parser.parse_args()
    setup(args.db, fresh=True)

    from django.db import connection, transaction

    from taizhang.ledger import import_files, import_writes, imports, rollup
    from taizhang.org.models import UnitKind
    from taizhang.org.services import person_create, unit_create

    unit = unit_create(code="bench-import", name="样本单位", kind=UnitKind.ORGAN)
    names = [person_create(unit=unit, name=f"样本{i:02d}").name for i in range(30)]
    path = cached_file(args.rows, args.format, names)
    load_before = os.getloadavg()

    readers = {}
    if args.format == "xlsx" and args.compare_readers:
        readers = {name: read_only(reader, path) for name, reader in import_files.XLSX_READERS.items()}

    server_before = server_cpu(connection)
    wall, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic(), import_writes.ActivityWriter(unit) as writer:
        # as ``taizhang import`` does it: rows written while the next are checked (--serial: the
        # whole file checked first, then written)
        plan = imports.plan_import(path, unit, writer=None if args.serial else writer)
        checked, checked_cpu = time.perf_counter() - wall, time.process_time() - cpu
        assert not plan.problems, plan.problems[:5]
        wall, cpu = time.perf_counter(), time.process_time()
        written = import_writes.import_plan(plan, unit, writer=None if args.serial else writer)
    wrote, wrote_cpu = time.perf_counter() - wall, time.process_time() - cpu
    load_after = os.getloadavg()
    server_after = server_cpu(connection)
    stale = rollup.stale(connection)  # what `taizhang ledger rollup` reports
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM ledger_historicalattendance")
        attendance_history = cursor.fetchone()[0]
    result = {
        "database": args.db,
        "format": args.format,
        "rows": args.rows,
        "serial": args.serial,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "read_and_check_seconds": round(checked, 1),
        "write_seconds": round(wrote, 1),
        "total_seconds": round(checked + wrote, 1),
        "read_and_check_cpu_seconds": round(checked_cpu, 1),
        "write_cpu_seconds": round(wrote_cpu, 1),
        # of all the process's CPU seconds, those of writing the batches (on the second thread
        # unless --serial): on two idle cores the wall time is about the larger of the two parts
        "batches_written_cpu_seconds": round(writer.cpu_seconds, 1),
        "postgres_backend_cpu_seconds": (
            round(server_after - server_before, 1) if server_before is not None and server_after else None
        ),
        "activities_written": written,
        "attendance_written": plan.attendance_rows,
        "attendance_history_rows": attendance_history,
        "rollup_agrees": not stale,
        "xlsx_readers": readers or None,
        "load_average_1min": {"before": round(load_before[0], 1), "after": round(load_after[0], 1)},
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)",
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": "python bench/import.py " + " ".join(sys.argv[1:]),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    out = RESULTS / "import.json"
    entries = json.loads(out.read_text()) if out.exists() else {}
    entries[f"{args.db}-{args.format}" + ("-serial" if args.serial else "")] = result
    out.write_text(json.dumps(entries, ensure_ascii=False, indent=2) + "\n")
    write_results_md(entries)


BEGIN = "<!-- bench/import.py writes from here to the line below; the reading after it is kept. -->"
END = "<!-- End of what bench/import.py writes. -->"


def write_results_md(entries: dict) -> None:
    """The import section of bench/RESULTS.md: a table of every run in import.json. Only the text
    between ``BEGIN`` and ``END`` is replaced; the rest of the file (other benchmarks' sections, the
    hand-written reading of these figures) stays as it is."""
    lines = [
        BEGIN,
        "",
        "## Import (bench/import.py)",
        "",
        "A clerk-style file of activities (a title row, alias headers, Chinese kind names, dates in four",
        "styles, five attendees per row, so five attendance rows each) imported into one unit of thirty",
        "people: read and check every row (`plan_import`) while a second thread writes the rows checked,",
        "activities, attendance and a history entry for each with its origin; then the rest written, the",
        "rollup rebuilt once, the commit (`import_plan`; with --serial the whole file is checked first, then",
        "written, as before 2026-12-07). Target (issues 13, 21):",
        "1,000,000 rows from CSV in under 60 s, from .xlsx in under 3 minutes. Wall seconds, with the",
        "Python process's CPU seconds in brackets (on PostgreSQL also the server backend's CPU seconds for the",
        "whole import, read from /proc); the machine is shared, so the load average is given.",
        "",
        "| database | format | rows | read + check (+ writing) s | rest of the write s | total s | attendance rows | rollup agrees | load before → after |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for entry in entries.values():
        load = entry.get("load_average_1min") or {}
        lines.append(
            f"| {entry['database']} | {entry['format']}{' serial' if entry.get('serial') else ''} | {entry['rows']:,} "
            f"| {entry['read_and_check_seconds']} ({entry.get('read_and_check_cpu_seconds', '–')}) "
            f"| {entry['write_seconds']} ({entry.get('write_cpu_seconds', '–')}"
            + (
                f"; server {entry['postgres_backend_cpu_seconds']}"
                if entry.get("postgres_backend_cpu_seconds")
                else ""
            )
            + f") | {entry['total_seconds']} "
            f"| {entry['attendance_written']:,} | {'yes' if entry['rollup_agrees'] else 'NO'} "
            f"| {load.get('before', '–')} → {load.get('after', '–')} |"
        )
    readers = [
        (e["database"], e["rows"], e["xlsx_readers"]) for e in entries.values() if e.get("xlsx_readers")
    ]
    if readers:
        lines += [
            "",
            "Reading the .xlsx alone (every row, nothing checked), wall s (CPU s):",
            "",
            "| run | rows | " + " | ".join(readers[0][2]) + " |",
            "|---|---|" + "---|" * len(readers[0][2]),
        ]
        for db, rows, figures in readers:
            lines.append(
                f"| {db}-xlsx | {rows:,} | "
                + " | ".join(f"{f['wall_seconds']} ({f['cpu_seconds']})" for f in figures.values())
                + " |"
            )
    lines += ["", "Commands: " + "; ".join(f"`{e['command']}`" for e in entries.values() if e.get("command"))]
    lines += ["", END]
    target = HERE / "RESULTS.md"
    text = target.read_text(encoding="utf-8") if target.exists() else ""
    before, found, rest = text.partition(BEGIN)
    after = (
        rest.partition(END)[2]
        if found
        else "\n\n### Reading the import figures (by hand)\n\n(to be written)\n"
    )
    target.write_text(before.rstrip("\n") + "\n\n" + "\n".join(lines) + after, encoding="utf-8")


if __name__ == "__main__":
    main()
