"""The ledger's other record types from a clerk's workbook: submissions, adoptions, articles, risk
points, channels, campaigns, donations, volunteer service and selections.

``imports`` reads activity sheets; this module reads every other sheet of the same file with the
same pieces (``read_tables``, ``parse_date``, the people by name, the header words kept as data in
``frameworks/import_aliases.yaml`` under ``records:``, keyed by the declared columns). What each sheet
holds is its record type's declaration (``core.registry``: the type's ``sheet`` says which service
writes a row and which columns make a record's key; its ``columns`` how each cell is read), the same
declaration the ledger workbook is written from. A sheet is recognised by its name (the export's and
the template's names) or, failing that, by a header row naming the columns its type cannot do
without.

``plan_workbook`` reads a whole file: activity sheets through ``imports.plan_import``, the others
here, every problem as ``sheet!cell: what is wrong``. ``apply`` then writes the records through each
module's create service (so an import refuses what a form refuses, in the same words), inside one
transaction with the activities; any problem, or a dry run, rolls all of it back. Each record's
history entry carries where it came from (``导入：file!sheet 第N行``), as an imported activity's does.

Two sheets of the export are not read back: 发布稿件（三审） (an item is published through the three
reviews, whose trail a sheet cannot carry) and 学习体会 (a reflection's text is not in the sheet).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, pgettext
from openpyxl.utils import get_column_letter
from simple_history.utils import update_change_reason

from taizhang.core.limits import Limits
from taizhang.core.problems import Problems
from taizhang.core.registry import REGISTRY, Column, RecordType, imported_sheets, resolve
from taizhang.ledger import import_writes, imports
from taizhang.ledger.import_files import ImportFileError, Table, read_tables
from taizhang.ledger.import_words import HEADER_ROWS, REASON_LENGTH, _clean, _People
from taizhang.ledger.imports import NoHeaderRowError
from taizhang.ledger.record_cells import Words, _model, _Problem, _read, _read_cell, _text, _Units, load_words
from taizhang.org.models import Person, Unit

# A service's error key → the column that carries it, where the two differ.
ERROR_COLUMNS = {"publication": "issue", "issue_no": "issue", "issue_year": "issue", "amount_fen": "amount"}


# -- reading --------------------------------------------------------------------------------------


@dataclass
class PlannedRecord:
    """A row read and checked, ready for its create service; ``cells`` locate its fields."""

    spec: RecordType
    source: str
    sheet: str
    number: int
    values: dict[str, Any]
    cells: dict[str, str]

    def key(self) -> tuple:
        return tuple(_key_value(self.values.get(name)) for name in self.spec.sheet.key)


def _required_choice(column: Column) -> bool:
    return column.read == "choice" and column.field != "status"  # a risk point is open unless it says


def _key_value(value):
    if isinstance(value, Person):
        return value.name
    if isinstance(value, Unit):
        return value.pk
    if isinstance(value, list):
        return tuple(_key_value(v) for v in value)
    return value if value not in ("", None) else None


@dataclass
class WorkbookPlan:
    """What a workbook would write (activities and every other type) or why it will not."""

    file: str
    activities: imports.Plan
    records: dict[str, list[PlannedRecord]] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)  # the first 200 in full, the rest counted
    skipped_sheets: list[str] = field(default_factory=list)

    def counts(self) -> list[tuple[str, int, str]]:
        """(what, how many, measure word) for every type with rows to write, activities first."""
        out = []
        if self.activities.activities:
            out.append((gettext("活动"), len(self.activities.activities), "条"))
            out.append((gettext("考勤"), self.activities.attendance_rows, "条"))
        for spec in imported_sheets():
            rows = self.records.get(spec.code)
            if rows:
                out.append((spec.name, len(rows), "条"))
        return out

    def summary(self) -> str:
        # every measure word is 条 (records), which the message itself says
        parts = [
            gettext("%(count)s 条%(what)s") % {"count": n, "what": what}
            for what, n, _measure in self.counts()
        ]
        return pgettext("list separator", "、").join(parts) or gettext("0 条记录")


def _source(file_name: str, sheet: str, number: int) -> str:
    source = f"导入：{file_name}!{sheet} 第{number}行"
    if len(source) > REASON_LENGTH:  # the file's name gives way first, as an activity's does
        source = f"导入：…{source[len(source) - REASON_LENGTH + 4 :]}"
    return source


def _header(values: tuple, words: Words) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, value in enumerate(values):
        name = words.headers.get(_clean(value))
        if name and name not in columns:
            columns[name] = index
    return columns


def _recognise(table: Table, words: dict[str, Words]) -> tuple[RecordType, int, dict[str, int]] | str | None:
    """The sheet's type, header row and columns; a message when its name says a type its headers lack."""
    specs = [REGISTRY[code] for code in words]
    named = next((spec for spec in specs if _clean(table.name) in words[spec.code].sheets), None)
    for number, values in table.rows:
        if named is not None:
            columns = _header(values, words[named.code])
            if set(named.sheet.needs) <= set(columns):
                return named, number, columns
        else:
            best = None
            for spec in specs:
                columns = _header(values, words[spec.code])
                if set(spec.sheet.needs) <= set(columns) and (best is None or len(columns) > len(best[2])):
                    best = (spec, number, columns)
            if best:
                return best
        if number >= HEADER_ROWS:
            break
    if named is not None:
        needed = "".join(f"“{named.column(n).message_label}”" for n in named.sheet.needs)
        return gettext("%(name)s!A1: 前 %(rows)s 行内没有%(type)s的表头行（应有%(needed)s等列）") % {
            "name": table.name,
            "rows": HEADER_ROWS,
            "type": named.name,
            "needed": needed,
        }
    return None


