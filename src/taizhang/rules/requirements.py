"""A unit's framework version and its requirements, as the engine reads them (``rules.engine.Rule``)."""

from __future__ import annotations

from taizhang.org.models import Unit
from taizhang.rules.engine import Rule
from taizhang.rules.models import Framework, FrameworkAssignment, Requirement
from taizhang.rules.services import framework_ensure_default


def framework_for(unit: Unit) -> Framework:
    """The version pinned on the unit or its nearest ancestor; else the latest loaded one."""
    ancestor_ids = [int(x) for x in unit.path.strip("/").split("/") if x]
    pins = {
        a.unit_id: a.framework
        for a in FrameworkAssignment.objects.filter(unit_id__in=ancestor_ids).select_related("framework")
    }
    for unit_id in reversed(ancestor_ids):
        if unit_id in pins:
            return pins[unit_id]
    return framework_ensure_default()


def rules_of(framework: Framework) -> list[Rule]:
    return [rule_from(r) for r in Requirement.objects.filter(framework=framework).order_by("order")]


def rule_from(r: Requirement) -> Rule:
    return Rule(
        code=r.code,
        title=r.title,
        period=r.period,
        min=r.min,
        measure=r.measure,
        kinds=tuple(r.kinds),
        counts=r.counts,
        due=r.due,
        applies_to=tuple(r.applies_to),
        evidence=tuple(r.evidence),
        points=r.points,
        responsible=r.responsible,
        title_en=r.title_en,
    )
