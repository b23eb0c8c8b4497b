"""Writes of the rules module: loading a framework version and assigning it to units."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.db import transaction

from taizhang.ledger.models import ActivityKind
from taizhang.org.models import Unit
from taizhang.rules.framework import FrameworkInvalid, parse_framework
from taizhang.rules.models import Framework, FrameworkAssignment, Requirement

DEFAULT_FRAMEWORK = Path(__file__).resolve().parents[3] / "frameworks" / "ideology.yaml"


@transaction.atomic
def framework_load(*, path: Path, slug: str | None = None) -> tuple[Framework, bool]:
    """Validate the whole file, then store it as a new version unless its requirements are unchanged.

    Returns (framework, created). Nothing is written when the file has any problem: FrameworkInvalid
    carries every problem. A changed file never overwrites a stored version, so results computed
    under the old version stay reproducible for the units still assigned to it.
    """
    parsed = parse_framework(path, known_kinds=set(ActivityKind.objects.values_list("code", flat=True)))
    if parsed.errors:
        raise FrameworkInvalid(parsed.errors)
    slug = slug or path.stem
    body = [{k: v for k, v in r.items() if k != "line"} for r in parsed.requirements]
    checksum = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    latest = Framework.objects.filter(slug=slug).order_by("-version").first()
    if latest is not None and latest.checksum == checksum:
        return latest, False
    version = max(parsed.version, latest.version + 1 if latest else 1)
    framework = Framework.objects.create(
        slug=slug, name=parsed.name or slug, version=version, source=str(path), checksum=checksum
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
    framework, _ = framework_load(path=DEFAULT_FRAMEWORK)
    return framework
