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

import codecs
import csv
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.utils.translation import gettext
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from taizhang.core import uploads
from taizhang.core.cells import csv_unescaped, typed_text
from taizhang.core.framework_file import frameworks_dir, read_framework
from taizhang.core.limits import FileRefused, Limits, check_size, scan_workbook, sniff
from taizhang.core.problems import Problems
from taizhang.ledger import services
from taizhang.ledger.models import Activity, ActivityKind, AttendanceStatus
from taizhang.ledger.services import AttendanceEntry
from taizhang.org.models import Person, Unit
from taizhang.org.queries import organisation_of, organisation_people

ALIASES_FILE = "import_aliases.yaml"
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


class ImportFileError(FileRefused):
    """The file cannot be read as a sheet at all, or breaks a limit (one line for the clerk)."""


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

    @property
    def attendance_rows(self) -> int:
        return sum(len(a.attendance) for a in self.activities)


# -- reading a file into rows -----------------------------------------------------------------------


@dataclass
class Table:
    name: str
    rows: Iterator[tuple[int, Sequence]]  # (row number, cell values: a tuple or a list), numbered from 1
    size: int  # rows, as far as the file says (for a progress bar)


def read_tables(path: Path, *, display_name: str = "", limits: Limits | None = None) -> list[Table]:
    """The sheets of an .xlsx, or the one table of a .csv; ImportFileError when it is neither, or
    when it breaks a limit.

    The file is read in a child process under ``limits`` (a command's unless the caller says: the
    import page passes an upload's), which checks what the file declares before calamine or the
    CSV reader sees it (``core.limits.scan_workbook``) and sends the rows back as it reads them;
    messages name the file as ``display_name`` (the name the user gave it, not a temporary file's).
    """
    path = Path(path)
    name = display_name or path.name
    suffix = Path(name).suffix.lower() or path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        hint = gettext("（.xls 请先在 Excel 中另存为 .xlsx）") if suffix == ".xls" else ""
        raise ImportFileError(
            gettext("只能导入 .xlsx 或 .csv 文件，而不是“%(path_name)s”%(hint)s")
            % {"path_name": name, "hint": hint}
        )
    within = limits or uploads.limits(uploads.COMMAND)
    try:
        check_size(path.stat().st_size, name, within)
    except FileRefused as exc:
        raise ImportFileError(str(exc)) from None
    reader = _xlsx_items if suffix == ".xlsx" else _csv_items
    return _tables(_refused_as_import_error(uploads.stream(name, within, reader, str(path), name, within)))


def _refused_as_import_error(items: Iterator) -> Iterator:
    try:
        yield from items
    except ImportFileError:
        raise
    except FileRefused as exc:  # a limit, found while reading: the import's own kind of refusal
        raise ImportFileError(str(exc)) from None


def _tables(items: Iterator) -> list[Table]:
    """Tables whose rows come from ``items``: first ``("tables", [(name, size), …])``, then
    ``(table, number, values)`` table after table. Each table's rows are read in turn; rows of a
    table its reader left unread are skipped when the next table is read."""
    first = next(items, None)
    if first is None:
        return []
    listed = first[1]
    state = {"held": None}

    def rows(index: int) -> Iterator[tuple[int, Sequence]]:
        while True:
            item = state["held"] or next(items, None)
            state["held"] = None
            if item is None:
                return
            table, number, values = item
            if table < index:
                continue  # the rest of a table nobody read to its end
            if table > index:
                state["held"] = item
                return
            yield number, values

    return [Table(table_name, rows(index), size) for index, (table_name, size) in enumerate(listed)]


def _xlsx_items(path: str, name: str, limits: Limits) -> Iterator:
    """(In the child) the workbook checked sheet by sheet from its XML, then read by calamine."""
    sizes = {extent.name: extent.last_row for extent in scan_workbook(path, name, limits)}
    yield from _calamine_items(path, name, limits=limits, sizes=sizes)


