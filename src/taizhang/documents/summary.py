"""The half-year or year 意识形态工作总结, built from ledger facts: pure, no Django.

``build_summary(facts, gaps)`` is the whole document logic: data in, ``Document`` out. It states
only what the facts hold; where a reader would expect a figure the ledger does not keep (publicity
articles, channel registrations before those modules exist) it leaves a highlighted placeholder
【待补充：…】 instead of a sentence. Each statement has several phrasings, chosen by a hash of the
unit, the period and the statement, so a hundred units' summaries do not read like one form, yet
the same inputs always give the same text.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import cn2an

from taizhang.core.periods import Period
from taizhang.documents.gaps import Gap
from taizhang.documents.model import Block, Document, Figure, Span, para

ORDINALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class ActivityFact:
    id: int
    kind: str
    date: date
    topic: str
    materials: tuple[str, ...] = ()
    due: int = 0  # people on the attendance list
    present: int = 0


@dataclass(frozen=True)
class SummaryFacts:
    """Everything the summary says, already read from the ledger."""

    unit_code: str
    unit_name: str
    unit_short: str
    period: Period
    areas: tuple[tuple[str, str], ...]  # (code, name) in framework order
    kind_names: dict[str, str]
    kind_areas: dict[str, str]
    activities: tuple[ActivityFact, ...]
    written_on: date
    kind_order: tuple[str, ...] = field(default=())


# Figures a reader of a section expects that no module records yet: they stay placeholders.
EXPECTED_ELSEWHERE: dict[str, tuple[str, ...]] = {
    "publicity": ("宣传稿件数", "信息报送及采用情况"),
    "channels_culture": ("工作群、宣传栏等阵地备案情况",),
}

_OPENING = (
    "{label}，{unit}把意识形态工作摆在突出位置，对照责任制要求逐项抓好落实。台账共登记各类活动{total}次，"
    "涉及{areas}个工作领域。现将主要情况报告如下。",
    "{label}以来，{unit}按照上级关于意识形态工作责任制的部署，把责任落到班子、落到岗位，各项工作有序推进。"
    "本期台账登记活动{total}次，覆盖{areas}个工作领域，具体情况如下。",
    "{label}，在上级党委的领导下，{unit}紧扣意识形态工作责任制，抓学习、抓阵地、抓责任，台账中登记的各类活动"
    "共{total}次，分布在{areas}个工作领域。现将工作情况总结如下。",
)
_AREA_COUNTS = (
    "本期，{short}在这一方面共开展活动{n}次，其中{list}。",
    "台账显示，本期该领域共有活动记录{n}次：{list}。",
    "围绕这项工作，{short}本期累计组织活动{n}次，分别为{list}。",
)
_TOPICS = (
    "重点活动包括：{items}。",
    "较有代表性的有：{items}。",
    "从记录看，主要活动有：{items}。",
)
_MATERIALS = (
    "各次学习共使用材料{n}种，主要有{items}等。",
    "学习内容涉及材料{n}种，如{items}等。",
    "学习时研读的材料有{n}种，包括{items}等。",
)
_ATTENDANCE = (
    "以上活动考勤签到应到{due}人次，实到{present}人次，出勤率{rate}%。",
    "考勤记录显示，应参加{due}人次，实际参加{present}人次，出勤率为{rate}%。",
    "各次活动均登记考勤：应到{due}人次、实到{present}人次，出勤率{rate}%。",
)
_EMPTY_AREA = (
    "本期台账中没有这一方面的活动记录。",
    "台账暂未登记本领域的活动。",
    "这一领域本期尚无登记在册的活动。",
)
_EXPECTED = (
    "需补充的情况：",
    "以下情况请据实补充：",
)
_SHORTCOMING = (
    "{ord}是{req}还有差距。按要求{label}应不少于{required}次，台账中只有{actual}次。",
    "{ord}是{req}未达到规定次数，{label}应开展{required}次以上，实际记录{actual}次，尚缺{missing}次。",
    "{ord}是{req}次数不足，对照{label}不少于{required}次的要求，台账登记{actual}次。",
)
_SHORTCOMING_PERIODS = (
    "{ord}是{req}有{n}个期间没有达到要求（{labels}），合计应开展{required}次，台账记录{actual}次。",
    "{ord}是{req}落实不连续，{labels}共{n}个期间未达标，应有{required}次，实有{actual}次。",
)
_SHORTCOMING_RATE = (
    "{ord}是{req}未达标。{label}出勤率为{actual}%，低于{required}%的要求。",
    "{ord}是{req}有差距，{label}台账记录的出勤率只有{actual}%，要求不低于{required}%。",
)
_SHORTCOMING_PEOPLE = (
    "{ord}是{req}尚未人人完成。{label}应完成{required}人，台账中已完成{actual}人。",
    "{ord}是{req}落实不够全面，{label}应有{required}人完成，目前登记{actual}人。",
)
_SHORTCOMING_NONE = (
    "对照台账核对的{n}项次数要求，本期均已达到。工作中存在的不足请据实填写：",
    "经与台账核对，{n}项规定次数本期都已完成。其他方面的问题和不足请补充：",
)
_NEXT_STEP = (
    "{ord}是补齐{req}。{next}内按不少于{required}次安排，列入工作计划，明确责任人。",
    "{ord}是抓紧落实{req}，{next}按计划开展不少于{required}次，并及时登记台账。",
    "{ord}是把{req}作为{next}的重点，确保完成{required}次以上，做到有记录、可查证。",
)
_NEXT_STEP_RATE = (
    "{ord}是严格考勤管理，{next}{req}，出勤率保持在{required}%以上，请假须有事由。",
    "{ord}是抓好{req}，{next}起逐次通报出勤情况，确保不低于{required}%。",
)
_NEXT_STEP_PEOPLE = (
    "{ord}是督促{req}，{next}前逐人对账，每人不少于{required}篇，按时登记。",
    "{ord}是把{req}落实到每个人，{next}内人人完成{required}篇以上。",
)
_NEXT_LEAD = (
    "下一步，{short}将针对上述问题，重点做好以下工作。",
    "针对存在的问题，{short}下一步打算从以下方面改进。",
)


def pick(options: tuple[str, ...], facts: SummaryFacts, key: str) -> str:
    """One phrasing, chosen by a stable hash (not ``hash()``, which changes between processes)."""
    digest = hashlib.sha256(f"{facts.unit_code}|{facts.period.code}|{key}".encode()).digest()
    return options[int.from_bytes(digest[:4], "big") % len(options)]


class _Writer:
    """Fills a phrasing with text and figure spans, recording each figure once."""

    def __init__(self, facts: SummaryFacts):
        self.facts = facts
        self.figures: dict[str, Figure] = {}

    def figure(
        self, key: str, label: str, ids: list[int] | tuple[int, ...], value: int | None = None
    ) -> Span:
        ids = tuple(sorted(set(ids)))
        fig = Figure(key=key, label=label, value=len(ids) if value is None else value, record_ids=ids)
        self.figures[key] = fig
        return Span(str(fig.value), figure=key)

    def fill(self, template: str, **values: str | Span | list[Span | str]) -> list[Span]:
        """``template.format`` that keeps Spans (figures, placeholders) as separate spans."""
        out: list[Span] = []
        rest = template
        while "{" in rest:
            before, _, after = rest.partition("{")
            name, _, rest = after.partition("}")
            if before:
                out.append(Span(before))
            value = values[name]
            for part in value if isinstance(value, list) else [value]:
                out.append(part if isinstance(part, Span) else Span(str(part)))
        if rest:
            out.append(Span(rest))
        return out


def _join(parts: list[list[Span]], sep: str = "、") -> list[Span]:
    out: list[Span] = []
    for i, part in enumerate(parts):
        if i:
            out.append(Span(sep))
        out.extend(part)
    return out


def _placeholder(name: str) -> Span:
    return Span(f"【待补充：{name}】", placeholder=True)


def _date_cn(day: date) -> str:
    return f"{day.month}月{day.day}日"


def build_summary(
    facts: SummaryFacts,
    gaps: list[Gap],
    *,
    shortcomings: list[str] | None = None,
    next_steps: list[str] | None = None,
) -> Document:
    """The summary document.

    ``shortcomings`` / ``next_steps`` (paragraphs) replace the proposals with the clerk's text; empty
    or None keeps the proposals, so clearing a box never leaves a section silently blank.
    """
    w = _Writer(facts)
    label = facts.period.label
    by_area: dict[str, list[ActivityFact]] = defaultdict(list)
    for act in facts.activities:
        by_area[facts.kind_areas.get(act.kind, "")].append(act)
    area_codes = {code for code, _ in facts.areas}
    counted = [a for a in facts.activities if facts.kind_areas.get(a.kind) in area_codes]

    blocks: list[Block] = []
    opening = w.fill(
        pick(_OPENING, facts, "opening"),
        label=label,
        unit=facts.unit_name,
        total=w.figure("total", f"{label}台账活动总数", [a.id for a in counted]),
        areas=w.figure(
            "areas",
            "有活动记录的工作领域数",
            [a.id for a in counted],
            value=sum(1 for c, _ in facts.areas if by_area.get(c)),
        ),
    )
    blocks.append(Block(tuple(opening)))

    for index, (area_code, area_name) in enumerate(facts.areas):
        blocks.append(para(f"{ORDINALS[index]}、{area_name}", level=1))
        blocks.extend(_area_blocks(w, area_code, area_name, by_area.get(area_code, [])))

    n = len(facts.areas)
    unmet = [g for g in gaps if g.unmet]
    blocks.append(para(f"{ORDINALS[n]}、存在的问题", level=1))
    if shortcomings:
        blocks.extend(para(text) for text in shortcomings if text.strip())
    elif unmet:
        for i, group in enumerate(_by_requirement(unmet)):
            blocks.append(Block(tuple(_shortcoming(w, group, _ordinal(i)))))
    else:
        lead = pick(_SHORTCOMING_NONE, facts, "gap.none").format(n=len(gaps))
        blocks.append(para(lead, _placeholder("存在的问题")))

    blocks.append(para(f"{ORDINALS[n + 1]}、下一步打算", level=1))
    if next_steps:
        blocks.extend(para(text) for text in next_steps if text.strip())
    elif unmet:
        blocks.append(para(pick(_NEXT_LEAD, facts, "next.lead").format(short=facts.unit_short)))
        for i, group in enumerate(_by_requirement(unmet)):
            blocks.append(para(_next_step(facts, group[-1], _ordinal(i))))
    else:
        blocks.append(para(_placeholder("下一步打算")))

    return Document(
        title=f"{facts.unit_name}{label}意识形态工作总结",
        blocks=tuple(blocks),
        signature_unit=facts.unit_name,
        signature_date=f"{facts.written_on.year}年{facts.written_on.month}月{facts.written_on.day}日",
        figures=w.figures,
    )


def _number(value: float) -> str:
    """2.0 → "2", 87.5 → "87.5": figures as a document writes them."""
    return f"{value:g}"


def _ordinal(index: int) -> str:
    """一, 二, … 十, 十一: the 一是/二是 of a list of points."""
    return cn2an.an2cn(index + 1)


def _by_requirement(gaps: list[Gap]) -> list[list[Gap]]:
    """Unmet periods grouped by requirement, in the framework's order: one point per requirement."""
    groups: dict[str, list[Gap]] = {}
    for gap in gaps:
        groups.setdefault(gap.requirement, []).append(gap)
    return list(groups.values())


