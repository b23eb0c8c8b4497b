"""The half-year or year 意识形态工作总结, built from ledger facts: pure, no Django.

``build_summary(facts, gaps)`` is the whole document logic: data in, ``Document`` out. It states
only what the facts hold: the ledger's activities and, per area, what the practice modules count
(submissions and adoptions, publicity, three-review publishing, risk points, channels, campaigns and
donations). Where a reader would expect a figure the ledger does not hold for the period (no
publicity articles at all, say) it leaves a highlighted placeholder 【待补充：…】 instead of a sentence. Each statement has several phrasings, chosen by a hash of the
unit, the period and the statement, so a hundred units' summaries do not read like one form, yet
the same inputs always give the same text.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import cn2an

from taizhang.core.money import format_yuan_about
from taizhang.core.periods import Period
from taizhang.documents.gaps import Gap
from taizhang.documents.model import ACTIVITY, Block, Document, Figure, Span, para

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
class PracticeFigure:
    """A figure a practice module counted (reporting, review, risks, channels, campaigns).

    ``source`` names the table its ``ids`` number (采用记录, 捐赠记录…), so provenance never mixes
    them up with activities; ``text`` is how the document writes a figure that is not a bare count
    (money: "157.3万余元", items: "5600个", a publication's unit: "期" or "条"); ``names`` carries
    titles a sentence may quote (campaigns, selections).
    """

    value: int
    ids: tuple[int, ...] = ()
    source: str = ""
    text: str = ""
    names: tuple[str, ...] = ()


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
    # The practice modules' figures by name ("submissions", "staff_donations_fen",
    # "publication:《各界反映》", "item:口罩"…); a missing name means the module holds no records.
    practice: dict[str, PracticeFigure] = field(default_factory=dict)


# Figures a reader of a section expects, with the practice figure that states them: the
# placeholder stays only while that module holds no records for the unit and period.
EXPECTED_ELSEWHERE: dict[str, tuple[tuple[str, str], ...]] = {
    "publicity": (("宣传稿件数", "publicity_articles"), ("信息报送及采用情况", "submissions")),
    "channels_culture": (("工作群、宣传栏等阵地备案情况", "channels_active"),),
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
    "{ord}是{req}还有差距。按要求{label}应不少于{required}{w}，台账中只有{actual}{w}。",
    "{ord}是{req}未达到规定数量，{label}应有{required}{w}以上，实际记录{actual}{w}，尚缺{missing}{w}。",
    "{ord}是{req}数量不足，对照{label}不少于{required}{w}的要求，台账登记{actual}{w}。",
)
_SHORTCOMING_PERIODS = (
    "{ord}是{req}有{n}个期间没有达到要求（{labels}），合计应有{required}{w}，台账记录{actual}{w}。",
    "{ord}是{req}落实不连续，{labels}共{n}个期间未达标，应有{required}{w}，实有{actual}{w}。",
)
_SHORTCOMING_RATE = (
    "{ord}是{req}未达标。{label}出勤率为{actual}%，低于{required}%的要求。",
    "{ord}是{req}有差距，{label}台账记录的出勤率只有{actual}%，要求不低于{required}%。",
)
_SHORTCOMING_PEOPLE = (
    "{ord}是{req}尚未人人完成。{label}应完成{required}人，台账中已完成{actual}人。",
    "{ord}是{req}落实不够全面，{label}应有{required}人完成，目前登记{actual}人。",
)
# ``gaps_for`` hands over unmet requirements only, so no count of the met ones is known here.
_SHORTCOMING_NONE = (
    "对照台账核对，规定的各项次数要求本期均已达到。工作中存在的不足请据实填写：",
    "经与台账核对，本期未发现未达标的规定次数。其他方面的问题和不足请补充：",
)
_NEXT_STEP = (
    "{ord}是补齐{req}。{next}内按{per}不少于{required}{w}安排，列入工作计划，明确责任人。",
    "{ord}是抓紧落实{req}，{next}按{per}不少于{required}{w}的要求开展，并及时登记台账。",
    "{ord}是把{req}作为{next}的重点，{per}确保完成{required}{w}以上，做到有记录、可查证。",
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
        self,
        key: str,
        label: str,
        ids: list[int] | tuple[int, ...],
        value: int | None = None,
        *,
        source: str = ACTIVITY,
        text: str | None = None,
    ) -> Span:
        """A figure span; ``text`` writes it otherwise than its value (money: value in fen)."""
        ids = tuple(sorted(set(ids)))
        fig = Figure(
            key=key,
            label=label,
            value=len(ids) if value is None else value,
            record_ids=ids,
            source=source,
        )
        self.figures[key] = fig
        return Span(str(fig.value) if text is None else text, figure=key)

    def practice(self, name: str, label: str) -> Span:
        """The span of a practice module's figure, keyed ``practice.<name>``."""
        fig = self.facts.practice[name]
        return self.figure(
            f"practice.{name}", label, fig.ids, fig.value, source=fig.source, text=fig.text or None
        )

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
        lead = pick(_SHORTCOMING_NONE, facts, "gap.none")
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


# How a sentence counts what a requirement counts: 3次 meetings, 5篇 articles, 27条 submissions.
MEASURE_WORDS = {
    "activities": "次",
    "publicity_articles": "篇",
    "published_items": "篇",
    "reflections": "篇",
    "submissions": "条",
    "public_sentiment_submissions": "条",
    "adoptions": "条",
    "channels": "个",
    "high_risks": "个",
    "risk_assessments": "次",
}


def _word(gap: Gap) -> str:
    return MEASURE_WORDS.get(gap.counts, "次")


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
            w=_word(gap),
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
        w=_word(gap),
    )


