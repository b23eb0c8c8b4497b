"""The bulletin (通报) of a unit tree for a period: units ranked by information work, then activities.

Pure builder. The ranking is the one the seeds' units are judged by (定期通报社情民意信息报送及采用
情况): reporting points first (adoptions and articles weighted by level, ``reporting.queries``),
then adoptions, submissions, publicity articles and ledger activities, so two units level on
points are told apart by what was actually taken up. Every count keeps the record ids behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from taizhang.core.periods import Period
from taizhang.documents.model import ACTIVITY, Block, Document, Figure, Span, para


@dataclass(frozen=True)
class UnitRow:
    """One unit's own records in the period (not its children's: each unit is ranked on its own)."""

    name: str
    activity_ids: tuple[int, ...]
    submission_ids: tuple[int, ...] = ()
    adoption_ids: tuple[int, ...] = ()
    article_ids: tuple[int, ...] = ()
    points: int = 0  # reporting points: adoption and outlet levels weighted

    @property
    def rank_key(self) -> tuple:
        return (
            -self.points,
            -len(self.adoption_ids),
            -len(self.submission_ids),
            -len(self.article_ids),
            -len(self.activity_ids),
            self.name,
        )

    @property
    def reported(self) -> bool:
        return bool(self.submission_ids or self.article_ids)


# (suffix of the figure key, label, attribute, source table, words before and after the count)
_COLUMNS = (
    ("submissions", "报送信息条数", "submission_ids", "报送信息", "报送信息", "条"),
    ("adoptions", "信息采用条次", "adoption_ids", "采用记录", "被采用", "条次"),
    ("articles", "宣传稿件篇数", "article_ids", "宣传稿件", "刊发宣传稿件", "篇"),
)


def build_bulletin(*, issuer: str, period: Period, rows: list[UnitRow], written_on: date) -> Document:
    ranked = sorted(rows, key=lambda r: r.rank_key)
    figures: dict[str, Figure] = {}

    def figure(key: str, label: str, value: int, ids: tuple[int, ...], source: str) -> Span:
        figures[key] = Figure(key, label, value, tuple(sorted(ids)), source)
        return Span(str(value), figure=key)

    blocks: list[Block] = [
        para(
            f"为推动信息报送和宣传工作，现根据各单位台账中的报送信息、采用记录、宣传稿件和活动记录，"
            f"将{period.label}各单位情况按信息积分排名通报如下。积分按采用层级和刊发媒体层级计算，"
            f"积分相同的依次比较采用、报送、稿件和活动数量。"
        ),
        para("一、各单位信息报送、宣传及活动情况", level=1),
    ]
    for rank, row in enumerate(ranked, start=1):
        key = f"unit.{rank}"
        spans: list[Span] = [Span(f"{rank}. {row.name}：")]
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
            Span("次。"),
        ]
        blocks.append(Block(tuple(spans)))

    blocks.append(para("二、有关要求", level=1))
    silent = [r.name for r in ranked if not r.reported]
    idle = [r.name for r in ranked if not r.activity_ids]
    if silent:
        blocks.append(
            para(f"{'、'.join(silent)}本期没有信息报送和宣传稿件记录，请明确专人负责，按目标任务抓紧报送。")
        )
    if idle:
        blocks.append(para(f"{'、'.join(idle)}本期台账无活动记录，请及时核实补录，按要求开展工作。"))
    if not silent and not idle:
        blocks.append(para("各单位本期均有报送和活动记录，请继续保持，并及时登记台账。"))
    return Document(
        title=f"关于{period.label}意识形态工作信息报送及开展情况的通报",
        blocks=tuple(blocks),
        signature_unit=issuer,
        signature_date=f"{written_on.year}年{written_on.month}月{written_on.day}日",
        figures=figures,
    )
