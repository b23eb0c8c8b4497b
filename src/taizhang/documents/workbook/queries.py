"""Reads for the ledger workbook: a sheet for each record type the registry declares one for
(``core.registry``: ``sheet`` and ``columns``), activities by kind, and the roster.

A fixed number of queries whatever the number of records: one per table, with the related rows
joined or prefetched (each type's ``Sheet.rows``). Each record type is read through
``documents.summary.facts.scoped`` (the registry's unit, date and subset rule), so the sheet lists exactly the
records behind the summary's figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db.models import QuerySet

from taizhang.core.periods import Period
from taizhang.core.registry import (
    DATE_FORMAT,
    INTEGER_FORMAT,
    MONEY_FORMAT,
    Column,
    RecordType,
    resolve,
    sheets,
)
from taizhang.documents.archive.queries import activity_records
from taizhang.documents.summary.facts import scoped
from taizhang.documents.workbook.build import SheetRows, ledger_workbook
from taizhang.ledger.models import ActivityKind
from taizhang.ledger.queries import imported_figures
from taizhang.org.models import Person, Unit

# The people of the unit (and its tree); the phone number is personal data, written only on request.
ROSTER_COLUMNS = (
    Column("姓名", "name", width=10),
    Column("单位", "unit", write="unit.name", width=24),
    Column("职务", "job_title", width=30),
    Column("党员", "is_party_member", write=lambda p: "是" if p.is_party_member else "否", width=6),
    Column("手机号码", "phone", width=16, personal=True),
)
# Figures of past summaries: no record behind them, the source named on each row.
IMPORTED_FIGURES = SheetRows(
    "导入的汇总数",
    (
        Column("期间", "period", write=lambda f: Period.parse(f.period).label, width=10),
        Column("单位", "unit", write="unit.name", width=20),
        Column("事项", "what", width=24),
        Column("原文数字", "figure_text", width=12),
        Column("计数", "count", width=8, format=INTEGER_FORMAT),
        Column("金额（元）", "amount_fen", width=14, format=MONEY_FORMAT,
               write=lambda f: None if f.amount_fen is None else Decimal(f.amount_fen) / 100),
        Column("来源", "source_note", width=30),
        Column("原文", "sentence", width=48),
        Column("是否计入", "replaced", width=22, write=lambda f: "已由明细记录替代，不计入" if f.replaced else "计入"),
    ),
    (),
)  # fmt: skip


def exported(columns: Iterable[Column], *, personal: bool = False) -> tuple[Column, ...]:
    """The columns a sheet writes; personal data only when an admin asked for it."""
    return tuple(c for c in columns if c.exported and (personal or not c.personal))


def _rows(records: Iterable, columns: Sequence[Column]) -> list[tuple]:
    """A row of cells per record, each as its column writes it (``Column.value``)."""
    return [tuple(column.value(record) for column in columns) for record in records]


def _records(t: RecordType, unit: Unit, period: Period, with_children: bool) -> Iterable:
    rows = scoped(t.code, unit, period, with_children=with_children)
    if t.sheet.rows:
        return resolve(t.sheet.rows)(rows)
    return rows.order_by(t.date_field, "id")


def _activity_sheets(t: RecordType, unit: Unit, period: Period, with_children: bool) -> list[SheetRows]:
    """A sheet per activity kind, in the framework's kind order, each kind's activities oldest first."""
    records = activity_records(scoped(t.code, unit, period, with_children=with_children))
    kind_order = list(ActivityKind.objects.order_by("order", "code").values_list("name", flat=True))
    by_kind: dict[str, list] = {}
    for rec in sorted(
        records, key=lambda r: kind_order.index(r.kind_name) if r.kind_name in kind_order else len(kind_order)
    ):
        by_kind.setdefault(rec.kind_name, []).append(rec)
    columns = exported(t.columns)
    return [
        SheetRows(kind, columns, _rows(sorted(recs, key=lambda r: (r.date, r.id)), columns))
        for kind, recs in by_kind.items()
    ]


def record_sheets(
    *, unit: Unit, period: Period, with_children: bool = False, personal: bool = False
) -> list[SheetRows]:
    """Each record type's sheet for the period, in the workbook's order, one query per table."""
    out: list[SheetRows] = []
    for t in sheets():
        if t.sheet.split:
            out += _activity_sheets(t, unit, period, with_children)
            continue
        columns = exported(t.columns, personal=personal)
        out.append(
            SheetRows(t.sheet.title, columns, _rows(_records(t, unit, period, with_children), columns))
        )
    out += _imported_sheet(unit=unit, period=period, with_children=with_children)
    return out


def _imported_sheet(*, unit: Unit, period: Period, with_children: bool) -> list[SheetRows]:
    """The aggregates imported from past summaries standing in the period, each marked as such and
    whether it counts; no sheet where there are none (most ledgers)."""
    units = (
        Unit.objects.filter(path__startswith=unit.path) if with_children else Unit.objects.filter(pk=unit.pk)
    )
    figures = (
        imported_figures(units=units.values("pk"), start=period.start, end=period.end, replaced=True)
        .select_related("unit")
        .order_by("end", "unit__path", "id")
    )
    rows = _rows(figures, IMPORTED_FIGURES.columns)
    return [SheetRows(IMPORTED_FIGURES.title, IMPORTED_FIGURES.columns, rows)] if rows else []


def _scope(model, unit: Unit, with_children: bool, field: str = "unit") -> QuerySet:
    if with_children:
        return model.objects.filter(**{f"{field}__path__startswith": unit.path})
    return model.objects.filter(**{field: unit})


def ledger_export(
    *, unit: Unit, period: Period, with_children: bool = False, personal: bool = False
) -> bytes:
    """The unit's ledger workbook for the period (activity sheets in the framework's kind order).

    The roster leaves phone numbers out unless ``personal`` (an admin of the unit asked for them).
    """
    out = record_sheets(unit=unit, period=period, with_children=with_children, personal=personal)
    people = _scope(Person, unit, with_children).select_related("unit").order_by("unit__path", "id")
    columns = exported(ROSTER_COLUMNS, personal=personal)
    roster = _rows(people, columns)
    if roster:
        out.append(SheetRows("人员名册", columns, roster))
    return ledger_workbook(out, unit_label=f"{unit.name}{period.label}台账", author=unit.name)


__all__ = ["DATE_FORMAT", "ledger_export", "record_sheets"]