def _shortcoming(w: _Writer, group: list[Gap], ordinal: str) -> list[Span]:
    """One paragraph of 存在的问题 for an unmet requirement, its figure traceable to the records."""
    facts = w.facts
    gap = group[-1]
    key = f"gap.{gap.requirement}"
    ids = [
        a.id
        for a in facts.activities
        if a.kind in gap.kinds and any(g.start <= a.date <= g.end for g in group)
    ]
    if len(group) > 1 and gap.measure in ("count", "document", "every"):
        labels = "、".join(g.period_label for g in group)
        actual = sum(g.actual for g in group)
        figure = w.figure(key, f"{labels}{gap.requirement}（次）", ids, value=_number(actual))
        return w.fill(
            pick(_SHORTCOMING_PERIODS, facts, key),
            ord=ordinal,
            req=gap.requirement,
            n=str(len(group)),
            labels=labels,
            required=_number(sum(g.required for g in group)),
            actual=figure,
        )
    if gap.measure == "rate":
        template = pick(_SHORTCOMING_RATE, facts, key)
        actual = w.figure(key, f"{gap.period_label}{gap.requirement}（%）", ids, value=_number(gap.actual))
    elif gap.measure == "per_person":
        template = pick(_SHORTCOMING_PEOPLE, facts, key)
        actual = w.figure(
            key, f"{gap.period_label}完成{gap.requirement}的人数", [], value=_number(gap.actual)
        )
    else:
        template = pick(_SHORTCOMING, facts, key)
        actual = w.figure(key, f"{gap.period_label}{gap.requirement}（次）", ids, value=_number(gap.actual))
    return w.fill(
        template,
        ord=ordinal,
        req=gap.requirement,
        label=gap.period_label,
        required=_number(gap.required),
        actual=actual,
        missing=_number(gap.missing),
    )


