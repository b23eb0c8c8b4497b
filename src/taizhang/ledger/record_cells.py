"""How a record sheet is read, cell by cell: each record type's words (sheet names, headers, choice
labels: its declared columns and the aliases file's ``records:`` section), and a cell read by its
column's declared kind (a date, a choice, people, a unit, an amount …) into what its create
service takes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.utils.translation import gettext

from taizhang.core.cells import typed_text
from taizhang.core.framework_file import frameworks_dir, read_framework
from taizhang.core.money import MoneyError, parse_yuan
from taizhang.core.registry import Column, RecordType, imported_sheets
from taizhang.ledger.import_words import ALIASES_FILE, NAME_SEPARATORS, _clean, _People, parse_date
from taizhang.org.models import Unit


def _model(spec: RecordType):
    return apps.get_model(spec.model)


def _read(spec: RecordType) -> tuple[Column, ...]:
    """The columns of ``spec`` a sheet's row is read into."""
    return tuple(c for c in spec.columns if c.imported)


ISSUE = re.compile(r"^(?P<publication>.*?)(?:(?P<year>\d{4})年)?第(?P<no>\d+)期$")
WINNER_SEPARATORS = re.compile(r"[、；;\n]+")


@dataclass(frozen=True)
class Words:
    """One record type's words: sheet names, headers and choice labels (all cleaned)."""

    sheets: frozenset[str]
    headers: dict[str, str]  # cleaned header → column field
    choices: dict[str, dict[str, str]]  # column field → cleaned word → code
    labels: dict[str, str]  # column field → "县级、市级…" for messages


def load_words() -> dict[str, Words]:
    """Each type's words: the aliases file's section of its code (``records:``), its columns' own headers
    beside them."""
    data = read_framework(frameworks_dir() / ALIASES_FILE).get("records") or {}
    words = {}
    for spec in imported_sheets():
        section = data.get(spec.code) or {}
        headers = {_clean(c.header): c.field for c in _read(spec) if c.exported}
        headers.update(
            {
                _clean(word): name
                for name, aliases in (section.get("columns") or {}).items()
                for word in aliases
            }
        )
        choices: dict[str, dict[str, str]] = {}
        labels: dict[str, str] = {}
        for column in _read(spec):
            if column.read != "choice":
                continue
            model_choices = _model(spec)._meta.get_field(column.field).choices
            known = choices[column.field] = {}
            for code, aliases in ((section.get("choices") or {}).get(column.field) or {}).items():
                known.update({_clean(word): code for word in aliases})
            for code, label in model_choices:
                known[_clean(label)] = known[code.lower()] = code
            labels[column.field] = "、".join(str(label) for _, label in model_choices)
        sheets = frozenset(_clean(s) for s in section.get("sheets") or ())
        words[spec.code] = Words(sheets, headers, choices, labels)
    return words


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
    kind = column.read
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
                % {"label": column.message_label, "text": text, "labels": words.labels[column.field]}
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
            else _Problem(
                gettext("%(label)s“%(text)s”不是整数") % {"label": column.message_label, "text": text}
            )
        )
    if kind == "lines":
        return "\n".join(typed_text(line) for line in WINNER_SEPARATORS.split(text) if line.strip())
    if kind == "issue":
        match = ISSUE.match(text)
        if match and match["publication"]:
            return (match["publication"], int(match["year"]) if match["year"] else None, int(match["no"]))
        return (text, None, None)
    return text  # text, donor, record: read as written, looked up when written


@dataclass(frozen=True)
class _Problem:
    text: str
