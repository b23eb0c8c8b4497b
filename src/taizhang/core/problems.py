"""A file's problems, bounded: the first ones in full, the rest counted by kind (pure: no Django).

A workbook of two million bad rows has millions of problems, and a list of them all is a gigabyte in
memory and an 85 MB error page that tells the clerk nothing the first screen did not. ``Problems``
keeps the first ``SHOWN`` in full (``sheet!cell: what is wrong``) and from then on only counts,
by kind: the message with its cell, the quoted words and the figures taken out ("日期“2020-02-30”不存在"
and "日期“2021-02-29”不存在" are one kind, 日期不存在). Checking goes on to the end of the file, so
the count is exact and the clerk learns how far the fault goes ("另有 299,800 处问题未列出：日期不存在
299,600 处、…"); past the list, a problem costs a counter's increment and the shortening of its text.

It stands where a list of messages stood (``append``, ``extend``, ``len``, iteration over what is
shown, slicing, truth), so the code that finds problems is unchanged; ``summary()`` is the line that
says what was not shown.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache

SHOWN = 200  # problems listed in full
KINDS = 50  # kinds counted by name past the list; beyond them, one count for the rest

_ASIDES = re.compile(r"“[^”]{0,500}”|\"[^\"]{0,500}\"|《[^》]{0,500}》|[（(][^）)]{0,500}[）)]")
_FIGURES = re.compile(r"\d[\d,.]*")


def kind_of(problem: str) -> str:
    """What kind of problem a message reports: its words without the cell (``sheet!B2: ``), the
    quoted words, asides and figures ("日期“2020-02-30”不存在" → 日期不存在)."""
    _, found, said = problem.partition(": ")
    return _kind(said if found else problem)


@lru_cache(maxsize=4096)  # a bad file repeats its faults: the same words, cell after cell
def _kind(said: str) -> str:
    return " ".join(_FIGURES.sub("N", _ASIDES.sub("", said)).split())[:60] or said[:60]


class Problems:
    """The first ``shown`` problems in full, the others counted by kind."""

    def __init__(self, shown: int = SHOWN):
        self.shown = shown
        self.listed: list[str] = []
        self.more: Counter[str] = Counter()
        self.total = 0

    def append(self, problem: str) -> None:
        self.total += 1
        if len(self.listed) < self.shown:
            self.listed.append(problem)
            return
        kind = kind_of(problem)
        if kind not in self.more and len(self.more) >= KINDS:
            kind = ""  # past KINDS kinds: counted as "others"
        self.more[kind] += 1

    def extend(self, problems: Iterable[str]) -> None:
        for problem in problems:
            self.append(problem)

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0

    def __iter__(self) -> Iterator[str]:
        return iter(self.listed)

    def __getitem__(self, index):
        return self.listed[index]

    @property
    def unlisted(self) -> int:
        return self.total - len(self.listed)

    def summary(self) -> str:
        """One line on the problems not listed ("" when all are): how many, and of which kinds."""
        if not self.unlisted:
            return ""
        kinds = "、".join(f"{kind or '其他'} {count:,} 处" for kind, count in self.more.most_common(8))
        rest = "" if len(self.more) <= 8 else " …"
        return f"另有 {self.unlisted:,} 处问题未列出：{kinds}{rest}"

    def lines(self) -> list[str]:
        """What is shown: the listed problems, then the summary of the others."""
        return [*self.listed, *([self.summary()] if self.unlisted else [])]
