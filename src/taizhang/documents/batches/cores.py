"""Batch generation for a whole unit tree on all cores, with a rich progress bar.

Workers are forked after the parent closes its database connections, so each child opens its
own; each job writes one file and returns its path, so a failed unit names itself.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import date
from pathlib import Path

from django.db import connections
from rich.progress import Progress

from taizhang.core.files import write_atomically
from taizhang.core.periods import Period


def summary_job(unit_id: int, period_code: str, fmt: str, script: str, out_dir: str, written_on: date) -> str:
    from taizhang.documents.output.formats import render
    from taizhang.documents.output.scripts import file_name, in_script
    from taizhang.documents.summary.queries import summary_for
    from taizhang.org.models import Unit

    unit = Unit.objects.get(pk=unit_id)
    period = Period.parse(period_code)
    doc = in_script(summary_for(unit=unit, period=period, written_on=written_on), script, unit=unit)
    path = Path(out_dir) / file_name(f"{unit.code}-{period.code}-意识形态工作总结", script, fmt)
    write_atomically(path, render(doc, fmt))
    return str(path)


def run_summaries(
    *,
    unit_ids: list[int],
    period: Period,
    fmt: str,
    script: str,
    out_dir: Path,
    jobs: int,
    written_on: date,
    console=None,
) -> list[str]:
    out_dir.mkdir(parents=True, exist_ok=True)
    args = [(pk, period.code, fmt, script, str(out_dir), written_on) for pk in unit_ids]
    done: list[str] = []
    with Progress(console=console, transient=False) as progress:
        task = progress.add_task("生成工作总结", total=len(args))
        if jobs <= 1:
            for a in args:
                done.append(summary_job(*a))
                progress.advance(task)
            return done
        connections.close_all()
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = [pool.submit(summary_job, *a) for a in args]
            for future in as_completed(futures):
                done.append(future.result())
                progress.advance(task)
    return sorted(done)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
