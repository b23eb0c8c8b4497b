"""The summary's facts, gathered once: the records of a unit and its sub-units for a period.

The scope is decided here, once: a summary of a unit covers the unit and its sub-units (the organ
and its offices, the branch and its cells), for activities and every module alike; the document
tells the unit's own work and its sub-units' apart where it counts them. Which tables to read, and
how a record belongs to a unit and a period, come from the record-type registry (``core.registry``);
this module only adds what a sentence needs of each record (its kind, its highlight, a sum).
The weak points come from the rules engine's results for the same scope and period, and from a few
measurements of the same records; 存在的问题 and 下一步打算 are written from them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

from django.apps import apps
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils.translation import get_language

from taizhang.core import stamps
from taizhang.core.framework_file import phrases as load_phrases
from taizhang.core.periods import Period
from taizhang.core.registry import record_type
from taizhang.documents.summary import Rec, SummaryFacts, UnitInfo, Weak, counted
from taizhang.ledger.models import ActivityKind, Attendance
from taizhang.org.models import Area, Responsibility, Unit

# What a sentence needs of each record type's rows, besides id, unit, date and title.
DETAILS: dict[str, tuple[str, ...]] = {
    "activities": ("kind__code", "materials", "highlight"),
    "reflections": (),
    "submissions": ("kind", "highlight"),
    "adoptions": ("level", "publication", "issue_year", "issue_no"),
    "publicity_articles": ("outlet_level", "outlet", "highlight"),
    "published_items": (),
    "risk_points": ("level", "status", "review_date"),
    "channels": ("kind", "registered_on", "last_reviewed_on"),
    "campaigns": ("theme", "highlight"),
    "donations": ("kind", "donor_group", "amount_fen", "item_name", "item_count", "item_unit"),
    "volunteer_activities": (),
    "selections": ("winners",),
}
# Where a detail is the record's kind (what sentences group by).
KIND_FIELD = {
    "activities": "kind__code",
    "submissions": "kind",
    "adoptions": "level",
    "publicity_articles": "outlet_level",
    "risk_points": "level",
    "channels": "kind",
    "donations": "kind",
}


def scoped(code: str, unit: Unit, period: Period, *, with_children: bool = True) -> QuerySet:
    """The rows of record type ``code`` for the unit (and its tree): dated in the period, or, for a
    stock, standing at its end. The one rule for "a record of this unit and period", as the registry
    declares the type; the summary's facts and the ledger workbook's sheets both read through it."""
    t = record_type(code)
    model = apps.get_model(t.model)
    scope = {f"{t.unit_field}__path__startswith": unit.path} if with_children else {t.unit_field: unit}
    rows = model.objects.filter(**scope, **t.where)
    if t.stock:
        return rows.filter(**{f"{t.date_field}__lte": period.end})
    return rows.filter(**{f"{t.date_field}__gte": period.start, f"{t.date_field}__lte": period.end})


def _flags(code: str, period: Period) -> dict[str, Q]:
    """Yes/no facts a sentence needs of a record, each defined once by its module."""
    from taizhang.channels.queries import lapsed_by
    from taizhang.review.queries import THREE_REVIEWS
    from taizhang.risks.queries import open_at

    return {
        "published_items": {"full_review": THREE_REVIEWS},
        "channels": {"lapsed": lapsed_by(period.end)},  # not registered, or not reviewed in time
        "risk_points": {"open_then": open_at(period.end)},  # as it stood at the period's end
    }.get(code, {})


def _rows(code: str, unit: Unit, period: Period) -> list[Rec]:
    """The records of ``code`` in the unit's tree, with what a sentence needs of each."""
    t = record_type(code)
    rows = scoped(code, unit, period)
    if code == "published_items":
        from taizhang.review.queries import with_review_counts

        rows = with_review_counts(rows)
    flags = _flags(code, period)
    rows = rows.annotate(
        **{name: ExpressionWrapper(q, output_field=BooleanField()) for name, q in flags.items()}
    )
    details = (*DETAILS.get(code, ()), *flags)
    out = []
    fields = ("id", t.unit_field, t.date_field, t.title_field, *details)
    for values in rows.order_by(t.date_field, "id").values_list(*fields):
        pk, unit_id, day, title, *rest = values
        info = dict(zip(details, rest, strict=True))
        out.append(
            Rec(
                type=t.table,
                id=pk,
                unit=unit_id,
                day=day,
                title=title or "",
                kind=str(info.get(KIND_FIELD.get(code, ""), "") or ""),
                highlight=info.pop("highlight", "") or "",
                info=info,
            )
        )
    return out


