"""A clerk's own activity sheets (.xlsx, .csv) into the ledger: read, check every row, then write.

Clerks keep their 台账 in workbooks of their own making: a merged title row or two above the
headers, columns in any order, headers in their own words, kinds by their Chinese names, dates
typed every which way and the attendees' names in one cell. The words are data
(``frameworks/import_aliases.yaml``), so a county's habits are added there, not here.

Reading is in two steps so that nothing is written unless everything can be: ``plan_import``
reads the file and checks every row, collecting each problem as ``sheet!cell: what is wrong``;
``import_plan`` writes a plan that has no problems, in one transaction
(``import_writes.activities_import``: in batches, the rollup rebuilt once). The ledger export's workbook
(``documents.workbook.build``: a sheet per kind, excused people in 备注) reads back the same way.

Where a record came from (file, sheet, row) is kept in its history entry's change reason
(``导入：file!sheet 第N行``, on the activity and on each attendance row): the history is where a
record's origin and changes are looked up, and it costs no column.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

from django.utils.translation import gettext
from openpyxl.utils import get_column_letter

from taizhang.core import collector
from taizhang.core.cells import typed_text
from taizhang.core.checks import check_date
from taizhang.core.framework_file import frameworks_dir, read_framework
from taizhang.core.limits import Limits
from taizhang.core.problems import Problems
from taizhang.ledger.activity_checks import AttendanceEntry, check_time_true
from taizhang.ledger.import_files import ImportFileError, Table, read_tables
from taizhang.ledger.import_words import (
    ALIASES_FILE,
    HEADER_ROWS,
    NAME_SEPARATORS,
    REASON_LENGTH,
    _clean,
    _People,
    parse_date,
)
from taizhang.ledger.models import Activity, ActivityKind, AttendanceStatus
from taizhang.org.models import Person, Unit


class BatchWriter(Protocol):
    """What the check asks of a writer beside it (``import_writes.ActivityWriter``, which imports
    this module: named by its shape here, so the two files make no circle)."""

    expected: int
    sent: int

    def write(self, batch: Sequence[PlannedActivity]) -> None: ...
    def wait(self) -> None: ...
    def stop(self) -> None: ...


EXCUSED = re.compile(r"^(?P<name>.+?)(?P<status>请假|缺席)(?:[（(](?P<reason>.*)[)）])?$")
STATUS_WORDS = {"请假": AttendanceStatus.LEAVE, "缺席": AttendanceStatus.ABSENT}


class NoHeaderRowError(ImportFileError):
    """The file reads, but no sheet of it is an activity ledger (other record types may be)."""


@dataclass(slots=True)
class PlannedActivity:
    """One row, checked, as ``activity_create`` takes it, with where it came from."""

    origin: tuple[str, str, int]  # file, sheet, row
    kind: ActivityKind
    date: date
    topic: str
    materials: str = ""
    host: Person | None = None
    recorder: Person | None = None
    location: str = ""
    minutes: str = ""
    attendance: list[AttendanceEntry] = field(default_factory=list)
    holiday_reason: str = ""

    @property
    def source(self) -> str:
        """``导入：file!sheet 第N行``, at most the change reason's length (made when asked: a
        million rows need not carry a million strings until they are written)."""
        file_name, sheet, number = self.origin
        source = f"导入：{file_name}!{sheet} 第{number}行"
        if len(source) > REASON_LENGTH:  # the file's name gives way first: sheet and row locate the record
            source = f"导入：…{source[len(source) - REASON_LENGTH + 4 :]}"
        return source


@dataclass
class Plan:
    """What an import would write, or why it will not: every problem, each naming its cell."""

    file: str
    activities: list[PlannedActivity] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)  # the first 200 in full, the rest counted
    skipped_sheets: list[str] = field(default_factory=list)
    readable: bool = False  # some sheet is an activity ledger

    @property
    def attendance_rows(self) -> int:
        return sum(len(a.attendance) for a in self.activities)


@dataclass(frozen=True)
class Vocabulary:
    headers: dict[str, str]  # cleaned header → field
    kinds: dict[str, ActivityKind]  # a kind's name, alias or code → kind

    @classmethod
    def load(cls) -> Vocabulary:
        data = read_framework(frameworks_dir() / ALIASES_FILE)
        headers = {_clean(word): column for column, words in data["columns"].items() for word in words}
        kinds: dict[str, ActivityKind] = {}
        by_code = {kind.code: kind for kind in ActivityKind.objects.all()}
        for code, words in (data.get("kinds") or {}).items():
            if code in by_code:
                kinds.update({_clean(word): by_code[code] for word in words})
        for kind in by_code.values():
            kinds[_clean(kind.name)] = kinds[kind.code.lower()] = kind
        return cls(headers, kinds)


# -- checking -------------------------------------------------------------------------------------


def _header_row(table: Table, vocabulary: Vocabulary) -> tuple[int, dict[str, int]] | None:
    """The first of the first rows naming a date and a topic column: its number and field columns."""
    for number, values in table.rows:
        columns: dict[str, int] = {}
        for index, value in enumerate(values):
            column = vocabulary.headers.get(_clean(value))
            if column and column not in columns:
                columns[column] = index
        if "date" in columns and "topic" in columns:
            return number, columns
        if number >= HEADER_ROWS:
            return None
    return None


def plan_import(
    path: Path,
    unit: Unit,
    *,
    progress: Callable[[int, int], None] | None = None,
    display_name: str = "",
    limits: Limits | None = None,
    writer: BatchWriter | None = None,
) -> Plan:
    """Read and check every row of ``path`` for ``unit``; the plan lists every problem found.

    ``progress(rows_done, rows_total)`` is called now and then on large files. With a ``writer``
    (``import_writes.ActivityWriter``, in the caller's transaction) the rows checked are written
    batch by batch while the rest are checked, until the first problem; the caller then writes the
    rest (``import_plan``) or, if there is any problem, rolls the transaction back.
    """
    path = Path(path)
    file_name = display_name or path.name
    plan = Plan(file=file_name)
    vocabulary = Vocabulary.load()
    people = _People(unit)
    existing = set(
        Activity.objects.filter(unit=unit).values_list("date", "kind_id", "topic")
    )  # a live activity of the same day, kind and topic is the same activity
    tables = read_tables(path, display_name=file_name, limits=limits)
    total = sum(t.size for t in tables)
    if progress:
        progress(0, total)
    dates = _Dates()
    if writer is not None:
        writer.expected = total
    try:
        # a million checked rows are a few million objects, kept until the end
        with collector.paused():
            _check_tables(
                tables, vocabulary, people, file_name, dates, plan, existing, progress, total, writer
            )
    except BaseException:
        if writer is not None:
            writer.stop()  # the caller's rollback undoes what it wrote
        raise
    if writer is not None:
        writer.wait()  # the connection is the caller's again (other sheets may be read next)
    if progress:
        progress(total, total)
    if not plan.readable:
        raise NoHeaderRowError(
            gettext(
                "“%(file_name)s”中没有可识别的表头行（前 %(rows)s 行内应有“日期”“主题”等列，"
                "且有“类型”列或以活动类型命名工作表）"
            )
            % {"file_name": file_name, "rows": HEADER_ROWS}
        )
    return plan


def _check_tables(
    tables, vocabulary, people, file_name, dates, plan, existing, progress, total, writer
) -> None:
    """``plan_import``'s loop: every row of every activity sheet checked into ``plan``, and handed to
    the ``writer`` a batch at a time while no problem has been found."""
    activities, problems = plan.activities, plan.problems
    seen: dict[tuple, int] = {}
    done = 0
    for table in tables:
        found = _header_row(table, vocabulary)
        sheet_kind = vocabulary.kinds.get(_clean(table.name))
        if found is None or ("kind" not in found[1] and sheet_kind is None):
            plan.skipped_sheets.append(table.name)
            continue
        plan.readable = True
        sheet = _Sheet(table.name, found[1], vocabulary, sheet_kind, people, file_name, dates)
        for number, values in table.rows:
            done += 1
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, total)
            if writer is not None and done % YIELD_EVERY == 0:
                time.sleep(0)  # the interpreter lock offered to the writing thread (see YIELD_EVERY)
            planned = _check_row(sheet, number, values, problems)
            if planned is None:
                continue
            key = (planned.date, planned.kind.pk, planned.topic)
            if key in seen:
                problems.append(
                    gettext("%(row_cell_topic)s: 与%(seen_key)s重复（日期、类型、主题相同）")
                    % {
                        "row_cell_topic": sheet.cell("topic", number),
                        "seen_key": gettext("第 %(number)s 行") % {"number": seen[key]},
                    }
                )
            elif key in existing:
                problems.append(
                    gettext(
                        "%(row_cell_topic)s: 台账中已有同日同类同主题的活动“%(planned_topic)s”（%(planned_date)s）"
                    )
                    % {
                        "row_cell_topic": sheet.cell("topic", number),
                        "planned_topic": planned.topic,
                        "planned_date": format(planned.date, "%Y-%m-%d"),
                    }
                )
            else:
                seen[key] = number
                activities.append(planned)
                if writer is not None and len(activities) - writer.sent >= WRITE_EVERY and not problems:
                    writer.write(activities[writer.sent :])


PROGRESS_EVERY = 1000  # rows between two calls of a plan's progress callback
# Rows checked between two offers of the interpreter lock to the writing thread: each time SQLite
# returns from a statement the writer needs the lock back, and the checking thread would otherwise
# hold it until the interpreter's switch interval (5 ms) forces a turn, a few thousand times an import.
YIELD_EVERY = 50
WRITE_EVERY = (
    20_000  # checked rows handed to the writer at a time: small enough that little is left at the end
)
_TEXT_FIELDS = (
    "kind", "topic", "materials", "host", "recorder", "location", "minutes", "attendees", "absentees", "remarks",
)  # fmt: skip
_REMARK_SEPARATORS = re.compile(r"[；;\n]+")
# A remark confirming a holiday activity (``activity_checks.check_time_true``): 节假日开展：国庆升旗仪式
HOLIDAY_REMARK = re.compile(r"^节假日(?:开展)?(?:说明)?\s*[:：]\s*(?P<reason>.+)$")


class _Dates:
    """``parse_date`` and the form's date rule (``core.checks.check_date``) once per distinct cell value:
    a year's ledger has a few hundred dates, a million rows repeat them."""

    def __init__(self):
        self.known: dict[tuple, tuple[date | None, str | None]] = {}

    def check(self, value) -> tuple[date | None, str | None]:
        key = (value.__class__, value)
        found = self.known.get(key)
        if found is None:
            day = parse_date(value)
            if isinstance(day, str):
                found = (None, day)
            else:
                errors: dict[str, str] = {}
                check_date(day, errors, "date", gettext("日期"))  # the rule a form obeys
                found = (day, errors["date"].rstrip("。")) if errors else (day, None)
            self.known[key] = found
        return found


class _Sheet:
    """What checking a sheet's rows needs, worked out once: which cell holds which field, the
    cells' names, and the kinds and people already looked up by the words written."""

    def __init__(self, name, columns, vocabulary, sheet_kind, people, file_name, dates):
        self.name, self.columns, self.vocabulary, self.sheet_kind = name, columns, vocabulary, sheet_kind
        self.people, self.file_name, self.dates = people, file_name, dates
        self.letters = {column: get_column_letter(index + 1) for column, index in columns.items()}
        self.index = {column: columns.get(column) for column in (*_TEXT_FIELDS, "date")}
        self.filled = [index for column, index in columns.items() if column != "ignored"]
        self.kinds: dict[str, ActivityKind | None] = {}
        self.present: dict[int, AttendanceEntry] = {}
        # a name only one person of the organisation bears: that person, and their key and entry
        # as an attendee (one shared entry per person: entries are frozen)
        self.unique: dict[str, Person] = {}
        self.attendee: dict[str, tuple[int, AttendanceEntry]] = {}
        for name, found in people.by_name.items():
            if len(found) == 1:
                entry = self.present[found[0].pk] = AttendanceEntry(found[0], AttendanceStatus.PRESENT)
                self.unique[name] = found[0]
                self.attendee[name] = (found[0].pk, entry)
        self.topic_limit = Activity._meta.get_field("topic").max_length
        self.confirm = gettext("在“备注”列写明“节假日开展：原因”")  # where a holiday's reason goes
        self.location_limit = Activity._meta.get_field("location").max_length

    def cell(self, column: str, number: int) -> str:
        return f"{self.name}!{self.letters.get(column, 'A')}{number}"

    def kind(self, written: str) -> ActivityKind | None:
        try:
            return self.kinds[written]
        except KeyError:
            kinds = self.vocabulary.kinds
            found = self.kinds[written] = kinds.get(_clean(written)) or kinds.get(written.lower())
            return found


def _text(values: tuple, index: int | None) -> str:
    if index is None or index >= len(values):
        return ""
    value = values[index]
    if value.__class__ is str:
        return typed_text(value)
    if value is None:
        return ""
    if value.__class__ is float and value.is_integer():  # calamine reads every number as a float
        value = int(value)
    return str(value).strip()


def _check_row(sheet: _Sheet, number: int, values: tuple, problems: Problems) -> PlannedActivity | None:
    """The row checked: what it would write, or None when it is blank or has problems (each added
    to ``problems`` as ``sheet!cell: what is wrong``, in the order of the row's fields)."""
    size = len(values)
    for index in sheet.filled:
        if index < size:
            value = values[index]
            if value is not None and (value.strip() if value.__class__ is str else str(value).strip()):
                break
    else:
        return None  # a blank row
    before = len(problems)
    index = sheet.index

    def problem(column: str, text: str) -> None:
        problems.append(f"{sheet.cell(column, number)}: {text}")

    kind = sheet.sheet_kind
    if index["kind"] is not None:
        written = _text(values, index["kind"])
        if written:
            kind = sheet.kind(written)
            if kind is None:
                problem("kind", gettext("未知的活动类型“%(written)s”") % {"written": written})
        elif kind is None:
            problem("kind", gettext("未填写活动类型"))
    date_index = index["date"]
    day, wrong = sheet.dates.check(values[date_index] if date_index < size else None)
    if wrong:
        problem("date", wrong)
    topic = _text(values, index["topic"])
    if not topic:
        problem("topic", gettext("未填写主题"))
    elif len(topic) > sheet.topic_limit:
        problem("topic", gettext("超过 %(limit)s 字") % {"limit": sheet.topic_limit})
    location = _text(values, index["location"])
    if len(location) > sheet.location_limit:
        problem("location", gettext("超过 %(limit)s 字") % {"limit": sheet.location_limit})
    people = sheet.people

    host = recorder = None
    name = _text(values, index["host"])
    if name:
        host = sheet.unique.get(name) or _person(people, name, "host", problem)
    name = _text(values, index["recorder"])
    if name:
        recorder = sheet.unique.get(name) or _person(people, name, "recorder", problem)
    attendance: dict[int, AttendanceEntry] = {}

    def attend(column: str, name: str, status: str, reason: str = "") -> None:
        found = people.find(name)
        if isinstance(found, str):
            problem(column, found)
        elif found.pk in attendance:
            problem(column, gettext("“%(name)s”在考勤中出现两次") % {"name": name})
        elif status == AttendanceStatus.PRESENT and not reason:
            attendance[found.pk] = sheet.present[found.pk]
        else:
            attendance[found.pk] = AttendanceEntry(person=found, status=status, reason=reason)

    attendees = _text(values, index["attendees"])
    if attendees:
        known = sheet.attendee
        for name in NAME_SEPARATORS.split(attendees):
            if name:
                found = known.get(name)
                if found is not None and found[0] not in attendance:
                    attendance[found[0]] = found[1]
                else:  # someone unknown, ambiguous or named twice: ``attend`` says which
                    attend("attendees", name, AttendanceStatus.PRESENT)
    remarks = ""
    holiday_reason = ""
    for column in ("absentees", "remarks"):
        written = _text(values, index[column])
        if not written:
            continue
        notes = []
        for entry in _REMARK_SEPARATORS.split(written):
            entry = entry.strip()
            match = EXCUSED.match(entry)
            holiday = HOLIDAY_REMARK.match(entry) if column == "remarks" else None
            if holiday:
                holiday_reason = holiday["reason"].strip()
            elif match and (column == "absentees" or match["name"] in people.by_name):
                attend(column, match["name"], STATUS_WORDS[match["status"]], (match["reason"] or "").strip())
            elif entry and column == "absentees":
                for name in NAME_SEPARATORS.split(entry):
                    if name:
                        attend(column, name, AttendanceStatus.ABSENT)
            elif entry:
                notes.append(entry)
        if column == "remarks" and notes:
            remarks = "；".join(notes)
    materials = _text(values, index["materials"])
    if day is not None and not wrong:
        # the rules of a record's time, as a form obeys them: each problem in its field's cell
        errors: dict[str, str] = {}
        check_time_true(
            day=day,
            topic=topic,
            materials=materials,
            host=host,
            attendance=attendance.values(),
            holiday_reason=holiday_reason,
            errors=errors,
            confirm=sheet.confirm,
        )
        for column, text in errors.items():
            problem(column, text.rstrip("。"))
    if len(problems) > before:
        return None
    minutes = _text(values, index["minutes"])
    if remarks:
        minutes = f"{minutes}\n备注：{remarks}" if minutes else f"备注：{remarks}"
    # (by position, in the order of the fields: a tenth of the keywords' cost on a million rows)
    return PlannedActivity(
        (sheet.file_name, sheet.name, number), kind, day, topic, materials, host, recorder, location,
        minutes, list(attendance.values()), holiday_reason,
    )  # fmt: skip


def _person(people: _People, name: str, column: str, problem: Callable[[str, str], None]) -> Person | None:
    """The one person of the organisation named ``name``, or None with the problem said."""
    found = people.find(name)
    if isinstance(found, str):
        problem(column, found)
        return None
    return found