def _next_step(facts: SummaryFacts, gap: Gap, ordinal: str) -> str:
    key = f"next.{gap.requirement}"
    options = {"rate": _NEXT_STEP_RATE, "per_person": _NEXT_STEP_PEOPLE}.get(gap.measure, _NEXT_STEP)
    return pick(options, facts, key).format(
        ord=ordinal,
        req=gap.requirement,
        next=gap.next_label,
        required=_number(gap.next_required),
        w=_word(gap),
        per=gap.per,
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
    practice = _PRACTICE_WRITERS.get(area, lambda _w: [])(w)
    if practice:
        blocks.append(Block(tuple(practice)))
    expected = tuple(name for name, figure in EXPECTED_ELSEWHERE.get(area, ()) if not _has(facts, figure))
    if not acts and not practice and not EXPECTED_ELSEWHERE.get(area):
        expected = (f"{area_name}工作情况",)
    if not acts and not practice:
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


# The practice modules' statements, per framework area. Each writer returns the spans of one
# paragraph (empty when the modules hold nothing for the area), every number a ``practice.*``
# figure with the records behind it.

_SUBMISSIONS = (
    "信息报送方面，{short}本期共报送各类信息{subs}条，获采用{adopt}条次{pubs}。",
    "本期向上报送信息{subs}条，累计被采用{adopt}条次{pubs}。",
    "信息工作台账登记报送{subs}条、采用{adopt}条次{pubs}。",
)
_PUBLICATIONS = (
    "，其中编入{list}",
    "，刊载于{list}",
    "，分别见于{list}",
)
_ARTICLES = (
    "对外宣传方面，在县级及以上媒体刊发宣传稿件{n}篇{high}。",
    "本期宣传稿件被县级以上媒体刊用{n}篇{high}。",
    "全期共有{n}篇宣传稿件在县级及以上媒体发表{high}。",
)
_ARTICLES_HIGH = (
    "，其中市级及以上媒体{n}篇",
    "，市级以上媒体采用的有{n}篇",
)
_PUBLISHED_ALL = (
    "自办阵地发布的{n}篇稿件全部经过初审、复审、终审后发布。",
    "通过自有阵地发布稿件{n}篇，篇篇履行了“三审制”程序。",
    "对自办阵地发布的内容严格执行“三审制”，本期发布的{n}篇均有三级审核记录。",
)
_PUBLISHED_SOME = (
    "自办阵地发布稿件{n}篇，其中完整履行初审、复审、终审程序的{full}篇。",
    "通过自有阵地发布稿件{n}篇，有三级审核记录的为{full}篇。",
)
_SENTIMENT = (
    "围绕全县中心工作，收集报送社情民意信息{ps}条{rest}。",
    "结合履职实践反映社情民意{ps}条{rest}。",
    "本期聚焦民生关切报送社情民意信息{ps}条{rest}。",
)
_RESEARCH = (
    "形成调研报告{n}篇",
    "报送调研成果{n}篇",
)
_RISKS = (
    "台账登记意识形态风险点{points}个，本期召开研判会议{meetings}次，对其中{reviewed}个逐一分析研判、明确防范措施。",
    "本期通过{meetings}次研判会议，对登记在册的{points}个风险点中的{reviewed}个进行了分析研判。",
    "梳理排查风险点{points}个，{meetings}次研判会议研究了其中{reviewed}个，落实了责任人和应对措施。",
)
# Every registered risk point reviewed (the reviewed are a subset, so equal counts mean the same
# records): one figure says both.
_RISKS_ALL = (
    "台账登记意识形态风险点{points}个，本期召开研判会议{meetings}次，逐一分析研判、明确了防范措施。",
    "本期通过{meetings}次研判会议，对登记在册的{points}个风险点全部进行了分析研判。",
    "梳理排查风险点{points}个，召开研判会议{meetings}次，每个风险点都落实了责任人和应对措施。",
)
_RISKS_OVERDUE = (
    "另有高风险点{n}个已过复核期限、仍未处置，需抓紧跟进。",
    "尚有{n}个高风险点超过复核日期未处置。",
)
_CHANNELS = (
    "阵地管理方面，{short}现有自办阵地{active}个，已备案{registered}个{kinds}。",
    "台账登记在用的工作群、显示屏等自办阵地{active}个，其中已备案{registered}个{kinds}。",
    "对自办阵地实行备案管理，在用阵地{active}个、已备案{registered}个{kinds}。",
)
_CAMPAIGNS = (
    "开展主题宣传{n}项（{titles}）。",
    "组织主题宣传活动{n}项，包括{titles}。",
)
_DONATIONS = (
    "捐款捐物方面，{list}。",
    "在爱心捐助中，{list}。",
    "据捐赠台账统计，{list}。",
)
_VOLUNTEER = (
    "组织党员干部参加志愿服务活动{n}次。",
    "登记志愿服务活动{n}次。",
)
_SELECTIONS = (
    "开展评选{n}项（{titles}），评出先进{winners}名。",
    "组织评选活动{n}项，包括{titles}，共有{winners}人获评。",
)


def _has(facts: SummaryFacts, name: str) -> bool:
    fig = facts.practice.get(name)
    return bool(fig and fig.value)


def _titles(names: tuple[str, ...], limit: int = 3) -> str:
    """Up to ``limit`` titles, quoted; "等" only when some are left out."""
    shown = "、".join(_quoted(name) for name in names[:limit])
    return shown + ("等" if len(names) > limit else "")


def _publicity_practice(w: _Writer) -> list[Span]:
    facts = w.facts
    out: list[Span] = []
    if _has(facts, "submissions"):
        issues: list[list[Span]] = []  # publications with issue numbers: 《各界反映》27期
        taken: list[list[Span]] = []  # without: counted in adoptions, 市政协《社情民意》采用3条
        for name, fig in facts.practice.items():
            if name.startswith("publication:") and fig.value:
                pub = name.removeprefix("publication:")
                numbered = (fig.text or "期") == "期"
                label = f"{pub}{'期数' if numbered else '采用条数'}"
                span = w.figure(f"practice.{name}", label, fig.ids, fig.value, source=fig.source)
                if numbered:
                    issues.append([Span(pub), span, Span("期")])
                else:
                    taken.append([Span(f"{pub}采用"), span, Span("条")])
        pubs = (
            w.fill(pick(_PUBLICATIONS, facts, "practice.publications"), list=_join(issues)) if issues else []
        )
        if taken:
            pubs += [Span("，另有" if issues else "，其中"), *_join(taken)]
        out += w.fill(
            pick(_SUBMISSIONS, facts, "practice.submissions"),
            short=facts.unit_short,
            subs=w.practice("submissions", "报送信息条数"),
            adopt=w.practice("adoptions", "信息采用条次"),
            pubs=pubs,
        )
    if _has(facts, "publicity_articles"):
        high = (
            w.fill(
                pick(_ARTICLES_HIGH, facts, "practice.articles.high"),
                n=w.practice("publicity_articles_city_or_higher", "市级及以上媒体宣传稿件数"),
            )
            if _has(facts, "publicity_articles_city_or_higher")
            else []
        )
        out += w.fill(
            pick(_ARTICLES, facts, "practice.articles"),
            n=w.practice("publicity_articles", "县级及以上媒体宣传稿件数"),
            high=high,
        )
    if _has(facts, "published_items"):
        published = facts.practice["published_items"].value
        reviewed = facts.practice.get("published_with_three_reviews")
        n = w.practice("published_items", "自办阵地发布稿件数")
        if reviewed and reviewed.value == published:
            w.practice("published_with_three_reviews", "经三审发布的稿件数")
            out += w.fill(pick(_PUBLISHED_ALL, facts, "practice.published"), n=n)
        else:
            full = (
                w.practice("published_with_three_reviews", "经三审发布的稿件数")
                if reviewed
                else w.figure("practice.published_with_three_reviews", "经三审发布的稿件数", [], 0)
            )
            out += w.fill(pick(_PUBLISHED_SOME, facts, "practice.published"), n=n, full=full)
    return out


def _integration_practice(w: _Writer) -> list[Span]:
    facts = w.facts
    if not _has(facts, "public_sentiment_submissions"):
        if not _has(facts, "research_report_submissions"):
            return []
        return w.fill(
            pick(_RESEARCH, facts, "practice.research") + "。",
            n=w.practice("research_report_submissions", "报送调研报告篇数"),
        )
    rest = (
        [
            Span("，"),
            *w.fill(
                pick(_RESEARCH, facts, "practice.research"),
                n=w.practice("research_report_submissions", "报送调研报告篇数"),
            ),
        ]
        if _has(facts, "research_report_submissions")
        else []
    )
    return w.fill(
        pick(_SENTIMENT, facts, "practice.sentiment"),
        ps=w.practice("public_sentiment_submissions", "报送社情民意信息条数"),
        rest=rest,
    )


def _leadership_practice(w: _Writer) -> list[Span]:
    facts = w.facts
    if not _has(facts, "risk_points"):
        return []
    p = facts.practice
    meetings = (
        w.practice("risk_assessments", "风险研判会议次数")
        if "risk_assessments" in p
        else w.figure("practice.risk_assessments", "风险研判会议次数", [], 0, source="活动")
    )
    points = w.practice("risk_points", "登记风险点个数")
    if _has(facts, "risk_points_reviewed") and p["risk_points_reviewed"].value == p["risk_points"].value:
        out = w.fill(pick(_RISKS_ALL, facts, "practice.risks"), points=points, meetings=meetings)
    else:
        reviewed = (
            w.practice("risk_points_reviewed", "本期研判的风险点个数")
            if "risk_points_reviewed" in p
            else w.figure("practice.risk_points_reviewed", "本期研判的风险点个数", [], 0, source="风险点")
        )
        out = w.fill(
            pick(_RISKS, facts, "practice.risks"), points=points, meetings=meetings, reviewed=reviewed
        )
    if _has(facts, "high_risks_overdue"):
        out += w.fill(
            pick(_RISKS_OVERDUE, facts, "practice.risks.overdue"),
            n=w.practice("high_risks_overdue", "逾期未处置的高风险点个数"),
        )
    return out


def _channels_practice(w: _Writer) -> list[Span]:
    facts = w.facts
    out: list[Span] = []
    if _has(facts, "channels_active"):
        kinds: list[list[Span]] = []
        if _has(facts, "channel_groups"):
            kinds.append([Span("工作群"), w.practice("channel_groups", "工作群个数"), Span("个")])
        if _has(facts, "channel_screens_boards"):
            kinds.append(
                [
                    Span("电子显示屏和宣传栏"),
                    w.practice("channel_screens_boards", "电子显示屏、宣传栏个数"),
                    Span("个"),
                ]
            )
        out += w.fill(
            pick(_CHANNELS, facts, "practice.channels"),
            short=facts.unit_short,
            active=w.practice("channels_active", "在用自办阵地个数"),
            registered=w.practice("channels_registered", "已备案阵地个数")
            if "channels_registered" in facts.practice
            else w.figure("practice.channels_registered", "已备案阵地个数", [], 0),
            kinds=[Span("，其中"), *_join(kinds)] if kinds else [],
        )
    if _has(facts, "campaigns"):
        campaigns = facts.practice["campaigns"]
        out += w.fill(
            pick(_CAMPAIGNS, facts, "practice.campaigns"),
            titles=_titles(campaigns.names),
            n=w.practice("campaigns", "主题宣传项数"),
        )
    out += _donations(w)
    if _has(facts, "volunteer_activities"):
        out += w.fill(
            pick(_VOLUNTEER, facts, "practice.volunteer"),
            n=w.practice("volunteer_activities", "志愿服务活动次数"),
        )
    if _has(facts, "selections"):
        out += w.fill(
            pick(_SELECTIONS, facts, "practice.selections"),
            titles=_titles(facts.practice["selections"].names),
            n=w.practice("selections", "评选项数"),
            winners=w.practice("selection_winners", "获评人数")
            if "selection_winners" in facts.practice
            else w.figure("practice.selection_winners", "获评人数", [], 0),
        )
    return out


def _donations(w: _Writer) -> list[Span]:
    """Money as summaries write it (157.3万余元: cut, never rounded up), goods valued, items counted."""
    facts = w.facts
    p = facts.practice
    parts: list[list[Span]] = []
    if _has(facts, "staff_donations_fen"):
        parts.append([Span("干部职工捐款"), w.practice("staff_donations_fen", "干部职工捐款（分）")])
    members: list[Span] = []
    if _has(facts, "members_donations_fen"):
        members += [Span("捐款"), w.practice("members_donations_fen", "委员捐款（分）")]
    if _has(facts, "members_goods_fen"):
        members += [
            Span("、" if members else ""),
            Span("捐赠物资价值"),
            w.practice("members_goods_fen", "委员捐赠物资折价（分）"),
        ]
    if members:
        parts.append([Span("委员"), *[s for s in members if s.text]])
    for key, group in (
        ("donations_fen", ("staff_donations_fen", "members_donations_fen")),
        ("goods_fen", ("members_goods_fen",)),
    ):
        total = p.get(key)
        if not total or not total.value:
            continue
        counted = {i for name in group if name in p for i in p[name].ids}
        other_ids = [i for i in total.ids if i not in counted]
        other = total.value - sum(p[name].value for name in group if name in p)
        if other > 0:
            label = "其他捐款" if key == "donations_fen" else "其他捐赠物资价值"
            parts.append(
                [
                    Span(label),
                    w.figure(
                        f"practice.other_{key}",
                        f"{label}（分）",
                        other_ids,
                        other,
                        source=total.source,
                        text=format_yuan_about(other),
                    ),
                ]
            )
    for name, fig in p.items():
        if name.startswith("item:") and fig.value:
            item = name.removeprefix("item:")
            parts.append(
                [
                    Span(f"捐赠{item}"),
                    w.figure(
                        f"practice.{name}",
                        f"捐赠{item}数量",
                        fig.ids,
                        fig.value,
                        source=fig.source,
                        text=fig.text or None,
                    ),
                ]
            )
    if not parts:
        return []
    return w.fill(pick(_DONATIONS, facts, "practice.donations"), list=_join(parts, "；"))


_PRACTICE_WRITERS = {
    "leadership": _leadership_practice,
    "publicity": _publicity_practice,
    "integration": _integration_practice,
    "channels_culture": _channels_practice,
}
