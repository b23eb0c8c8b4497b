"""What existed on a day, and which days were public holidays: a record and a summary keep to their time.

Two data files beside the framework (``frameworks/events.yaml``, ``frameworks/holidays.yaml``) list
the documents and meetings a study or a summary may name, with the day each came to exist, and the
State Council's public holidays. Everything that writes or tells a record reads them through this
module: the ledger's services refuse a study of a document before its day and an activity dated on
a holiday without a reason (so the form, the API and the import all do), the demo is checked
against them, and the summary asks which events its period could know (``events_known_by``) and
whether a sentence names one from outside its time (``anachronisms``).

No Django model is imported here, so the ledger's services call it without importing the documents.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from itertools import pairwise
from pathlib import Path

from taizhang.core.file_cache import kept_while_unchanged
from taizhang.core.framework_file import frameworks_dir, read_framework

EVENTS_FILE = "events.yaml"
HOLIDAYS_FILE = "holidays.yaml"

# Taken out of a text and of a name before they are compared: quotation and book-title marks,
# brackets and spaces (“《习近平谈治国理政》第三卷” reads as 习近平谈治国理政第三卷).
_IGNORED = re.compile(r"[\s“”\"'‘’「」『』《》〈〉<>（）()【】\[\]]")


class TimelineDataError(ValueError):
    """The events or holidays file is malformed; the message names the file, the entry and the key."""


@dataclass(frozen=True)
class Term:
    name: str  # 十九届
    start: date
    end: date | None  # None: still sitting


@dataclass(frozen=True)
class Event:
    """A document or meeting, from the day it came to exist (``day``; the month's first day when
    only the month is known, so the whole month counts as "by then")."""

    name: str  # as a summary names it
    day: date
    what: str  # 召开, 闭幕, 通过, 发布 …
    names: tuple[str, ...]  # the words that name it, compared with _IGNORED taken out
    month_only: bool = False
    term: str = ""
    bare: str = ""  # a plenum's name without its term (五中全会)

    @property
    def date_text(self) -> str:
        """The day as people write it: 2020年10月29日, or 2019年6月 when only the month is sure."""
        if self.month_only:
            return f"{self.day.year}年{self.day.month}月"
        return f"{self.day.year}年{self.day.month}月{self.day.day}日"


@dataclass(frozen=True)
class Holiday:
    name: str  # 春节, 国庆节、中秋节
    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Mention:
    """Where a text names an event: the words as written and the event they name."""

    words: str
    event: Event


@dataclass(frozen=True)
class Timeline:
    terms: tuple[Term, ...]
    events: tuple[Event, ...]
    holidays: tuple[Holiday, ...]
    years: frozenset[int]  # the years whose holiday notices are in the data

    def term_on(self, day: date) -> Term | None:
        known = self._term_by_day  # an import asks for every row; its rows fall on a few thousand days
        try:
            return known[day]
        except KeyError:
            term = known[day] = next(
                (t for t in self.terms if t.start <= day and (t.end is None or day <= t.end)), None
            )
            return term

    @cached_property
    def _term_by_day(self) -> dict[date, Term | None]:
        return {}

    @cached_property
    def _latest(self) -> date:
        return max(e.day for e in self.events)

    @cached_property
    def _holiday_days(self) -> dict[date, Holiday]:
        return {
            h.start + timedelta(days=i): h for h in self.holidays for i in range((h.end - h.start).days + 1)
        }

    @cached_property
    def _named(self) -> tuple[re.Pattern, dict[str, Event]]:
        """One pattern for every name (longest first, so a longer name wins where two start
        together), and the event each name stands for: a ledger of a million rows is read once."""
        by_name: dict[str, Event] = {}
        for event in self.events:
            for name in event.names:
                by_name.setdefault(name, event)
        return _alternation(by_name), by_name

    @cached_property
    def _bare(self) -> dict[str, tuple[re.Pattern, dict[str, Event]]]:
        """Per term, the pattern of its plenums' bare names (五中全会) not preceded by a term (…届)."""
        out = {}
        for term in self.terms:
            by_name = {e.bare: e for e in self.events if e.term == term.name and e.bare}
            if by_name:
                out[term.name] = (_alternation(by_name, after_not="届"), by_name)
        return out


def _alternation(words, *, after_not: str = "") -> re.Pattern:
    ordered = sorted(words, key=len, reverse=True)
    guard = f"(?<!{re.escape(after_not)})" if after_not else ""
    return re.compile(guard + "(?:" + "|".join(re.escape(w) for w in ordered) + ")")


# -- reading and validating the files --------------------------------------------------------------


