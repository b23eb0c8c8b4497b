"""The words both imports read a clerk's sheet with: the aliases file, where a header row is looked
for, names and dates as clerks write them, and the people of the organisation by name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

from django.utils.translation import gettext
from openpyxl.utils.datetime import from_excel

from taizhang.org.models import Person, Unit
from taizhang.org.queries import organisation_of, organisation_people

ALIASES_FILE = "import_aliases.yaml"
HEADER_ROWS = 10  # the header row is looked for among a sheet's first rows
REASON_LENGTH = 100  # simple_history's change reason column
NAME_SEPARATORS = re.compile(r"[、，,；;\s]+")


DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def _clean(text) -> str:
    return re.sub(r"[\s　（）()：:*]", "", str(text or ""))


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


T = TypeVar("T")


class _People:
    """The organisation's people by name; a name two people share cannot be told apart."""

    def __init__(self, unit: Unit):
        self.by_name: dict[str, list[Person]] = {}
        for person in organisation_people(unit):
            self.by_name.setdefault(person.name, []).append(person)
        self.organisation = organisation_of(unit).name
        self.strangers: dict[str, str] = {}  # name → why it is nobody's

    def find(self, name: str) -> Person | str:
        return only_one(
            self.by_name.get(name, []),
            none=lambda: self._stranger(name),
            many=lambda count: (
                gettext("%(organisation)s有 %(len_found)s 位“%(name)s”，无法确定是哪一位")
                % {"organisation": self.organisation, "len_found": count, "name": name}
            ),
        )

    def _stranger(self, name: str) -> str:
        if name in self.strangers:  # a file naming the same stranger row after row
            return self.strangers[name]
        if len(self.strangers) > 10_000:
            self.strangers.clear()
        message = self.strangers[name] = gettext("“%(name)s”不是%(organisation)s的人员") % {
            "name": name,
            "organisation": self.organisation,
        }
        return message


def only_one(found: list[T], *, none: Callable[[], str], many: Callable[[int], str]) -> T | str:
    """The one record a name written in a sheet stands for, or why there is not exactly one: ``none()``
    when nothing bears it, ``many(count)`` when several do (an import cannot choose)."""
    if not found:
        return none()
    if len(found) > 1:
        return many(len(found))
    return found[0]
