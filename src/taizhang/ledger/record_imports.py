"""The ledger's other record types from a clerk's workbook: submissions, adoptions, articles, risk
points, channels, campaigns, donations, volunteer service and selections.

``imports`` reads activity sheets; this module reads every other sheet of the same file with the
same pieces (``read_tables``, ``parse_date``, the people by name, the header words kept as data in
``frameworks/import_aliases.yaml`` under ``records:``), one ``RecordImport`` per registry type saying
which service writes it and what each column is. A sheet is recognised by its name (the export's and
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
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, pgettext
from openpyxl.utils import get_column_letter
from simple_history.utils import update_change_reason

from taizhang.core.cells import typed_text
from taizhang.core.framework_file import frameworks_dir, read_framework
from taizhang.core.limits import Limits
from taizhang.core.money import MoneyError, parse_yuan
from taizhang.core.problems import Problems
from taizhang.core.registry import record_type
from taizhang.ledger import imports
from taizhang.ledger.imports import (
    ALIASES_FILE,
    HEADER_ROWS,
    NAME_SEPARATORS,
    REASON_LENGTH,
    ImportFileError,
    NoHeaderRowError,
    Table,
    _clean,
    _People,
    parse_date,
    read_tables,
)
from taizhang.org.models import Person, Unit

# -- what each record type's sheet holds ------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of a record type's sheet; ``kind`` says how its cells are read."""

    field: str  # the name in import_aliases.yaml; most are the create service's keyword too
    kind: str  # text date choice person people amount int lines unit campaign submission issue donor
    label: str  # how a message names it


@dataclass(frozen=True)
class RecordImport:
    code: str  # the registry's record type
    create: str  # "module.services.function" taking ``unit=`` and the columns' keywords
    columns: tuple[Column, ...]
    needs: tuple[str, ...]  # a header row naming these is this type's (when the sheet's name does not say)
    key: tuple[str, ...]  # two rows with these alike are the same record

    @property
    def type(self):
        return record_type(self.code)

    @property
    def model(self):
        return apps.get_model(self.type.model)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)


def _c(field_name: str, kind: str, label: str) -> Column:
    return Column(field_name, kind, label)


UNIT = _c("unit", "unit", "单位")
CAMPAIGN = _c("campaign", "campaign", "主题活动")