def _calamine_items(
    path: str, name: str, *, limits: Limits | None = None, sizes: dict | None = None
) -> Iterator:
    """The workbook's sheets, read by python-calamine (Rust): a thirteenth of the CPU openpyxl's
    read-only mode takes on the benchmark's million-row workbook (bench/import.py measures both).
    Dates come as ``date``/``datetime`` and numbers as floats; ``parse_date`` and ``_text`` take both.
    Calamine allocates a sheet's whole rectangle: only a workbook ``scan_workbook`` passed may reach it."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(path)
        names = list(workbook.sheet_names)
    except Exception as exc:  # calamine's zip, XML and format errors on a damaged package
        raise ImportFileError(
            gettext("“%(path_name)s”不是有效的 Excel (.xlsx) 文件") % {"path_name": name}
        ) from exc
    yield ("tables", [(sheet_name, (sizes or {}).get(sheet_name, 0)) for sheet_name in names])
    longest = limits.cell_chars if limits else None
    for index, sheet_name in enumerate(names):
        try:
            sheet = workbook.get_sheet_by_name(sheet_name)  # parsed whole
            # rows are numbered from the sheet's first row, but columns from its first used column
            pad = [""] * (sheet.start[1] if sheet.start else 0)
            for number, values in enumerate(sheet.iter_rows(), start=1):
                if longest is not None:
                    _check_cells(values, longest, name, sheet_name, number, len(pad))
                yield index, number, pad + values if pad else values
        except (ImportFileError, FileRefused):
            raise
        except Exception as exc:  # a damaged sheet part inside a readable package
            raise ImportFileError(
                gettext("“%(path_name)s”的工作表“%(sheet_title)s”已损坏，无法读取")
                % {"path_name": name, "sheet_title": sheet_name}
            ) from exc


def _check_cells(values: list, longest: int, name: str, sheet: str, number: int, pad: int) -> None:
    for column, value in enumerate(values):
        if value.__class__ is str and len(value) > longest:
            raise ImportFileError(
                gettext(
                    "“%(name)s”的工作表“%(sheet)s”%(cell)s 有 %(length)s 个字符，超过 %(limit)s 个字符的上限"
                )
                % {
                    "name": name,
                    "sheet": sheet,
                    "cell": f"{get_column_letter(column + pad + 1)}{number}",
                    "length": f"{len(value):,}",
                    "limit": f"{longest:,}",
                }
            )


def _xlsx_tables(path: Path) -> list[Table]:
    """calamine's reading in this process, nothing checked (the benchmark's comparison of readers)."""
    return _tables(_calamine_items(str(path), Path(path).name))


def _openpyxl_tables(path: Path) -> list[Table]:
    """The same with openpyxl's read-only mode (kept for the benchmark's comparison)."""
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


XLSX_READERS = {"calamine": _xlsx_tables, "openpyxl": _openpyxl_tables}


def _csv_items(path: str, name: str, limits: Limits) -> Iterator:
    """(In the child) a CSV in UTF-8, or GBK as Excel in China saves it, read row by row from the
    file (never held whole as text) within the limits on rows, columns and cells."""
    with open(path, "rb") as handle:
        head = handle.read(8192)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ImportFileError(
            gettext(
                "“%(path_name)s”是 UTF-16 编码的文本（Excel 的“Unicode 文本”），请另存为“CSV UTF-8”后导入"
            )
            % {"path_name": name}
        )
    if b"\0" in head:
        what = sniff(head)
        raise ImportFileError(
            gettext("“%(path_name)s”不是 CSV 文本文件%(what)s")
            % {"path_name": name, "what": gettext("（它实际上是%(what)s）") % {"what": what} if what else ""}
        )
    encoding, lines, quoted = _csv_encoding(path, name)
    too_many = gettext("“%(path_name)s”有超过 %(limit)s 行，超过上限，请拆分后再导入") % {
        "path_name": name,
        "limit": f"{limits.rows:,}",
    }
    # More lines than rows allowed: too many rows, unless quoted cells span lines (then count them).
    if lines > limits.rows and (
        not quoted or sum(1 for _ in _csv_rows(path, encoding, name, limits)) > limits.rows
    ):
        raise ImportFileError(too_many)
    yield ("tables", [(Path(name).stem, lines)])
    for number, row in _csv_rows(path, encoding, name, limits):
        if number > limits.rows:
            raise ImportFileError(too_many)
        yield 0, number, row  # rows as lists


def _csv_encoding(path: str, name: str) -> tuple[str, int, bool]:
    """The file's encoding (UTF-8 with or without BOM, else GB18030), its lines, and whether it
    quotes anything: read a megabyte at a time, decoded and dropped."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        lines, quoted = 1, False
        try:
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    decoder.decode(chunk)
                    lines += chunk.count(b"\n")
                    quoted = quoted or b'"' in chunk
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines, quoted
    raise ImportFileError(gettext("“%(path_name)s”不是 UTF-8 或 GBK 编码的 CSV 文件") % {"path_name": name})