def _plan_sheet(
    table: Table, spec: RecordType, columns: dict[str, int], context: dict
) -> tuple[list[PlannedRecord], list[str]]:
    words, people, units = context["words"][spec.code], context["people"], context["units"]
    planned, problems = [], context["problems"]  # the workbook's: bounded, shared by every sheet
    seen: dict[tuple, str] = context["seen"].setdefault(spec.code, {})
    existing: set[tuple] = context["existing"](spec)
    first = min(columns.values())

    def cell(name: str, row: int) -> str:
        return f"{table.name}!{get_column_letter(columns.get(name, first) + 1)}{row}"

    for row_number, values in table.rows:
        cells = {name: cell(name, row_number) for name in columns}
        read: dict[str, Any] = {}
        cells_of = {}
        for column in _read(spec):
            index = columns.get(column.field)
            cells_of[column] = values[index] if index is not None and index < len(values) else None
        if not any(_text(raw) for raw in cells_of.values()):
            continue  # a blank row (perhaps numbered or formatted ahead)
        wrong = False
        for column, raw in cells_of.items():
            value = _read_cell(column, raw, words, people, units)
            if value is None and column.read in ("date", "person"):
                read[column.field] = None  # the service says whether it may be left blank
            elif value is None and (column.field in spec.sheet.needs or _required_choice(column)):
                value = _Problem(gettext("未填写%(label)s") % {"label": column.message_label})
            if isinstance(value, _Problem):
                problems.append(f"{cell(column.field, row_number)}: {value.text}")
                wrong = True
            elif value is not None:
                read[column.field] = value
        if wrong:
            continue
        read.setdefault("unit", units.unit)
        issue = read.get("issue")
        if issue and issue[2] and not issue[1] and read.get("date"):  # "第27期" is of the adoption's year
            read["issue"] = (issue[0], read["date"].year, issue[2])
        record = PlannedRecord(
            spec, _source(context["file"], table.name, row_number), table.name, row_number, read, cells
        )
        key = record.key()
        where = cell(_naming_column(spec), row_number)
        if key in seen:
            problems.append(
                gettext("%(where)s: 与%(seen)s重复（%(key)s相同）")
                % {"where": where, "seen": seen[key], "key": _key_words(spec)}
            )
        elif key in existing:
            problems.append(
                gettext("%(where)s: 台账中已有相同的%(name)s（%(key)s相同）")
                % {"where": where, "name": spec.name, "key": _key_words(spec)}
            )
        else:
            seen[key] = gettext("%(name)s 第 %(row_number)s 行") % {
                "name": table.name,
                "row_number": row_number,
            }
            planned.append(record)
    return planned, problems