# In the order they are written: a donation names a campaign, an adoption a submission.
RECORD_IMPORTS: tuple[RecordImport, ...] = (
    RecordImport(
        "campaigns", "campaigns.services.campaign_create",
        (_c("start", "date", "开始日期"), _c("end", "date", "结束日期"), UNIT, _c("title", "text", "名称"),
         _c("theme", "text", "主题"), _c("description", "text", "说明")),
        needs=("start", "title"), key=("unit", "start", "title"),
    ),
    RecordImport(
        "submissions", "reporting.services.submission_create",
        (_c("date", "date", "报送日期"), UNIT, _c("kind", "choice", "类别"), _c("title", "text", "标题"),
         _c("author", "person", "报送人"), _c("target", "text", "报送刊物"), _c("text", "text", "正文")),
        needs=("date", "title", "author"), key=("unit", "date", "title"),
    ),
    RecordImport(
        "adoptions", "reporting.services.adoption_create",
        (_c("date", "date", "采用日期"), UNIT, _c("submission", "submission", "信息标题"),
         _c("level", "choice", "采用层级"), _c("issue", "issue", "刊物及期号"), _c("outlet", "text", "采用媒体")),
        needs=("date", "submission", "level"), key=("unit", "submission", "level", "date", "issue", "outlet"),
    ),
    RecordImport(
        "publicity_articles", "reporting.services.article_create",
        (_c("date", "date", "刊发日期"), UNIT, _c("title", "text", "标题"), _c("outlet", "text", "媒体"),
         _c("outlet_level", "choice", "媒体层级"), _c("author", "person", "作者"), _c("link", "text", "链接")),
        needs=("date", "title", "outlet"), key=("unit", "date", "title", "outlet"),
    ),
    RecordImport(
        "risk_points", "risks.services.risk_point_create",
        (_c("identified_on", "date", "识别日期"), UNIT, _c("title", "text", "风险点"), _c("level", "choice", "等级"),
         _c("measures", "text", "防范措施"), _c("owner", "person", "责任人"), _c("status", "choice", "状态"),
         _c("review_date", "date", "下次研判日期"), _c("closed_on", "date", "化解日期")),
        needs=("identified_on", "title", "owner"), key=("unit", "identified_on", "title"),
    ),
    RecordImport(
        "channels", "channels.services.channel_create",
        (_c("name", "text", "名称"), UNIT, _c("kind", "choice", "类型"), _c("administrator", "person", "管理员"),
         _c("members_count", "int", "成员数"), _c("opened_on", "date", "启用日期"),
         _c("registered_on", "date", "备案日期"), _c("last_reviewed_on", "date", "最近检查日期")),
        needs=("name", "kind", "administrator"), key=("unit", "kind", "name"),
    ),
    RecordImport(
        "donations", "campaigns.services.donation_create",
        (_c("date", "date", "日期"), UNIT, _c("donor_group", "choice", "捐赠方"), _c("donor", "donor", "捐赠人"),
         _c("kind", "choice", "类别"), _c("amount", "amount", "金额"), _c("item_name", "text", "物品"),
         _c("item_count", "int", "数量"), _c("item_unit", "text", "计量单位"), CAMPAIGN),
        needs=("date", "donor_group", "kind"),
        key=("unit", "date", "donor_group", "donor", "kind", "amount", "item_name", "item_count", "campaign"),
    ),
    RecordImport(
        "volunteer_activities", "campaigns.services.volunteer_activity_create",
        (_c("date", "date", "日期"), UNIT, _c("title", "text", "内容"), _c("place", "text", "地点"),
         _c("participants", "people", "参加人员"), _c("hours", "int", "时长"), CAMPAIGN),
        needs=("date", "title", "hours"), key=("unit", "date", "title"),
    ),
    RecordImport(
        "selections", "campaigns.services.selection_create",
        (_c("date", "date", "评选日期"), UNIT, _c("title", "text", "评选名称"), _c("winners", "lines", "获评人员"),
         CAMPAIGN),
        needs=("date", "title", "winners"), key=("unit", "date", "title"),
    ),
)  # fmt: skip
# The aliases file and the export (``RECORD_SHEETS``) name a sheet by its everyday name where it
# differs from the registry's code.
SECTIONS = {"publicity_articles": "articles"}
ISSUE = re.compile(r"^(?P<publication>.*?)(?:(?P<year>\d{4})年)?第(?P<no>\d+)期$")
WINNER_SEPARATORS = re.compile(r"[、；;\n]+")
# A service's error key → the column that carries it, where the two differ.
ERROR_COLUMNS = {"publication": "issue", "issue_no": "issue", "issue_year": "issue", "amount_fen": "amount"}


@dataclass(frozen=True)
class Words:
    """One record type's words: sheet names, headers and choice labels (all cleaned)."""

    sheets: frozenset[str]
    headers: dict[str, str]  # cleaned header → column field
    choices: dict[str, dict[str, str]]  # column field → cleaned word → code
    labels: dict[str, str]  # column field → "县级、市级…" for messages


def load_words() -> dict[str, Words]:
    data = read_framework(frameworks_dir() / ALIASES_FILE).get("records") or {}
    words = {}
    for spec in RECORD_IMPORTS:
        section = data.get(SECTIONS.get(spec.code, spec.code)) or {}
        headers = {
            _clean(word): name for name, aliases in (section.get("columns") or {}).items() for word in aliases
        }
        choices: dict[str, dict[str, str]] = {}
        labels: dict[str, str] = {}
        for column in spec.columns:
            if column.kind != "choice":
                continue
            model_choices = spec.model._meta.get_field(column.field).choices
            known = choices[column.field] = {}
            for code, aliases in ((section.get("choices") or {}).get(column.field) or {}).items():
                known.update({_clean(word): code for word in aliases})
            for code, label in model_choices:
                known[_clean(label)] = known[code.lower()] = code
            labels[column.field] = "、".join(str(label) for _, label in model_choices)
        sheets = frozenset(_clean(s) for s in section.get("sheets") or ())
        words[spec.code] = Words(sheets, headers, choices, labels)
    return words


