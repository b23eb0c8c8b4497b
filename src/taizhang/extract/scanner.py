"""Every quantitative figure of a text, with what it counts and where it stands (pure: no Django).

One regular expression (built from the vocabulary) finds the candidates in one pass over the text
converted to simplified script; Python looks only at what it matched. A number is a figure when a
measure word follows it (开展中心组学习4次, 157.3万余元, 94.6%), or when it is a date or a year
(figures of their own kind). What is not a count is left out: ordinals (第五, 二等奖), numbers
inside quotation marks and book titles (“五个强化”, 《…一封信》), set phrases (四个意识,
一岗双责, from the vocabulary) and numbers that name something (十九届中央). A measure word with a
gap before it and no number ("开展中心组学习 次", "XX次") is a blank of a template: a ``missing``
figure with its subject.

The subject is read from the clause before the number (after the last comma or stop): the name of
an activity kind or record type ending the clause (机关党组中心组学习 → 中心组学习,
central_group_study), else the clause without its opening words (time, verbs, totals), else the
noun after the measure word (召开1次联席会议). Positions are character offsets into the text as
given; subjects are quoted from it, in its own script.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from taizhang.extract.numerals import (
    DIGITS,
    arabic_decimal,
    chinese_decimal,
    chinese_integer,
    multiplier,
    plain,
    step_of,
)
from taizhang.extract.script import simplified
from taizhang.extract.vocabulary import Vocabulary

MONEY_UNITS = {"万元": 10**4, "亿元": 10**8, "块钱": 1}
SCALED_UNITS = {"万人次": ("人次", 10**4), "万字": ("字", 10**4)}
QUOTES = (("“", "”"), ("《", "》"), ("「", "」"), ("『", "』"), ("〈", "〉"))
ORDINAL_BEFORE = "第"
SUBJECT_CHARS = 16  # at most this many characters of a clause are a subject
CLAUSE_WINDOW = 48
SENTENCE_WINDOW = 160


@dataclass(frozen=True, slots=True)
class Figure:
    """A number in a text: what ``--json`` prints (``as_dict``), and what the fact-check compares.

    ``value`` is in ``unit`` (money in 元: 157.3万余元 → 1573000, unit 元); None for a blank.
    ``qualifier`` is the qualifying words as written (余, 累计、余), None when there are none.
    """

    text: str
    value: int | float | str | None
    unit: str
    qualifier: str | None
    subject: str
    kind: str | None
    start: int
    end: int
    category: str = "count"  # count | money | percent | date | year
    classes: tuple[
        str, ...
    ] = ()  # the qualifiers' classes (more, at_least, about, nearly, below, total, rule)
    step: float = 1  # one step of the precision the number is written in (60 → 10, 157.3万 → 1000)
    rounded: bool = False  # written with 万/亿 or decimals: exact only to ``step`` (54.7万元, 94.6%)
    clause: str = field(default="", repr=False)  # simplified: the clause before the number, the noun after
    context: str = field(default="", repr=False)  # simplified: the sentence up to the figure's end
    missing: bool = False

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "value": self.value,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "subject": self.subject,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class Extraction:
    figures: tuple[Figure, ...]
    missing: tuple[Figure, ...]

    def as_dict(self) -> dict:
        return {
            "figures": [f.as_dict() for f in self.figures],
            "missing": [f.as_dict() for f in self.missing],
        }


def extract(text: str, vocab: Vocabulary) -> Extraction:
    """The figures and the blanks of ``text``, in reading order."""
    return _Scanner(text, vocab).run()


class _Scanner:
    def __init__(self, text: str, vocab: Vocabulary):
        self.original = text
        self.text = simplified(text)
        self.vocab = vocab
        p = vocab.patterns
        self.figure_re = p["figure"]
        self.names_re = p["names"]
        self.lead_re = p["lead"]
        self.set_re = p["set_phrases"]
        self.sentence_mark = p["sentence_mark"]
        self.clause_start = p["clause_start"]
        self.clause_end = p["clause_end"]
        self.before_q = p["before_q"]
        self.trailing_re = p["trailing"]
        self.rule_total_re = p["rule_total"]
        self.ordinal_after_re = p["ordinal_after"]
        self.figures: list[Figure] = []
        self.missing: list[Figure] = []
        self.last_kind: tuple[int, str | None] = (-1, None)  # (sentence start, kind) of the last figure
        # Where the sentence marks stand, found once when the first figure needs them: a figure's
        # sentence then begins after the last mark before it (a bisection) instead of a regular
        # expression backtracking over up to SENTENCE_WINDOW characters before each figure.
        self._sentence_marks: list[int] | None = None
        # The kinds of quotation marks the text opens at all (most texts: “ and 《 only).
        self.quotes = [(opening, closing) for opening, closing in QUOTES if opening in self.text]

    def run(self) -> Extraction:
        for m in self.figure_re.finditer(self.text):
            group = m.lastgroup
            if group == "fig":
                self._count(m)
            elif group == "date":
                self._date(m)
            elif group == "md":
                self._month_day(m)
            elif group == "pct":
                self._fraction(m)
            elif group == "blank":
                self._blank(m)
        return Extraction(tuple(self.figures), tuple(self.missing))

    # -- kinds of match --------------------------------------------------------------------------------

    def _count(self, m: re.Match) -> None:
        start = m.start()
        unit_end = m.end("unit")
        if self._not_a_count(start, unit_end):
            return
        ar, armul, cn, mid, mul, post, unit, after_q = m.group(
            "ar", "armul", "cn", "mid", "mul", "post", "unit", "after"
        )
        factor = multiplier(mul) if mul else 1
        # A whole number written in digits or in Chinese numerals (nearly every figure) is counted in
        # int; a decimal (157.3, 三点五) or a number with thousands commas goes through Decimal.
        written: int | Decimal | None
        if ar is not None:
            written = int(ar) if ar.isdigit() else arabic_decimal(ar)
            if armul:
                factor *= multiplier(armul)
        elif "点" in cn:
            written = chinese_decimal(cn)
        else:
            written = chinese_integer(cn)
        if written is None:
            return
        measure = unit
        if unit in MONEY_UNITS:
            factor *= MONEY_UNITS[unit]
            unit = "元"
        elif unit in SCALED_UNITS:
            unit, scale = SCALED_UNITS[unit]
            factor *= scale
        if type(written) is int:
            value: int | float = written * factor
            if unit == "年" and factor == 1 and 1900 <= value <= 2100:
                self._add_year(start, unit_end, value)
                return
            step = float(_whole_step(written) * factor)
            rounded = factor > 1
        else:
            exact = written * factor
            whole = written == written.to_integral_value()
            if unit == "年" and factor == 1 and whole and 1900 <= exact <= 2100:
                self._add_year(start, unit_end, int(exact))
                return
            value, step, rounded = plain(exact), float(step_of(written, factor)), factor > 1 or not whole
        self._add(
            start=start,
            end=m.end(),
            number_end=unit_end,
            value=value,
            step=step,
            unit=unit,
            category=self.vocab.measures.get(measure, "count"),
            after=[q for q in (mid, post, after_q) if q],
            rounded=rounded,
        )

    def _date(self, m: re.Match) -> None:
        year_text = m.group("y")
        if year_text.isdigit():
            year = int(year_text)
        else:
            year = chinese_integer(year_text.replace("○", "〇"), positional=True)
        if year is None:
            return
        month = _small(m.group("m") or m.group("m2"))
        day = _small(m.group("d") or m.group("d2"))
        if month is None:
            self._add_year(m.start(), m.end(), year)
            return
        value = _iso(year, month, day)
        self._add_date(m.start(), m.end(), value)

    def _month_day(self, m: re.Match) -> None:
        month = _small(m.group("m3"))
        day = _small(m.group("d3"))
        if month is None or not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
            return
        if self._quoted(m.start()) or self._in_set_phrase(m.start(), m.end()):
            return
        self._add_date(m.start(), m.end(), f"--{month:02d}" + (f"-{day:02d}" if day else ""))

    def _fraction(self, m: re.Match) -> None:
        if self._not_a_count(m.start(), m.end()):
            return
        number = m.group("pnum")
        written = arabic_decimal(number) if number[0].isdigit() else chinese_decimal(number)
        if written is None:
            return
        unit = "%" if m.group("pbase") == "百" else "‰"
        self._add(
            start=m.start(),
            end=m.end(),
            number_end=m.end(),
            value=plain(written),
            step=float(step_of(written)),
            unit=unit,
            category="percent",
            after=[],
            rounded=written != written.to_integral_value(),
        )

    def _blank(self, m: re.Match) -> None:
        if m.group("yspace") is not None:
            gap_start, unit, kind = m.start("yspace"), "年", "year"
        elif m.group("space") is not None:
            gap_start, unit, kind = m.start("space"), m.group("sunit"), None
        else:
            gap_start, unit, kind = m.start("mark"), m.group("munit"), None
        if self._quoted(gap_start) and kind != "year":
            return
        end = m.end()
        clause_from, clause, qualifiers = self._clause(gap_start)
        sentence = self._sentence_begin(gap_start)
        subject, found_kind, post = self._subject(clause_from, clause, end, sentence)
        if kind is None:
            kind = found_kind
            if kind:
                self.last_kind = (sentence, kind)
        self.missing.append(
            Figure(
                text=self.original[gap_start:end],
                value=None,
                unit=self._unit_name(unit),
                qualifier="、".join(qualifiers) or None,
                subject=subject if kind != "year" else "",
                kind=kind,
                start=gap_start,
                end=end,
                category="year" if kind == "year" else self.vocab.measures.get(unit, "count"),
                classes=tuple(self.vocab.qualifiers_before[q] for q in qualifiers),
                clause=clause + post,
                context=self.text[sentence:end],
                missing=True,
            )
        )

    # -- what is not a count ----------------------------------------------------------------------------

    def _not_a_count(self, start: int, end: int) -> bool:
        text = self.text
        if start and text[start - 1] == ORDINAL_BEFORE:
            return True
        if self.ordinal_after_re.match(text, end):
            return True
        return self._quoted(start) or self._in_set_phrase(start, end)

    def _quoted(self, position: int) -> bool:
        """Inside “…” or 《…》 (a slogan, a title): a number there names, it does not count."""
        if not self.quotes:
            return False
        window = self.text[max(0, position - 80) : position]
        for opening, closing in self.quotes:
            opened = window.rfind(opening)
            if (
                opened >= 0
                and window.rfind(closing) < opened
                and self.text.find(closing, position, position + 80) >= 0
            ):
                return True
        return False

    def _in_set_phrase(self, start: int, end: int) -> bool:
        """A set phrase covering the number (四个意识), or exactly it (十九届), but not one inside a
        longer figure (十一 in 十一次)."""
        if self.vocab.phrase_chars.isdisjoint(self.text[start:end]):
            return False  # a phrase overlapping the figure would share a character with it
        lo = start - 8 if start > 8 else 0
        for found in self.set_re.finditer(self.text, lo, end + 8):
            s, e = found.span()
            if e <= start or s >= end:
                continue
            if s < start or e > end or (s == start and e == end):
                return True
        return False

    # -- subjects ---------------------------------------------------------------------------------------

    def _clause(self, position: int) -> tuple[int, str, list[str]]:
        """Where the number's clause starts, its text without the qualifiers right before the number,
        and those qualifiers (with the rule and total words anywhere in the clause)."""
        lo = position - CLAUSE_WINDOW if position > CLAUSE_WINDOW else 0
        found = self.clause_start.match(self.text, lo, position)
        begin = found.end() if found else lo
        clause = self.text[begin:position].rstrip(" \t\u3000\xa0")
        qualifiers: list[str] = []
        for _ in range(2):  # 共约, 累计超过
            q = self.before_q.search(clause)
            if not q:
                break
            qualifiers.insert(0, q.group())
            clause = clause[: q.start()]
        for _ in range(2):  # 专题研究意识形态工作全年（不少于2次）: the time word is not the subject
            t = self.trailing_re.search(clause)
            if not t or t.start() == 0:
                break
            clause = clause[: t.start()]
        for found in reversed(self.rule_total_re.findall(clause)):
            if not any(found in q for q in qualifiers):
                qualifiers.insert(0, found)
        return begin, clause, _dedupe_nested(qualifiers)

    def _subject(self, begin: int, clause: str, end: int, sentence: int) -> tuple[str, str | None, str]:
        """(subject as written, kind code, the noun after the measure word in simplified script);
        ``sentence``: where the number's sentence begins."""
        names = self.vocab.names
        text = self.text
        stop = self.clause_end.search(text, end, end + SUBJECT_CHARS)
        post = text[end : stop.start() if stop else end + SUBJECT_CHARS]
        last = None
        for last in self.names_re.finditer(clause):  # noqa: B007 (the last one is wanted)
            pass
        stripped = self._strip_lead(clause)
        kind = None
        if last is not None:
            kind = names[last.group()]
            # The name ending the clause is the subject, unless it is only a verb with the noun
            # after the measure word (捐助54.7万元物资).
            if last.end() == len(clause) and not (stripped == len(clause) and post):
                return self.original[begin + last.start() : begin + last.end()], kind, post
        lo, hi = begin, begin  # the subject's span in the text
        if stripped < len(clause):
            lo, hi = begin + max(stripped, len(clause) - SUBJECT_CHARS), begin + len(clause)
        elif post:
            lo, hi = end + _lstrip_marks(post), end + len(post)
        if kind is None and post:
            found = self.names_re.search(post)
            if found:  # 召开1次意识形态工作联席会议, 上一堂“微党课”: the noun after says what
                kind = names[found.group()]
                lo, hi = end + _lstrip_marks(post), end + found.end()
        if kind is None and hi > lo:
            kind = self._partial_name(self.text[lo:hi], sentence)
        return self.original[lo:hi].strip(_SUBJECT_TRIM), kind, post

    def _strip_lead(self, clause: str) -> int:
        """How many characters of the clause are opening words (今年以来, 开展, 共…)."""
        position = 0
        while True:
            found = self.lead_re.match(clause, position)
            if not found or found.end() == position:
                return position
            position = found.end()

    def _partial_name(self, subject: str, sentence: int) -> str | None:
        """A subject that is part of one kind's name (理论学习 in 理论学习中心组学习): that kind, or,
        where several kinds share it, the one the sentence spoke of just before (其中理论学习 次)."""
        if len(subject) < 4:
            return None
        matches = self.vocab.kinds_naming(subject)
        if len(matches) == 1:
            return matches[0]
        last_sentence, kind = self.last_kind
        if matches and kind in matches and last_sentence == sentence:
            return kind
        return None

    def _sentence_begin(self, position: int) -> int:
        marks = self._sentence_marks
        if marks is None:
            marks = self._sentence_marks = [m.start() for m in self.sentence_mark.finditer(self.text)]
        return self._after_mark(marks, position, SENTENCE_WINDOW)

    @staticmethod
    def _after_mark(marks: list[int], position: int, window: int) -> int:
        """Just after the last of ``marks`` in the ``window`` characters before ``position``; else
        where that window begins (the start of the text at the latest)."""
        lo = position - window if position > window else 0
        i = bisect_left(marks, position)
        if i:
            last = marks[i - 1]
            if last >= lo:
                return last + 1
        return lo

    # -- building figures ---------------------------------------------------------------------------------

    def _add(
        self,
        *,
        start: int,
        end: int,
        number_end: int,
        value: int | float,
        step: float,
        unit: str,
        category: str,
        after: list[str],
        rounded: bool,
    ) -> None:
        begin, clause, before = self._clause(start)
        sentence = self._sentence_begin(start)
        subject, kind, post = self._subject(begin, clause, number_end, sentence)
        if kind:
            self.last_kind = (sentence, kind)
        vocab = self.vocab
        classes = [vocab.qualifiers_before[q] for q in before]
        if after:
            classes += [vocab.qualifiers_after.get(q, "more") for q in after]
        self.figures.append(
            Figure(
                text=self.original[start:end],
                value=value,
                unit=self._unit_name(unit),
                qualifier="、".join([*before, *after]) or None,
                subject=subject,
                kind=kind,
                start=start,
                end=end,
                category=category,
                classes=tuple(classes),
                step=step,
                rounded=rounded,
                clause=clause + post,
                context=self.text[sentence:end],
            )
        )

    def _add_year(self, start: int, end: int, year: int) -> None:
        self._add_when(start, end, year, "年", "year")

    def _add_date(self, start: int, end: int, value: str | None) -> None:
        self._add_when(start, end, value, "", "date")

    def _add_when(self, start: int, end: int, value, unit: str, kind: str) -> None:
        """Dates and years: figures of their own kind, with neither subject nor qualifier."""
        self.figures.append(
            Figure(
                text=self.original[start:end],
                value=value,
                unit=unit,
                qualifier=None,
                subject="",
                kind=kind,
                start=start,
                end=end,
                category=kind,
            )
        )

    def _unit_name(self, unit: str) -> str:
        return unit.replace("％", "%")


_SUBJECT_TRIM = " \t\u3000\xa0-|/\\·•*#“”‘’\"'"


def _whole_step(number: int) -> int:
    """``step_of`` of a whole number: 60 → 10, 1500 → 100, 4 → 1, 0 → 1."""
    if number % 10 or not number:
        return 1
    digits = str(number)
    return 10 ** (len(digits) - len(digits.rstrip("0")))


def _lstrip_marks(text: str) -> int:
    """How many characters open ``text`` before its noun: quotes, spaces, 的 (百分之九十五的党员)."""
    return len(text) - len(text.lstrip(_SUBJECT_TRIM + "的"))


def _small(text: str | None) -> int | None:
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if all(ch in DIGITS for ch in text) and len(text) > 1:
        return None
    return chinese_integer(text)


def _iso(year: int, month: int, day: int | None) -> str | None:
    try:
        if day is None:
            date(year, month, 1)
            return f"{year:04d}-{month:02d}"
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _dedupe_nested(words: list[str]) -> list[str]:
    """共 inside 共计: keep the longer word once."""
    if len(words) < 2:
        return words
    out: list[str] = []
    for word in words:
        if any(word in other and word != other for other in words):
            continue
        if word not in out:
            out.append(word)
    return out
