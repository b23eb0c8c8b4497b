"""Small database expressions the modules' grouped reads share."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from django.db.models import CharField, Count, F, Func, Q, QuerySet


class _MonthOf(Func):
    """SQLite keeps dates as ISO text, so the month is its first seven characters; PostgreSQL's
    to_char gives the same text whatever the server's DateStyle (a cast to text would not)."""

    template = "SUBSTR(CAST(%(expressions)s AS text), 1, 7)"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM')", **extra)


def month_of(field: str) -> Func:
    """'YYYY-MM' of a date column, computed by the database itself on SQLite and PostgreSQL alike
    (the same text the ledger's monthly rollup files its rows under; see ``ledger.rollup``).

    The rules engine reads facts bucketed by month; Django's ExtractYear/ExtractMonth call back into
    Python on SQLite for every row, which costs more than the grouped query itself.
    """
    return _MonthOf(F(field))


def month_code(day) -> str:
    """The month bucket of a Python date, as ``month_of`` computes it in the database."""
    return f"{day:%Y-%m}"


def states_at(
    rows: QuerySet, ends: list[date], *, counted: Callable[[date], Q], flagged: Callable[[date], Q]
) -> dict[int, dict[str, tuple[int, int]]]:
    """Per unit, how many ``rows`` stand at each day of ``ends``, and how many of them are flagged.

    For records that are states, not events (a channel registered or lapsed, a risk open or
    overdue): a period is judged by what stands at its last day. One query, two conditional counts
    per day; the key is the day's month ('YYYY-MM'), days with nothing standing are left out.
    """
    ends = sorted(set(ends))
    if not ends:
        return {}
    counts = {}
    for i, end in enumerate(ends):
        counts[f"n{i}"] = Count("id", filter=counted(end))
        counts[f"f{i}"] = Count("id", filter=counted(end) & flagged(end))
    out: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for row in rows.values("unit_id").annotate(**counts).order_by():
        for i, end in enumerate(ends):
            if row[f"n{i}"]:
                out[row["unit_id"]][month_code(end)] = (row[f"n{i}"], row[f"f{i}"])
    return dict(out)
