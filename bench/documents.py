"""Benchmark: one unit's summary .docx end to end, and a batch for a synthetic city's units.

Run: ``.venv/bin/python bench/documents.py [--units 1000] [--jobs 2]``. Uses its own SQLite file
under bench/results/ (never the project's database) unless DATABASE_URL is set. Writes
bench/results/documents.json.

The comparison "bare" is python-docx writing a document of the same paragraphs with no layout
and no queries: the ratio says what the ledger queries, the prose builder and the GB/T 9704
formatting cost on top of python-docx itself. Targets (issue 4): < 250 ms for one summary;
< 2 minutes for 1,000 units on 2 cores.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def _setup() -> None:
    RESULTS.mkdir(exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{RESULTS / 'documents.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _city(n_units: int) -> list[int]:
    """``n_units`` offices under one synthetic county, each with a copy of the CPPCC organ's half year."""
    from taizhang import demo
    from taizhang.ledger.models import Activity
    from taizhang.org.models import Unit, UnitKind
    from taizhang.org.services import unit_create

    if not Unit.objects.filter(code="cppcc").exists():
        demo.load(reset=True)
    root = Unit.objects.filter(code="bench-city").first()
    if root is None:
        root = unit_create(code="bench-city", name="基准测试市", kind=UnitKind.REGION)
    have = Unit.objects.filter(parent=root).count()
    template = list(
        Activity.objects.filter(unit__code="cppcc").values("kind_id", "date", "topic", "materials")
    )
    for i in range(have, n_units):
        unit = unit_create(code=f"bench-{i:05d}", name=f"基准单位{i}", kind=UnitKind.ORGAN, parent=root)
        Activity.objects.bulk_create(
            [Activity(unit=unit, **row) for row in template[: 10 + (i * 7) % len(template)]]
        )
    return list(Unit.objects.filter(parent=root).order_by("path").values_list("pk", flat=True)[:n_units])


def _time(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    _setup()
    from docx import Document as bare_docx

    from taizhang.core.periods import Period
    from taizhang.documents.batches import cores
    from taizhang.documents.output import gbt9704
    from taizhang.documents.summary.queries import summary_for
    from taizhang.org.models import Unit

    unit_ids = _city(args.units)
    cppcc = Unit.objects.get(code="cppcc")
    period = Period.parse("2020H1")
    written = date(2020, 7, 6)

    def one() -> bytes:
        return gbt9704.render(summary_for(unit=cppcc, period=period, written_on=written))

    one()  # warm: OpenCC-free path, but Django and python-docx imports and template parsing
    doc = summary_for(unit=cppcc, period=period, written_on=written)
    paragraphs = [doc.title, *(b.text for b in doc.blocks), doc.signature_unit, doc.signature_date]

    def bare() -> bytes:
        d = bare_docx()
        for text in paragraphs:
            d.add_paragraph(text)
        out = io.BytesIO()
        d.save(out)
        return out.getvalue()

    summary_ms = _time(one, args.repeat)
    bare_ms = _time(bare, args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        cores.run_summaries(
            unit_ids=unit_ids,
            period=period,
            fmt="docx",
            script="simplified",
            out_dir=Path(tmp),
            jobs=args.jobs,
            written_on=written,
        )
        batch_s = time.perf_counter() - start
    result = {
        "summary_docx_ms_median": round(statistics.median(summary_ms), 1),
        "summary_docx_ms_max": round(max(summary_ms), 1),
        "bare_python_docx_ms_median": round(statistics.median(bare_ms), 1),
        "ratio_summary_to_bare": round(statistics.median(summary_ms) / statistics.median(bare_ms), 2),
        "paragraphs": len(paragraphs),
        "batch_units": len(unit_ids),
        "batch_jobs": args.jobs,
        "batch_seconds": round(batch_s, 1),
        "targets": {"summary_docx_ms": 250, "batch_1000_units_seconds": 120},
        "database": os.environ["DATABASE_URL"].split(":", 1)[0],
        "cpus": os.cpu_count(),
    }
    (RESULTS / "documents.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent / "src"))
    main()
