"""Topics of the later sections: publicity, the unit's line of work, channels and civility (pure).

Truth rules kept here, where the sentences are made: a donation is told under the campaign its
record names and no other (one given in February with no campaign is told on its own, with its
month and donor); outlets are named as the articles name them, all of them or a few and 等; adoptions
are told as part of the submissions (其中) only when they add up to no more than them; a volunteer
day recorded both as an activity and as a volunteer record is one piece of work.
"""

from __future__ import annotations

import re
from collections import defaultdict

from taizhang.core.money import format_yuan_about
from taizhang.documents.output.model import Span
from taizhang.documents.summary.model import Rec
from taizhang.documents.summary.story import Story, join
from taizhang.documents.summary.topics_lead import sub_label
from taizhang.documents.summary.wording import clause, listing, quoted, sentence

LEVEL_ORDER = {"national": 0, "province": 1, "city": 2, "county": 3}

# a title kept as a column and its number (协商在一线（60）) names no piece anyone would quote
SERIAL_TITLE = re.compile(r"[（(][^）)]*\d+[）)]$")


def _line_campaign(s: Story, c: Rec) -> bool:
    """A campaign of the unit's own line of work (a hospital's 健康宣传): told in the line's section."""
    themes = s.w.voice.data.get("line_themes") or []
    return any(t and t in (c.info.get("theme") or "") for t in themes)


def _campaign_points(s: Story, campaigns: list[Rec], key: str) -> list[Span]:
    """Each campaign with what its records link to it and nothing else: its story (the clerk's
    highlight, else its description), its donations, volunteer days and selections."""
    out: list[Span] = []
    for c in campaigns:
        if c.highlight:
            story = sentence(c.highlight)
            s.w.told.add(c.ref)
        else:
            story = sentence(c.info["description"]) if c.info.get("description") else ""
        out += s.w.say("say", key, key=str(c.id), items=quoted(c.title), story=story, when=_months(c))
        linked = [d for d in s.records("donations") if d.info.get("campaign_id") == c.id]
        parts = _donation_parts(s, linked, "donations")
        volunteer = [v for v in s.records("volunteer_activities") if v.info.get("campaign_id") == c.id]
        if volunteer:
            n = s.w.figure(f"campaign.{c.id}.volunteer", "志愿服务次数", volunteer, unit="次")
            parts.append([Span(f"组织{s.w.words()['members']}参加志愿服务"), n])
        selections = [r for r in s.records("selections") if r.info.get("campaign_id") == c.id]
        if selections:
            winners = sum(r.info.get("winners", 0) for r in selections)
            n = s.w.figure(
                f"campaign.{c.id}.selections",
                "评出先进人数",
                selections,
                unit="名",
                value=winners,
                text=f"{winners}名",
            )
            parts.append([Span("通过" + "、".join(quoted(r.title) for r in selections) + "评出先进"), n])
        if parts:
            out += s.w.say("say", "donations", key=str(c.id), list=join(parts, "；"))
    return out


def _months(c: Rec) -> str:
    start, end = c.day, c.info.get("end")
    if start and end and (end.month != start.month or end.year != start.year):
        return f"{start.month}月至{end.month}月" if end.year == start.year else f"{start.month}月起"
    return f"{start.month}月" if start else ""


def topic_campaigns(s: Story) -> list[Span]:
    """The campaigns with what their records link to them, and the donations no campaign holds, each
    told on its own with its month and donors, all in date order."""
    told: list[tuple] = []
    for c in s.records("campaigns"):
        if not _line_campaign(s, c):
            told.append((c.day, 0, c.id, _campaign_points(s, [c], "campaigns")))
    loose = [d for d in s.records("donations") if not d.info.get("campaign_id") and not d.imported]
    imported = [
        d for d in s.records("donations") if d.imported
    ]  # a past summary's sums: no month of their own
    if imported:
        parts = _donation_parts(s, imported, "donations")
        if parts:
            told.append(
                (
                    s.facts.period.start,
                    1,
                    imported[0].id,
                    s.w.say("say", "donations_period", list=join(parts, "；")),
                )
            )
    for month, recs in sorted(_by_month(loose).items()):
        donors = listing([d.info.get("donor_name") or "" for d in recs], 2) or s.w.words()["staff"]
        parts = _donation_parts(s, recs, f"donations.m{month}", bare=True)
        if parts:
            spans = s.w.say(
                "say", "donations_loose", month=f"{month}月", donors=donors, list=join(parts, "，")
            )
            told.append((min(d.day for d in recs), 1, recs[0].id, spans))
    return [span for *_, spans in sorted(told, key=lambda t: t[:3]) for span in spans]


