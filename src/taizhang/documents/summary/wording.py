"""Numbers, dates and lists as people write them in a 工作总结 (pure).

A clerk writes 年初 only for January and February, names the month otherwise, says 每月 of a
practice held every month, rounds a rate the way the genre does (90%以上) and gives no rate at all
from a handful of records, and closes a cut list with 等. These rules live here, once, so no template
can slot a date or a number in another way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from taizhang.core.periods import Period

HALF_NAMES = {1: "上半年", 2: "下半年"}
QUARTER_NAMES = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}
# A rate is stated only over enough sign-ins to mean something: fewer, and the text says nothing of it.
RATE_MIN_ROWS = 40
RATE_MIN_ACTIVITIES = 4


def half_of(day: date) -> int:
    return 1 if day.month <= 6 else 2


def when_in_year(days: Sequence[date]) -> str:
    """When something was done, as the text says it: 年初 (January–February), else the month."""
    first = min(days)
    return "年初" if first.month <= 2 else f"{first.month}月"


def part_of_period(days: Iterable[date], period: Period) -> str:
    """The part of the period the days fall in, when they all fall in one: 上半年, 二季度; else ""."""
    days = list(days)
    if not days:
        return ""
    if period.kind == "year":
        halves = {half_of(d) for d in days}
        return HALF_NAMES[halves.pop()] if len(halves) == 1 else ""
    if period.kind == "half":
        quarters = {(d.month - 1) // 3 + 1 for d in days}
        return QUARTER_NAMES[quarters.pop()] if len(quarters) == 1 else ""
    return ""


def every_month(days: Iterable[date], period: Period) -> bool:
    """Whether something was held in every month of the period (then the text says 每月)."""
    months = {(d.year, d.month) for d in days}
    return all((m.year, m.first_month) in months for m in period.split("month"))


def rate_text(present: int, rows: int, activities: int) -> str | None:
    """An attendance rate as the genre writes it: floored to 5 points and said 以上 (94.6% →
    90%以上), 100% when everyone came; None from too few sign-ins to mean anything."""
    if rows < RATE_MIN_ROWS or activities < RATE_MIN_ACTIVITIES:
        return None
    if present == rows:
        return "100%"
    floor = int(100 * present / rows) // 5 * 5
    return f"{floor}%以上"


def listing(names: Sequence[str], limit: int = 3) -> str:
    """Up to ``limit`` names joined by 、; a cut list ends with 等 (never a full one passed off as cut
    or a cut one as full)."""
    names = list(dict.fromkeys(n for n in names if n))
    if len(names) <= limit:
        if len(names) > 1:
            return "、".join(names[:-1]) + "和" + names[-1]
        return "".join(names)
    return "、".join(names[:limit]) + "等"


def listing_open(names: Sequence[str], limit: int = 3) -> str:
    """Like ``listing`` but always closed by 、 (for a list the template follows with 等)."""
    names = list(dict.fromkeys(n for n in names if n))
    return "、".join(names[:limit])


def quoted(topic: str) -> str:
    if topic.startswith(("“", "《")):
        return topic
    return "“" + topic.replace("“", "‘").replace("”", "’") + "”"


# A material is a document (its title takes 《》) when its name ends like one; "…精神" or "…要求" are not.
DOCUMENT_ENDINGS = ("纲要", "条例", "决定", "讲话", "论述", "摘编", "方案", "意见", "规定", "办法", "通知",
                    "法", "读本", "百问", "报告", "准则", "章程", "规划", "选编", "文选", "守则", "党章")  # fmt: skip


def booked(material: str) -> str:
    if "《" in material or "“" in material:
        return material
    core = material.split("（")[0]
    return f"《{material}》" if core.endswith(DOCUMENT_ENDINGS) else material


def sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(("。", "！", "？", "；")) else text + "。"


def clause(text: str) -> str:
    """A clerk's sentence as a clause inside ours: without its closing stop."""
    return text.strip().rstrip("。；！？")


def topic_core(topic: str) -> str:
    """What an activity's topic says it was about, without the words every topic repeats."""
    core = topic.strip()
    for prefix in ("学习贯彻", "学习宣传", "学习", "专题研讨：", "专题研讨", "研究部署", "研究"):
        if core.startswith(prefix) and len(core) > len(prefix) + 2:
            core = core[len(prefix) :]
            break
    return core.strip("：: ")
