"""The record types every layer counts, lists, exports and imports, each declared once (pure: no Django
imports).

Each module declares its types in its ``record_types.py`` (imported by its AppConfig), and the
framework loader (which ``counts:`` a requirement may name), the compliance engine's inputs, the
summary's facts, the provenance of every figure, the list pages and their filters, the API, the menu,
the ledger workbook, its import and its blank template read this registry instead of keeping lists of
their own. A type is a table (``model``) or a subset of one (``where``); the provenance of a figure
always names the table's own type (``base``), so two figures resting on the same rows are seen to,
whichever subset counted them.

A declaration may name what only Django can run (a service, a query, a form) as a dotted path or a
callable; the layer that needs it resolves it (``resolve``), so this module imports no model.

Every facet a table's type may have (``FACETS``) is declared or refused with a reason (``without``):
``tests/core/test_completeness.py`` walks the registry and fails, naming the type and the facet, for
one that is neither.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# The cells' number formats in the ledger workbook and its template.
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"
INTEGER_FORMAT = "0"
EXAMPLE_DAY = date(2021, 3, 5)  # the day the blank template's example rows are dated

# How ``taizhang import`` reads a cell (``ledger.record_imports``): the kinds of ``Column.read``.
READS = (
    "text", "date", "choice", "person", "people", "amount", "int", "lines", "unit", "record", "issue", "donor",
)  # fmt: skip

# The facets of a type: each declared, or refused in ``without`` with the reason (a subset of a table
# shares its table's, but for its counter).
#   sheet      its sheet in the ledger workbook (``Sheet``)
#   import     the workbook's sheet read back by ``taizhang import`` (``Sheet.create`` or ``reader``)
#   page       list, detail, create and edit pages (``Page``)
#   api        REST endpoints (``Api``)
#   menu       its place in the navigation (``MenuEntry``)
#   summary    what the summary's facts read of a row (``details``)
#   counter    how the engine counts it, when a requirement may (``counter``)
#   english    its English name (``english``), the catalogue's translation of its pages' title
# ``without["aggregate"]`` refuses figures of past summaries imported as aggregates
# (``ledger.queries.importable``), which every type otherwise takes.
FACETS = ("sheet", "import", "page", "api", "menu", "summary", "counter", "english")
SUBSET_FACETS = ("counter",)


@dataclass(frozen=True)
class Column:
    """One column of a record type, declared once for the workbook, its import, the template, the list
    page and its filters.

    ``field`` is the record's field, the create service's keyword and the name the aliases file
    (``frameworks/import_aliases.yaml``) keys the header words clerks write by; a derived column
    (采用情况, 参加人数) has none: the export writes it for the reader and the import ignores it.
    """

    header: str  # the workbook's header, and the template's: 报送日期
    field: str = ""
    # How the import reads a cell (one of READS); "" when the column is not read back.
    read: str = ""
    # How the export writes a record's cell: an attribute path ("unit.name"; a choice field writes its
    # label), or a callable(record); None: the field itself.
    write: str | Callable[[Any], Any] | None = None
    label: str = ""  # how an import message names it, when not by its header
    width: int = 10  # Excel's units, about half a Chinese character each
    format: str = ""  # the cell's number format: DATE_FORMAT, MONEY_FORMAT, INTEGER_FORMAT
    exported: bool = True  # a column of the workbook's sheet
    # A column of the blank template (None: when both exported and read back).
    template: bool | None = None
    # The list page shows it at this place (1, 2 …; 0: not listed), headed ``list_header`` or ``header``.
    listed: int = 0
    list_header: Any = ""
    # The list page and the API filter by the field's choices, under this label ("": not filtered).
    filter: Any = ""
    personal: bool = False  # personal data: exported only when an admin asks for it
    refers: str = ""  # ``read="record"``: the type whose record the cell names (by its title)
    example: Any = None  # the blank template's example cell (a choice column shows its first word)

    @property
    def message_label(self) -> str:
        return self.label or self.header

    @property
    def imported(self) -> bool:
        return bool(self.read)

    @property
    def in_template(self) -> bool:
        return self.template if self.template is not None else self.exported and self.imported

    def value(self, record: Any) -> Any:
        """What the column writes of ``record`` in a workbook's cell: its ``write`` callable's value,
        the attribute its path names ("" when a record on the way is missing: no author), or the
        field's value (a choice field's label)."""
        if callable(self.write):
            return self.write(record)
        if self.write is None:
            display = getattr(record, f"get_{self.field}_display", None)
            if display is not None:
                return display()
        value = record
        parts = (self.write or self.field).split(".")
        for i, part in enumerate(parts):
            value = getattr(value, part)
            if value is None:
                return None if i == len(parts) - 1 else ""
        return value

    @property
    def attribute(self) -> str:
        """What the list page reads of a record for this column: its field, else the attribute it writes."""
        return self.field or (self.write if isinstance(self.write, str) else "")


@dataclass(frozen=True)
class Sheet:
    """A record type's sheet in the ledger workbook, and how ``taizhang import`` reads it back."""

    title: str  # the sheet's name: 报送信息
    order: int  # its place among the workbook's sheets (and the template's)
    # (rows) → rows: the records' related rows joined, in the sheet's order (a path or a callable).
    rows: str | Callable[[Any], Any] = ""
    create: str = ""  # the create service a row is written with ("" : not read back)
    needs: tuple[str, ...] = ()  # a header row naming these columns is this type's sheet
    key: tuple[str, ...] = ()  # two rows alike in these columns are one record
    # (unit, title) → the record another type's row names by this title, or a message why none (a
    # donation's 主题活动, an adoption's 信息标题): a path or a callable.
    lookup: str | Callable[..., Any] = ""
    # One sheet per value of this field, titled by the value's name (activities: one book per kind);
    # ``title`` is then the template's single sheet for all of them.
    split: str = ""
    # A module that reads these sheets back itself, instead of a row at a time through ``create``.
    reader: str = ""