def _naming_column(spec: RecordType) -> str:
    """The column a duplicate is reported at: what names the record (its title), else its date."""
    named = (n for n in spec.sheet.key if spec.column(n).read in ("text", "record", "donor"))
    return next(named, spec.sheet.key[1])


def _key_words(spec: RecordType) -> str:
    return "、".join(spec.column(name).message_label for name in spec.sheet.key if name != "unit")


def _existing(unit: Unit) -> Callable[[RecordType], set[tuple]]:
    """The keys of the live records already in ``unit`` and under it, read once per type."""

    def keys(spec: RecordType) -> set[tuple]:
        records = _model(spec).objects.filter(**{f"{spec.unit_field}__path__startswith": unit.path})
        out = set()
        for record in records.select_related(*_related(spec)):
            out.add(tuple(_key_value(_stored(record, spec, name)) for name in spec.sheet.key))
        return out

    return keys


def _related(spec: RecordType) -> list[str]:
    names = {f.name for f in _model(spec)._meta.get_fields()}
    return [
        n
        for n in ("unit", "campaign", "donor", "submission", "submission__unit")
        if n.split("__")[0] in names
    ]


def _stored(record, spec: RecordType, name: str):
    """A stored record's value of a column, in the form a row's key has it."""
    if name == "unit":
        for part in spec.unit_field.split("__"):
            record = getattr(record, part)
        return record
    column = spec.column(name)
    if column.read == "record":  # the record it names, by its title
        named = getattr(record, name)
        return getattr(named, REGISTRY[column.refers].title_field) if named is not None else None
    if name == "donor":
        return record.donor_name or (record.donor.name if record.donor_id else None)
    if name == "amount":
        return record.amount_fen if record.kind != "items" else None
    if name == "issue":
        if record.publication and record.issue_no:
            return (record.publication, record.issue_year, record.issue_no)
        return (record.publication, None, None) if record.publication else None
    return getattr(record, name)


def plan_workbook(
    path: Path,
    unit: Unit,
    *,
    progress=None,
    display_name: str = "",
    limits: Limits | None = None,
    writer: import_writes.ActivityWriter | None = None,
) -> WorkbookPlan:
    """Read and check every sheet of ``path`` for ``unit``: activities and the other record types
    (the file read under ``limits``: a command's unless the caller gives an upload's). With a
    ``writer`` the activities checked are written meanwhile (``imports.plan_import``): the caller's
    transaction is then rolled back unless ``apply`` writes the rest."""
    path = Path(path)
    file_name = display_name or path.name
    recognised = True
    try:
        activities = imports.plan_import(
            path, unit, progress=progress, display_name=file_name, limits=limits, writer=writer
        )
    except NoHeaderRowError:
        recognised = False  # not an activity in it: perhaps the other types
        activities = imports.Plan(file=file_name)
    plan = WorkbookPlan(file=file_name, activities=activities, problems=activities.problems)
    context = {
        "file": file_name,
        "words": load_words(),
        "people": _People(unit),
        "units": _Units(unit),
        "seen": {},
        "existing": functools.cache(_existing(unit)),
        "problems": plan.problems,
    }
    # Read again only when some sheet is left: an activity ledger of a million rows is not read twice.
    tables = (
        read_tables(path, display_name=file_name, limits=limits)
        if activities.skipped_sheets or not recognised
        else []
    )
    left = set(activities.skipped_sheets) if recognised else {t.name for t in tables}
    for table in tables:
        if table.name not in left:
            continue
        found = _recognise(table, context["words"])
        if found is None:
            plan.skipped_sheets.append(table.name)
            continue
        recognised = True
        if isinstance(found, str):
            plan.problems.append(found)
            continue
        spec, _, columns = found
        rows, _ = _plan_sheet(table, spec, columns, context)  # its problems went to plan.problems
        plan.records.setdefault(spec.code, []).extend(rows)
    if not recognised:
        raise ImportFileError(
            gettext(
                "“%(file_name)s”中没有可识别的表头行（前 %(rows)s 行内应有表头：活动台账有“日期”“主题”“类型”等列，其他台账如捐赠有“日期”“捐赠方”“类别”等列；可用 taizhang template ledger 生成模板）"
            )
            % {"file_name": file_name, "rows": HEADER_ROWS}
        )
    if not plan.problems and not plan.counts():  # headers and nothing under them: say so, write nothing
        raise ImportFileError(
            gettext("“%(file_name)s”的表头之下没有数据行，没有可导入的记录") % {"file_name": file_name}
        )
    return plan


