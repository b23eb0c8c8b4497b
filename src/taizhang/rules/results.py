"""The results of a check, kept compactly: one row of plain figures per unit, a ``Result`` made
when a cell is read (``rules.engine`` fills them). Pure Python, like the engine."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import NamedTuple

from taizhang.core.periods import Period
from taizhang.rules.cells import Result


class CellSpec(NamedTuple):
    """What every unit's result in one cell shares (``Results`` makes the ``Result`` from it)."""

    code: str
    title: str
    period: Period
    due: date | None
    index: int  # where the unit's figures of this cell are in its row (see rules.engine)
    required: float  # unless the unit's row says otherwise (a per-person rule: its members)


class UnitRow(NamedTuple):
    """One unit's figures, cell by cell in its kind's row order: ``actual`` and ``status`` for every
    cell, ``required`` where it is not the cell's own, and ``excluded``: (cell, reason) → records
    left out for that reason (one dict per unit, its keys shared with the routes, rather than
    objects per cell: a city's check leaves records out of some 70,000 cells)."""

    unit: int
    cells: tuple[CellSpec, ...]  # in report order
    actual: list
    status: list
    required: dict[int, float] | None
    excluded: dict[tuple[int, str], int] | None


class Results(Sequence[Result]):
    """Every result of a check, in the engine's order (units as given, each unit's rules in the
    framework's order and each rule's periods in time order), kept as one compact row per unit.

    Read like the list of ``Result`` it stands for; each is made as it is read. ``of_units`` keeps
    some units' rows without making any. Kept in the results cache (``core.stamps``), a city's
    check pickles as 10,000 rows of plain lists rather than 370,000 objects.
    """

    __slots__ = ("_rows", "_starts")

    def __init__(self, rows: list[UnitRow]):
        self._rows = rows
        starts, n = [], 0
        for row in rows:
            starts.append(n)
            n += len(row.cells)
        starts.append(n)
        self._starts = starts

    def __len__(self) -> int:
        return self._starts[-1]

    def __iter__(self) -> Iterator[Result]:
        for row in self._rows:
            yield from _made(row)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(self)[index]
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("Results index out of range")
        low, high = 0, len(self._rows)  # the row whose cells hold ``index``
        while high - low > 1:
            middle = (low + high) // 2
            if self._starts[middle] <= index:
                low = middle
            else:
                high = middle
        return list(_made(self._rows[low]))[index - self._starts[low]]

    def __eq__(self, other) -> bool:
        if isinstance(other, Results | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Results: {len(self)} of {len(self._rows)} units>"

    def __getstate__(self):
        return self._rows

    def __setstate__(self, rows):
        self.__init__([UnitRow(*row) for row in rows])

    def units(self) -> list[int]:
        return [row.unit for row in self._rows]

    def of_units(self, units: Iterable[int]) -> Results:
        wanted = set(units)
        return Results([row for row in self._rows if row.unit in wanted])


def _made(row: UnitRow) -> Iterator[Result]:
    unit, cells, actual, status, required, excluded = row
    why: dict[int, tuple[tuple[str, int], ...]] = {}
    if excluded:
        for (i, reason), n in sorted(excluded.items()):  # each cell's reasons in the reasons' order
            why[i] = (*why.get(i, ()), (reason, n))
    for code, title, period, due, i, req in cells:
        if required and i in required:
            req = required[i]
        if why and i in why:
            reasons = why[i]
            left_out = sum(n for _, n in reasons)
        else:
            left_out, reasons = 0, ()
        yield Result(unit, code, title, period, req, actual[i], status[i], left_out, reasons, due)
