"""What a dashboard is made of: its charts (each a small table with a link behind every figure), the
top's own rings, and the units it compares.

The figures are computed in ``dashboard.figures`` (numbers and ids), named and laid out as charts in
``dashboard.charts``, and kept for a large scope in ``dashboard.kept``; the unit page's panel is
``dashboard.panel``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from io import BytesIO
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from taizhang.core.cells import inert_row
from taizhang.org.models import Post, Unit, path_ids
from taizhang.reporting.models import DashboardSnapshot
from taizhang.rules.engine import BEHIND, MET, OVERDUE

CACHE_SECONDS = 600  # a large scope's newest year, and its rendered charts, are kept this long
DUE_DAYS = 30
DUE_SHOWN = 30  # units on the dashboard's to-do table (most overdue first); each unit's to-do page the rest
DUE_ITEMS = 3  # items named per unit


@dataclass
class Cell:
    """One figure of a chart's table; ``href`` opens the records (or requirements) behind it."""

    value: object
    href: str = ""


@dataclass
class Chart:
    """A chart's data as a table: what the page draws, shows as a <table> and exports as .xlsx."""

    key: str
    title: str
    header: list[str]
    rows: list[list[Cell]]
    note: str = ""
    kind: str = "bar"  # how the page draws it: heatmap, bar, trend, table
    extra: dict = field(default_factory=dict)

    @property
    def data_id(self) -> str:
        return f"chart-data-{self.key}"

    def as_json(self) -> dict:
        """What the chart script reads: the table's figures and links, nothing more."""
        return {
            "key": self.key,
            "kind": self.kind,
            "header": self.header,
            "rows": [[c.value for c in row] for row in self.rows],
            "links": [[c.href for c in row] for row in self.rows],
            **self.extra,
        }


@dataclass(frozen=True)
class Ring:
    """One requirement's progress in a period, for a ring (``rules.matrix.Cell``: capped at 100%,
    periods counted at most for what they require, worded for what they are)."""

    title: str
    status: str
    status_label: str
    percent: int
    figures: str
    responsible: str = ""
    holders: tuple = ()
    record_url: str = ""

    @property
    def responsible_label(self) -> str:
        return str(dict(Post.choices).get(self.responsible, ""))

    @property
    def short(self) -> bool:
        """Behind or overdue: the unit must see to it."""
        return self.status in (BEHIND, OVERDUE)


@dataclass
class Dashboard:
    top: Unit
    shown: list[Unit]  # the units compared: the top's children (each with its subtree)
    year: int
    today: date
    charts: Sequence[Chart]
    # the top's own standing, when it has requirements of its own: shown above any comparison
    own: list[Ring] = field(default_factory=list)

    @property
    def behind(self) -> list[Ring]:
        """The top's own requirements behind or overdue, with who answers for each."""
        return [ring for ring in self.own if ring.short]

    @property
    def met_count(self) -> int:
        return sum(1 for ring in self.own if ring.status == MET)

    cache_key: str = ""
    cache_seconds: int = 0  # how long the page may keep its rendered charts (0: never)
    # A large scope's kept figures (None: computed for this page); ``fresh``: they are current.
    snapshot: DashboardSnapshot | None = None
    fresh: bool = True
    asked_on: date | None = None  # the day the page was asked for (``today`` is the figures' day)

    @property
    def from_another_day(self) -> bool:
        """The kept figures were judged as of an earlier day than the page's (what is due and
        overdue has moved since)."""
        snap = self.snapshot
        return snap is not None and snap.as_of is not None and snap.as_of != self.asked_on

    @property
    def pending(self) -> bool:
        """No figures yet: the first computation of a large scope is under way."""
        return self.snapshot is not None and self.snapshot.figures is None

    @property
    def waiting_too_long(self) -> bool:
        """A queued computation has not finished in three times as long as the last one took (or a
        minute): the page says the background worker may not be running."""
        snap = self.snapshot
        if snap is None or snap.requested_at is None:
            return False
        return timezone.now() - snap.requested_at > timedelta(seconds=max(60, 3 * snap.seconds))

    def chart(self, key: str) -> Chart | None:
        return next((c for c in self.charts if c.key == key), None)


def month_label(month: int) -> str:
    """A month's name on a chart's axis: 3月, Mar."""
    return _("%(month)s月") % {"month": month}


@lru_cache(maxsize=32)
def _path(name: str) -> str:
    return reverse(name)


def page_url(name: str, **query) -> str:
    return f"{_path(name)}?{urlencode({k: v for k, v in query.items() if v not in (None, '')})}"


def chart_workbook(chart: Chart) -> bytes:
    """The chart's table as an .xlsx workbook: its title, its header, its figures."""
    book = Workbook()
    sheet = book.active
    sheet.title = chart.key
    sheet.append(inert_row([chart.title], sheet))
    sheet.append(inert_row(chart.header, sheet))
    for row in chart.rows:
        sheet.append(inert_row((cell.value for cell in row), sheet))
    if chart.note:
        sheet.append([])
        sheet.append(inert_row([chart.note], sheet))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def compared_units(top: Unit) -> list[Unit]:
    """The units a dashboard compares: the top's children in tree order, or the top alone."""
    children = list(Unit.objects.filter(parent=top).order_by("path"))
    children.sort(key=lambda u: path_ids(u.path))
    return children or [top]


def owner_map(top: Unit, shown: list[Unit]) -> dict[int, int]:
    """Every unit of the top's subtree → the compared unit whose subtree holds it."""
    shown_ids = {u.pk for u in shown}
    owner = {}
    for pk, path in Unit.objects.filter(path__startswith=top.path).values_list("pk", "path"):
        for ancestor in path_ids(path):
            if ancestor in shown_ids:
                owner[pk] = ancestor
                break
    return owner