@dataclass(frozen=True)
class Filter:
    """A list filter that is not one column's choices: a yes/no box whose ``method`` narrows the rows
    (``(rows, name, value) → rows``, a path or a callable), on the page and the API alike."""

    name: str
    label: Any
    method: str | Callable[..., Any]


@dataclass(frozen=True)
class Page:
    """A table's pages (``core.crud.RecordPages``): URL names ``<app>:<name>-list`` … under ``prefix``.

    Services and forms are dotted paths (``form=""``: generated from the model and the form's fields).
    ``hand_written``: the module writes its pages itself (activities); the menu and the list URL are
    still read from here.
    """

    app: str  # the URL namespace: "risks"
    name: str  # the URL names' stem: "risk" → risks:risk-list
    prefix: str = ""  # the path under the app's URLs: "points"
    title: Any = ""  # what the pages call one record
    create: str = ""
    update: str = ""
    form: str = ""
    # The generated form's fields, in order (``form=""``); people among them are the unit's people.
    fields: tuple[str, ...] = ()
    cls: str = ""  # a RecordPages subclass with views of its own ("" : RecordPages)
    date_field: str | None = None  # the period filter's field, when not the type's date_field
    search: tuple[str, ...] | None = None  # what ``q`` searches, when not the type's title_field
    period: str = ""  # (rows, period) → rows: how a stock reads a period
    as_of: str = ""  # (rows, day) → rows
    related: tuple[str, ...] = ()
    detail_template: str = ""
    own: str = ""  # the person field whose own rows a member reads
    published: str = ""  # a path to the Q of the rows every member of the unit may read
    self_service: str = ""  # the person field a member fills with themselves
    edit_refusal: str = ""  # (record) → why it cannot be edited now, or None
    hand_written: bool = False


@dataclass(frozen=True)
class Api:
    """A table's REST endpoints (``core.crud.RecordViewSet``) at ``/api/<prefix>/``.

    ``serializer`` and ``delete`` are dotted paths (``serializer=""``: generated from the model and
    ``fields``); ``viewset`` names a hand-written ViewSet (one with actions of its own), which then
    replaces the generated one.
    """

    prefix: str  # "risk-points"
    basename: str  # "risk-point"
    serializer: str = ""
    # The generated serializer's fields (``serializer=""``), and those it only shows.
    fields: tuple[str, ...] = ()
    read_only: tuple[str, ...] = ()
    delete: str = ""
    select: tuple[str, ...] = ()
    viewset: str = ""


