"""Period arithmetic: years, halves, quarters and months, as the rules and the documents name them.

Pure Python (no Django): the compliance engine and the document builders share it.
A period code is what a clerk types: ``2020``, ``2020H1``, ``2020Q3``, ``2020-05``.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

KINDS = ("year", "half", "quarter", "month")
_MONTHS_PER = {"year": 12, "half": 6, "quarter": 3, "month": 1}
_INDEX_MAX = {"year": 1, "half": 2, "quarter": 4, "month": 12}
_CODE = re.compile(r"^(?P<year>\d{4})(?:(?P<half>[Hh]\d)|(?P<quarter>[Qq]\d)|-(?P<month>\d{1,2}))?$")
_QUARTER_CN = {1: "一", 2: "二", 3: "三", 4: "四"}
# The years a period or a day may fall in: a year of margin below 9999 keeps "the next period" and
# "30 days after" inside what ``datetime.date`` can hold.
YEARS = range(1900, 9999)


class PeriodError(ValueError):
    """A period code a person typed that names no period; the message says what was expected."""


def parse_day(text: str, *, label: str = "日期") -> date:
    """Read a day typed as ``YYYY-MM-DD``; raise PeriodError, its message starting with ``label``.

    Days outside ``YEARS`` are refused here, so no caller adds a month or a window to 9999-12-31
    and overflows.
    """
    raw = (text or "").strip()
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise PeriodError(f"{label}格式不正确：“{raw}”（应为 YYYY-MM-DD）") from None
    if day.year not in YEARS:
        raise PeriodError(f"{label}超出范围：“{raw}”（年份应在 {YEARS.start} 到 {YEARS.stop - 1} 之间）")
    return day


@dataclass(frozen=True, order=True)
class Period:
    """A closed range of whole months: one year, half, quarter or month of a calendar year."""

    year: int
    kind: str
    index: int = 1

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise PeriodError(f"未知的期间类型：{self.kind}（应为 year、half、quarter 或 month）")
        if not 1 <= self.index <= _INDEX_MAX[self.kind]:
            raise PeriodError(f"期间序号超出范围：{self.kind} {self.index}")
        if self.year not in YEARS:
            raise PeriodError(f"年份超出范围：{self.year}")

    # -- construction -------------------------------------------------------
    @classmethod
    def parse(cls, text: str) -> Period:
        """Read ``2020``, ``2020H1``, ``2020Q3`` or ``2020-05``; raise PeriodError otherwise."""
        raw = (text or "").strip()
        match = _CODE.match(raw)
        if not match:
            raise PeriodError(f"期间格式不正确：“{raw}”（应为 2020、2020H1、2020Q3 或 2020-05 之一）")
        year = int(match["year"])
        try:
            if match["half"]:
                return cls(year, "half", int(match["half"][1:]))
            if match["quarter"]:
                return cls(year, "quarter", int(match["quarter"][1:]))
            if match["month"]:
                return cls(year, "month", int(match["month"]))
        except PeriodError:
            raise PeriodError(f"期间不存在：“{raw}”（半年为 H1、H2，季度为 Q1–Q4，月份为 01–12）") from None
        return cls(year, "year", 1)

    @classmethod
    def containing(cls, kind: str, day: date) -> Period:
        """The period of the given kind that contains ``day``."""
        if kind not in KINDS:
            raise PeriodError(f"未知的期间类型：{kind}")
        index = (day.month - 1) // _MONTHS_PER[kind] + 1
        return cls(day.year, kind, index)

    # -- facts --------------------------------------------------------------
    @property
    def first_month(self) -> int:
        return (self.index - 1) * _MONTHS_PER[self.kind] + 1

    @property
    def last_month(self) -> int:
        return self.first_month + _MONTHS_PER[self.kind] - 1

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        """The last day of the period (inclusive)."""
        return date(self.year, self.last_month, monthrange(self.year, self.last_month)[1])

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def code(self) -> str:
        if self.kind == "year":
            return f"{self.year}"
        if self.kind == "half":
            return f"{self.year}H{self.index}"
        if self.kind == "quarter":
            return f"{self.year}Q{self.index}"
        return f"{self.year}-{self.index:02d}"

    @property
    def label(self) -> str:
        """How a Chinese document names the period: 2020年上半年, 2020年第三季度, 2020年5月."""
        if self.kind == "year":
            return f"{self.year}年"
        if self.kind == "half":
            return f"{self.year}年{'上' if self.index == 1 else '下'}半年"
        if self.kind == "quarter":
            return f"{self.year}年第{_QUARTER_CN[self.index]}季度"
        return f"{self.year}年{self.index}月"

    @property
    def display(self) -> str:
        """How a page names the period, in the page's language (2020年上半年, H1 2020); documents
        use ``label``, which is always Chinese."""
        from django.utils.translation import gettext

        year = {"year": self.year}
        if self.kind == "year":
            return gettext("%(year)s年") % year
        if self.kind == "half":
            return (gettext("%(year)s年上半年") if self.index == 1 else gettext("%(year)s年下半年")) % year
        if self.kind == "quarter":
            return {
                1: gettext("%(year)s年第一季度"),
                2: gettext("%(year)s年第二季度"),
                3: gettext("%(year)s年第三季度"),
                4: gettext("%(year)s年第四季度"),
            }[self.index] % year
        return gettext("%(year)s年%(month)s月") % {**year, "month": self.index}

    def __str__(self) -> str:
        return self.code

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def covers(self, other: Period) -> bool:
        """True when ``other`` lies wholly inside this period."""
        return self.start <= other.start and other.end <= self.end

    # -- navigation ---------------------------------------------------------
    def next(self) -> Period:
        return Period.containing(self.kind, self.end + timedelta(days=1))

    def previous(self) -> Period:
        return Period.containing(self.kind, self.start - timedelta(days=1))

    def split(self, kind: str) -> list[Period]:
        """The periods of ``kind`` that make up this one (a year split into quarters, …).

        A finer period cannot be split into a coarser kind: asking a quarter for its halves is a bug.
        """
        if _MONTHS_PER[kind] > _MONTHS_PER[self.kind]:
            raise PeriodError(f"{self.label}不能按更长的期间（{kind}）划分")
        out = [Period.containing(kind, self.start)]
        while out[-1].end < self.end:  # never asks for the period after the last (none after 9998)
            out.append(out[-1].next())
        return out

    def elapsed_fraction(self, as_of: date) -> float:
        """Share of the period's days that have passed by the end of ``as_of`` (0.0 to 1.0)."""
        if as_of < self.start:
            return 0.0
        if as_of >= self.end:
            return 1.0
        return ((as_of - self.start).days + 1) / self.days
