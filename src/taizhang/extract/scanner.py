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
from taizhang.extract.subjects import Subjects
from taizhang.extract.vocabulary import Vocabulary

MONEY_UNITS = {"万元": 10**4, "亿元": 10**8, "块钱": 1}
SCALED_UNITS = {"万人次": ("人次", 10**4), "万字": ("字", 10**4)}
QUOTES = (("“", "”"), ("《", "》"), ("「", "」"), ("『", "』"), ("〈", "〉"))
ORDINAL_BEFORE = "第"


@dataclass(slots=True)
class Figure:
    """A number in a text: what ``--json`` prints (``as_dict``), and what the fact-check compares.

    ``value`` is in ``unit`` (money in 元: 157.3万余元 → 1573000, unit 元); None for a blank.
    ``qualifier`` is the qualifying words as written (余, 累计、余), None when there are none.
    Not frozen: a frozen dataclass's ``__init__`` sets each of the fifteen fields through
    ``object.__setattr__``, which cost more than reading the figure itself; nothing changes a figure
    once the scanner has made it, nor keeps one in a set.
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


class _Scanner(Subjects):
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
        # expression backtracking over up to SENTENCE_WINDOW (``extract.subjects``) characters before each figure.
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
        if m.start("ordinal") >= 0 or (start and self.text[start - 1] == ORDINAL_BEFORE):
            return
        if self._quoted(start) or self._in_set_phrase(start, unit_end):
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
            step = float(factor if written % 10 else _whole_step(written) * factor)
            rounded = factor > 1
        else:
            exact = written * factor
            whole = written == written.to_integral_value()
            if unit == "年" and factor == 1 and whole and 1900 <= exact <= 2100:
                self._add_year(start, unit_end, int(exact))
                return
            value, step, rounded = plain(exact), float(step_of(written, factor)), factor > 1 or not whole
        after = [q for q in (mid, post, after_q) if q] if mid or post or after_q else []
        category = self.vocab.measures.get(measure, "count")
        self._add(start, m.end(), unit_end, value, step, unit, category, after, rounded)

    def _date(self, m: re.Match) -> None:
        year_text, month_text, month_text2, day_text, day_text2 = m.group("y", "m", "m2", "d", "d2")
        if year_text.isdigit():
            year = int(year_text)
        else:
            year = chinese_integer(year_text.replace("○", "〇"), positional=True)
        if year is None:
            return
        month = _small(month_text or month_text2)
        if month is None:
            self._add_when(m.start(), m.end(), year, "年", "year")
            return
        value = _iso(year, month, _small(day_text or day_text2))
        self._add_when(m.start(), m.end(), value, "", "date")

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
        rounded = written != written.to_integral_value()
        self._add(
            m.start(), m.end(), m.end(), plain(written), float(step_of(written)), unit, "percent", [], rounded
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
        subject, found_kind, qualifiers, clause, sentence = self._read(gap_start, end)
        if kind is None:
            kind = found_kind
            if kind:
                self.last_kind = (sentence, kind)
        self.missing.append(
            Figure(
                text=self.original[gap_start:end],
                value=None,
                unit=unit,
                qualifier="、".join(qualifiers) or None,
                subject=subject if kind != "year" else "",
                kind=kind,
                start=gap_start,
                end=end,
                category="year" if kind == "year" else self.vocab.measures.get(unit, "count"),
                classes=tuple(self.vocab.qualifiers_before[q] for q in qualifiers),
                clause=clause,
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
        text = self.text
        lo = position - 80 if position > 80 else 0
        for opening, closing in self.quotes:
            opened = text.rfind(opening, lo, position)
            if (
                opened >= 0
                and text.rfind(closing, lo, position) < opened
                and text.find(closing, position, position + 80) >= 0
            ):
                return True
        return False

    def _in_set_phrase(self, start: int, end: int) -> bool:
        """A set phrase covering the number (四个意识), or exactly it (十九届), but not one inside a
        longer figure (十一 in 十一次)."""
        vocab, text = self.vocab, self.text
        # A phrase overlapping the figure starts before it and covers its first character, or starts
        # inside it (most figures, 4次 or 60余篇, can be in none).
        if text[start] not in vocab.phrase_chars and vocab.phrase_starts.isdisjoint(text[start:end]):
            return False
        lo = start - 8 if start > 8 else 0
        first = self.set_re.search(text, lo, end + 8)  # mostly none
        if first is None:
            return False
        for found in self.set_re.finditer(text, first.start(), end + 8):
            s, e = found.span()
            if e <= start or s >= end:
                continue
            if s < start or e > end or (s == start and e == end):
                return True
        return False

    def _add(  # positional: called for every figure, and keywords cost a look-up each
        self,
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
        subject, kind, before, clause, sentence = self._read(start, number_end)
        if kind:
            self.last_kind = (sentence, kind)
        if before or after:
            vocab = self.vocab
            classes = tuple(
                [vocab.qualifiers_before[q] for q in before]
                + [vocab.qualifiers_after.get(q, "more") for q in after]
            )
            qualifier: str | None = "、".join([*before, *after])
        else:
            classes, qualifier = (), None
        # In the fields' order: keywords would cost Figure's ``__init__`` more than half a microsecond a
        # figure, fifteen names matched one by one.
        self.figures.append(
            Figure(
                self.original[start:end],  # text
                value,
                unit,
                qualifier,
                subject,
                kind,
                start,
                end,
                category,
                classes,
                step,
                rounded,
                clause,
                self.text[sentence:end],  # context
            )
        )

    def _add_year(self, start: int, end: int, year: int) -> None:
        self._add_when(start, end, year, "年", "year")

    def _add_date(self, start: int, end: int, value: str | None) -> None:
        self._add_when(start, end, value, "", "date")

    def _add_when(self, start: int, end: int, value, unit: str, kind: str) -> None:
        """Dates and years: figures of their own kind, with neither subject nor qualifier."""
        # (text, value, unit, qualifier, subject, kind, start, end, category: in the fields' order)
        self.figures.append(Figure(self.original[start:end], value, unit, None, "", kind, start, end, kind))


def _whole_step(number: int) -> int:
    """``step_of`` of a whole number: 60 → 10, 1500 → 100, 4 → 1, 0 → 1 (the scanner asks only for a
    multiple of ten)."""
    if number % 10 or not number:
        return 1
    digits = str(number)
    return 10 ** (len(digits) - len(digits.rstrip("0")))


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