def _by_month(recs: list[Rec]) -> dict[int, list[Rec]]:
    out: dict[int, list[Rec]] = defaultdict(list)
    for r in recs:
        out[r.day.month if r.day else 0].append(r)
    return out


def _donation_parts(s: Story, donations: list[Rec], key: str, bare: bool = False) -> list[list[Span]]:
    groups: dict[tuple[str, str], list[Rec]] = defaultdict(list)
    items: dict[str, list[Rec]] = defaultdict(list)
    for d in donations:
        if d.kind == "items":
            items[d.info.get("item_name") or "物品"].append(d)
        else:
            groups[(d.info.get("donor_group", ""), d.kind)].append(d)
    who = {"staff": s.w.words()["staff"], "members": "委员", "unit": "单位", "person": "个人"}
    what = {"money": "捐款", "goods": "捐赠物资价值"}
    parts: list[list[Span]] = []
    for (group, kind), recs in sorted(groups.items(), key=lambda x: (x[0][0] != "staff", x[0][1] != "money")):
        fen = sum(r.info.get("amount_fen", 0) for r in recs)
        if not fen:
            continue
        label = (
            f"{who.get(group, '')}{what.get(kind, '捐赠')}"  # the figure says whose, whatever the text says
        )
        fig_key = f"{key}.{group}.{kind}"
        if fig_key in s.w.figures:  # a second campaign's donations of the same kind
            fig_key += f".{recs[0].id}"
        span = s.w.figure(
            fig_key,
            f"{label}（分）",
            recs,
            unit="元",
            value=fen,
            text=format_yuan_about(fen),
        )
        parts.append([Span(what.get(kind, "捐赠") if bare else label), span])
    for name, recs in sorted(items.items()):
        count = sum(r.info.get("item_count") or 0 for r in recs)
        measure = next((r.info.get("item_unit") for r in recs if r.info.get("item_unit")), "件")
        span = s.w.figure(
            f"{key}.items.{name}",
            f"捐赠{name}数量",
            recs,
            unit=measure,
            value=count,
            text=f"{count}{measure}",
        )
        parts.append([Span(f"捐赠{name}"), span])
    return parts


def _outlets(arts: list[Rec], limit: int = 4) -> tuple[str, bool]:
    """The outlets of these articles, as the records name them, highest level and most used first:
    all of them, or ``limit - 1`` (and whether the list was cut: the sentence then says 等)."""
    count: dict[str, int] = defaultdict(int)
    level: dict[str, int] = {}
    for a in arts:
        name = a.info.get("outlet") or ""
        if name:
            count[name] += 1
            level[name] = min(level.get(name, 9), LEVEL_ORDER.get(a.kind, 9))
    names = sorted(count, key=lambda n: (level[n], -count[n], n))
    if len(names) <= limit:
        return "、".join(names), False
    return "、".join(names[: limit - 1]), True


def topic_articles(s: Story) -> list[Span]:
    arts = s.records("publicity_articles")
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
        where, _ = _outlets(county, 3)
        lead = f"在{where}等县级媒体刊发宣传稿件" if where else "在县级媒体刊发宣传稿件"
        parts.append([Span(lead), s.w.figure("articles.county", "县级媒体稿件", county, unit="篇")])
    if higher:
        where, cut = _outlets(higher)
        lead = f"在{where}等市级以上媒体刊发" if cut else f"在{where}刊发"
        parts.append([Span(lead), s.w.figure("articles.higher", "市级以上媒体稿件", higher, unit="篇")])
    out = s.w.say("say", "articles", list=join(parts))
    titles = list(
        dict.fromkeys(
            a.title
            for a in sorted(higher or county, key=lambda a: a.day or a.id)
            if a.title and not SERIAL_TITLE.search(a.title)
        )
    )
    if titles and not unknown:
        out += s.w.say("say", "article_titles", items="、".join(quoted(t) for t in titles[:3]))
    return out


