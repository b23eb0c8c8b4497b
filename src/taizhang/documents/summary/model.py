"""What the summary is written from: the facts of a unit and period, as plain data (no Django).

``summary.facts`` gathers them once from the ledger, the rules engine and the unit tree; the
writer (``summary.build``) reads nothing else. Every record the text may tell or count is a ``Rec``
with its table's type and id, so every figure keeps the records behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from taizhang.core.periods import Period


@dataclass(frozen=True)
class Rec:
    """One record the summary may tell or count. ``type`` is the table's record type (provenance).

    An aggregate imported from a past summary is one Rec (``type`` ``imported_figures``) standing
    for ``count`` records; its ``info`` holds ``imported``: how the document names its source."""

    type: str
    id: int
    unit: int
    day: date | None
    title: str = ""
    kind: str = ""
    highlight: str = ""
    info: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    count: int = 1  # the records it stands for: 1, or an imported aggregate's count

    @property
    def imported(self) -> str:
        """ "据《…》导入，汇总数…" for an imported aggregate, "" for a detailed record."""
        return self.info.get("imported", "")

    @property
    def ref(self) -> tuple[str, int]:
        return (self.type, self.id)


def counted(recs) -> int:
    """How many records ``recs`` stand for (an imported aggregate counts as its count)."""
    return sum(r.count for r in recs)


@dataclass(frozen=True)
class UnitInfo:
    id: int
    code: str
    name: str
    short: str
    kind: str
    parent: int | None = None
    profile: str = ""  # org.UnitProfile: school, hospital, media… ("" not said: a generic organ's voice)


@dataclass(frozen=True)
class Weak:
    """A weak point: an unmet requirement (from the engine) or a measured one, as the text needs it.

    ``subject`` names what it is about in words (an activity kind, 学习); ``evidence`` a short clause
    that shows it without restating a counted figure; ``commitment`` the rule as a promise
    (全年不少于2次); ``when`` the part of the period it concerns (下半年, 二季度); ``area`` the work
    area it concerns, so that no sentence of that section claims the opposite.
    """

    code: str
    severity: int
    subject: str = ""
    evidence: str = ""
    commitment: str = ""
    when: str = ""
    area: str = ""


@dataclass(frozen=True)
class SummaryFacts:
    """Everything the summary says, read from the ledger and the engine, with the phrase library."""

    unit: UnitInfo
    units: dict[int, UnitInfo]  # the unit and its sub-units: the summary's scope
    period: Period
    written_on: date
    areas: tuple[tuple[str, str], ...]  # (code, name) in framework order
    kinds: dict[str, tuple[str, str]]  # activity kind code → (name, area code)
    kind_order: tuple[str, ...]
    records: dict[str, tuple[Rec, ...]]  # by record type
    duties: dict[str, tuple[str, ...]]  # accountable/responsible/supporting → the titles of who holds it
    weak: tuple[Weak, ...]
    commitments: tuple[str, ...]  # the leadership rules as promises, for the last next step
    phrases: dict[str, Any]
    profiles: dict[str, Any] = field(default_factory=dict)  # frameworks/profiles.yaml
    above: tuple[UnitInfo, ...] = ()  # the unit's ancestors, root first
    peers: tuple[UnitInfo, ...] = ()  # the units directly under its region: where its superiors are
    # kind → how many of it the unit's own rules ask for in the period, and their rhythm (month…)
    expected: dict[str, tuple[int, str]] = field(default_factory=dict)
    required_areas: tuple[str, ...] = ()  # areas where some rule applies to the unit itself


class SummaryError(ValueError):
    """A bug in a template or the facts: a figure stated twice, a phrase missing, a claim the records
    contradict (a part larger than its whole, a rate word against its rate)."""