@dataclass(frozen=True)
class MenuEntry:
    """A link in the navigation: in ``group`` (``core.context_processors.GROUPS``; "mine": a member's
    menu) at ``order``."""

    group: str
    label: Any
    order: int
    action: str = "list"  # the page: list, create


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
    evidence: tuple[str, ...] = ()  # what a record can carry (minutes, attendance, attachment)
    stock: bool = False  # counted as it stands at a period's end, not by its date in the period
    engine: bool = True  # a requirement may count it (``counts:``)
    # ``measure: every`` may judge it: the type's counter says how many records fail its own check.
    checked: bool = False
    # The engine's counter, a path to ``(*, units, start, end, ends, today, codes) → {unit id:
    # {(code, 'YYYY-MM'): (records, violations)}}``; one counter may serve several types of a table.
    counter: str = ""
    # (day) → a Q of the records that fail the type's own check as they stand at ``day`` (a path or a
    # callable): the violations ``measure: every`` judges, for the declared counter
    # (``rules.counters.by_declaration``) to count.
    violation: str | Callable[..., Any] = ""
    english: str = ""  # the English name: the catalogue's translation of the pages' title
    # The bulletin (通报) tells each sub-unit's records of it in the period, when it has any: the words
    # before the count and the measure word after it (发现并处置舆情 … 起).
    bulletin: tuple[str, str] = ()
    # -- a table's facets (a subset shares its table's) ---------------------------------------------
    columns: tuple[Column, ...] = ()
    sheet: Sheet | None = None
    filters: tuple[Filter, ...] = ()
    page: Page | None = None
    api: Api | None = None
    menu: tuple[MenuEntry, ...] = ()
    # What the summary's facts read of each row besides id, unit, date and title, and the detail
    # that is the record's kind (what sentences group by).
    details: tuple[str, ...] | None = None
    kind_field: str = ""
    # The extraction words (``frameworks/extract.yaml``) name its kinds (activity kinds): a draft's
    # figure of one kind is checked against the records of that kind.
    kind_words: bool = False
    without: dict[str, str] = field(default_factory=dict)  # facet → why this type has none

    def __hash__(self) -> int:  # one type per code (``register``), so a type can key a cache
        return hash(self.code)

    @property
    def table(self) -> str:
        """The type whose ids number the same rows: the provenance names this one."""
        return self.base or self.code

    @property
    def list_url(self) -> str:
        """The list page's URL name (a subset's is its table's), or ""."""
        page = self.page or (REGISTRY[self.base].page if self.base in REGISTRY else None)
        return f"{page.app}:{page.name}-list" if page else ""

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)

    def facet(self, name: str) -> object:
        """The declaration of facet ``name`` (FACETS), or a false value when there is none."""
        return {
            "sheet": self.sheet,
            "import": (self.sheet.create or self.sheet.reader) if self.sheet else None,
            "page": self.page,
            "api": self.api,
            "menu": self.menu,
            "summary": self.details is not None,
            "counter": self.counter or not self.engine,  # a type no requirement counts needs none
            "english": self.english,
        }[name]

    def missing(self) -> list[str]:
        """The facets neither declared nor refused in ``without`` with a reason."""
        facets = SUBSET_FACETS if self.base else FACETS
        return [name for name in facets if not self.facet(name) and not self.without.get(name)]


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


def table_types() -> tuple[RecordType, ...]:
    """The tables' own types (no subsets), in declaration order."""
    return tuple(t for t in REGISTRY.values() if not t.base)


def stocks() -> frozenset[str]:
    """The countable types whose figure is a state at a day, not events in a month."""
    return frozenset(code for code, t in REGISTRY.items() if t.engine and t.stock)


def checked() -> frozenset[str]:
    """The countable types with a check of each record, which ``measure: every`` judges."""
    return frozenset(code for code, t in REGISTRY.items() if t.engine and t.checked)


def sheets() -> tuple[RecordType, ...]:
    """The types with a sheet of their own in the ledger workbook, in the workbook's order."""
    return tuple(sorted((t for t in table_types() if t.sheet), key=lambda t: t.sheet.order))


def imported_sheets() -> tuple[RecordType, ...]:
    """The sheets ``taizhang import`` reads back, in the order it writes them: the workbook's, with a
    type a column refers to (a donation's campaign, an adoption's submission) written before it."""
    readable = {t.code: t for t in sheets() if t.sheet.create}
    out: list[RecordType] = []

    def add(t: RecordType) -> None:
        if t in out:
            return
        for column in t.columns:
            if column.refers in readable and column.refers != t.code:
                add(readable[column.refers])
        out.append(t)

    for t in readable.values():
        add(t)
    return tuple(out)


def resolve(path: str | Callable[..., Any]) -> Any:
    """The object a dotted path names (``taizhang.risks.services.risk_point_create``); a callable is
    its own."""
    if callable(path):
        return path
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)