# -- reading --------------------------------------------------------------------------------------


@dataclass
class PlannedRecord:
    """A row read and checked, ready for its create service; ``cells`` locate its fields."""

    spec: RecordImport
    source: str
    sheet: str
    number: int
    values: dict[str, Any]
    cells: dict[str, str]

    def key(self) -> tuple:
        return tuple(_key_value(self.values.get(name)) for name in self.spec.key)


def _required_choice(column: Column) -> bool:
    return column.kind == "choice" and column.field != "status"  # a risk point is open unless it says


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
        for spec in RECORD_IMPORTS:
            rows = self.records.get(spec.code)
            if rows:
                out.append((spec.type.name, len(rows), "条"))
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


def _recognise(
    table: Table, words: dict[str, Words]
) -> tuple[RecordImport, int, dict[str, int]] | str | None:
    """The sheet's type, header row and columns; a message when its name says a type its headers lack."""
    named = next((spec for spec in RECORD_IMPORTS if _clean(table.name) in words[spec.code].sheets), None)
    for number, values in table.rows:
        if named is not None:
            columns = _header(values, words[named.code])
            if set(named.needs) <= set(columns):
                return named, number, columns
        else:
            best = None
            for spec in RECORD_IMPORTS:
                columns = _header(values, words[spec.code])
                if set(spec.needs) <= set(columns) and (best is None or len(columns) > len(best[2])):
                    best = (spec, number, columns)
            if best:
                return best
        if number >= HEADER_ROWS:
            break
    if named is not None:
        needed = "".join(f"“{named.column(n).label}”" for n in named.needs)
        return gettext("%(name)s!A1: 前 %(rows)s 行内没有%(type)s的表头行（应有%(needed)s等列）") % {
            "name": table.name,
            "rows": HEADER_ROWS,
            "type": named.type.name,
            "needed": needed,
        }
    return None


class _Units:
    """Where a row goes by its 单位 cell: a unit under the one imported into, by name or code, goes
    there; blank, the unit's own name or another unit of the database (a ledger exported elsewhere
    and moved here) goes into the unit imported into; a name no unit has is refused."""

    def __init__(self, unit: Unit):
        self.unit = unit
        self.under: dict[str, Unit] = {}
        for sub in Unit.objects.filter(path__startswith=unit.path).order_by("-path"):
            self.under[sub.code] = self.under[sub.name] = sub
        self.under[unit.name] = self.under[unit.code] = unit
        self.known = set(Unit.objects.values_list("name", flat=True)) | set(
            Unit.objects.values_list("code", flat=True)
        )

    def find(self, word: str) -> Unit | str:
        if not word:
            return self.unit
        if word in self.under:
            return self.under[word]
        if word in self.known:
            return self.unit
        return gettext("没有名为“%(word)s”的单位") % {"word": word}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return typed_text(str(value))


