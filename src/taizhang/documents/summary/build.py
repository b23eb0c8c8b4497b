"""The half-year or year 意识形态工作总结, written from the facts: pure, no Django.

``build_summary(facts)`` is the whole document logic: data in, ``Document`` out. How it reads as a
summary rather than a data report:
- an opening in the unit's voice that frames the period: who it works under (named once, from the
  unit tree), what it studied and carried out (from its records), what its work served;
- one section per area the unit has work in, in the order its profile tells its work, under a
  heading chosen from its profile's pool by the records it holds; a sentence of principle, then
  numbered points (一是…。二是…。) built from the records, their highlights in the clerk's words,
  and figures in the genre's shape; an annual summary tells each half and what the second added;
- every record counted once, no part larger than its whole, no phrasing twice, no claim in the body
  that 存在的问题 denies;
- 存在的问题 and 下一步打算 always hold at least two points, from the weak points.
"""

from __future__ import annotations

from datetime import date

from taizhang.documents.output.model import Block, Document, Span, para
from taizhang.documents.summary import topics_lead as lead
from taizhang.documents.summary import topics_work as work
from taizhang.documents.summary.model import SummaryError, SummaryFacts
from taizhang.documents.summary.story import Story
from taizhang.documents.summary.weak import chosen_weak, weak_text
from taizhang.documents.summary.wording import half_of, topic_core
from taizhang.documents.summary.writer import Writer

ORDINALS = "一二三四五六七八九十"
NUMERALS = "一二三四五六七八九十"

TOPICS = {
    "duty": lead.topic_duty,
    "plans": lead.topic_plans,
    "sessions": lead.topic_sessions,
    "org_life": lead.topic_org_life,
    "risks": lead.topic_risks,
    "materials": lead.topic_materials,
    "study": lead.topic_study,
    "reflections": lead.topic_reflections,
    "highlights": lead.topic_highlights,
    "campaigns": work.topic_campaigns,
    "articles": work.topic_articles,
    "published": work.topic_published,
    "opinion": work.topic_opinion,
    "line": work.topic_line,
    "consultations": work.topic_consultations,
    "submissions": work.topic_submissions,
    "channels": work.topic_channels,
    "civility": work.topic_civility,
}


def ordinal(index: int) -> str:
    return NUMERALS[index] if index < 10 else str(index + 1)


def placeholder(name: str) -> Span:
    return Span(f"【待补充：{name}】", placeholder=True)


def _spirits(facts: SummaryFacts, half: int = 0) -> list[str]:
    """The meetings and documents whose spirit the unit studied (in one half of a year, or the whole
    period), as its records name them: the weightiest first (``spirits_rank``), then the latest."""
    rank = facts.phrases.get("spirits_rank") or []
    found: dict[str, date] = {}
    for act in facts.records.get("activities", ()):
        if act.day is None or (half and half_of(act.day) != half):
            continue
        for text in (act.title, *act.info.get("materials", ())):
            core = topic_core(text).rpartition("：")[2].strip("《》")  # 书记讲党课：…精神 is …精神
            if core.endswith("精神") and 6 <= len(core) <= 24:
                found[core] = max(found.get(core, act.day), act.day)

    def weight(name: str) -> tuple:
        place = next((i for i, word in enumerate(rank) if word in name), len(rank))
        return (place, -found[name].toordinal())

    return sorted(found, key=weight)


def _arc(facts: SummaryFacts) -> tuple[str, str]:
    """What each half of a year turned on, from the spirits studied in it."""
    first = next(iter(_spirits(facts, 1)), "")
    second = next((x for x in _spirits(facts, 2) if x != first), "")
    return first, second


def _opening(w: Writer) -> str:
    facts = w.facts
    years = facts.phrases.get("years", {})
    values = {
        **w.words(),
        **years.get("default", {}),
        **(years.get(facts.period.year) or years.get(str(facts.period.year)) or {}),
        "guidance": facts.phrases.get("guidance", "习近平新时代中国特色社会主义思想"),
    }
    spirits = _spirits(facts)
    first, second = _arc(facts) if facts.period.kind == "year" else ("", "")
    if first and second:
        values.update(first=first, second=second)
        text = w.text("opening_year", **values)
    elif spirits:
        text = w.text("opening", **values, spirits="、".join(spirits[:2]))
    else:  # nothing studied by name: the year's campaign, never passed off as a spirit studied
        text = w.text("opening_plain", **values)
    return text + w.text("opening_close", **values)