def topic_published(s: Story) -> list[Span]:
    items = s.records("published_items")
    if not items:
        return []
    full = [i for i in items if i.info.get("full_review")]
    if len(full) == len(items):
        return s.w.say("say", "published", n=s.w.figure("published", "自办阵地发布稿件", items, unit="篇"))
    rest = [i for i in items if not i.info.get("full_review")]
    return s.w.say(
        "say",
        "published_gap",
        n=s.w.figure("published.partial", "三审未完整的稿件", rest, unit="篇"),
        full=s.w.figure("published.full", "经三审发布的稿件", full, unit="篇"),
    )


def topic_opinion(s: Story) -> list[Span]:
    """Public-opinion incidents noticed in the period and how the unit handled them, as recorded:
    in time or not by the day their level set, closed or still being handled, reported upward."""
    from taizhang.documents.summary.topics_lead import small

    period = s.facts.period
    incidents = [r for r in s.records("opinion_incidents") if r.day and period.start <= r.day <= period.end]
    if not incidents:
        return []
    n = s.w.figure("opinion", "发现并处置舆情", incidents, unit="起")
    late = [
        r
        for r in incidents
        if not (r.info.get("responded_on") and r.info["responded_on"] <= r.info["respond_by"])
    ]
    closed = [r for r in incidents if r.info.get("closed_on") and r.info["closed_on"] <= period.end]
    every = "均" if len(incidents) > 1 else ""  # 均 of two or more, never of one
    if len(closed) == len(incidents):
        state = s.w.pick("say", "opinion_state_closed").format(all=every)
    else:
        state = s.w.pick("say", "opinion_state_open").format(closed=small(len(closed)) if closed else "零")
    if any(r.info.get("reported_to") for r in incidents):
        state += s.w.pick("say", "opinion_reported")
    if late:
        return s.w.say("say", "opinion_late", n=n, state=state, in_time=small(len(incidents) - len(late)))
    return s.w.say("say", "opinion", n=n, state=state, all=every)


# -- the unit's line of work and the centre's tasks -----------------------------------------------------


def topic_line(s: Story) -> list[Span]:
    campaigns = [c for c in s.records("campaigns") if _line_campaign(s, c)]
    return _campaign_points(s, campaigns, "line_campaigns") if campaigns else []


def topic_consultations(s: Story) -> list[Span]:
    acts = s.w.free(s.area_activities())
    if not acts:
        return []
    acts.sort(key=lambda a: (a.day, a.id))
    own, subs = s.own(acts), s.subs(acts)
    names = [quoted(a.title) for a in own or subs if not a.imported] or [quoted(a.title) for a in own or subs]
    listing_spans = join(s.kind_list(own, "integration")) if own else []
    if subs:  # the sub-units' own, beside (另) the unit's, never as a part of them
        sub_spans = s.kind_list(subs, "integration.sub")
        lead = f"{sub_label(s)}另" if own else sub_label(s)
        sub_text = [Span(lead), *join(sub_spans)]
        listing_spans = [*listing_spans, Span("，"), *sub_text] if listing_spans else sub_text
    out = s.w.say("say", "consultations", items="、".join(names[:3]), list=listing_spans)
    for act in s.highlights(own + subs, limit=3):
        out.append(Span(sentence(act.highlight)))
    return out


SUBMISSION_NAMES = {
    "public_sentiment": ("社情民意信息", "条"),
    "research_report": ("调研报告", "篇"),
    "work_info": ("工作信息", "条"),
}