def _day(value, where: str, *, month_ok: bool = False) -> tuple[date, bool]:
    """A date from YAML: a date, or (with ``month_ok``) 'YYYY-MM' read as the month's first day."""
    if isinstance(value, date):
        return value, False
    text = str(value or "").strip()
    if month_ok and (match := re.fullmatch(r"(\d{4})-(\d{1,2})", text)):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return date(year, month, 1), True
    try:
        return date.fromisoformat(text), False
    except ValueError:
        shape = "YYYY-MM-DD 或 YYYY-MM" if month_ok else "YYYY-MM-DD"
        raise TimelineDataError(f"{where}：日期“{text}”无效，应为 {shape}") from None


def _strings(value, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise TimelineDataError(f"{where}：应为非空的字符串列表")
    return tuple(normalize(v) for v in value)


def parse_events(data: dict, source: str = EVENTS_FILE) -> tuple[tuple[Term, ...], tuple[Event, ...]]:
    """The terms and events of an events file's mapping; TimelineDataError names what is wrong."""
    terms = []
    for i, row in enumerate(data.get("terms") or [], start=1):
        where = f"{source} terms 第{i}项"
        if not isinstance(row, dict) or not str(row.get("name") or "").strip():
            raise TimelineDataError(f"{where}：缺少 name")
        start, _ = _day(row.get("from"), f"{where} from")
        end = _day(row["to"], f"{where} to")[0] if row.get("to") else None
        if end is not None and end < start:
            raise TimelineDataError(f"{where}：to 早于 from")
        terms.append(Term(str(row["name"]).strip(), start, end))
    term_names = {t.name for t in terms}
    rows = data.get("events")
    if not isinstance(rows, list) or not rows:
        raise TimelineDataError(f"{source}：缺少 events 列表")
    events = []
    seen: set[str] = set()
    named: dict[str, str] = {}  # a name → the event it names: one event per name
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise TimelineDataError(f"{source} events 第{i}项：应为映射（键: 值）")
        name = str(row.get("name") or "").strip()
        where = f"{source} events 第{i}项（{name or '无名称'}）"
        if not name:
            raise TimelineDataError(f"{where}：缺少 name")
        if name in seen:
            raise TimelineDataError(f"{where}：name 重复")
        seen.add(name)
        day, month_only = _day(row.get("date"), f"{where} date", month_ok=True)
        what = str(row.get("what") or "").strip()
        if not what:
            raise TimelineDataError(f"{where}：缺少 what（召开、通过、发布……）")
        names = _strings(row.get("names"), f"{where} names")
        for word in names:
            if word in named and named[word] != name:
                raise TimelineDataError(f"{where}：names 中的“{word}”已用于“{named[word]}”")
            named[word] = name
        term, bare = str(row.get("term") or "").strip(), normalize(str(row.get("bare") or ""))
        if bool(term) != bool(bare):
            raise TimelineDataError(f"{where}：term 与 bare 须同时填写")
        if term and term not in term_names:
            raise TimelineDataError(f"{where}：term“{term}”不在 terms 中")
        events.append(Event(name, day, what, names, month_only, term, bare))
    return tuple(terms), tuple(events)


def parse_holidays(data: dict, source: str = HOLIDAYS_FILE) -> tuple[tuple[Holiday, ...], frozenset[int]]:
    """The holidays of a holidays file's mapping, and the years it covers."""
    years = data.get("years")
    if not isinstance(years, list) or not years:
        raise TimelineDataError(f"{source}：缺少 years 列表")
    holidays: list[Holiday] = []
    covered: set[int] = set()
    for i, entry in enumerate(years, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("year"), int):
            raise TimelineDataError(f"{source} years 第{i}项：缺少 year（整数）")
        year = entry["year"]
        if year in covered:
            raise TimelineDataError(f"{source}：{year}年重复")
        covered.add(year)
        for j, row in enumerate(entry.get("holidays") or [], start=1):
            where = f"{source} {year}年第{j}个假日"
            if not isinstance(row, list) or len(row) != 3 or not str(row[0] or "").strip():
                raise TimelineDataError(f"{where}：应为 [名称, 首日, 末日]")
            start, _ = _day(row[1], where)
            end, _ = _day(row[2], where)
            if end < start or (end - start).days > 15:
                raise TimelineDataError(f"{where}：首日、末日不合理（{start} 至 {end}）")
            if end.year != year and start.year != year:
                raise TimelineDataError(f"{where}：不在{year}年")
            holidays.append(Holiday(str(row[0]).strip(), start, end))
    holidays.sort(key=lambda h: h.start)
    for before, after in pairwise(holidays):
        if after.start <= before.end:
            raise TimelineDataError(f"{source}：{before.name}与{after.name}的日期重叠")
    return tuple(holidays), frozenset(covered)


RECHECK_SECONDS = 2.0  # how stale the framework folder's timeline may be (an import asks per row)
_default: list = [0.0, None]  # when the default folder was last looked at, and its timeline


def load(directory: Path | None = None) -> Timeline:
    """The timeline of the framework folder, read again whenever a file changes (the default
    folder is looked at again at most every ``RECHECK_SECONDS``: an import of a million rows asks
    for it per row)."""
    if directory is None:
        now = time.monotonic()
        if _default[1] is not None and now - _default[0] < RECHECK_SECONDS:
            return _default[1]
        _default[:] = [now, _load(str(frameworks_dir()))]
        return _default[1]
    return _load(str(directory))


@kept_while_unchanged(
    files=lambda folder: (Path(folder) / EVENTS_FILE, Path(folder) / HOLIDAYS_FILE), maxsize=4
)
def _load(folder: str) -> Timeline:
    events_path, holidays_path = Path(folder) / EVENTS_FILE, Path(folder) / HOLIDAYS_FILE
    terms, events = (
        parse_events(read_framework(events_path), events_path.name) if events_path.exists() else ((), ())
    )
    holidays, years = (
        parse_holidays(read_framework(holidays_path), holidays_path.name)
        if holidays_path.exists()
        else ((), frozenset())
    )
    return Timeline(terms, events, holidays, years)


# -- questions asked of it ------------------------------------------------------------------------


def normalize(text: str) -> str:
    return _IGNORED.sub("", text or "")


def mentions(text: str, *, on: date | None = None, timeline: Timeline | None = None) -> list[Mention]:
    """The events ``text`` names, in order; a name inside a longer name of another event is read as
    that one. A plenum named without its term is read by the term sitting ``on`` that day (without
    a day, or outside the terms listed, it is not read at all); one named with a term (十八届五中全会)
    is read only by that name."""
    line = timeline or load()
    flat = normalize(text)
    if not flat:
        return []
    pattern, by_name = line._named
    found = [(m.start(), m.end(), by_name[m.group()]) for m in pattern.finditer(flat)]
    if not found and not line.terms:
        return []
    term = line.term_on(on) if on else None
    if term and term.name in line._bare:
        bare, by_bare = line._bare[term.name]
        found += [(m.start(), m.end(), by_bare[m.group()]) for m in bare.finditer(flat)]
    # longest first: a span inside a longer span already taken is the longer one's
    found.sort(key=lambda f: (f[0] - f[1], f[0]))
    taken: list[tuple[int, int]] = []
    out: list[tuple[int, Mention]] = []
    seen: set[str] = set()
    for start, end, event in found:
        if any(s <= start and end <= e for s, e in taken):
            continue
        taken.append((start, end))
        if event.name not in seen:
            seen.add(event.name)
            out.append((start, Mention(flat[start:end], event)))
    return [m for _, m in sorted(out, key=lambda pair: pair[0])]


def anachronisms(text: str, day: date, *, timeline: Timeline | None = None) -> list[Mention]:
    """What ``text`` names that did not yet exist on ``day`` (empty when everything did).

    Asked of every row of an import, so the usual answer (nothing named, or a day after every
    event) is found without reading the text closely."""
    line = timeline or load()
    if not line.events or day >= line._latest:
        return []
    flat = normalize(text)
    if not flat:
        return []
    term = line.term_on(day)
    bare = line._bare.get(term.name) if term else None
    if line._named[0].search(flat) is None and (bare is None or bare[0].search(flat) is None):
        return []
    return [m for m in mentions(text, on=day, timeline=line) if m.event.day > day]


def events_known_by(day: date, *, timeline: Timeline | None = None) -> list[Event]:
    """Every event that existed on ``day``, oldest first: what a summary written then may name."""
    line = timeline or load()
    return sorted((e for e in line.events if e.day <= day), key=lambda e: (e.day, e.name))


def events_between(start: date, end: date, *, timeline: Timeline | None = None) -> list[Event]:
    """The events that came to exist within [start, end], oldest first: what a period brought."""
    line = timeline or load()
    return sorted((e for e in line.events if start <= e.day <= end), key=lambda e: (e.day, e.name))


def holiday_on(day: date, *, timeline: Timeline | None = None) -> Holiday | None:
    """The public holiday ``day`` falls in, or None (also for a year the data does not cover)."""
    line = timeline or load()
    return line._holiday_days.get(day)


def working_day_near(day: date, *, first: date, last: date, timeline: Timeline | None = None) -> date:
    """``day``, or when it is a holiday the next day after the holiday within [first, last], else
    the last day before it: for generated records that must not fall on a holiday."""
    holiday = holiday_on(day, timeline=timeline)
    if holiday is None:
        return day
    after = holiday.end + timedelta(days=1)
    if after <= last and holiday_on(after, timeline=timeline) is None:
        return after
    before = holiday.start - timedelta(days=1)
    if before >= first:
        return before
    return day


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
