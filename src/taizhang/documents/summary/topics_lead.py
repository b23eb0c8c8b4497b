"""Topics of the first two sections: responsibility and leadership, theory study (pure).

Each topic returns the spans of one point (without its label), or [] when the records hold nothing
for it. Sentences are built from the records: who answers for what, the plans and when they were
made, what the sessions studied, the risk points by name and as their status stands, the materials
of each half of the year, and the figures in the genre's shape.
"""

from __future__ import annotations

import re

import cn2an

from taizhang.documents.output.model import Span
from taizhang.documents.summary.model import Rec
from taizhang.documents.summary.story import Story, join
from taizhang.documents.summary.wording import (
    booked,
    listing,
    rate_text,
    sentence,
    topic_core,
    when_in_year,
)

SESSION_KINDS = ("ideology_session", "joint_meeting", "report_upward")
ORG_LIFE_KINDS = ("branch_general_meeting", "branch_committee_meeting", "cell_meeting")
PLAN_KINDS = ("work_points", "study_plan")
RISK_STATUS = {"closed": "closed", "mitigated": "mitigated"}


def topic_duty(s: Story) -> list[Span]:
    d = s.facts.duties
    posts = s.w.voice.data.get("posts") or {}

    def names(duty: str) -> str:
        found = [str(posts.get(post) or post).format(**s.w.words()) for post in d.get(duty, ())]
        return "、".join(dict.fromkeys(found))

    if d.get("accountable") and d.get("responsible") and d.get("supporting"):
        return s.w.say(
            "say",
            "duty_full",
            accountable=names("accountable"),
            responsible=names("responsible"),
            supporting=names("supporting"),
        )
    who = "、".join(x for x in (names("accountable"), names("responsible")) if x)
    return s.w.say("say", "duty_some", who=who) if who else []


def topic_plans(s: Story) -> list[Span]:
    plans = sorted(
        (a for a in s.own(s.records("activities")) if a.kind in PLAN_KINDS and not a.imported),
        key=lambda a: (a.day, a.id),
    )
    if not plans:
        return []
    titles = list(dict.fromkeys(topic_core(a.title).removeprefix("制定").removeprefix("印发") for a in plans))
    s.w.own(plans, "工作计划")  # told by name, counted nowhere
    days = [a.day for a in plans]
    if s.facts.period.kind == "year" or s.facts.period.first_month == 1:
        return s.w.say("say", "plans", when=when_in_year(days), items=listing(titles, 3))
    return s.w.say("say", "plans_later", when=f"{min(days).month}月", items=listing(titles, 3))


SESSION_PREFIX = re.compile(
    r"^(.{0,6}?(党组|支部)?(会议|支委会|党组会|党组|办公会|部务会))?(上|：)?(专题)?(研究|听取)?"
)


def _matters(acts: list[Rec], kind_name: str) -> list[str]:
    """What sessions were about, from their topics (党组会议专题研究X → X), leaving out topics that
    only name the kind."""
    out = []
    for a in acts:
        core = SESSION_PREFIX.sub("", topic_core(a.title)).strip("：")
        if kind_name in a.title or core in ("意识形态工作", "") or len(core) < 4:
            continue
        out.append(core)
    return list(dict.fromkeys(out))


def topic_sessions(s: Story) -> list[Span]:
    acts = s.w.free(s.own(s.area_activities(set(SESSION_KINDS))))
    per_kind = {k: [a for a in acts if a.kind == k] for k in SESSION_KINDS}
    acts = [a for k, recs in per_kind.items() if not s.thin(k, recs) for a in recs]
    if not acts:
        return []
    listing_spans = join(s.kind_list(acts, "leadership", named=3, rest="会议"))
    sessions = [a for a in acts if a.kind == "ideology_session"]
    matters = _matters(sessions, s.kind_name("ideology_session"))
    if s.year:  # the year as a year: what each half took up
        halves = s.by_half(sessions)
        first, second = (_matters(halves.get(h, []), s.kind_name("ideology_session")) for h in (1, 2))
        if first and second:
            return s.w.say("say", "sessions_year", list=listing_spans, first=first[0], second=second[-1])
    if matters:
        return s.w.say("say", "sessions_matters", list=listing_spans, matters=listing(matters, 3))
    return s.w.say("say", "sessions", list=listing_spans)


