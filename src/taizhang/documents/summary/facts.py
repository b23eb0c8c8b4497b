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
from taizhang.core.framework_file import frameworks_dir, read_framework
from taizhang.core.framework_file import phrases as load_phrases
from taizhang.core.periods import Period
from taizhang.core.registry import REGISTRY, record_type
from taizhang.documents.summary import Rec, SummaryFacts, UnitInfo
from taizhang.ledger.models import ActivityKind, Attendance
from taizhang.org.models import Area, Responsibility, Unit

PROFILES_FILE = "profiles.yaml"


def load_profiles() -> dict:
    """The unit profiles (``frameworks/profiles.yaml``): how each kind of unit speaks in its summary."""
    path = frameworks_dir() / PROFILES_FILE
    return read_framework(path) if path.exists() else {}


# One piece of work a clerk may record twice, as an activity of a kind and as a record of a type:
# the same unit on the same day is one (a volunteer day is a 志愿服务 activity and a volunteer record).
SAME_WORK = {"volunteer_service": "volunteer_activities"}


def summarised() -> dict[str, tuple[str, ...]]:
    """The record types the summary tells and what it reads of each row besides id, unit, date and
    title: each type's own declaration (``details``), in the registry's order."""
    return {t.code: t.details for t in REGISTRY.values() if t.details is not None and not t.base}


def _kind_field(code: str) -> str:
    """The detail that is a record's kind (what sentences group by), as the type declares it."""
    return record_type(code).kind_field


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
    details = (*(record_type(code).details or ()), *flags)
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
                kind=str(info.get(_kind_field(code), "") or ""),
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
        kind_field = _kind_field(t.table)
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
    # Attendance rows as (id, status) pairs, no Rec each: a half-year after each write in the CPPCC
    # organ reads thousands, and only the attendance rate (its count, its row ids) reads them.
    attendance: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, activity_id, status in Attendance.objects.filter(
        activity_id__in=[a.id for a in acts]
    ).values_list("id", "activity_id", "status"):
        attendance[activity_id].append((pk, status))
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
                info={
                    "materials": materials,
                    "attendance": tuple(attendance.get(act.id, ())),
                    "location": act.info.get("location") or "",
                },
            )
        )
    return out


def _same_work(records: dict[str, tuple[Rec, ...]]) -> dict[str, tuple[Rec, ...]]:
    """Activities that are the same piece of work as a record of another type (``SAME_WORK``) say so
    (``same_as``): the summary counts the other record, never both."""
    others = {
        (code, r.unit, r.day): r for code in set(SAME_WORK.values()) for r in records.get(code, ()) if r.day
    }
    acts = []
    for act in records.get("activities", ()):
        twin = others.get((SAME_WORK.get(act.kind, ""), act.unit, act.day))
        if twin is not None:
            info = {**act.info, "same_as": twin.ref}
            act = Rec(
                act.type, act.id, act.unit, act.day, act.title, act.kind, act.highlight, info, act.count
            )
        acts.append(act)
    return {**records, "activities": tuple(acts)}


def _context(unit: Unit) -> tuple[tuple[UnitInfo, ...], tuple[UnitInfo, ...]]:
    """The unit's ancestors (root first) and the units directly under its region (where the summary
    finds the superior of its line of work: a school's 教育局): two queries."""
    above = list(Unit.objects.filter(pk__in=unit.ancestor_ids[:-1]).order_by("depth"))
    regions = [u for u in above if u.kind == "region"]
    peers = list(Unit.objects.filter(parent=regions[-1]).order_by("path")) if regions else []
    return tuple(_info(u) for u in above), tuple(_info(u) for u in peers)


def _info(u: Unit) -> UnitInfo:
    return UnitInfo(u.pk, u.code, u.name, u.short_name or u.name, u.kind, u.parent_id, u.profile)


