"""The record types every layer counts, declared once (pure: no Django imports).

Each module declares its types in its ``record_types.py`` (imported by its AppConfig), and the
framework loader (which ``counts:`` a requirement may name), the compliance engine's inputs, the
summary's facts, the provenance of every figure and the ledger workbook read this registry instead
of keeping lists of their own. A type is a table (``model``) or a subset of one (``where``); the
provenance of a figure always names the table's own type (``base``), so two figures resting on the
same rows are seen to, whichever subset counted them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RecordType:
    code: str  # stable id, as a framework's ``counts:`` names it: "submissions"
    name: str  # Chinese name: 报送信息
    measure: str  # measure word a document counts it in: 次 篇 条 期 个 元
    model: str  # app_label.Model
    date_field: str = "date"  # the day that places a record in a period ("" for stocks)
    unit_field: str = "unit"  # path from the record to its unit
    title_field: str = "title"  # what a sentence may quote of one record
    where: dict[str, Any] = field(default_factory=dict)  # the subset of the table this type is
    base: str = ""  # the table's own type when this is a subset ("" for the table's type itself)
    sums: str = ""  # a field summed instead of counting rows (money in fen)
    evidence: tuple[str, ...] = ()  # what a record can carry (minutes, attendance, attachment)
    list_url: str = ""  # the list page's URL name
    stock: bool = False  # counted as it stands at a period's end, not by its date in the period
    engine: bool = True  # a requirement may count it (``counts:``)

    @property
    def table(self) -> str:
        """The type whose ids number the same rows: the provenance names this one."""
        return self.base or self.code


REGISTRY: dict[str, RecordType] = {}


def register(*types: RecordType) -> None:
    for record_type in types:
        if record_type.code in REGISTRY and REGISTRY[record_type.code] != record_type:
            raise ValueError(f"record type {record_type.code!r} declared twice")
        REGISTRY[record_type.code] = record_type


def record_type(code: str) -> RecordType:
    try:
        return REGISTRY[code]
    except KeyError:
        raise KeyError(f"unknown record type {code!r}; declared: {sorted(REGISTRY)}") from None


def countable() -> tuple[str, ...]:
    """The codes a framework's ``counts:`` may name, in declaration order."""
    return tuple(code for code, t in REGISTRY.items() if t.engine)