MORE_WORDS = ("余", "多", "以上", "超过")


def imported_records(unit: Unit, period: Period) -> dict[str, list[Rec]]:
    """The aggregates imported from past summaries that count for the unit's tree in the period (those
    no detailed record replaces, standing at their period's last day: ``ledger.queries``), each one
    Rec standing for its count, filed with its table's records and saying where it came from."""
    from taizhang.ledger.queries import imported_figures

    out: dict[str, list[Rec]] = defaultdict(list)
    units = Unit.objects.filter(path__startswith=unit.path).values("pk")
    for f in imported_figures(units=units, start=period.start, end=period.end).order_by("end", "id"):
        t = record_type(f.record_type)
        kind_field = KIND_FIELD.get(t.table, "")
        kind = str(t.where.get(kind_field, "")) if kind_field in t.where else f.kind
        info = {
            "imported": f"{f.source_note}（{Period.parse(f.period).label}：{f.what}{f.figure_text}）",
            "measure": f.measure,
            "more": any(word in f.qualifier for word in MORE_WORDS),  # 60余篇: 60 and more
        }
        if t.table == "adoptions":
            info["publication"] = f.label if f.label.startswith("《") else ""
        elif t.table == "donations":
            info.update(
                amount_fen=f.amount_fen or 0,
                donor_group=f.donor_group,
                item_name=f.label if f.kind == "items" else "",
                item_count=f.count if f.kind == "items" else None,
                item_unit=f.measure if f.kind == "items" else "",
            )
        out[t.table].append(
            Rec(
                type="imported_figures",
                id=f.pk,
                unit=f.unit_id,
                day=f.end,
                title=f.label,
                kind=kind,
                info=info,
                count=0 if f.kind == "items" or f.count is None else f.count,
            )
        )
    return out


def _activities(unit: Unit, period: Period) -> list[Rec]:
    """Activities with their materials as a list and their attendance rows (records of their own)."""
    acts = _rows("activities", unit, period)
    attendance: dict[int, list[Rec]] = defaultdict(list)
    for pk, activity_id, status in Attendance.objects.filter(
        activity_id__in=[a.id for a in acts]
    ).values_list("id", "activity_id", "status"):
        attendance[activity_id].append(Rec(type="attendance", id=pk, unit=0, day=None, kind=status))
    out = []
    for act in acts:
        materials = tuple(line.strip() for line in act.info["materials"].splitlines() if line.strip())
        out.append(
            Rec(
                type=act.type,
                id=act.id,
                unit=act.unit,
                day=act.day,
                title=act.title,
                kind=act.kind,
                highlight=act.highlight,
                info={"materials": materials, "attendance": tuple(attendance.get(act.id, ()))},
            )
        )
    return out


def _refine(code: str, recs: list[Rec], period: Period) -> list[Rec]:
    """What a sentence says of a record that its row does not hold directly."""
    from taizhang.channels.models import ChannelKind
    from taizhang.reporting.models import Level

    out = []
    for r in recs:
        info = dict(r.info)
        if code == "channels":
            info["kind_label"] = str(ChannelKind(r.kind).label) if r.kind in ChannelKind.values else r.kind
            info["registered"] = bool(info.get("registered_on") and info["registered_on"] <= period.end)
            info["reviewed"] = not info["lapsed"]
        elif code == "adoptions":
            info["level_label"] = str(Level(r.kind).label) if r.kind in Level.values else ""
        elif code == "risk_points" and info["open_then"]:
            info["status"] = "open"  # a risk mitigated after the period was still open then
        elif code == "selections":
            info["winners"] = len([line for line in (info.get("winners") or "").splitlines() if line.strip()])
        out.append(Rec(r.type, r.id, r.unit, r.day, r.title, r.kind, r.highlight, info, r.count))
    return out


def summary_facts(*, unit: Unit, period: Period, written_on: date | None = None) -> SummaryFacts:
    """The facts of the unit's tree for the period: gathered once per change in the tree (and per
    day while the period is open: its weak points are judged as of today), then read from the
    cache (``core.stamps``); the date it is signed on and the phrase library are added on reading."""
    from taizhang.rules.queries import default_as_of

    facts = stamps.cached(
        "summary-facts",
        unit_id=unit.pk,
        parts=(period.code, default_as_of(period), get_language()),
        compute=lambda: _summary_facts(unit=unit, period=period),
    )
    return replace(facts, written_on=written_on or default_date(period), phrases=load_phrases())


