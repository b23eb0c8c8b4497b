"""A unit's framework version and its requirements, as the engine reads them (``rules.engine.Rule``).

A handful of rows every page that judges or lists records needs: read once per process and kept until
the deployment's generation moves (``core.stamps``: every write of a framework, requirement or
assignment moves it), so a check worked out again after a write reads only the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass

from taizhang.core import stamps
from taizhang.org.models import Unit
from taizhang.rules.engine import Rule
from taizhang.rules.models import Framework, FrameworkAssignment, Requirement
from taizhang.rules.services import framework_ensure_default


@dataclass(frozen=True)
class Vocabulary:
    """Every framework pin, the default framework and the rules of each framework (three queries and
    a rule made per requirement, which every list page and every check worked out again read anew)."""

    pins: dict[int, Framework]
    default: Framework
    rules: dict[int, list[Rule]]


def kept_vocabulary() -> Vocabulary:
    """Read once per process until the deployment's generation moves; every time while this
    connection's transaction has written (``stamps.deployment`` is None then) or nothing is kept."""
    return _vocabulary(stamps.deployment())


def _vocabulary(token: str | None) -> Vocabulary:
    return stamps.kept_per_deployment(token, Vocabulary, _read_vocabulary)


def _read_vocabulary() -> Vocabulary:
    pins = {a.unit_id: a.framework for a in FrameworkAssignment.objects.select_related("framework")}
    rules: dict[int, list[Rule]] = {}
    for requirement in Requirement.objects.order_by("order"):
        rules.setdefault(requirement.framework_id, []).append(rule_from(requirement))
    return Vocabulary(pins=pins, default=framework_ensure_default(), rules=rules)


def kept_rules(framework_id: int) -> list[Rule]:
    """The rules of a framework, in order, as kept between requests (``kept_vocabulary``)."""
    return kept_vocabulary().rules.get(framework_id, [])


def framework_for(unit: Unit) -> Framework:
    """The version pinned on the unit or its nearest ancestor; else the latest loaded one."""
    ancestor_ids = [int(x) for x in unit.path.strip("/").split("/") if x]
    token = stamps.deployment()
    if token is not None:
        pins = _vocabulary(token).pins
    else:  # nothing kept: the unit's own line of pins, not every pin
        pins = {
            a.unit_id: a.framework
            for a in FrameworkAssignment.objects.filter(unit_id__in=ancestor_ids).select_related("framework")
        }
    for unit_id in reversed(ancestor_ids):
        if unit_id in pins:
            return pins[unit_id]
    return _vocabulary(token).default if token is not None else framework_ensure_default()


def requirements_of(framework: Framework) -> list[Requirement]:
    """The requirement rows of ``framework``, as kept per deployment (``core.stamps.vocabulary_rows``:
    one read of the table while nothing may be kept)."""
    return [r for r in stamps.vocabulary_rows(Requirement) if r.framework_id == framework.pk]


def areas_of(framework: Framework) -> dict[str, str]:
    """Requirement code → the code of its area, for the requirements of ``framework``."""
    return {r.code: r.area for r in requirements_of(framework)}


def rules_of(framework: Framework) -> list[Rule]:
    token = stamps.deployment()
    if token is None:  # nothing kept: this framework's requirements only
        return [rule_from(r) for r in Requirement.objects.filter(framework=framework).order_by("order")]
    return list(_vocabulary(token).rules.get(framework.pk, []))  # a list of its own: the kept one is shared


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