def topic_org_life(s: Story) -> list[Span]:
    acts = s.w.free(s.area_activities(set(ORG_LIFE_KINDS)))
    own = [a for a in s.own(acts)]
    per_kind: dict[str, list[Rec]] = {}
    for a in own:
        per_kind.setdefault(a.kind, []).append(a)
    own = [a for k, recs in per_kind.items() if not s.thin(k, recs) for a in recs]
    subs = s.subs(acts)
    out: list[Span] = []
    if own:
        out += s.w.say("say", "org_life", list=join(s.kind_list(own, "org_life", named=3, rest="会议")))
        monthly = s.monthly_kinds(own)
        if monthly:
            out += s.w.say("say", "monthly", items=listing(monthly, 3))
    if subs:
        out += s.w.say("say", "org_life_sub", who=sub_label(s), list=join(s.kind_list(subs, "org_life.sub")))
    return out


def topic_risks(s: Story) -> list[Span]:
    meetings = [a for a in s.own(s.w.free(s.area_activities({"assessment"})))]
    risks = s.records("risk_points")
    out: list[Span] = []
    if meetings and not s.thin("assessment", meetings):
        n = s.w.figure("leadership.assessment", "意识形态形势分析研判次数", meetings, unit="次")
        out += s.w.say("say", "assessments", n=n)
    if not risks:
        return out
    n = s.w.figure("risks.points", "登记风险点个数", risks, unit="个")
    titles = [r.title for r in sorted(risks, key=lambda r: ({"high": 0, "medium": 1}.get(r.kind, 2), r.id))]
    out += s.w.say(
        "say", "risks", n=n, items=listing([f"“{t}”" for t in titles], 2), state=risk_state(s, risks)
    )
    return out


def small(n: int) -> str:
    """A small count said in words, as a sentence does (两个, 三个), where it is no figure of its own."""
    return {2: "两"}.get(n) or cn2an.an2cn(n)


def risk_state(s: Story, risks: list[Rec]) -> str:
    """How the risk points stand, told as recorded: 已销号, 得到缓解 (never 化解 for 已缓解), 跟踪防控."""
    words = s.facts.phrases.get("risk_states", {})
    closed = sum(1 for r in risks if r.info.get("status") == "closed")
    eased = sum(1 for r in risks if r.info.get("status") == "mitigated")
    if closed == len(risks):
        return words.get("closed_all", "目前均已销号")
    if eased == len(risks):
        return words.get("mitigated_all", "目前均已得到缓解")
    if not closed and not eased:
        return words.get("open_all", "目前都在跟踪防控之中")
    parts = []
    if closed:
        parts.append(words.get("closed", "{n}个已经销号").format(n=small(closed)))
    if eased:
        parts.append(words.get("mitigated", "{n}个已经得到缓解").format(n=small(eased)))
    return "其中" + "、".join(parts) + "，" + words.get("open_rest", "其余仍在跟踪防控")


# -- theory study --------------------------------------------------------------------------------------


def _materials(acts: list[Rec], limit: int) -> list[str]:
    names: list[str] = []
    for act in sorted(acts, key=lambda a: (a.day, a.id)):
        for material in act.info.get("materials", ()):
            if booked(material) not in names:
                names.append(booked(material))
    return names[:limit]


def topic_materials(s: Story) -> list[Span]:
    acts = [a for a in s.area_activities() if a.kind not in PLAN_KINDS and not a.imported]
    if not acts:
        return []
    if s.year:
        halves = s.by_half(acts)
        first, second = _materials(halves.get(1, []), 3), _materials(halves.get(2, []), 3)
        second = [m for m in second if m not in first]
        if first and second:
            return s.w.say("say", "materials_year", first="、".join(first), second="、".join(second))
    names = _materials(acts, 4)
    if not names:
        topics = list(dict.fromkeys(topic_core(a.title) for a in acts if len(topic_core(a.title)) > 5))
        if not topics:
            return []
        return s.w.say("say", "topics", items="、".join(f"“{t}”" for t in topics[:3]))
    return s.w.say("say", "materials", items="、".join(names))