def _summary_facts(*, unit: Unit, period: Period) -> SummaryFacts:
    tree = list(Unit.objects.filter(path__startswith=unit.path).order_by("path"))
    units = {u.pk: UnitInfo(u.pk, u.code, u.name, u.short_name or u.name, u.kind, u.parent_id) for u in tree}
    kinds = list(ActivityKind.objects.select_related("area").order_by("order", "code"))
    records: dict[str, tuple[Rec, ...]] = {"activities": tuple(_activities(unit, period))}
    for code in DETAILS:
        if code != "activities":
            records[code] = tuple(_refine(code, _rows(code, unit, period), period))
    for code, recs in imported_records(unit, period).items():
        records[code] = (*records.get(code, ()), *recs)
    duties: dict[str, list[str]] = defaultdict(list)
    for duty, post in (
        Responsibility.objects.filter(unit=unit)
        .values_list("duty", "person__positions__post")
        .filter(person__positions__unit__path__startswith=unit.path, person__positions__end__isnull=True)
        .distinct()
    ):
        if post and post not in duties[duty] and post != "member":
            duties[duty].append(post)
    facts = SummaryFacts(
        unit=units[unit.pk],
        units=units,
        period=period,
        written_on=default_date(period),
        areas=tuple(Area.objects.order_by("order", "code").values_list("code", "name")),
        kinds={k.code: (k.name, k.area.code if k.area else "") for k in kinds},
        kind_order=tuple(k.code for k in kinds),
        records=records,
        duties={k: tuple(v) for k, v in duties.items()},
        weak=(),
        commitments=(),
        phrases={},
    )
    weak, commitments = weak_points(unit=unit, period=period, facts=facts)
    return SummaryFacts(**{**facts.__dict__, "weak": tuple(weak), "commitments": tuple(commitments)})


# -- the date a summary is signed ---------------------------------------------------------------------


def default_date(period: Period, today: date | None = None) -> date:
    """A closed period: the first working day at least five days after its end (2020H1 → 2020-07-06);
    an open one: today. Holidays are not known here; weekends are skipped."""
    today = today or date.today()
    if period.end >= today:
        return today
    day = period.end + timedelta(days=5)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


# -- weak points -------------------------------------------------------------------------------------

PER = {"month": "每月", "quarter": "每季度", "half": "每半年", "year": "全年"}
WEAK_BY_COUNTS = {
    "publicity_articles": "few_articles",
    "publicity_articles_city_or_higher": "few_articles",
    "adoptions": "few_adopted",
    "adoptions_city_or_higher": "few_adopted",
    "channels": "channels_unreviewed",
    "high_risks": "risks_overdue",
    "risk_assessments": "risks_overdue",
}


def _rule_name(rule, kind_names: dict[str, str]) -> str:
    """What a requirement is about, in words a sentence can use: its kinds' names, else the record type's."""
    if rule.kinds:
        return "、".join(kind_names.get(k, k) for k in rule.kinds)
    try:
        return record_type(rule.counts).name
    except KeyError:
        return rule.title.split("（")[0]


def commitment(rule, kind_names: dict[str, str]) -> str:
    """The rule as a promise: 专题研究意识形态工作全年不少于2次, 出勤率不低于80%."""
    name = _rule_name(rule, kind_names)
    if rule.measure == "rate":
        return f"{name}出勤率不低于{rule.min:g}%"
    if rule.measure == "per_person":
        return f"每人每年撰写{name}不少于{rule.min:g}篇" if rule.period == "year" else f"人人完成{name}"
    if rule.measure == "every":
        return f"{name}全部符合要求"
    try:
        measure = record_type(rule.counts).measure if rule.counts != "activities" else "次"
    except KeyError:
        measure = "次"
    return f"{name}{PER.get(rule.period, '')}不少于{rule.min:g}{measure}"


