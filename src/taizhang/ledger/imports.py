"""A clerk's own activity sheets (.xlsx, .csv) into the ledger: read, check every row, then write.

Clerks keep their 台账 in workbooks of their own making: a merged title row or two above the
headers, columns in any order, headers in their own words, kinds by their Chinese names, dates
typed every which way and the attendees' names in one cell. The words are data
(``frameworks/import_aliases.yaml``), so a county's habits are added there, not here.

Reading is in two steps so that nothing is written unless everything can be: ``plan_import``
reads the file and checks every row, collecting each problem as ``sheet!cell: what is wrong``;
``import_plan`` writes a plan that has no problems, in one transaction
(``services.activities_import``: in batches, the rollup rebuilt once). The ledger export's workbook
(``documents.ledger_xlsx``: a sheet per kind, excused people in 备注) reads back the same way.

Where a record came from (file, sheet, row) is kept in its history entry's change reason
(``导入：file!sheet 第N行``, on the activity and on each attendance row): the history is where a
record's origin and changes are looked up, and it costs no column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.utils.translation import gettext
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from taizhang.core.framework_file import frameworks_dir, read_framework
from taizhang.ledger import services
from taizhang.ledger.models import Activity, ActivityKind, AttendanceStatus
from taizhang.ledger.services import AttendanceEntry
from taizhang.org.models import Person, Unit
from taizhang.org.queries import organisation_of, organisation_people

ALIASES_FILE = "import_aliases.yaml"
MAX_BYTES = 200 * 1024 * 1024  # a ledger larger than this is not a clerk's sheet
HEADER_ROWS = 10  # the header row is looked for among a sheet's first rows
REASON_LENGTH = 100  # simple_history's change reason column
NAME_SEPARATORS = re.compile(r"[、，,；;\s]+")
EXCUSED = re.compile(r"^(?P<name>.+?)(?P<status>请假|缺席)(?:[（(](?P<reason>.*)[)）])?$")
STATUS_WORDS = {"请假": AttendanceStatus.LEAVE, "缺席": AttendanceStatus.ABSENT}
DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


class ImportFileError(Exception):
    """The file cannot be read as a sheet at all (one line for the clerk)."""


class NoHeaderRowError(ImportFileError):
    """The file reads, but no sheet of it is an activity ledger (other record types may be)."""


@dataclass
class PlannedActivity:
    """One row, checked, as ``activity_create`` takes it, with where it came from."""

    source: str
    kind: ActivityKind
    date: date
    topic: str
    materials: str = ""
    host: Person | None = None
    recorder: Person | None = None
    location: str = ""
    minutes: str = ""
    attendance: list[AttendanceEntry] = field(default_factory=list)


@dataclass
class Plan:
    """What an import would write, or why it will not: every problem, each naming its cell."""

    file: str
    activities: list[PlannedActivity] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped_sheets: list[str] = field(default_factory=list)

    @property
    def attendance_rows(self) -> int:
        return sum(len(a.attendance) for a in self.activities)


# -- reading a file into rows -----------------------------------------------------------------------


@dataclass
class Table:
    name: str
    rows: Iterator[tuple[int, tuple]]  # (row number, cell values), row numbers from 1
    size: int  # rows, as far as the file says (for a progress bar)


def read_tables(path: Path) -> list[Table]:
    """The sheets of an .xlsx, or the one table of a .csv; ImportFileError when it is neither."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        hint = gettext("（.xls 请先在 Excel 中另存为 .xlsx）") if suffix == ".xls" else ""
        raise ImportFileError(
            gettext("只能导入 .xlsx 或 .csv 文件，而不是“%(path_name)s”%(hint)s")
            % {"path_name": path.name, "hint": hint}
        )
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ImportFileError(
            gettext("“%(path_name)s”有 %(size_1024_1024)s MB，超过 200 MB 的上限，请拆分后导入")
            % {"path_name": path.name, "size_1024_1024": size // 1024 // 1024}
        )
    return _xlsx_tables(path) if suffix == ".xlsx" else [_csv_table(path)]


def _xlsx_tables(path: Path) -> list[Table]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile's, openpyxl's and the XML parser's errors on a damaged package
        raise ImportFileError(
            gettext("“%(path_name)s”不是有效的 Excel (.xlsx) 文件") % {"path_name": path.name}
        ) from exc

    def rows(sheet) -> Iterator[tuple[int, tuple]]:
        try:
            yield from enumerate(sheet.iter_rows(values_only=True), start=1)
        except Exception as exc:  # a damaged sheet part inside a readable package
            raise ImportFileError(
                gettext("“%(path_name)s”的工作表“%(sheet_title)s”已损坏，无法读取")
                % {"path_name": path.name, "sheet_title": sheet.title}
            ) from exc

    return [Table(sheet.title, rows(sheet), sheet.max_row or 0) for sheet in workbook.worksheets]


def _csv_table(path: Path) -> Table:
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        raise ImportFileError(gettext("“%(path_name)s”不是 CSV 文本文件") % {"path_name": path.name})
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(
            gettext("“%(path_name)s”不是 UTF-8 或 GBK 编码的 CSV 文件") % {"path_name": path.name}
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    return Table(path.stem, ((n, tuple(r)) for n, r in enumerate(reader, start=1)), text.count("\n") + 1)


# -- the words ------------------------------------------------------------------------------------


def _clean(text) -> str:
    return re.sub(r"[\s　（）()：:*]", "", str(text or ""))


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


def parse_date(value) -> date | str | None:
    """A date from an Excel date or one of the ways clerks type one; a message when it is none."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and 10000 < value < 100000:  # a date cell without a date format
        return from_excel(value).date()
    text = str(value or "").strip()
    if not text:
        return None
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                return gettext("日期“%(text)s”不存在") % {"text": text}
    return gettext("无法识别日期“%(text)s”（应如 2020-03-05、2020.3.5、2020/3/5 或 2020年3月5日）") % {
        "text": text
    }


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


class _People:
    """The organisation's people by name; a name two people share cannot be told apart."""

    def __init__(self, unit: Unit):
        self.by_name: dict[str, list[Person]] = {}
        for person in organisation_people(unit):
            self.by_name.setdefault(person.name, []).append(person)
        self.organisation = organisation_of(unit).name

    def find(self, name: str) -> Person | str:
        found = self.by_name.get(name, [])
        if not found:
            return gettext("“%(name)s”不是%(organisation)s的人员") % {
                "name": name,
                "organisation": self.organisation,
            }
        if len(found) > 1:
            return gettext("%(organisation)s有 %(len_found)s 位“%(name)s”，无法确定是哪一位") % {
                "organisation": self.organisation,
                "len_found": len(found),
                "name": name,
            }
        return found[0]


def plan_import(
    path: Path, unit: Unit, *, progress: Callable[[int, int], None] | None = None, display_name: str = ""
) -> Plan:
    """Read and check every row of ``path`` for ``unit``; the plan lists every problem found.

    ``progress(rows_done, rows_total)`` is called now and then on large files.
    """
    path = Path(path)
    file_name = display_name or path.name
    plan = Plan(file=file_name)
    vocabulary = Vocabulary.load()
    people = _People(unit)
    existing = set(
        Activity.objects.filter(unit=unit).values_list("date", "kind_id", "topic")
    )  # a live activity of the same day, kind and topic is the same activity
    seen: dict[tuple, str] = {}
    tables = read_tables(path)
    total = sum(t.size for t in tables)
    done = 0
    readable = False
    for table in tables:
        found = _header_row(table, vocabulary)
        sheet_kind = vocabulary.kinds.get(_clean(table.name))
        if found is None or ("kind" not in found[1] and sheet_kind is None):
            plan.skipped_sheets.append(table.name)
            continue
        readable = True
        columns = found[1]
        for number, values in table.rows:
            done += 1
            if progress and done % 1000 == 0:
                progress(done, total)
            row = _Row(table.name, number, values, columns)
            if row.blank():
                continue
            planned = _check_row(row, vocabulary, sheet_kind, people, file_name, plan.problems)
            if planned is None:
                continue
            key = (planned.date, planned.kind.pk, planned.topic)
            if key in seen:
                plan.problems.append(
                    gettext("%(row_cell_topic)s: 与%(seen_key)s重复（日期、类型、主题相同）")
                    % {"row_cell_topic": row.cell("topic"), "seen_key": seen[key]}
                )
            elif key in existing:
                plan.problems.append(
                    gettext(
                        "%(row_cell_topic)s: 台账中已有同日同类同主题的活动“%(planned_topic)s”（%(planned_date)s）"
                    )
                    % {
                        "row_cell_topic": row.cell("topic"),
                        "planned_topic": planned.topic,
                        "planned_date": format(planned.date, "%Y-%m-%d"),
                    }
                )
            else:
                seen[key] = gettext("第 %(number)s 行") % {"number": number}
                plan.activities.append(planned)
    if progress:
        progress(total, total)
    if not readable:
        raise NoHeaderRowError(
            gettext(
                "“%(file_name)s”中没有可识别的表头行（前 %(rows)s 行内应有“日期”“主题”等列，"
                "且有“类型”列或以活动类型命名工作表）"
            )
            % {"file_name": file_name, "rows": HEADER_ROWS}
        )
    return plan


class _Row:
    def __init__(self, sheet: str, number: int, values: tuple, columns: dict[str, int]):
        self.sheet, self.number, self.values, self.columns = sheet, number, values, columns

    def raw(self, column: str):
        index = self.columns.get(column)
        if index is None or index >= len(self.values):
            return None
        return self.values[index]

    def text(self, column: str) -> str:
        value = self.raw(column)
        return "" if value is None else str(value).strip()

    def cell(self, column: str) -> str:
        index = self.columns.get(column, 0)
        return f"{self.sheet}!{get_column_letter(index + 1)}{self.number}"

    def blank(self) -> bool:
        return all(self.text(c) == "" for c in self.columns if c != "ignored")


def _check_row(
    row: _Row, vocabulary, sheet_kind, people: _People, file_name, problems
) -> PlannedActivity | None:
    before = len(problems)

    def problem(column: str, text: str) -> None:
        problems.append(f"{row.cell(column)}: {text}")

    kind = sheet_kind
    if "kind" in row.columns:
        written = row.text("kind")
        if written:
            kind = vocabulary.kinds.get(_clean(written)) or vocabulary.kinds.get(written.lower())
            if kind is None:
                problem("kind", gettext("未知的活动类型“%(written)s”") % {"written": written})
        elif sheet_kind is None:
            problem("kind", gettext("未填写活动类型"))
    day = parse_date(row.raw("date"))
    if isinstance(day, str):
        problem("date", day)
    else:
        errors: dict[str, str] = {}
        services.check_date(day, errors)  # the rule a form obeys
        if errors:
            problem("date", errors["date"].rstrip("。"))
    topic = row.text("topic")
    if not topic:
        problem("topic", "未填写主题")
    for column in ("topic", "location"):
        limit = Activity._meta.get_field(column).max_length
        if len(row.text(column)) > limit:
            problem(column, gettext("超过 %(limit)s 字") % {"limit": limit})

    def person(column: str) -> Person | None:
        name = row.text(column)
        if not name:
            return None
        found = people.find(name)
        if isinstance(found, str):
            problem(column, found)
            return None
        return found

    host, recorder = person("host"), person("recorder")
    attendance: dict[int, AttendanceEntry] = {}

    def attend(column: str, name: str, status: str, reason: str = "") -> None:
        found = people.find(name)
        if isinstance(found, str):
            problem(column, found)
        elif found.pk in attendance:
            problem(column, gettext("“%(name)s”在考勤中出现两次") % {"name": name})
        else:
            attendance[found.pk] = AttendanceEntry(person=found, status=status, reason=reason)

    for name in NAME_SEPARATORS.split(row.text("attendees")):
        if name:
            attend("attendees", name, AttendanceStatus.PRESENT)
    for column in ("absentees", "remarks"):
        notes = []
        for entry in re.split(r"[；;\n]+", row.text(column)):
            entry = entry.strip()
            match = EXCUSED.match(entry)
            if match and (column == "absentees" or match["name"] in people.by_name):
                attend(column, match["name"], STATUS_WORDS[match["status"]], (match["reason"] or "").strip())
            elif entry and column == "absentees":
                for name in NAME_SEPARATORS.split(entry):
                    if name:
                        attend(column, name, AttendanceStatus.ABSENT)
            elif entry:
                notes.append(entry)
        if column == "remarks" and notes:
            row.remarks = "；".join(notes)
    if len(problems) > before:
        return None
    source = f"导入：{file_name}!{row.sheet} 第{row.number}行"
    if len(source) > REASON_LENGTH:  # the file's name gives way first: sheet and row locate the record
        source = f"导入：…{source[len(source) - REASON_LENGTH + 4 :]}"
    minutes = row.text("minutes")
    remarks = getattr(row, "remarks", "")
    return PlannedActivity(
        source=source,
        kind=kind,
        date=day,
        topic=topic,
        materials=row.text("materials"),
        host=host,
        recorder=recorder,
        location=row.text("location"),
        minutes=f"{minutes}\n备注：{remarks}"
        if remarks and minutes
        else minutes or (remarks and f"备注：{remarks}"),
        attendance=list(attendance.values()),
    )


# -- writing --------------------------------------------------------------------------------------


def import_plan(plan: Plan, unit: Unit) -> int:
    """Write a plan with no problems, all or nothing (``services.activities_import``)."""
    if plan.problems:
        raise ValueError("a plan with problems is not written")
    return services.activities_import(unit=unit, activities=plan.activities)
