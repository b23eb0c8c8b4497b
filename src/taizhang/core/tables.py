"""A list page's table: sortable headers and the filtered list downloaded as .csv or .xlsx.

The rows and their order are the FilterSet's (core.filters: ``ordering`` is one of its filters), so a
header link only sets ``ordering`` in the query string, and a download is the same query string
with ``export=csv`` or ``export=xlsx``: exactly the records the page lists, on every page at once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from functools import cached_property
from urllib.parse import quote

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise

from taizhang.core.cells import inert_row

EXPORTS = {"csv": "CSV", "xlsx": "Excel"}
EXPORT_LIMIT = 50_000  # rows in one download; a larger list is narrowed by its filters first
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class IdPaginator(Paginator):
    """Reads a page's ids first, then its rows by id, in the ids' order.

    The id query sorts and cuts what an index holds (a unit's records by date); the rows then come
    with their joins (kind, unit, host) for the fifty shown alone. Asked for rows and joins at once,
    SQLite carried every matching row of a county (twenty thousand activities, each joined) through
    the sort to keep fifty: 60 ms of a list page's 150.
    """

    #: Rows counted at most: past it the page says "more than" and its last page is the cap's. A
    #: city's list of a year is a million rows, counted in seconds; nobody pages through them,
    #: they narrow the filters or download (``EXPORT_LIMIT``).
    COUNT_LIMIT = 10_000

    def __init__(self, object_list, per_page, *, load=None, kept=None, **kwargs):
        """``load(ids)``: the page's rows (each with its ``pk``), read by their ids some other way
        than the list narrowed to them as model instances (a list drawing fifty rows of four models
        spent more on making the instances than on its queries); the ids are the list's, so the
        rows need none of its filters again. ``kept(what, compute)``: the count and a page's ids
        as kept for this list (``core.stamps``), or ``compute()``."""
        super().__init__(object_list, per_page, **kwargs)
        self.load = load
        self.kept = kept or (lambda what, compute: compute())

    @cached_property
    def _counted(self) -> int:
        # the rows alone: what a list annotates its rows with (evidence, counts) is not worked out
        # for every row counted
        return self.kept(
            "count", lambda: self.object_list.order_by().values("pk")[: self.COUNT_LIMIT + 1].count()
        )

    @property
    def count(self) -> int:
        return min(self._counted, self.COUNT_LIMIT)

    @property
    def capped(self) -> bool:
        """Whether there are more rows than were counted."""
        return self._counted > self.COUNT_LIMIT

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.kept(
            f"ids {bottom} {top}", lambda: list(self.object_list.values_list("pk", flat=True)[bottom:top])
        )
        # without ``load``, the list itself (its joins, annotations and prefetches) narrowed to those
        # ids, which the database reads by key; unordered, as the ids give the order
        rows = self.object_list.filter(pk__in=ids).order_by() if self.load is None else self.load(ids)
        by_id = {row.pk: row for row in rows}
        return self._get_page([by_id[pk] for pk in ids if pk in by_id], number, self)


def paginate(rows, request, per_page: int = 50, *, load=None, kept=None):
    """The page of ``rows`` the request asks for (``?page=``; out of range: the last); ``load``,
    ``kept``: see ``IdPaginator``."""
    return IdPaginator(rows, per_page, load=load, kept=kept).get_page(request.GET.get("page"))


def export_format(query) -> str | None:
    value = query.get("export") if query else None
    return value if value in EXPORTS else None


def query_without(query, *names: str) -> str:
    """The filter query (a QueryDict: the query string, or what core.forms.filter_query made of
    an empty one) without ``names``, for the links that keep the filters."""
    if not query:
        return ""
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def head(query, columns: list[tuple[str, str]], sortable: list[tuple[str, str, str]]) -> list[dict]:
    """One header per column: its label, and for a sortable column the link that sorts by it
    (ascending, or descending when it already sorts ascending) and the present direction."""
    current = query.get("ordering", "") if query else ""
    keys = {key for key, _, _ in sortable}
    base = query_without(query, "page", "ordering", "export")
    out = []
    for label, attr in columns:
        cell = {"label": label, "url": None, "sorted": ""}
        if attr in keys:
            ascending = current == attr
            cell["sorted"] = "ascending" if ascending else "descending" if current == f"-{attr}" else ""
            value = f"-{attr}" if ascending else attr
            cell["url"] = f"?{base + '&' if base else ''}ordering={quote(value)}"
        out.append(cell)
    return out


def export_links(query) -> list[tuple[str, str]]:
    base = query_without(query, "page", "export")
    return [(label, f"?{base + '&' if base else ''}export={fmt}") for fmt, label in EXPORTS.items()]


def export(rows: Iterable[list[str]], *, labels: list[str], name: str, fmt: str) -> HttpResponse:
    """The rows as a download named after the list and the day: 活动台账-20260130.xlsx."""
    stamp = f"{timezone.localdate():%Y%m%d}"
    name, labels = str(name), [str(label) for label in labels]  # labels are translated lazily
    filename = f"{name}-{stamp}.{fmt}"
    rows = ([str(cell) if isinstance(cell, Promise) else cell for cell in row] for row in _limited(rows))
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens a UTF-8 CSV as such only with the BOM
        writer = csv.writer(buffer)
        writer.writerow(inert_row(labels))
        writer.writerows(inert_row(row) for row in rows)
        response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(title=name[:31])
        sheet.append(inert_row(labels, sheet))
        for row in rows:
            sheet.append(inert_row(row, sheet))
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    ascii_name = f"export-{stamp}.{fmt}"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def _limited(rows: Iterable[list[str]]):
    for number, row in enumerate(rows):
        if number >= EXPORT_LIMIT:
            return
        yield row
