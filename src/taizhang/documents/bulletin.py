"""The bulletin (通报) of a unit tree for a period: units ranked by what their ledgers hold.

Pure builder. Until the reporting module records submissions and publicity, a bulletin ranks by
ledger activities; it says so in its text rather than implying it covers more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from taizhang.core.periods import Period
from taizhang.documents.model import Block, Document, Figure, Span, para


@dataclass(frozen=True)
class UnitRow:
    name: str
    activity_ids: tuple[int, ...]


def build_bulletin(*, issuer: str, period: Period, rows: list[UnitRow], written_on: date) -> Document:
    ranked = sorted(rows, key=lambda r: (-len(r.activity_ids), r.name))
    figures = {}
    blocks: list[Block] = [
        para(
            f"为掌握各单位{period.label}意识形态工作开展情况，现根据台账登记的活动记录，将各单位活动次数"
            f"排名通报如下（信息报送、宣传稿件等情况待相关台账建立后一并通报）。"
        ),
        para("一、各单位活动开展情况", level=1),
    ]
    for rank, row in enumerate(ranked, start=1):
        key = f"unit.{rank}"
        figures[key] = Figure(
            key, f"{row.name}活动次数", len(row.activity_ids), tuple(sorted(row.activity_ids))
        )
        blocks.append(
            Block(
                (
                    Span(f"{rank}. {row.name}：登记活动"),
                    Span(str(len(row.activity_ids)), figure=key),
                    Span("次。"),
                )
            )
        )
    idle = [r.name for r in ranked if not r.activity_ids]
    blocks.append(para("二、有关要求", level=1))
    if idle:
        blocks.append(para(f"{'、'.join(idle)}本期台账无活动记录，请及时核实补录，按要求开展工作。"))
    else:
        blocks.append(para("各单位本期均有活动记录，请继续按要求开展工作并及时登记台账。"))
    return Document(
        title=f"关于{period.label}意识形态工作开展情况的通报",
        blocks=tuple(blocks),
        signature_unit=issuer,
        signature_date=f"{written_on.year}年{written_on.month}月{written_on.day}日",
        figures=figures,
    )