def topic_study(s: Story) -> list[Span]:
    acts = s.w.free(a for a in s.area_activities() if a.kind not in PLAN_KINDS)
    own, subs = s.own(acts), s.subs(acts)
    per_kind: dict[str, list[Rec]] = {}
    for a in own:
        per_kind.setdefault(a.kind, []).append(a)
    own = [a for k, recs in per_kind.items() if not s.thin(k, recs) for a in recs]
    out: list[Span] = []
    if own:
        out += s.w.say("say", "study_list", list=join(s.kind_list(own, "study", named=5, rest="学习活动")))
        monthly = s.monthly_kinds(own)
        if monthly:
            out += s.w.say("say", "monthly", key="study", items=listing(monthly, 3))
        themes = [topic_core(a.title) for a in own if a.kind == "theme_day" and "月主题党日" not in a.title]
        if len(set(themes)) >= 2:
            out += s.w.say(
                "say", "theme_days", items="、".join(f"“{t}”" for t in list(dict.fromkeys(themes))[:3])
            )
        if s.year:
            out += _second_half(s, own)
    if subs:
        out += s.w.say("say", "study_sub", who=sub_label(s), list=join(s.kind_list(subs, "study.sub")))
    rows = [row for a in own for row in a.info.get("attendance", ())]  # (id, status)
    present = sum(1 for _, status in rows if status == "present")
    rated = len({a.id for a in own if a.info.get("attendance")})
    shown = rate_text(present, len(rows), rated)
    if shown and 100 * present / len(rows) >= s.facts.phrases.get("attendance_target", 80):
        rate = round(100 * present / len(rows), 1)
        ids = [pk for pk, _ in rows]
        span = s.w.rows_figure(
            "study.attendance", "学习出勤率", "attendance", ids, unit="%", value=rate, text=shown
        )
        out += s.w.say("say", "attendance", rate=span)
    return out


def _second_half(s: Story, acts: list[Rec]) -> list[Span]:
    """What the second half of the year added: kinds of study first held then."""
    halves = s.by_half(acts)
    first = {a.kind for a in halves.get(1, [])}
    added = list(dict.fromkeys(s.kind_name(a.kind) for a in halves.get(2, []) if a.kind not in first))
    if added and first:
        return s.w.say("say", "study_added", items=listing(added, 2))
    return []


def topic_reflections(s: Story) -> list[Span]:
    recs = s.records("reflections")
    if not recs:
        return []
    n = s.w.figure("reflections", "学习体会篇数", recs, unit="篇")
    return s.w.say("say", "reflections", n=n)


def topic_highlights(s: Story) -> list[Span]:
    """The area's records a clerk marked as highlights, in the clerk's words, not counted again; an
    activity's story is introduced by what the activity was (围绕“…”), in a year by its half."""
    types = [t for t, area in s.facts.phrases.get("record_areas", {}).items() if area == s.area]
    recs = [a for a in s.area_activities() if a.highlight]
    for t in types:
        if t != "campaigns":  # told with the campaign itself
            recs += [r for r in s.records(t) if r.highlight]
    out: list[Span] = []
    for i, rec in enumerate(s.highlights(recs, limit=2)):
        key = f"{rec.type}.{rec.id}"
        if rec.type == "activities":
            # a story that says what it was (封控期间把集中学习搬到线上) stands alone; another is
            # introduced by what the activity was about
            word = s.kind_name(rec.kind)[-2:]
            alone = (word if word != "工作" else "会议") in rec.highlight or rec.highlight.startswith("围绕")
            lead = "{text}" if alone else s.w.pick("say", "highlight_activity", key=key)
            if s.year and not TIME_LEAD.match(rec.highlight):  # 年底党组会议上… says when itself
                lead = "{when}，" + lead
        else:
            lead = s.w.pick("say", "highlight_first" if i == 0 else "highlight_next", key=key)
        out += s.w.fill(lead, text=sentence(rec.highlight), when=_when(s, rec), topic=topic_core(rec.title))
    return out


# a story that begins by saying when it happened needs no 上半年/下半年 before it
TIME_LEAD = re.compile(
    r"^(年初|年中|年底|年末|岁末|汛期|暑期|寒假|春节|国庆|上半年|下半年|[一二三四五六七八九十\d]{1,2}月)"
)


def _when(s: Story, rec: Rec) -> str:
    """When a story happened, as a lead-in: 下半年 in an annual summary, the month in a half year's."""
    if rec.day is None:
        return ""
    if s.year:
        return "上半年" if rec.day.month <= 6 else "下半年"
    return f"{rec.day.month}月"


def sub_label(s: Story) -> str:
    labels = s.facts.phrases.get("sub_units", {})
    kinds = {u.kind for u in s.facts.units.values() if u.id != s.facts.unit.id}
    kind = next(iter(kinds)) if len(kinds) == 1 else "default"
    return labels.get(kind) or labels.get("default", "下属各单位")