def _next_step(facts: SummaryFacts, gap: Gap, ordinal: str) -> str:
    key = f"next.{gap.requirement}"
    options = {"rate": _NEXT_STEP_RATE, "per_person": _NEXT_STEP_PEOPLE}.get(gap.measure, _NEXT_STEP)
    return pick(options, facts, key).format(
        ord=ordinal, req=gap.requirement, next=gap.next_label, required=_number(gap.next_required)
    )


def _area_blocks(w: _Writer, area: str, area_name: str, acts: list[ActivityFact]) -> list[Block]:
    facts = w.facts
    blocks: list[Block] = []
    if acts:
        order = {code: i for i, code in enumerate(facts.kind_order)}
        per_kind: dict[str, list[int]] = defaultdict(list)
        for act in acts:
            per_kind[act.kind].append(act.id)
        kinds = sorted(per_kind, key=lambda k: (order.get(k, 999), k))
        listing = _join(
            [
                [
                    Span(facts.kind_names.get(k, k)),
                    w.figure(f"kind.{k}", f"{facts.kind_names.get(k, k)}次数", per_kind[k]),
                    Span("次"),
                ]
                for k in kinds
            ]
        )
        sentence = w.fill(
            pick(_AREA_COUNTS, facts, f"area.{area}"),
            short=facts.unit_short,
            n=w.figure(f"area.{area}", f"{area_name}活动次数", [a.id for a in acts]),
            list=listing,
        )
        # Notable activities: the first of each kind, in date order, at most three.
        firsts: dict[str, ActivityFact] = {}
        for act in sorted(acts, key=lambda a: (a.date, a.id)):
            firsts.setdefault(act.kind, act)
        notable = sorted(firsts.values(), key=lambda a: (a.date, a.id))[:3]
        items = "；".join(f"{_date_cn(a.date)}{_quoted(a.topic)}" for a in notable)
        sentence += [Span(pick(_TOPICS, facts, f"topics.{area}").format(items=items))]
        materials: dict[str, list[int]] = defaultdict(list)
        for act in sorted(acts, key=lambda a: (a.date, a.id)):
            for material in act.materials:
                materials[material].append(act.id)
        if materials:
            names = "、".join(_booked(m) for m in list(materials)[:3])
            ids = [i for id_list in materials.values() for i in id_list]
            sentence += w.fill(
                pick(_MATERIALS, facts, f"materials.{area}"),
                n=w.figure(f"materials.{area}", f"{area_name}学习材料种数", ids, value=len(materials)),
                items=names,
            )
        signed = [a for a in acts if a.due]
        if signed:
            ids = [a.id for a in signed]
            due, present = sum(a.due for a in signed), sum(a.present for a in signed)
            template = pick(_ATTENDANCE, facts, f"attendance.{area}")
            if len(signed) < len(acts):
                template = template.replace("以上活动", "已登记考勤的活动").replace(
                    "各次活动均登记考勤", "已登记考勤的活动"
                )
            sentence += w.fill(
                template,
                due=w.figure(f"attendance.{area}.due", f"{area_name}应到人次", ids, value=due),
                present=w.figure(f"attendance.{area}.present", f"{area_name}实到人次", ids, value=present),
                rate=w.figure(
                    f"attendance.{area}.rate",
                    f"{area_name}出勤率（%）",
                    ids,
                    value=round(100 * present / due),
                ),
            )
        blocks.append(Block(tuple(sentence)))
    expected = EXPECTED_ELSEWHERE.get(area, ())
    if not acts and not expected:
        expected = (f"{area_name}工作情况",)
    if not acts:
        blocks.append(para(pick(_EMPTY_AREA, facts, f"empty.{area}")))
    if expected:
        spans: list[Span] = [Span(pick(_EXPECTED, facts, f"expected.{area}"))]
        spans += [*_join([[_placeholder(name)] for name in expected], "，"), Span("。")]
        blocks.append(Block(tuple(spans)))
    return blocks


def _quoted(topic: str) -> str:
    if topic.startswith(("“", "《")):
        return topic
    return "“" + topic.replace("“", "‘").replace("”", "’") + "”"


def _booked(material: str) -> str:
    """A material named as a document: 《…》 unless it already carries its own marks."""
    return material if "《" in material or "“" in material else f"《{material}》"