def _have(s: Story) -> set[str]:
    """What the area's records are: its activity kinds and record types (for choosing a heading)."""
    have = {a.kind for a in s.area_activities()}
    for t, area in s.facts.phrases.get("record_areas", {}).items():
        if area == s.area and s.facts.records.get(t):
            have.add(t)
    if s.area == "integration" and any(
        work._line_campaign(s, c) for c in s.facts.records.get("campaigns", ())
    ):
        have.add("line")
    return have


def build_summary(
    facts: SummaryFacts,
    *,
    shortcomings: list[str] | None = None,
    next_steps: list[str] | None = None,
) -> Document:
    """The summary document.

    ``shortcomings`` / ``next_steps`` (paragraphs) replace the proposals with the clerk's text; empty
    or None keeps the proposals, so clearing a box never leaves a section silently blank.
    """
    w = Writer(facts)
    label = facts.period.label
    chosen = chosen_weak(facts)
    w.avoid = {weak.area for weak in chosen if weak.area}
    blocks: list[Block] = [para(_opening(w))]
    for weak in facts.weak:
        if weak.code == "half_empty":  # a whole half without a record: the clerk must say what was done
            blocks.append(para(placeholder(f"{weak.when}的工作情况（这半年没有任何记录）")))

    sections: list[tuple[str, list[Block]]] = []
    area_names = dict(facts.areas)
    for area_code in w.voice.area_order([code for code, _ in facts.areas]):
        area_phrases = facts.phrases.get("areas", {}).get(area_code)
        if not area_phrases:
            continue
        story = Story(w, area_code)
        points: list[tuple[str, list[Span]]] = []
        for entry in area_phrases.get("topics", []):
            topic = TOPICS.get(entry.get("topic"))
            if topic is None:
                raise SummaryError(f"summary.yaml: 未知的 topic “{entry.get('topic')}”")
            spans = topic(story)
            if spans:
                labels = entry.get("label") or [""]
                if isinstance(labels, dict):
                    labels = labels.get(w.voice.profile) or labels.get("default") or [""]
                points.append((w.choose(list(labels), area_code, entry["topic"], "label"), spans))
        heading = w.voice.heading(area_code, _have(story), w.index) or facts.phrases.get("headings", {}).get(
            area_code, area_names[area_code]
        )
        if not points:
            if area_code in facts.required_areas:
                # Nothing recorded where the unit's rules ask for work: the clerk must say what was
                # done (or the ledger is incomplete); the gap stays visible and --strict refuses it.
                sections.append((heading, [para(placeholder(f"{area_names[area_code]}方面的工作情况"))]))
            continue
        body: list[Block] = [para(w.text("areas", area_code, "principle"))]
        if len(points) == 1:
            body.append(Block((Span(f"{points[0][0]}。"), *points[0][1])))
        else:
            for i, (point_label, spans) in enumerate(points):
                body.append(Block((Span(f"{ordinal(i)}是{point_label}。"), *spans)))
        if area_phrases.get("closing") and area_code not in w.avoid:
            last = body[-1]
            body[-1] = Block((*last.spans, Span(w.text("areas", area_code, "closing"))), last.level)
        sections.append((heading, body))

    for i, (heading, body) in enumerate(sections):
        blocks.append(para(f"{ORDINALS[i]}、{heading}", level=1))
        blocks.extend(body)

    n = len(sections)
    blocks.append(para(f"{ORDINALS[n]}、存在的问题", level=1, section="problems"))
    if shortcomings:
        blocks.extend(para(text) for text in shortcomings if text.strip())
    else:
        blocks.append(para(w.text("shortcomings_lead")))
        for i, weak in enumerate(chosen):
            blocks.append(para(f"{ordinal(i)}是" + weak_text(w, weak, "problem")))

    blocks.append(para(f"{ORDINALS[n + 1]}、下一步打算", level=1, section="steps"))
    if next_steps:
        blocks.extend(para(text) for text in next_steps if text.strip())
    else:
        blocks.append(para(w.text("next_steps_lead")))
        answers = [weak_text(w, weak, "answer") for weak in chosen]
        # The rules restated as promises, those an answer above has not promised already.
        promised = [c for c in facts.commitments if not any(c in text for text in answers)]
        if promised:
            answers.append(w.text("next_commit", items="，".join(promised[:4])))
        for i, text in enumerate(answers):
            blocks.append(para(f"{ordinal(i)}是" + text))

    return Document(
        title=f"{facts.unit.name}{label}意识形态工作总结",
        # Where the title may break across lines: between these, never inside a name.
        title_phrases=(facts.unit.name, label, "意识形态工作总结"),
        blocks=tuple(blocks),
        signature_unit=facts.unit.name,
        signature_date=f"{facts.written_on.year}年{facts.written_on.month}月{facts.written_on.day}日",
        figures=w.figures,
    )
