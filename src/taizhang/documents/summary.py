"""The half-year or year 意识形态工作总结, written from the facts: pure, no Django.

``build_summary(facts)`` is the whole document logic: data in, ``Document`` out. The facts
(``documents.facts``) hold the records of the unit and its sub-units for the period, gathered once,
and the weak points the rules engine and the records show; every number the text states is one of
those records' counts or sums, and keeps the records behind it. The words come from the phrase
library (``frameworks/summary.yaml``), which an organisation edits as it edits its rules.

How it reads as a summary rather than a data report:
- an opening that frames the period (who leads, what guides, what the year's task was) and closes
  with 现将…总结如下;
- one section per area under the framework's two-clause heading: a sentence of principle, then
  numbered points (一是…。二是…。), each led by a short label, telling what was done, the
  records' highlights (典型做法与成效) in the clerk's words, and the figures as one list;
- each record is counted once in the whole document (the writer refuses a second figure on the
  same records), no breakdown equals its total, and no phrasing is used twice;
- 存在的问题 and 下一步打算 always hold at least two points, from the weak points.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import cn2an

from taizhang.core.money import format_yuan_about
from taizhang.core.periods import Period
from taizhang.documents.model import Block, Document, Figure, Span, para

ORDINALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Rec:
    """One record the summary may tell or count. ``type`` is the table's record type (provenance).

    An aggregate imported from a past summary is one Rec (``type`` ``imported_figures``) standing
    for ``count`` records; its ``info`` holds ``imported``: how the document names its source."""

    type: str
    id: int
    unit: int
    day: date | None
    title: str = ""
    kind: str = ""
    highlight: str = ""
    info: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    count: int = 1  # the records it stands for: 1, or an imported aggregate's count

    @property
    def imported(self) -> str:
        """ "据《…》导入，汇总数…" for an imported aggregate, "" for a detailed record."""
        return self.info.get("imported", "")


def counted(recs) -> int:
    """How many records ``recs`` stand for (an imported aggregate counts as its count)."""
    return sum(r.count for r in recs)


@dataclass(frozen=True)
class UnitInfo:
    id: int
    code: str
    name: str
    short: str
    kind: str
    parent: int | None = None


@dataclass(frozen=True)
class Weak:
    """A weak point: an unmet requirement (from the engine) or a measured one, as the text needs it.

    ``subject`` names what it is about in words (an activity kind, 学习); ``evidence`` a short clause
    that shows it without restating a counted figure; ``commitment`` the rule as a promise
    (全年不少于2次).
    """

    code: str
    severity: int
    subject: str = ""
    evidence: str = ""
    commitment: str = ""
    when: str = ""


@dataclass(frozen=True)
class SummaryFacts:
    """Everything the summary says, read from the ledger and the engine, with the phrase library."""

    unit: UnitInfo
    units: dict[int, UnitInfo]  # the unit and its sub-units: the summary's scope
    period: Period
    written_on: date
    areas: tuple[tuple[str, str], ...]  # (code, name) in framework order
    kinds: dict[str, tuple[str, str]]  # activity kind code → (name, area code)
    kind_order: tuple[str, ...]
    records: dict[str, tuple[Rec, ...]]  # by record type
    duties: dict[str, tuple[str, ...]]  # accountable/responsible/supporting → the posts holding it
    weak: tuple[Weak, ...]
    commitments: tuple[str, ...]  # the leadership rules as promises, for the last next step
    phrases: dict[str, Any]


class SummaryError(ValueError):
    """A bug in a template or the facts: a figure stated twice, a phrase missing."""


class _Writer:
    """Figures with their records, each record counted once; phrasings chosen without repeats."""

    def __init__(self, facts: SummaryFacts):
        self.facts = facts
        self.figures: dict[str, Figure] = {}
        self.owner: dict[tuple[str, int], str] = {}
        self.used: set[str] = set()
        self.told: set[tuple[str, int]] = set()  # highlights already told in a topic of their own

    # -- phrases ----------------------------------------------------------
    def phrase(self, *path: str) -> list[str]:
        node: Any = self.facts.phrases
        for part in path:
            if not isinstance(node, dict) or part not in node:
                raise SummaryError(f"summary.yaml: 缺少 {'.'.join(path)}")
            node = node[part]
        return node if isinstance(node, list) else [node]

    def index(self, n: int, *parts: str) -> int:
        """A stable choice among ``n`` for this unit, period and statement (not ``hash()``, which
        changes between processes): the same inputs always read the same, two units differently."""
        text = "|".join((self.facts.unit.code, self.facts.period.code, *parts))
        return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big") % n

    def pick(self, *path: str, key: str = "") -> str:
        """One phrasing by a stable hash; one already used in this document is passed over."""
        options = self.phrase(*path)
        start = self.index(len(options), ".".join(path), key)
        for step in range(len(options)):
            choice = options[(start + step) % len(options)]
            if choice not in self.used:
                self.used.add(choice)
                return choice
        return options[start % len(options)]

    # -- figures ----------------------------------------------------------
    def figure(
        self,
        key: str,
        label: str,
        records: list[Rec],
        *,
        unit: str,
        value: int | None = None,
        text: str | None = None,
    ) -> Span:
        """A number and the records behind it; ``value`` defaults to their count.

        A record already behind another figure is a bug (one piece of work stated twice). An
        imported aggregate counts as the records it stands for, and the figure keeps its source."""
        weights = {(r.type, r.id): r.count for r in records}
        notes = tuple(dict.fromkeys(r.imported for r in records if r.imported))
        refs = tuple(sorted(weights))
        for ref in refs:
            if ref in self.owner:
                raise SummaryError(f"记录 {ref} 已计入“{self.owner[ref]}”，不能再计入“{label}”")
        for ref in refs:
            self.owner[ref] = label
        fig = Figure(
            key=key,
            label=label,
            value=sum(weights.values()) if value is None else value,
            record_ids=tuple(i for _, i in refs),
            source=refs[0][0] if refs else "",
            records=refs,
            unit=unit,
            imported=notes,
        )
        self.figures[key] = fig
        if text is None and records and all(r.imported and r.info.get("more") for r in records):
            text = f"{fig.value}余{unit}"  # as the imported summary stated it: the least it vouches for
        shown = str(fig.value) if text is None else text
        return Span(shown if text is not None else f"{shown}{unit}", figure=key)

    def fill(self, template: str, **values: Any) -> list[Span]:
        """``template.format`` that keeps Spans (figures) as separate spans."""
        out: list[Span] = []
        rest = template
        while "{" in rest:
            before, _, after = rest.partition("{")
            name, _, rest = after.partition("}")
            if before:
                out.append(Span(before))
            if name not in values:
                raise SummaryError(f"summary.yaml: 模板“{template}”中的 {{{name}}} 无法填写")
            value = values[name]
            for part in value if isinstance(value, list) else [value]:
                out.append(part if isinstance(part, Span) else Span(str(part)))
        if rest:
            out.append(Span(rest))
        return out


# -- helpers ---------------------------------------------------------------------------------------


def _join(parts: list[list[Span]], sep: str = "，") -> list[Span]:
    out: list[Span] = []
    for i, part in enumerate(parts):
        if i:
            out.append(Span(sep))
        out.extend(part)
    return out


def _items(names: list[str], limit: int = 3) -> str:
    """Up to ``limit`` names; the template says 等 where the list may be longer."""
    return "、".join(names[:limit])


def _quoted(topic: str) -> str:
    if topic.startswith(("“", "《")):
        return topic
    return "“" + topic.replace("“", "‘").replace("”", "’") + "”"


def _booked(material: str) -> str:
    return material if "《" in material or "“" in material else f"《{material}》"


def _placeholder(name: str) -> Span:
    return Span(f"【待补充：{name}】", placeholder=True)


def ordinal(index: int) -> str:
    return cn2an.an2cn(index + 1)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(("。", "！", "？", "；")) else text + "。"


class _Story:
    """What a section tells, built topic by topic; records told here are not told again."""

    def __init__(self, w: _Writer, area: str):
        self.w = w
        self.facts = w.facts
        self.area = area

    # records of this area, own unit vs sub-units
    def own(self, recs) -> list[Rec]:
        return [r for r in recs if r.unit == self.facts.unit.id]

    def subs(self, recs) -> list[Rec]:
        return [r for r in recs if r.unit != self.facts.unit.id]

    def kind_name(self, code: str) -> str:
        return self.facts.kinds.get(code, (code, ""))[0]

    def area_activities(self, kinds: set[str] | None = None) -> list[Rec]:
        acts = self.facts.records.get("activities", ())
        return [
            a
            for a in acts
            if self.facts.kinds.get(a.kind, ("", ""))[1] == self.area and (kinds is None or a.kind in kinds)
        ]

    def kind_list(self, acts: list[Rec], key: str) -> list[list[Span]]:
        """``开展理论学习中心组学习4次`` for each kind, in the framework's order; a verb is said
        again only where it changes (召开联席会议, 举办道德讲堂)."""
        per_kind: dict[str, list[Rec]] = defaultdict(list)
        for act in acts:
            per_kind[act.kind].append(act)
        order = {code: i for i, code in enumerate(self.facts.kind_order)}
        verbs = self.facts.phrases.get("kind_verbs", {})
        out, last = [], None
        for kind in sorted(per_kind, key=lambda k: (order.get(k, 999), k)):
            name = self.kind_name(kind)
            verb = verbs.get(kind, verbs.get("default", "开展"))
            span = self.w.figure(f"{key}.{kind}", f"{name}次数", per_kind[kind], unit="次")
            out.append([Span(f"{verb if verb != last else ''}{name}"), span])
            last = verb
        return out


# -- topics ------------------------------------------------------------------------------------------
# Each returns the spans of one point (without its label), or [] when the ledger holds nothing for it.

LEADERSHIP_LIST = ("ideology_session", "joint_meeting", "report_upward", "assessment")
PLAN_KINDS = ("work_points", "study_plan")


def _topic_duty(s: _Story) -> list[Span]:
    d = s.facts.duties
    posts = s.facts.phrases.get("posts", {})
    kind = s.facts.unit.kind

    def names(duty: str) -> str:
        found = []
        for post in d.get(duty, ()):
            labels = posts.get(post, {})
            found.append(labels.get(kind) or labels.get("default") or post)
        return "、".join(dict.fromkeys(found))

    if d.get("accountable") and d.get("responsible") and d.get("supporting"):
        text = s.w.pick("say", "duty_full").format(
            accountable=names("accountable"), responsible=names("responsible"), supporting=names("supporting")
        )
        return [Span(text)]
    who = "、".join(x for x in (names("accountable"), names("responsible")) if x)
    if not who:
        return []
    return [Span(s.w.pick("say", "duty_some").format(who=who))]


def _topic_plans(s: _Story) -> list[Span]:
    out: list[Span] = []
    plans = [a for a in s.own(s.facts.records.get("activities", ())) if a.kind in PLAN_KINDS]
    if plans:
        topics = [a.title.removeprefix("研究") for a in sorted(plans, key=lambda a: (a.day, a.id))]
        verbs = "，".join(dict.fromkeys(topics))
        out.append(Span(s.w.pick("say", "plans").format(items=verbs)))
        # The plans are told by name; they are counted nowhere else, so they keep their records.
        for a in plans:
            s.w.owner.setdefault((a.type, a.id), "工作计划")
    acts = [a for a in s.own(s.area_activities(set(LEADERSHIP_LIST)))]
    others = [
        a
        for a in s.own(s.area_activities())
        if a.kind not in LEADERSHIP_LIST and a.kind not in PLAN_KINDS and (a.type, a.id) not in s.w.owner
    ]
    listing = s.kind_list(acts + others, "leadership")
    if listing:
        out += s.w.fill(s.w.pick("say", "leadership_list"), period=s.facts.period.label, list=_join(listing))
    return out


def _topic_risks(s: _Story) -> list[Span]:
    risks = list(s.facts.records.get("risk_points", ()))
    if not risks:
        return []
    closed = [r for r in risks if r.info.get("status") in ("mitigated", "closed")]
    n = s.w.figure("risks.points", "登记风险点个数", risks, unit="个")
    if closed and len(closed) < len(risks):
        state = s.w.pick("say", "risks_state_closed").format(closed=cn2an.an2cn(len(closed)))
    elif closed:
        state = "，目前均已化解或得到有效控制"
    else:
        state = s.w.pick("say", "risks_state_open")
    return s.w.fill(s.w.pick("say", "risks"), n=n, state=state)


def _topic_materials(s: _Story) -> list[Span]:
    acts = sorted(s.area_activities(), key=lambda a: (a.day, a.id))
    names: list[str] = []
    for act in acts:
        for material in act.info.get("materials", ()):
            booked = _booked(material)
            if booked not in names:
                names.append(booked)
    if not names:
        return []
    return [Span(s.w.pick("say", "materials").format(items=_items(names, 4)))]


def _topic_study(s: _Story) -> list[Span]:
    acts = [a for a in s.area_activities() if a.kind not in PLAN_KINDS and (a.type, a.id) not in s.w.owner]
    own, subs = s.own(acts), s.subs(acts)
    out: list[Span] = []
    if own:
        out += s.w.fill(
            s.w.pick("say", "study_list"), period=s.facts.period.label, list=_join(s.kind_list(own, "study"))
        )
    if subs:
        out += s.w.fill(
            s.w.pick("say", "study_sub"), who=_sub_label(s.facts), list=_join(s.kind_list(subs, "study.sub"))
        )
    attendance = [row for a in own for row in a.info.get("attendance", ())]
    if attendance:
        present = sum(1 for row in attendance if row.kind == "present")
        rate = round(100 * present / len(attendance), 1)
        shown = f"{rate:g}%"
        span = s.w.figure(
            "study.attendance", "学习出勤率", list(attendance), unit="%", value=rate, text=shown
        )
        key = "attendance_low" if rate < 80 else "attendance"
        out += s.w.fill(s.w.pick("say", key), rate=span)
    return out


def _topic_reflections(s: _Story) -> list[Span]:
    recs = list(s.facts.records.get("reflections", ()))
    if not recs:
        return []
    n = s.w.figure("reflections", "学习体会篇数", recs, unit="篇")
    return s.w.fill(s.w.pick("say", "reflections"), n=n)


def _topic_articles(s: _Story) -> list[Span]:
    arts = list(s.facts.records.get("publicity_articles", ()))
    if not arts:
        return []
    county = [a for a in arts if a.kind == "county"]
    higher = [a for a in arts if a.kind and a.kind != "county"]
    unknown = [a for a in arts if not a.kind]  # imported aggregates: the level is not known
    parts = []
    if unknown:
        parts.append(
            [Span("在各级媒体刊发宣传稿件"), s.w.figure("articles.any", "各级媒体稿件", unknown, unit="篇")]
        )
    if county:
        parts.append(
            [Span("在县级媒体刊发宣传稿件"), s.w.figure("articles.county", "县级媒体稿件", county, unit="篇")]
        )
    if higher:
        outlets = list(dict.fromkeys(a.info.get("outlet", "") for a in sorted(higher, key=lambda a: a.kind)))
        lead = "在市级以上媒体" if not county and not unknown else "在"
        parts.append(
            [
                Span(f"{lead}{_items([o for o in outlets if o], 3)}刊发"),
                s.w.figure("articles.higher", "市级以上媒体稿件", higher, unit="篇"),
            ]
        )
    return s.w.fill(s.w.pick("say", "articles"), list=_join(parts))


def _topic_published(s: _Story) -> list[Span]:
    items = list(s.facts.records.get("published_items", ()))
    if not items:
        return []
    full = [i for i in items if i.info.get("full_review")]
    if len(full) == len(items):
        n = s.w.figure("published", "自办阵地发布稿件", items, unit="篇")
        return s.w.fill(s.w.pick("say", "published"), n=n, period=s.facts.period.label)
    rest = [i for i in items if not i.info.get("full_review")]
    return s.w.fill(
        s.w.pick("say", "published_gap"),
        n=s.w.figure("published.partial", "三审未完整的稿件", rest, unit="篇"),
        full=s.w.figure("published.full", "经三审发布的稿件", full, unit="篇"),
    )


def _topic_campaigns(s: _Story) -> list[Span]:
    campaigns = list(s.facts.records.get("campaigns", ()))
    donations = list(s.facts.records.get("donations", ()))
    out: list[Span] = []
    if campaigns:
        titles = [_quoted(c.title) for c in campaigns]
        story = " ".join(_sentence(c.highlight) for c in campaigns if c.highlight) or s.w.pick(
            "say", "campaign_story_default"
        )
        out += s.w.fill(s.w.pick("say", "campaigns"), items="、".join(titles), story=story)
    parts = _donation_parts(s, donations)
    if parts:
        out += s.w.fill(s.w.pick("say", "donations"), list=_join(parts, "；"))
    return out


def _donation_parts(s: _Story, donations: list[Rec]) -> list[list[Span]]:
    groups: dict[tuple[str, str], list[Rec]] = defaultdict(list)
    items: dict[str, list[Rec]] = defaultdict(list)
    for d in donations:
        if d.kind == "items":
            items[d.info.get("item_name") or "物品"].append(d)
        else:
            groups[(d.info.get("donor_group", ""), d.kind)].append(d)
    who = {"staff": "干部职工", "members": "委员", "other": "社会各界"}
    what = {"money": "捐款", "goods": "捐赠物资价值"}
    parts: list[list[Span]] = []
    for (group, kind), recs in sorted(groups.items(), key=lambda x: (x[0][0] != "staff", x[0][1] != "money")):
        fen = sum(r.info.get("amount_fen", 0) for r in recs)
        if not fen:
            continue
        label = f"{who.get(group, '')}{what.get(kind, '捐赠')}"
        span = s.w.figure(
            f"donations.{group}.{kind}",
            f"{label}（分）",
            recs,
            unit="元",
            value=fen,
            text=format_yuan_about(fen),
        )
        parts.append([Span(label), span])
    for name, recs in sorted(items.items()):
        count = sum(r.info.get("item_count") or 0 for r in recs)
        measure = next((r.info.get("item_unit") for r in recs if r.info.get("item_unit")), "件")
        span = s.w.figure(
            f"donations.items.{name}",
            f"捐赠{name}数量",
            recs,
            unit=measure,
            value=count,
            text=f"{count}{measure}",
        )
        parts.append([Span(f"捐赠{name}"), span])
    return parts


def _topic_consultations(s: _Story) -> list[Span]:
    acts = [a for a in s.area_activities() if (a.type, a.id) not in s.w.owner]
    if not acts:
        return []
    acts.sort(key=lambda a: (a.day, a.id))
    own, subs = s.own(acts), s.subs(acts)
    names = [_quoted(a.title) for a in own or subs if not a.imported] or [
        _quoted(a.title) for a in own or subs
    ]
    listing = s.kind_list(own, "integration") if own else []
    if subs:  # the sub-units' own, counted apart from the unit's
        listing.append([Span(_sub_label(s.facts)), *_join(s.kind_list(subs, "integration.sub"))])
    out = s.w.fill(s.w.pick("say", "consultations"), items=_items(names, 3), list=_join(listing))
    for act in own + subs:  # what came of them, in the clerk's words
        if act.highlight:
            out.append(Span(_sentence(act.highlight)))
            s.w.told.add((act.type, act.id))
    return out


def _topic_submissions(s: _Story) -> list[Span]:
    subs = list(s.facts.records.get("submissions", ()))
    adoptions = list(s.facts.records.get("adoptions", ()))
    if not subs and not adoptions:
        return []
    kinds: dict[str, list[Rec]] = defaultdict(list)
    for sub in subs:
        kinds[sub.kind].append(sub)
    names = {
        "public_sentiment": ("社情民意信息", "条"),
        "research_report": ("调研报告", "篇"),
        "work_info": ("工作信息", "条"),
    }
    parts = []
    for i, (kind, recs) in enumerate(
        sorted(kinds.items(), key=lambda x: list(names).index(x[0]) if x[0] in names else 9)
    ):
        name, measure = names.get(kind, ("信息", "条"))
        parts.append(
            [
                Span(f"{'报送' if i == 0 else ''}{name}"),
                s.w.figure(f"submissions.{kind}", f"报送{name}", recs, unit=measure),
            ]
        )
    out = s.w.fill(s.w.pick("say", "submissions"), list=_join(parts)) if parts else []
    if adoptions:
        by_pub: dict[str, list[Rec]] = defaultdict(list)
        for a in adoptions:
            by_pub[a.info.get("publication") or f"{a.info.get('level_label') or '上级'}单位"].append(a)
        pubs = []
        for pub, recs in sorted(by_pub.items(), key=lambda x: -counted(x[1])):
            # issues of a publication: each record its own issue, or an aggregate counted in 期
            detailed = [r for r in recs if not r.imported]
            numbered = (
                all(r.info.get("issue_no") for r in detailed)
                and len({(r.info.get("issue_year"), r.info.get("issue_no")) for r in detailed})
                == len(detailed)
                and all(r.info.get("measure") == "期" for r in recs if r.imported)
            )
            if numbered:
                pubs.append(
                    [Span(f"编入{pub}"), s.w.figure(f"adoptions.{pub}", f"{pub}期数", recs, unit="期")]
                )
            else:
                pubs.append(
                    [Span(f"被{pub}采用"), s.w.figure(f"adoptions.{pub}", f"{pub}采用条数", recs, unit="条")]
                )
        # without the submissions themselves (an imported summary's issues): the adoptions alone
        template = s.w.pick("say", "adoptions" if parts else "submissions")
        out += s.w.fill(template, list=_join(pubs, "，"))
    return out


def _topic_channels(s: _Story) -> list[Span]:
    chans = list(s.facts.records.get("channels", ()))
    if not chans:
        return []
    names = list(dict.fromkeys(c.info.get("kind_label", "") for c in chans if c.info.get("kind_label")))
    registered = [c for c in chans if c.info.get("registered")]
    n = s.w.figure("channels", "自办阵地个数", chans, unit="个阵地")
    if len(registered) == len(chans):
        state = s.w.pick("say", "channels_registered_all")
    else:
        state = s.w.pick("say", "channels_registered_some").format(registered=f"{len(registered)}个")
    return s.w.fill(s.w.pick("say", "channels"), items=_items(names, 4), n=n, state=state)


def _topic_civility(s: _Story) -> list[Span]:
    acts = [
        a for a in s.area_activities() if (a.type, a.id) not in s.w.owner and a.kind != "volunteer_service"
    ]
    volunteer = [a for a in s.area_activities({"volunteer_service"}) if (a.type, a.id) not in s.w.owner]
    volunteer += list(s.facts.records.get("volunteer_activities", ()))
    parts = s.kind_list(acts, "civility")
    if volunteer:
        lead = "组织" if not parts else ""
        parts.append(
            [
                Span(f"{lead}党员干部参加志愿服务"),
                s.w.figure("civility.volunteer", "志愿服务次数", volunteer, unit="次"),
            ]
        )
    out: list[Span] = []
    if parts:
        out += s.w.fill(s.w.pick("say", "civility"), list=_join(parts))
    selections = list(s.facts.records.get("selections", ()))
    if selections:
        winners = sum(r.info.get("winners", 0) for r in selections)
        titles = "、".join(_quoted(r.title) for r in selections)
        out += s.w.fill(
            s.w.pick("say", "selections"),
            items=titles,
            n=s.w.figure(
                "selections.winners",
                "评出先进人数",
                selections,
                unit="名",
                value=winners,
                text=f"{winners}名",
            ),
        )
    return out


def _topic_highlights(s: _Story) -> list[Span]:
    """The area's records a clerk marked as highlights, in the clerk's words, not counted again."""
    types = [t for t, area in s.facts.phrases.get("record_areas", {}).items() if area == s.area]
    recs = [a for a in s.area_activities() if a.highlight]
    for t in types:
        if t == "campaigns":
            continue  # told with the campaign itself
        recs += [r for r in s.facts.records.get(t, ()) if r.highlight]
    recs = [r for r in recs if (r.type, r.id) not in s.w.told]
    out: list[Span] = []
    for i, rec in enumerate(sorted(recs, key=lambda r: (r.day or date.min, r.id))[:3]):
        lead = s.w.pick("say", "highlight_first" if i == 0 else "highlight_next", key=f"{rec.type}.{rec.id}")
        out.append(Span(lead.format(text=_sentence(rec.highlight))))
    return out


TOPICS = {
    "duty": _topic_duty,
    "plans": _topic_plans,
    "risks": _topic_risks,
    "materials": _topic_materials,
    "study": _topic_study,
    "reflections": _topic_reflections,
    "articles": _topic_articles,
    "published": _topic_published,
    "campaigns": _topic_campaigns,
    "consultations": _topic_consultations,
    "submissions": _topic_submissions,
    "channels": _topic_channels,
    "civility": _topic_civility,
    "highlights": _topic_highlights,
}


def _sub_label(facts: SummaryFacts) -> str:
    labels = facts.phrases.get("sub_units", {})
    kinds = {u.kind for u in facts.units.values() if u.id != facts.unit.id}
    kind = next(iter(kinds)) if len(kinds) == 1 else "default"
    return labels.get(kind) or labels.get("default", "下属各单位")


# -- the document ------------------------------------------------------------------------------------


def _profile(facts: SummaryFacts) -> dict[str, str]:
    profiles = facts.phrases.get("profiles", {})
    years = facts.phrases.get("years", {})
    out = {**profiles.get("default", {})}
    out.update(profiles.get("kinds", {}).get(facts.unit.kind, {}) or {})
    out.update(profiles.get("units", {}).get(facts.unit.code, {}) or {})
    out.update(years.get("default", {}))
    out.update(years.get(facts.period.year, years.get(str(facts.period.year), {})) or {})
    return out


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
    w = _Writer(facts)
    label = facts.period.label
    blocks: list[Block] = []

    values = {**_profile(facts), "period": label, "unit": facts.unit.name, "short": facts.unit.short}
    opening = w.pick("opening").format(**values) + w.pick("opening_close").format(**values)
    blocks.append(para(opening))

    headings = facts.phrases.get("headings", {})
    sections: list[tuple[str, list[Block]]] = []
    for area_code, area_name in facts.areas:
        area_phrases = facts.phrases.get("areas", {}).get(area_code)
        if not area_phrases:
            continue
        story = _Story(w, area_code)
        points: list[tuple[str, list[Span]]] = []
        for entry in area_phrases.get("topics", []):
            topic = TOPICS.get(entry.get("topic"))
            if topic is None:
                raise SummaryError(f"summary.yaml: 未知的 topic “{entry.get('topic')}”")
            spans = topic(story)
            if spans:
                labels = entry.get("label") or [""]
                points.append((labels[w.index(len(labels), area_code, entry["topic"])], spans))
        if not points:
            # Nothing recorded for a whole area: the clerk must say what was done (or the ledger is
            # incomplete); the gap stays visible and ``--strict`` refuses the draft.
            heading = headings.get(area_code) or area_name
            sections.append((heading, [para(_placeholder(f"{area_name}方面的工作情况"))]))
            continue
        principle = w.pick("areas", area_code, "principle")
        body: list[Block] = [para(principle)]
        if len(points) == 1:
            body.append(Block((Span(f"{points[0][0]}。"), *points[0][1])))
        else:
            for i, (point_label, spans) in enumerate(points):
                body.append(Block((Span(f"{ordinal(i)}是{point_label}。"), *spans)))
        if area_phrases.get("closing"):
            last = body[-1]
            body[-1] = Block((*last.spans, Span(w.pick("areas", area_code, "closing"))), last.level)
        sections.append((headings.get(area_code) or area_name, body))

    for i, (heading, body) in enumerate(sections):
        blocks.append(para(f"{ORDINALS[i]}、{heading}", level=1))
        blocks.extend(body)

    n = len(sections)
    chosen = _chosen_weak(facts)
    blocks.append(para(f"{ORDINALS[n]}、存在的问题", level=1, section="problems"))
    if shortcomings:
        blocks.extend(para(text) for text in shortcomings if text.strip())
    else:
        blocks.append(para(w.pick("shortcomings_lead").format(period=label, short=facts.unit.short)))
        for i, weak in enumerate(chosen):
            blocks.append(para(f"{ordinal(i)}是" + _weak_text(w, weak, "problem")))

    blocks.append(para(f"{ORDINALS[n + 1]}、下一步打算", level=1, section="steps"))
    if next_steps:
        blocks.extend(para(text) for text in next_steps if text.strip())
    else:
        blocks.append(para(w.pick("next_steps_lead").format(period=label, short=facts.unit.short)))
        answers = [_weak_text(w, weak, "answer") for weak in chosen]
        # The rules restated as promises, those an answer above has not promised already.
        promised = [c for c in facts.commitments if not any(c in text for text in answers)]
        if promised:
            answers.append(
                w.pick("next_commit").format(items="，".join(promised[:4]), short=facts.unit.short)
            )
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


GENERAL_WEAK = (Weak("innovation", 0), Weak("team", 0))


def _chosen_weak(facts: SummaryFacts, at_most: int = 3) -> list[Weak]:
    """The most telling weak points, one per kind of problem, and never fewer than two.

    Unmet rules make one point together (制度执行不够严格: this one in that half, that one all
    year), as a summary names them, rather than one point per rule."""
    weak = sorted(facts.weak, key=lambda x: -x.severity)
    unmet = [w for w in weak if w.code == "rule_unmet"]
    if unmet:
        merged = Weak(
            "rule_unmet",
            max(w.severity for w in unmet),
            subject="、".join(dict.fromkeys(w.subject for w in unmet[:4])),
            evidence="，".join(f"{w.subject}{w.evidence}" for w in unmet[:4]),
            commitment="，".join(dict.fromkeys(w.commitment for w in unmet[:4] if w.commitment)),
        )
        weak = [merged if w is unmet[0] else w for w in weak if w.code != "rule_unmet" or w is unmet[0]]
    chosen: list[Weak] = []
    for w in weak:
        if any(c.code == w.code for c in chosen):
            continue
        chosen.append(w)
        if len(chosen) == at_most:
            break
    for w in GENERAL_WEAK:
        if len(chosen) >= 2:
            break
        if all(c.code != w.code for c in chosen):
            chosen.append(w)
    return chosen


def _weak_text(w: _Writer, weak: Weak, part: str) -> str:
    template = w.pick("weak_points", weak.code, part, key=weak.subject)
    text = template.format(
        subject=weak.subject,
        evidence=weak.evidence,
        commitment=weak.commitment or "按要求抓好落实",
        when=weak.when,
    )
    return _sentence(text)
