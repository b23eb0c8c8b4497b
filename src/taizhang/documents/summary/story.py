"""What a section tells, built topic by topic from the records of its area (pure).

A ``Story`` holds the section's area and the writer; the topics (``topics_lead``, ``topics_work``)
ask it for the area's records, the unit's own or its sub-units', and for figure lists in the genre's
shape: the main kinds named with their counts, the rest summed (召开…等其他会议5次), never a tally
of every kind in one breath.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from taizhang.documents.output.model import Span
from taizhang.documents.summary.model import Rec, SummaryFacts, counted
from taizhang.documents.summary.wording import every_month, half_of
from taizhang.documents.summary.writer import Writer


def join(parts: list[list[Span]], sep: str = "，") -> list[Span]:
    out: list[Span] = []
    for i, part in enumerate(parts):
        if i:
            out.append(Span(sep))
        out.extend(part)
    return out


class Story:
    def __init__(self, w: Writer, area: str):
        self.w = w
        self.facts: SummaryFacts = w.facts
        self.area = area
        self.year = self.facts.period.kind == "year"

    # -- records ------------------------------------------------------------
    def own(self, recs) -> list[Rec]:
        return [r for r in recs if r.unit == self.facts.unit.id]

    def subs(self, recs) -> list[Rec]:
        return [r for r in recs if r.unit != self.facts.unit.id]

    def records(self, code: str) -> list[Rec]:
        return list(self.facts.records.get(code, ()))

    def kind_name(self, code: str) -> str:
        return self.facts.kinds.get(code, (code, ""))[0]

    def area_activities(self, kinds: set[str] | None = None) -> list[Rec]:
        acts = self.facts.records.get("activities", ())
        return [
            a
            for a in acts
            if self.facts.kinds.get(a.kind, ("", ""))[1] == self.area
            and (kinds is None or a.kind in kinds)
            and not a.info.get("same_as")
        ]

    def by_half(self, recs) -> dict[int, list[Rec]]:
        out: dict[int, list[Rec]] = defaultdict(list)
        for r in recs:
            if r.day:
                out[half_of(r.day)].append(r)
        return out

    def thin(self, kind: str, recs: list[Rec]) -> bool:
        """Far fewer than the unit's rules ask (one 主题党日 in a year of monthly ones): a figure not
        to state bare among the achievements; 存在的问题 tells it with its rule."""
        expected, _ = self.facts.expected.get(kind, (0, ""))
        return bool(expected) and counted(recs) * 2 < expected

    # -- figure lists -------------------------------------------------------
    def kind_list(self, acts: list[Rec], key: str, *, named: int = 5, rest: str = "活动") -> list[list[Span]]:
        """``开展理论学习中心组学习4次`` for each kind in the framework's order, at most ``named`` of
        them (the most frequent first when there are more), the rest summed as 等其他{rest}N次;
        a verb is said again only where it changes (召开联席会议, 举办道德讲堂)."""
        per_kind: dict[str, list[Rec]] = defaultdict(list)
        for act in acts:
            per_kind[act.kind].append(act)
        order = {code: i for i, code in enumerate(self.facts.kind_order)}
        kinds = sorted(per_kind, key=lambda k: (order.get(k, 999), k))
        folded: list[str] = []
        if len(kinds) > named + 1:
            keep = set(sorted(kinds, key=lambda k: (-len(per_kind[k]), order.get(k, 999)))[:named])
            folded = [k for k in kinds if k not in keep]
            kinds = [k for k in kinds if k in keep]
        verbs = self.facts.phrases.get("kind_verbs", {})
        out, last = [], None
        for kind in kinds:
            name = self.kind_name(kind)
            verb = verbs.get(kind, verbs.get("default", "开展"))
            span = self.w.figure(f"{key}.{kind}", f"{name}次数", per_kind[kind], unit="次")
            out.append([Span(f"{verb if verb != last else ''}{name}"), span])
            last = verb
        if folded:
            recs = [a for k in folded for a in per_kind[k]]
            names = "、".join(self.kind_name(k) for k in folded[:2])
            span = self.w.figure(f"{key}.other", f"{names}等{rest}次数", recs, unit="次")
            out.append([Span(f"{names}等其他{rest}"), span])
        return out

    def monthly_kinds(self, acts: list[Rec]) -> list[str]:
        """The kinds held in every month of the period (the text says 每月 of them)."""
        per_kind: dict[str, list[date]] = defaultdict(list)
        for a in acts:
            if a.day and not a.imported:
                per_kind[a.kind].append(a.day)
        period = self.facts.period
        if period.kind not in ("year", "half"):
            return []
        order = {code: i for i, code in enumerate(self.facts.kind_order)}
        return [
            self.kind_name(k)
            for k in sorted(per_kind, key=lambda k: order.get(k, 999))
            if every_month(per_kind[k], period)
        ]

    def highlights(self, recs: list[Rec], limit: int = 2) -> list[Rec]:
        """Records a clerk marked with 典型做法与成效, not told yet, in date order; in an annual summary
        one of each half first, so the year reads as a year."""
        recs = [r for r in recs if r.highlight and r.ref not in self.w.told]
        recs.sort(key=lambda r: (r.day or date.min, r.id))
        if self.year and len(recs) > limit:
            halves = self.by_half(recs)
            first = [halves[h][0] for h in (1, 2) if halves.get(h)]
            recs = first + [r for r in recs if r not in first]
        chosen = recs[:limit]
        for r in chosen:
            self.w.told.add(r.ref)
        return sorted(chosen, key=lambda r: (r.day or date.min, r.id))
