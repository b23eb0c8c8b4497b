"""Background tasks of the documents module: a batch of documents for a unit tree, zipped.

Enqueued by the batch page (``batch_start``), run by ``taizhang worker``. Progress is written to
the ``Batch`` row after each unit, which the page polls; the .zip is written beside its final name
and renamed into place, so a download never finds half a file.
"""

from __future__ import annotations

import contextlib
import zipfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from taizhang.core.periods import Period
from taizhang.documents.downloads import files
from taizhang.documents.models import Batch
from taizhang.org.models import Unit, path_ids

BATCH_DIR = "batches"


def batch_path(batch: Batch) -> Path:
    return Path(settings.MEDIA_ROOT) / batch.file


@transaction.atomic
def batch_start(*, kind: str, unit: Unit, units, period: Period, written_on, script: str, user) -> Batch:
    """Record the batch (the units ``user`` may see under ``unit``, in tree order) and queue it."""
    rows = sorted(
        units.filter(path__startswith=unit.path).values_list("pk", "path"), key=lambda r: path_ids(r[1])
    )
    batch = Batch.objects.create(
        kind=kind,
        unit=unit,
        period=period.code,
        written_on=written_on,
        script=script,
        unit_ids=[pk for pk, _ in rows],
        total=len(rows),
        requested_by=user,
    )
    # Queued once the row is committed, so a worker never looks for a batch that is not there yet.
    transaction.on_commit(lambda: _enqueue(batch.pk))
    return batch


def _enqueue(batch_id: int) -> None:
    result = batch_run.enqueue(batch_id)
    Batch.objects.filter(pk=batch_id).update(task_id=result.id)


def _file(batch: Batch, unit: Unit, period: Period) -> files.File:
    if batch.kind == Batch.Kind.LEDGERS:
        return files.ledger_workbook(unit, period)
    return files.summary(unit, period, "docx", script=batch.script, written_on=batch.written_on)


@task()
def batch_run(batch_id: int) -> dict:
    """Make every document of the batch into one .zip; returns its name and how many files it holds."""
    batch_expire_old()
    batch = Batch.objects.select_related("unit").get(pk=batch_id)
    period = Period.parse(batch.period)
    units = Unit.objects.in_bulk(batch.unit_ids)
    kind = batch.get_kind_display()
    name = f"{BATCH_DIR}/{batch.pk}/{batch.unit.name}{period.label}{kind}（{batch.total}份）.zip"
    target = Path(settings.MEDIA_ROOT) / name
    partial = target.with_suffix(".part")
    Batch.objects.filter(pk=batch.pk).update(status=Batch.Status.RUNNING, done=0)
    try:  # from here any failure, the media directory's included, shows on the batch's page
        target.parent.mkdir(parents=True, exist_ok=True)
        seen: set[str] = set()
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for done, unit_id in enumerate(batch.unit_ids, start=1):
                unit = units.get(unit_id)
                if unit is not None:  # a unit removed since the batch was asked for is left out
                    file = _file(batch, unit, period)
                    # Two units may share a name (each office has its 机关党支部): the code tells them apart.
                    entry = file.name if file.name not in seen else f"{unit.code}-{file.name}"
                    seen.add(entry)
                    archive.writestr(entry, file.data)
                Batch.objects.filter(pk=batch.pk).update(done=done)
        partial.replace(target)
    except Exception as exc:
        with contextlib.suppress(OSError):  # (no directory to hold it, when that was the failure)
            partial.unlink(missing_ok=True)
        Batch.objects.filter(pk=batch.pk).update(
            status=Batch.Status.FAILED, error=f"{type(exc).__name__}: {exc}", finished=timezone.now()
        )
        raise
    Batch.objects.filter(pk=batch.pk).update(
        status=Batch.Status.DONE, file=name, size=target.stat().st_size, finished=timezone.now()
    )
    return {"file": name, "files": len(seen)}


def batch_expire_old(*, now=None) -> int:
    """Remove the .zip files of batches older than the retention (TAIZHANG_BATCH_DAYS); returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.TAIZHANG_BATCH_DAYS)
    old = list(Batch.objects.filter(status=Batch.Status.DONE, finished__lt=cutoff))
    for batch in old:
        path = batch_path(batch)
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            path.parent.rmdir()
    Batch.objects.filter(pk__in=[b.pk for b in old]).update(status=Batch.Status.EXPIRED, file="", size=0)
    return len(old)