def weak_points(*, unit: Unit, period: Period, facts: SummaryFacts) -> tuple[list[Weak], list[str]]:
    from taizhang.rules.engine import BEHIND, OVERDUE
    from taizhang.rules.queries import compliance, rule_from

    kind_names = {code: name for code, (name, _) in facts.kinds.items()}
    check = compliance(unit=unit, window=period, with_children=True)
    requirements = list(check.framework.requirements.all())
    rules = {r.code: rule_from(r) for r in requirements}
    weak: list[Weak] = []
    unmet: dict[tuple[str, int], list] = defaultdict(list)
    for result in check.results:
        if result.status in (BEHIND, OVERDUE):
            unmet[(result.requirement, result.unit)].append(result)
    for (code, unit_id), results in unmet.items():
        rule = rules[code]
        who = "" if unit_id == unit.pk else f"{facts.units[unit_id].short}的"
        name = _rule_name(rule, kind_names)
        if rule.measure == "rate":
            kind = "attendance_low"
        elif rule.measure == "per_person":
            kind = "reflections_incomplete"
        else:
            kind = WEAK_BY_COUNTS.get(rule.counts, "rule_unmet")
        periods = "、".join(r.period.label.removeprefix(f"{period.year}年") for r in results)
        excluded = sum(r.excluded for r in results)
        # What shows it, without naming the subject again or restating a counted figure.
        if excluded:
            evidence = "有的缺少会议记录等佐证材料，未能算作有效开展"
        elif len(results) > 1:
            evidence = f"{periods}都没有按要求开展"
        elif results[0].period != period:
            evidence = f"{periods}没有按要求开展"
        else:
            evidence = f"{period.label}没有达到规定的次数"
        weak.append(
            Weak(
                kind,
                severity=3 if unit_id == unit.pk else 2,
                subject=f"{who}{name}",
                evidence=evidence,
                commitment=commitment(rule, kind_names),
            )
        )
    weak += _measured(facts)
    own_rules = [
        rules[r.code]
        for r in requirements
        if r.area == "leadership" and rules[r.code].measure == "count" and facts.unit.kind in r.applies_to
    ]
    return weak, [commitment(r, kind_names) for r in own_rules]


def _measured(facts: SummaryFacts) -> list[Weak]:
    """Weak points the records show even where every rule is met, as a real summary names them."""
    out: list[Weak] = []
    own = [a for a in facts.records.get("activities", ()) if a.unit == facts.unit.id]
    period = facts.period
    by_kind: dict[str, list[Rec]] = defaultdict(list)
    for act in own:
        by_kind[act.kind].append(act)
    # Activities bunched in one half (of a year) or one quarter (of a half year).
    for kind, acts in by_kind.items():
        # an imported aggregate says how many, not when: no judgement of timing where one stands
        if (
            len(acts) < 2
            or any(a.imported for a in acts)
            or facts.kinds.get(kind, ("", ""))[1] not in ("theory_study", "channels_culture")
        ):
            continue
        if period.kind == "year":
            halves = {1 if a.day.month <= 6 else 2 for a in acts}
            if len(halves) == 1:
                when = "上半年" if halves == {1} else "下半年"
                out.append(Weak("uneven", 2, subject=facts.kinds[kind][0], when=when))
        elif period.kind == "half" and len(acts) >= 3:
            quarters = {(a.day.month - 1) // 3 for a in acts}
            if len(quarters) == 1:
                q = next(iter(quarters)) % 2
                out.append(
                    Weak("uneven", 1, subject=facts.kinds[kind][0], when="一季度" if q == 0 else "二季度")
                )
    # Study held, but few seminars or reflections beside it.
    studies = sum(counted(by_kind.get(k, ())) for k in ("central_group_study", "collective_study"))
    seminars = counted(by_kind.get("seminar", ()))
    if studies and seminars * 4 < studies:
        out.append(Weak("study_shallow", 2))
    # Submissions seldom adopted above the county; few articles in city or higher media.
    submissions = facts.records.get("submissions", ())
    adoptions = facts.records.get("adoptions", ())
    higher = [a for a in adoptions if a.kind in ("city", "province", "national")]
    if submissions and counted(higher) * 5 < counted(submissions):
        out.append(Weak("few_adopted", 2))
    articles = facts.records.get("publicity_articles", ())
    high_articles = [a for a in articles if a.kind and a.kind != "county"]  # imported: level unknown
    if not articles or counted(high_articles) * 3 < counted(articles):
        out.append(Weak("few_articles", 1 if articles else 2))
    # Channels not registered or not reviewed in the half year before the period's end.
    channels = facts.records.get("channels", ())
    if any(c.info["lapsed"] for c in channels):
        out.append(Weak("channels_unreviewed", 2))
    # Open risk points past their review date.
    if any(
        r.info.get("status") == "open" and r.info.get("review_date") and r.info["review_date"] < period.end
        for r in facts.records.get("risk_points", ())
    ):
        out.append(Weak("risks_overdue", 2))
    return out
