"""Writes of the rules module: loading a framework version and assigning it to units."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from taizhang.core import uploads
from taizhang.core.framework_file import rules_file
from taizhang.ledger.models import ActivityKind
from taizhang.org.models import Person, Task, TaskStatus, Unit
from taizhang.rules.framework import FrameworkInvalid, parse_framework
from taizhang.rules.models import Framework, FrameworkAssignment, Requirement

_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}")
FRAMEWORK_MAX_BYTES = 10 * 1024 * 1024  # a framework file is tens of kilobytes; PyYAML reads ~1 MB/s


@transaction.atomic
def framework_load(*, path: Path, slug: str | None = None) -> tuple[Framework, bool]:
    """Validate the whole file, then store it as a new version unless its requirements are unchanged.

    Returns (framework, created). Nothing is written when the file has any problem: FrameworkInvalid
    carries every problem. A changed file never overwrites a stored version, so results computed
    under the old version stay reproducible for the units still assigned to it.
    """
    slug = slug or path.stem
    if not _SLUG.fullmatch(slug):
        # It names the library in URLs and files; the file name is only a default for it.
        raise ValidationError(
            {"slug": f"要求库标识“{slug}”应为 1 至 60 个字母、数字、下划线或连字符（可用 --slug 指定）"}
        )
    known = set(ActivityKind.objects.values_list("code", flat=True))
    within = uploads.limits(uploads.COMMAND, max_bytes=FRAMEWORK_MAX_BYTES)
    try:  # parsed in a child process: PyYAML on a file someone wrote (core.uploads)
        uploads.check_size(path.stat().st_size, path.name, within)
        parsed = uploads.read(path.name, within, parse_framework, path, known_kinds=known)
    except uploads.FileRefused as exc:
        raise FrameworkInvalid([f"{path}:1: {exc}"]) from None
    if parsed.errors:
        raise FrameworkInvalid(parsed.errors)
    body = [{k: v for k, v in r.items() if k != "line"} for r in parsed.requirements]
    checksum = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    latest = Framework.objects.filter(slug=slug).order_by("-version").first()
    if latest is not None and latest.checksum == checksum:
        return latest, False
    version = max(parsed.version, latest.version + 1 if latest else 1)
    framework = Framework.objects.create(
        slug=slug,
        name=parsed.name or slug,
        name_en=parsed.name_en,
        version=version,
        source=str(path),
        checksum=checksum,
    )
    Requirement.objects.bulk_create(
        Requirement(framework=framework, order=i, **row) for i, row in enumerate(body, start=1)
    )
    return framework, True


@transaction.atomic
def framework_assign(*, unit: Unit, framework: Framework) -> FrameworkAssignment:
    """Pin a unit (and its descendants without their own pin) to one framework version."""
    assignment, _ = FrameworkAssignment.objects.update_or_create(unit=unit, defaults={"framework": framework})
    return assignment


def framework_ensure_default() -> Framework:
    """The framework a check uses when none was ever loaded: the shipped default file."""
    latest = Framework.objects.order_by("-loaded", "-version").first()
    if latest is not None:
        return latest
    framework, _ = framework_load(path=rules_file())  # honours TAIZHANG_FRAMEWORKS
    return framework


@transaction.atomic
def task_create(
    *,
    unit: Unit,
    title: str,
    due: date,
    parent: Task | None = None,
    person: Person | None = None,
    requirement: Requirement | None = None,
) -> Task:
    """Create a task, or a sub-task of ``parent`` (层层分解) handed to a sub-unit or one person.

    Task lives in ``org`` (it is part of the responsibility structure) but its writes live here,
    next to the requirements it serves. A child may not fall outside its parent's unit tree nor
    be due after its parent: a decomposition that finishes late would make the parent late.
    """
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "任务名称不能为空。"
    if parent is not None:
        if not unit.path.startswith(parent.unit.path):
            errors["unit"] = f"子任务的单位应在“{parent.unit.name}”之内。"
        if due > parent.due:
            errors["due"] = f"子任务的期限不能晚于上级任务（{parent.due:%Y-%m-%d}）。"
        requirement = requirement or parent.requirement
    if person is not None and not person.unit.path.startswith(unit.path):
        errors["person"] = f"责任人应属于“{unit.name}”或其下级单位。"
    if errors:
        raise ValidationError(errors)
    return Task.objects.create(
        unit=unit,
        title=title.strip(),
        due=due,
        year=due.year,
        parent=parent,
        person=person,
        requirement=requirement,
    )


@transaction.atomic
def task_complete(*, task: Task, on: date) -> Task:
    """Mark a task done; a parent is done only once every live child is."""
    open_children = task.children.filter(deleted=False).exclude(
        status__in=[TaskStatus.DONE, TaskStatus.CANCELLED]
    )
    if open_children.exists():
        raise ValidationError({"status": f"还有 {open_children.count()} 项子任务未完成。"})
    task.status, task.done_on, task.version = TaskStatus.DONE, on, task.version + 1
    task.save(update_fields=["status", "done_on", "version", "updated"])
    return task