def _read_cell(column: Column, value, words: Words, people: _People, units: _Units):
    """The cell's value as the service takes it, or ``_Problem``; None when blank."""
    text = _text(value)
    kind = column.kind
    if kind == "date":
        day = parse_date(value)
        return _Problem(day) if isinstance(day, str) else day
    if not text:
        return None
    if kind == "choice":
        code = words.choices[column.field].get(_clean(text)) or words.choices[column.field].get(text.lower())
        if code is None:
            return _Problem(
                gettext("未知的%(label)s“%(text)s”（应为%(labels)s之一）")
                % {"label": column.label, "text": text, "labels": words.labels[column.field]}
            )
        return code
    if kind == "person":
        found = people.find(text)
        return _Problem(found) if isinstance(found, str) else found
    if kind == "people":
        found = [people.find(name) for name in NAME_SEPARATORS.split(text) if name]
        wrong = [f for f in found if isinstance(f, str)]
        if wrong:
            return _Problem("；".join(wrong))
        if len({p.pk for p in found}) < len(found):
            return _Problem("同一人出现两次")
        return found
    if kind == "unit":
        found = units.find(text)
        return _Problem(found) if isinstance(found, str) else found
    if kind == "amount":
        try:
            return parse_yuan(Decimal(str(value)) if isinstance(value, int | float) else text)
        except MoneyError as exc:
            return _Problem(str(exc).rstrip("。"))
    if kind == "int":
        if isinstance(value, int | float) and float(value).is_integer() and value >= 0:
            return int(value)
        match = re.fullmatch(r"(\d+)\s*[^\d\s.]{0,3}", text)  # "12"、"12人"、"3小时"
        return (
            int(match[1])
            if match
            else _Problem(gettext("%(label)s“%(text)s”不是整数") % {"label": column.label, "text": text})
        )
    if kind == "lines":
        return "\n".join(typed_text(line) for line in WINNER_SEPARATORS.split(text) if line.strip())
    if kind == "issue":
        match = ISSUE.match(text)
        if match and match["publication"]:
            return (match["publication"], int(match["year"]) if match["year"] else None, int(match["no"]))
        return (text, None, None)
    return text  # text, donor, campaign, submission: read as written, looked up when written


@dataclass(frozen=True)
class _Problem:
    text: str


def _plan_sheet(
    table: Table, spec: RecordImport, columns: dict[str, int], context: dict
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
        for column in spec.columns:
            index = columns.get(column.field)
            cells_of[column] = values[index] if index is not None and index < len(values) else None
        if not any(_text(raw) for raw in cells_of.values()):
            continue  # a blank row (perhaps numbered or formatted ahead)
        wrong = False
        for column, raw in cells_of.items():
            value = _read_cell(column, raw, words, people, units)
            if value is None and column.kind in ("date", "person"):
                read[column.field] = None  # the service says whether it may be left blank
            elif value is None and (column.field in spec.needs or _required_choice(column)):
                value = _Problem(gettext("未填写%(label)s") % {"label": column.label})
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
                % {"where": where, "name": spec.type.name, "key": _key_words(spec)}
            )
        else:
            seen[key] = gettext("%(name)s 第 %(row_number)s 行") % {
                "name": table.name,
                "row_number": row_number,
            }
            planned.append(record)
    return planned, problems


def _naming_column(spec: RecordImport) -> str:
    """The column a duplicate is reported at: what names the record (its title), else its date."""
    named = (n for n in spec.key if spec.column(n).kind in ("text", "submission", "donor"))
    return next(named, spec.key[1])


def _key_words(spec: RecordImport) -> str:
    return "、".join(spec.column(name).label for name in spec.key if name != "unit")


def _existing(unit: Unit) -> Callable[[RecordImport], set[tuple]]:
    """The keys of the live records already in ``unit`` and under it, read once per type."""

    def keys(spec: RecordImport) -> set[tuple]:
        unit_field = spec.type.unit_field
        records = spec.model.objects.filter(**{f"{unit_field}__path__startswith": unit.path})
        out = set()
        for record in records.select_related(*_related(spec)):
            out.add(tuple(_key_value(_stored(record, spec, name)) for name in spec.key))
        return out

    return keys


def _related(spec: RecordImport) -> list[str]:
    names = {f.name for f in spec.model._meta.get_fields()}
    return [
        n
        for n in ("unit", "campaign", "donor", "submission", "submission__unit")
        if n.split("__")[0] in names
    ]


def _stored(record, spec: RecordImport, name: str):
    """A stored record's value of a column, in the form a row's key has it."""
    if name == "unit":
        return record.submission.unit if spec.code == "adoptions" else record.unit
    if name == "campaign":
        return record.campaign.title if record.campaign_id else None
    if name == "submission":
        return record.submission.title
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
    path: Path, unit: Unit, *, progress=None, display_name: str = "", limits: Limits | None = None
) -> WorkbookPlan:
    """Read and check every sheet of ``path`` for ``unit``: activities and the other record types
    (the file read under ``limits``: a command's unless the caller gives an upload's)."""
    path = Path(path)
    file_name = display_name or path.name
    recognised = True
    try:
        activities = imports.plan_import(path, unit, progress=progress, display_name=file_name, limits=limits)
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
    return plan