# -- writing --------------------------------------------------------------------------------------


def _arguments(record: PlannedRecord, people: _People) -> dict[str, Any] | tuple[str, str]:
    """The create service's keywords, or (column, message) when a name cannot be looked up."""
    values = dict(record.values)
    unit = values.pop("unit")
    arguments: dict[str, Any] = {"unit": unit}
    for name, value in values.items():
        column = record.spec.column(name)
        if column.read == "record":  # the record of another type it names, in this unit or above
            found = resolve(REGISTRY[column.refers].sheet.lookup)(unit, value)
            if isinstance(found, str):
                return name, found
            arguments[name] = found
        elif name == "issue":
            arguments["publication"], year, number = value
            if number is not None:
                arguments["issue_year"], arguments["issue_no"] = year, number
        elif name == "amount":
            arguments["amount_fen"] = value
        elif name == "donor":
            candidates = people.by_name.get(value, [])
            if values.get("donor_group") in ("staff", "members", "person") and len(candidates) == 1:
                arguments["donor"] = candidates[0]
            else:
                arguments["donor_name"] = value
        else:
            arguments[name] = value
    return arguments


def apply(
    plan: WorkbookPlan, unit: Unit, *, write: bool, writer: import_writes.ActivityWriter | None = None
) -> list[str]:
    """Write the plan's records through their services, and its activities, all in one transaction.

    Rows the services refuse add to ``plan.problems`` (each naming its cell). Nothing stays written
    unless ``write`` and no problem at all; returns the problems. The ``writer`` given to
    ``plan_workbook`` writes the activities it has not written yet; on a problem the caller rolls
    back what it wrote while checking.
    """
    people = _People(unit)
    with transaction.atomic():
        for spec in imported_sheets():
            create = resolve(spec.sheet.create)
            for record in plan.records.get(spec.code, ()):
                arguments = _arguments(record, people)
                if isinstance(arguments, tuple):
                    plan.problems.append(
                        f"{record.cells.get(arguments[0]) or _first(record)}: {arguments[1]}"
                    )
                    continue
                try:
                    with transaction.atomic():
                        created = create(**arguments)
                except ValidationError as exc:
                    for key, messages in exc.message_dict.items():
                        column = ERROR_COLUMNS.get(key, key)
                        where = record.cells.get(column) or _first(record)
                        for message in messages:
                            plan.problems.append(f"{where}: {message.rstrip('。')}")
                    continue
                update_change_reason(created, record.source)
        if plan.problems or not write:
            transaction.set_rollback(True)
            return plan.problems
        if plan.activities.activities:
            import_writes.import_plan(plan.activities, unit, writer=writer)
    return plan.problems


def _first(record: PlannedRecord) -> str:
    """The row's leftmost recognised cell, for a problem no one column carries."""
    return next(iter(record.cells.values()), f"{record.sheet}!A{record.number}")
