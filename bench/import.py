"""Benchmark: importing a clerk's ledger of ``--rows`` activities (``taizhang import``'s two steps).

    python bench/import.py --rows 1000000 [--format csv|xlsx] [--db sqlite|postgres]

Generates a file of ``--rows`` activities in a clerk's style (a title row, alias headers, Chinese
kind names, dates in four styles, five attendees' names in one cell) for one unit of thirty people,
then times reading and checking every row (``plan_import``) and writing them with their attendance
and history (``import_plan``: batches, the rollup rebuilt once), and checks that the rollup agrees
with the ledger afterwards. The database is the compliance benchmark's (``compliance.setup``),
created anew. Results go to bench/results/import.json (one entry per database and format).
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

from compliance import RESULTS, setup  # noqa: E402  (the benchmark's database, made the same way)

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
    rng = random.Random(seed)
    start = date(2015, 1, 1)
    for i in range(1, count + 1):
        day = start + timedelta(days=rng.randrange(3000))
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
    path = CACHE / f"import-{count}.{fmt}"
    if not path.exists():
        partial = path.with_suffix(f".partial.{fmt}")
        started = time.perf_counter()
        write_file(partial, count, names)
        partial.rename(path)
        print(f"generated {path} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    setup(args.db, fresh=True)

    from django.db import connection

    from taizhang.ledger import rollup
    from taizhang.ledger.imports import import_plan, plan_import
    from taizhang.org.models import UnitKind
    from taizhang.org.services import person_create, unit_create

    unit = unit_create(code="bench-import", name="样本单位", kind=UnitKind.ORGAN)
    names = [person_create(unit=unit, name=f"样本{i:02d}").name for i in range(30)]
    path = cached_file(args.rows, args.format, names)

    started = time.perf_counter()
    plan = plan_import(path, unit)
    checked = time.perf_counter() - started
    assert not plan.problems, plan.problems[:5]
    started = time.perf_counter()
    written = import_plan(plan, unit)
    wrote = time.perf_counter() - started
    stale = rollup.stale(connection)
    result = {
        "database": args.db,
        "format": args.format,
        "rows": args.rows,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "read_and_check_seconds": round(checked, 1),
        "write_seconds": round(wrote, 1),
        "total_seconds": round(checked + wrote, 1),
        "activities_written": written,
        "attendance_written": plan.attendance_rows,
        "rollup_agrees": not stale,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}",
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    out = RESULTS / "import.json"
    entries = json.loads(out.read_text()) if out.exists() else {}
    entries[f"{args.db}-{args.format}"] = result
    out.write_text(json.dumps(entries, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