# -- writing --------------------------------------------------------------------------------------


def _service(spec: RecordImport) -> Callable[..., Any]:
    module, name = spec.create.rsplit(".", 1)
    return getattr(__import__(f"taizhang.{module}", fromlist=[name]), name)


def _campaign(unit: Unit, title: str):
    from taizhang.campaigns.models import Campaign

    found = [
        c
        for c in Campaign.objects.filter(title=title).select_related("unit")
        if unit.path.startswith(c.unit.path)
    ]
    if not found:
        return gettext("没有名为“%(title)s”的主题活动（可在同一工作簿的“主题活动”表中一并导入）") % {
            "title": title
        }
    nearest = max(len(c.unit.path) for c in found)  # the unit's own before an enclosing unit's
    found = [c for c in found if len(c.unit.path) == nearest]
    if len(found) > 1:
        return gettext("有 %(count)s 个名为“%(title)s”的主题活动，无法确定是哪一个") % {
            "count": len(found),
            "title": title,
        }
    return found[0]


def _submission(unit: Unit, title: str):
    from taizhang.reporting.models import Submission

    found = list(Submission.objects.filter(unit=unit, title=title))
    if not found:
        return gettext(
            "%(name)s没有标题为“%(title)s”的报送信息（可在同一工作簿的“报送信息”表中一并导入）"
        ) % {"name": unit.name, "title": title}
    if len(found) > 1:
        return gettext("%(name)s有 %(count)s 条标题为“%(title)s”的报送信息，无法确定是哪一条") % {
            "name": unit.name,
            "count": len(found),
            "title": title,
        }
    return found[0]


def _arguments(record: PlannedRecord, people: _People) -> dict[str, Any] | tuple[str, str]:
    """The create service's keywords, or (column, message) when a name cannot be looked up."""
    values = dict(record.values)
    unit = values.pop("unit")
    arguments: dict[str, Any] = {"unit": unit}
    for name, value in values.items():
        if name == "campaign":
            found = _campaign(unit, value)
            if isinstance(found, str):
                return name, found
            arguments[name] = found
        elif name == "submission":
            found = _submission(unit, value)
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


def apply(plan: WorkbookPlan, unit: Unit, *, write: bool) -> list[str]:
    """Write the plan's records through their services, and its activities, all in one transaction.

    Rows the services refuse add to ``plan.problems`` (each naming its cell). Nothing stays written
    unless ``write`` and no problem at all; returns the problems.
    """
    people = _People(unit)
    with transaction.atomic():
        for spec in RECORD_IMPORTS:
            create = _service(spec)
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
            imports.import_plan(plan.activities, unit)
    return plan.problems


def _first(record: PlannedRecord) -> str:
    """The row's leftmost recognised cell, for a problem no one column carries."""
    return next(iter(record.cells.values()), f"{record.sheet}!A{record.number}")


# -- the blank template ---------------------------------------------------------------------------


def template_choices() -> dict[str, dict[str, list[str]]]:
    """The template's sheets and drop-down lists (``documents.ledger_template``): per sheet, in order,
    per header, the words allowed."""
    from taizhang.documents.ledger_template import ACTIVITY_SHEET
    from taizhang.documents.ledger_xlsx import RECORD_SHEETS
    from taizhang.ledger.models import ActivityKind

    words = load_words()
    out = {
        ACTIVITY_SHEET: {
            "类型": list(ActivityKind.objects.order_by("order", "code").values_list("name", flat=True))
        }
    }
    for spec in RECORD_IMPORTS:  # every type the import reads, in the order it writes them
        sheet = SECTIONS.get(spec.code, spec.code)  # the export's sheet as RECORD_SHEETS names it
        lists = out[sheet] = {}
        for header, _, _ in RECORD_SHEETS[sheet][1]:
            name = words[spec.code].headers.get(_clean(header))
            column = next((c for c in spec.columns if c.field == name), None)
            if column is not None and column.kind == "choice":
                lists[header] = [str(label) for _, label in spec.model._meta.get_field(name).choices]
    return out
