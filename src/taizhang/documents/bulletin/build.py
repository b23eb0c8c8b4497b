"""The bulletin (通报) a unit sends its sub-units for a period: peers ranked by information work.

Pure builder. Who is ranked: the issuer's direct sub-units, side by side (an organ ranks its
offices, a county its organs), each with the records of its own subtree; the issuer's own records
are not ranked against the units it writes to. They are also its 主送机关 (GB/T 9704 §7.2.3).

The ranking is the one the seeds' units are judged by (定期通报社情民意信息报送及采用情况):
reporting points first (adoptions and articles weighted by level, ``reporting.queries``), then
adoptions, submissions and publicity articles, so two units level on points are told apart by what
was actually taken up. Ledger activities are reported beside them but ranked on by no one: units
level on every measure share a rank and are listed as 并列 (1, 2, 2, 4), three cells that reported
nothing among them; when no unit reported anything, there is nothing to rank and the bulletin says
so. Every count keeps the record ids behind it.

The bulletin is signed by its issuing office (``issuer``): an organ signs for itself; a region's
(县) bulletin on ideological work comes from its party committee's publicity department
(``issuing_office``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from taizhang.core.periods import Period
from taizhang.documents.output.model import ACTIVITY, Block, Document, Figure, Span, para


@dataclass(frozen=True)
class UnitRow:
    """One unit's own records in the period (not its children's: each unit is ranked on its own)."""

    name: str
    activity_ids: tuple[int, ...]
    submission_ids: tuple[int, ...] = ()
    adoption_ids: tuple[int, ...] = ()
    article_ids: tuple[int, ...] = ()
    points: int = 0  # reporting points: adoption and outlet levels weighted
    # The record types that declare a bulletin phrase (``core.registry``): (code, words before the
    # count, measure word, source table's name, ids), told after the activities when there are any.
    others: tuple[tuple[str, str, str, str, tuple[int, ...]], ...] = ()

    @property
    def rank_key(self) -> tuple[int, ...]:
        """What the ranking compares, in order; rows with equal keys are 并列 (activities are not ranked)."""
        return (-self.points, -len(self.adoption_ids), -len(self.submission_ids), -len(self.article_ids))

    @property
    def scored(self) -> bool:
        """Whether the unit has anything the ranking compares."""
        return any(self.rank_key)

    @property
    def reported(self) -> bool:
        return bool(self.submission_ids or self.article_ids)


# (suffix of the figure key, label, attribute, source table, words before and after the count)
_COLUMNS = (
    ("submissions", "报送信息条数", "submission_ids", "报送信息", "报送信息", "条"),
    ("adoptions", "信息采用条次", "adoption_ids", "采用记录", "被采用", "条次"),
    ("articles", "宣传稿件篇数", "article_ids", "宣传稿件", "刊发宣传稿件", "篇"),
)


# What 主送机关 calls sub-units of one kind together (同类型机关统称), by ``org.UnitKind``.
COLLECTIVE_NAMES = {
    "organ": "各单位",
    "party_group": "各党组",
    "branch": "各党支部",
    "office": "各委室",
    "cell": "各党小组",
    "region": "各县（市、区）",
}


def recipients_line(units: Sequence[tuple[str, str]]) -> str:
    """主送机关 for (name, kind) pairs: three or more of one kind by their collective name, else by name.

    It ends in a full-width colon, as §7.2.3 requires.
    """
    kinds = {kind for _, kind in units}
    if len(units) >= 3 and len(kinds) == 1 and (collective := COLLECTIVE_NAMES.get(kinds.pop())):
        return f"{collective}："
    return "、".join(name for name, _ in units) + "：" if units else ""


# Units level on every measure are listed by name, 第一党小组 before 第二 and 第三.
_NUMERALS = str.maketrans("〇一二三四五六七八九", "0123456789")


def ranks(rows: Sequence[UnitRow]) -> list[tuple[int, bool, UnitRow]]:
    """(rank, 并列?, row) best first: equal keys share the higher rank and the next rank skips (1, 2, 2, 4)."""
    ordered = sorted(rows, key=lambda r: (r.rank_key, r.name.translate(_NUMERALS)))
    counts: dict[tuple, int] = {}
    for row in ordered:
        counts[row.rank_key] = counts.get(row.rank_key, 0) + 1
    out, rank = [], 0
    for i, row in enumerate(ordered, start=1):
        if i == 1 or row.rank_key != ordered[i - 2].rank_key:
            rank = i
        out.append((rank, counts[row.rank_key] > 1, row))
    return out


# Who issues a region's bulletin on ideological work: the publicity department of its party
# committee (DESIGN: the county admin, e.g. 县委宣传部), the sub-unit whose name says so.
ISSUING_DEPARTMENT = "宣传部"


def issuing_office(region: str, units: Sequence[str]) -> tuple[str, str] | None:
    """(the sub-unit's name, its full name as a 发文机关) of a region's issuing department, or None.

    GB/T 9704 signs with the office's full name: a county's "县委宣传部" is 中共清源县委宣传部 (its
    level word 县 becomes the region's name; a party committee's organ is 中共's).
    """
    found = next((name for name in units if ISSUING_DEPARTMENT in name), None)
    if found is None:
        return None
    level = region[-1:]
    full = region + found[1:] if level and found.startswith(level) and not found.startswith(region) else found
    if f"{level}委" in full and not full.startswith("中共"):
        full = "中共" + full
    return found, full


def title_phrases(period: Period) -> tuple[str, ...]:
    """The title in the words it may break between (GB/T 9704 §7.3.1)."""
    return ("关于", period.label, "意识形态工作", "信息报送及开展情况", "的通报")


def build_bulletin(
    *, issuer: str, period: Period, rows: list[UnitRow], written_on: date, recipients: str = ""
) -> Document:
    ranked = ranks(rows)
    ranking = any(row.scored for row in rows)
    figures: dict[str, Figure] = {}

    def figure(key: str, label: str, value: int, ids: tuple[int, ...], source: str) -> Span:
        figures[key] = Figure(key, label, value, tuple(sorted(ids)), source)
        return Span(str(value), figure=key)

    blocks: list[Block] = [
        para(
            "为推动信息报送和宣传工作，现根据各单位报送信息、采用、宣传稿件和活动情况，"
            + (
                f"将{period.label}各单位情况按信息积分排名通报如下。积分按采用层级和刊发媒体层级计算，"
                f"积分相同的依次比较采用、报送和稿件数量，各项均相同的并列。"
                if ranking
                else f"将{period.label}各单位情况通报如下。本期各单位均没有信息报送、采用和宣传稿件记录，无从排名。"
            )
        ),
        para("一、各单位信息报送、宣传及活动情况", level=1),
    ]
    for position, (rank, tied, row) in enumerate(ranked, start=1):
        key = f"unit.{position}"
        lead = f"{rank}. {row.name}{'（并列）' if tied else ''}：" if ranking else f"{row.name}："
        spans: list[Span] = [Span(lead)]
        for suffix, label, attribute, source, verb, measure in _COLUMNS:
            ids = getattr(row, attribute)
            spans += [
                Span(verb),
                figure(f"{key}.{suffix}", f"{row.name}{label}", len(ids), ids, source),
                Span(f"{measure}，"),
            ]
        spans += [
            Span("信息积分"),
            # Points weigh the adoptions and articles above, whose figures carry the records.
            figure(f"{key}.points", f"{row.name}信息积分（按采用、稿件层级计分）", row.points, (), "积分"),
            Span("分；登记活动"),
            figure(key, f"{row.name}活动次数", len(row.activity_ids), row.activity_ids, ACTIVITY),
            Span("次"),
        ]
        for code, verb, measure, source, ids in row.others:
            if ids:
                spans += [
                    Span(f"，{verb}"),
                    figure(f"{key}.{code}", f"{row.name}{verb}{measure}数", len(ids), ids, source),
                    Span(measure),
                ]
        spans.append(Span("。"))
        blocks.append(Block(tuple(spans)))

    blocks.append(para("二、有关要求", level=1))
    silent = [r.name for _, _, r in ranked if not r.reported]
    idle = [r.name for _, _, r in ranked if not r.activity_ids]
    if silent:
        blocks.append(
            para(f"{'、'.join(silent)}本期没有信息报送和宣传稿件记录，请明确专人负责，按目标任务抓紧报送。")
        )
    if idle:
        blocks.append(para(f"{'、'.join(idle)}本期没有登记活动，请及时核实补录，按要求开展工作。"))
    if not silent and not idle:
        blocks.append(para("各单位本期均有报送和活动记录，请继续保持，并及时登记台账。"))
    phrases = title_phrases(period)
    return Document(
        title="".join(phrases),
        title_phrases=phrases,
        recipients=recipients,
        blocks=tuple(blocks),
        signature_unit=issuer,
        signature_date=f"{written_on.year}年{written_on.month}月{written_on.day}日",
        figures=figures,
    )