def _kind_label(code: str, value: str) -> str | None:
    """The name of a record's kind (a channel's 类别, an adoption's 层级) in the page's language, read
    from the choices of the field its type declares as its kind; None when it is not one of them."""
    t = record_type(code)
    choices = dict(apps.get_model(t.model)._meta.get_field(t.kind_field).flatchoices)
    return str(choices[value]) if value in choices else None


def _refine(code: str, recs: list[Rec], period: Period) -> list[Rec]:
    """What a sentence says of a record that its row does not hold directly."""
    out = []
    for r in recs:
        info = dict(r.info)
        if code == "channels":
            info["kind_label"] = _kind_label(code, r.kind) or r.kind
            info["registered"] = bool(info.get("registered_on") and info["registered_on"] <= period.end)
            info["reviewed"] = not info["lapsed"]
        elif code == "adoptions":
            info["level_label"] = _kind_label(code, r.kind) or ""
        elif code == "risk_points" and info["open_then"]:
            info["status"] = "open"  # a risk mitigated after the period was still open then
        elif code == "selections":
            info["winners"] = len([line for line in (info.get("winners") or "").splitlines() if line.strip()])
        out.append(Rec(r.type, r.id, r.unit, r.day, r.title, r.kind, r.highlight, info, r.count))
    return out


def summary_facts(*, unit: Unit, period: Period, written_on: date | None = None) -> SummaryFacts:
    """The facts of the unit's tree for the period; the date it is signed on and the phrase library
    are added on reading.

    Not kept as a whole: the document built from them is (``queries.summary_for``), and after a
    write the facts are needed once, for it; keeping them too cost more (pickling every record and
    attendance row) than it saved. What reads no activity is kept (``_summary_facts``), and so is
    the compliance check behind the weak points."""
    facts = _summary_facts(unit=unit, period=period)
    return replace(
        facts, written_on=written_on or default_date(period), phrases=load_phrases(), profiles=load_profiles()
    )


def _summary_facts(*, unit: Unit, period: Period) -> SummaryFacts:
    from taizhang.documents.summary.facts_weak import weak_points

    kept = stamps.cached(
        "summary-records",
        unit_id=unit.pk,
        parts=(period.code, get_language()),
        compute=lambda: _undated_facts(unit=unit, period=period),
        # No activity is read here: recording a meeting (what clerks write most) leaves this current,
        # and only the activities and what reads them are worked out again.
        years=(),
    )
    records: dict[str, tuple[Rec, ...]] = {"activities": tuple(_activities(unit, period)), **kept.records}
    # Imported aggregates count where no detailed record (an activity too) replaces them: read anew.
    for code, recs in imported_records(unit, period).items():
        records[code] = (*records.get(code, ()), *recs)
    facts = replace(kept, records=_same_work(records))
    return weak_points(unit=unit, period=period, facts=facts)


def _undated_facts(*, unit: Unit, period: Period) -> SummaryFacts:
    """The facts that read no activity: the tree, kinds and areas, the records of every other type,
    the duties and the units above."""
    tree = list(Unit.objects.filter(path__startswith=unit.path).order_by("path"))
    units = {u.pk: _info(u) for u in tree}
    kinds = list(ActivityKind.objects.select_related("area").order_by("order", "code"))
    records: dict[str, tuple[Rec, ...]] = {}
    for code in summarised():
        if code != "activities":
            records[code] = tuple(_refine(code, _rows(code, unit, period), period))
    duties: dict[str, list[str]] = defaultdict(list)
    for duty, post in (
        Responsibility.objects.filter(unit=unit)
        .values_list("duty", "person__positions__post")
        .filter(person__positions__unit__path__startswith=unit.path, person__positions__end__isnull=True)
        .distinct()
    ):
        if post and post not in duties[duty] and post != "member":
            duties[duty].append(post)
    above, peers = _context(unit)
    return SummaryFacts(
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
        phrases={},  # the phrase library and the profiles are files: added on reading
        profiles={},
        above=above,
        peers=peers,
    )


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
