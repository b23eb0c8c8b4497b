"""Small database expressions the modules' grouped reads share."""

from __future__ import annotations

from django.db.models import CharField
from django.db.models.functions import Cast, Substr


def month_of(field: str) -> Substr:
    """'YYYY-MM' of a date column, computed by the database itself on SQLite and PostgreSQL alike.

    The rules engine reads facts bucketed by month; Django's ExtractYear/ExtractMonth call back into
    Python on SQLite for every row, which costs more than the grouped query itself.
    """
    return Substr(Cast(field, output_field=CharField()), 1, 7)


def month_code(day) -> str:
    """The month bucket of a Python date, as ``month_of`` computes it in the database."""
    return f"{day:%Y-%m}"