def topic_submissions(s: Story) -> list[Span]:
    subs = s.records("submissions")
    adoptions = s.records("adoptions")
    if not subs and not adoptions:
        return []
    kinds: dict[str, list[Rec]] = defaultdict(list)
    for sub in subs:
        kinds[sub.kind].append(sub)
    parts = []
    order = list(SUBMISSION_NAMES)
    for i, (kind, recs) in enumerate(
        sorted(kinds.items(), key=lambda x: order.index(x[0]) if x[0] in order else 9)
    ):
        name, measure = SUBMISSION_NAMES.get(kind, ("信息", "条"))
        parts.append(
            [
                Span(f"{'报送' if i == 0 else ''}{name}"),
                s.w.figure(f"submissions.{kind}", f"报送{name}", recs, unit=measure),
            ]
        )
    out = s.w.say("say", "submissions", list=join(parts)) if parts else []
    if not adoptions:
        return out
    by_pub: dict[str, list[Rec]] = defaultdict(list)
    for a in adoptions:
        by_pub[a.info.get("publication") or f"{a.info.get('level_label') or '上级'}单位"].append(a)
    pubs, spans = [], []
    for pub, recs in sorted(by_pub.items(), key=lambda x: (-sum(r.count for r in x[1]), x[0])):
        detailed = [r for r in recs if not r.imported]
        numbered = (
            all(r.info.get("issue_no") for r in detailed)
            and len({(r.info.get("issue_year"), r.info.get("issue_no")) for r in detailed}) == len(detailed)
            and all(r.info.get("measure") == "期" for r in recs if r.imported)
        )
        if numbered:
            span = s.w.figure(f"adoptions.{pub}", f"{pub}期数", recs, unit="期")
            pubs.append([Span(f"编入{pub}"), span])
        else:
            span = s.w.figure(f"adoptions.{pub}", f"{pub}采用条数", recs, unit="条")
            pubs.append([Span(f"被{pub}采用"), span])
        spans.append(span)
    # 其中 only when the adoptions are a part of the submissions: one item printed by two
    # publications makes them more than the items sent, and then they are told beside them.
    sent = sum(r.count for r in subs)
    adopted = sum(r.count for r in adoptions)
    if parts and adopted <= sent:
        s.w.check_parts(sent, spans, "报送信息")  # told as 其中: a part of what was sent
        out += s.w.say("say", "adoptions", list=join(pubs, "，"))
    elif parts:
        out += s.w.say("say", "adoptions_overlap", list=join(pubs, "，"))
    else:
        out += s.w.say("say", "submissions", list=join(pubs, "，"))
    return out


# -- channels and civility -------------------------------------------------------------------------------


def topic_channels(s: Story) -> list[Span]:
    chans = s.records("channels")
    if not chans:
        return []
    names = [c.title for c in chans if c.title] or [c.info.get("kind_label", "") for c in chans]
    registered = [c for c in chans if c.info.get("registered")]
    n = s.w.figure("channels", "自办阵地个数", chans, unit="个")
    if len(registered) == len(chans):
        state = s.w.pick("say", "channels_registered_all")
    else:
        state = s.w.pick("say", "channels_registered_some").format(registered=f"{len(registered)}个")
    admins = listing([c.info.get("administrator__job_title") or "" for c in chans], 2) or "专人"
    return s.w.say("say", "channels", items=listing(names, 3), n=n, state=state, admin=admins)


def topic_civility(s: Story) -> list[Span]:
    acts = [a for a in s.w.free(s.area_activities()) if a.kind != "volunteer_service"]
    volunteer = s.w.free(s.area_activities({"volunteer_service"})) + s.w.free(
        s.records("volunteer_activities")
    )
    parts = s.kind_list(acts, "civility", named=3)
    topics = [clause(a.title) for a in acts if a.kind == "ethics_lecture" and len(a.title) > 5]
    if volunteer:
        places = listing([v.info.get("place") or "" for v in volunteer], 2)
        lead = (
            f"组织{s.w.words()['members']}到{places}开展志愿服务"
            if places
            else f"组织{s.w.words()['members']}参加志愿服务"
        )
        parts.append(
            [
                Span(lead if not parts else lead.removeprefix("组织")),
                s.w.figure("civility.volunteer", "志愿服务次数", volunteer, unit="次"),
            ]
        )
    out: list[Span] = []
    if parts:
        if topics:
            out += s.w.say(
                "say", "civility_topics", list=join(parts), items="、".join(quoted(t) for t in topics[:2])
            )
        else:
            out += s.w.say("say", "civility", list=join(parts))
    selections = [r for r in s.w.free(s.records("selections")) if not r.info.get("campaign_id")]
    if selections:
        winners = sum(r.info.get("winners", 0) for r in selections)
        titles = "、".join(quoted(r.title) for r in selections[:3])
        n = s.w.figure(
            "selections.winners", "评出先进人数", selections, unit="名", value=winners, text=f"{winners}名"
        )
        out += s.w.say("say", "selections", items=titles, n=n)
    return out