def _csv_rows(path: str, encoding: str, name: str, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    csv.field_size_limit(limits.cell_chars)  # (in the child: the parent's csv module is untouched)
    number = 0
    try:
        with open(path, encoding=encoding, newline="") as text:
            for number, row in enumerate(csv.reader(text), start=1):
                if len(row) > limits.columns:
                    raise ImportFileError(
                        gettext("“%(path_name)s”第 %(number)s 行有 %(count)s 列，超过 %(limit)s 列的上限")
                        % {
                            "path_name": name,
                            "number": number,
                            "count": f"{len(row):,}",
                            "limit": f"{limits.columns:,}",
                        }
                    )
                # each cell without the apostrophe our export (core.cells) put before a formula sign
                yield number, [csv_unescaped(cell) for cell in row]
    except csv.Error as exc:  # a field past field_size_limit, a NUL after the first 8 KB …
        raise ImportFileError(
            gettext(
                "“%(path_name)s”第 %(number)s 行无法读取：有单元格超过 %(limit)s 个字符，或含有不能出现在文本中的字符"
            )
            % {"path_name": name, "number": number + 1, "limit": f"{limits.cell_chars:,}"}
        ) from exc


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
        self.strangers: dict[str, str] = {}  # name → why it is nobody's

    def find(self, name: str) -> Person | str:
        found = self.by_name.get(name, [])
        if not found:
            if name in self.strangers:  # a file naming the same stranger row after row
                return self.strangers[name]
            if len(self.strangers) > 10_000:
                self.strangers.clear()
            message = self.strangers[name] = gettext("“%(name)s”不是%(organisation)s的人员") % {
                "name": name,
                "organisation": self.organisation,
            }
            return message
        if len(found) > 1:
            return gettext("%(organisation)s有 %(len_found)s 位“%(name)s”，无法确定是哪一位") % {
                "organisation": self.organisation,
                "len_found": len(found),
                "name": name,
            }
        return found[0]


def plan_import(
    path: Path,
    unit: Unit,
    *,
    progress: Callable[[int, int], None] | None = None,
    display_name: str = "",
    limits: Limits | None = None,
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
    seen: dict[tuple, int] = {}
    tables = read_tables(path, display_name=file_name, limits=limits)
    total = sum(t.size for t in tables)
    if progress:
        progress(0, total)
    done = 0
    readable = False
    dates = _Dates()
    activities, problems = plan.activities, plan.problems
    for table in tables:
        found = _header_row(table, vocabulary)
        sheet_kind = vocabulary.kinds.get(_clean(table.name))
        if found is None or ("kind" not in found[1] and sheet_kind is None):
            plan.skipped_sheets.append(table.name)
            continue
        readable = True
        sheet = _Sheet(table.name, found[1], vocabulary, sheet_kind, people, file_name, dates)
        for number, values in table.rows:
            done += 1
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, total)
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


PROGRESS_EVERY = 1000  # rows between two calls of a plan's progress callback
_TEXT_FIELDS = (
    "kind", "topic", "materials", "host", "recorder", "location", "minutes", "attendees", "absentees", "remarks",
)  # fmt: skip
_REMARK_SEPARATORS = re.compile(r"[；;\n]+")
# A remark confirming a holiday activity (``services.check_time_true``): 节假日开展：国庆升旗仪式
HOLIDAY_REMARK = re.compile(r"^节假日(?:开展)?(?:说明)?\s*[:：]\s*(?P<reason>.+)$")


class _Dates:
    """``parse_date`` and the form's date rule (``services.check_date``) once per distinct cell value:
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
                services.check_date(day, errors)  # the rule a form obeys
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

    def person(column: str) -> Person | None:
        name = _text(values, index[column])
        if not name:
            return None
        found = sheet.unique.get(name) or people.find(name)
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
        services.check_time_true(
            day=day,
            topic=topic,
            materials=materials,
            host=host,
            attendance=attendance.values(),
            holiday_reason=holiday_reason,
            errors=errors,
            confirm=gettext("在“备注”列写明“节假日开展：原因”"),
        )
        for column, text in errors.items():
            problem(column, text.rstrip("。"))
    if len(problems) > before:
        return None
    minutes = _text(values, index["minutes"])
    if remarks:
        minutes = f"{minutes}\n备注：{remarks}" if minutes else f"备注：{remarks}"
    return PlannedActivity(
        origin=(sheet.file_name, sheet.name, number),
        kind=kind,
        date=day,
        topic=topic,
        materials=materials,
        host=host,
        recorder=recorder,
        location=location,
        minutes=minutes,
        attendance=list(attendance.values()),
        holiday_reason=holiday_reason,
    )


# -- writing --------------------------------------------------------------------------------------


def import_plan(plan: Plan, unit: Unit, *, progress: Callable[[int, int], None] | None = None) -> int:
    """Write a plan with no problems, all or nothing (``services.activities_import``).

    ``progress(rows_written, rows_total)`` is called after each batch."""
    if plan.problems:
        raise ValueError("a plan with problems is not written")
    return services.activities_import(unit=unit, activities=plan.activities, progress=progress)
