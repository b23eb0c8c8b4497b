"""Reads the documents need from the ledger and org: a few set-based queries per document."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, QuerySet

from taizhang.campaigns import queries as campaigns_queries
from taizhang.channels import queries as channels_queries
from taizhang.core.periods import Period
from taizhang.documents import gaps as gaps_module
from taizhang.documents.bulletin import UnitRow, build_bulletin
from taizhang.documents.ledger_xlsx import ReflectionRow, RosterRow, ledger_workbook
from taizhang.documents.model import Document
from taizhang.documents.records import ActivityRecord, Attendee
from taizhang.documents.summary import ActivityFact, PracticeFigure, SummaryFacts, build_summary
from taizhang.ledger.models import Activity, ActivityKind, Attendance, Reflection
from taizhang.ledger.queries import in_period
from taizhang.org.models import Area, Person, Unit
from taizhang.reporting import queries as reporting_queries
from taizhang.reporting.models import Adoption, Article, Submission
from taizhang.review import queries as review_queries
from taizhang.risks import queries as risks_queries


def summary_facts(*, unit: Unit, period: Period, written_on: date | None = None) -> SummaryFacts:
    """The unit's own ledger for the period (not its children: each unit writes its own summary)."""
    kinds = list(ActivityKind.objects.select_related("area").order_by("order", "code"))
    rows = (
        in_period(Activity.objects.filter(unit=unit), period)
        .order_by("date", "id")
        .values_list("id", "kind__code", "date", "topic", "materials")
    )
    rows = list(rows)
    due: dict[int, int] = {}
    present: dict[int, int] = {}
    for activity_id, status, n in (
        Attendance.objects.filter(activity_id__in=[row[0] for row in rows])
        .values_list("activity_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        due[activity_id] = due.get(activity_id, 0) + n
        if status == "present":
            present[activity_id] = n
    activities = tuple(
        ActivityFact(
            id=pk,
            kind=kind,
            date=day,
            topic=topic,
            materials=tuple(line.strip() for line in materials.splitlines() if line.strip()),
            due=due.get(pk, 0),
            present=present.get(pk, 0),
        )
        for pk, kind, day, topic, materials in rows
    )
    return SummaryFacts(
        unit_code=unit.code,
        unit_name=unit.name,
        unit_short=unit.short_name or unit.name,
        period=period,
        areas=tuple(Area.objects.order_by("order", "code").values_list("code", "name")),
        kind_names={k.code: k.name for k in kinds},
        kind_areas={k.code: k.area.code if k.area else "" for k in kinds},
        kind_order=tuple(k.code for k in kinds),
        activities=activities,
        written_on=written_on or date.today(),
        practice=practice_figures(unit=unit, period=period),
    )


# Which table each module figure's ids number, as the provenance names it.
_SOURCES = {
    "submissions": "报送信息",
    "adoptions": "采用记录",
    "publicity_articles": "宣传稿件",
    "published_items": "发布稿件",
    "published_with_three_reviews": "发布稿件",
    "risk_points": "风险点",
    "risk_points_reviewed": "风险点",
    "risk_assessments": "活动",
    "high_risks_overdue": "风险点",
    "channels": "阵地",
    "donations": "捐赠记录",
    "goods": "捐赠记录",
    "volunteer_activities": "志愿服务",
    "campaigns": "主题宣传",
    "selections": "评选",
    "selection_winners": "评选",
}


def _source(name: str) -> str:
    if name.endswith("_submissions"):
        return "报送信息"
    if name.startswith("publicity_articles"):
        return "宣传稿件"
    if name.startswith("channel"):
        return "阵地"
    if name.endswith(("donations_fen", "goods_fen")):
        return "捐赠记录"
    return _SOURCES[name]


def practice_figures(*, unit: Unit, period: Period) -> dict[str, PracticeFigure]:
    """The five practice modules' ``summary_figures`` as plain data for the pure builder.

    A fixed number of queries per module (not per record). Only plain counts and their ids cross
    over; money keeps its fen value and the way a summary writes it (``about``: "157.3万余元",
    cut and marked 余, never rounded up); publications and donated items become one figure each.
    """
    out: dict[str, PracticeFigure] = {}
    for module in (reporting_queries, review_queries, risks_queries, channels_queries, campaigns_queries):
        for name, fig in module.summary_figures(unit=unit, period=period).items():
            if name == "publication_issues":
                for publication, issues in fig["value"].items():
                    out[f"publication:{publication}"] = PracticeFigure(
                        value=issues,
                        ids=tuple(fig["ids_by"][publication]),
                        source="采用记录",
                        text="期" if fig["numbered"][publication] else "条",
                    )
            elif name == "donated_items_by_name":
                for item, text in fig["value"].items():
                    out[f"item:{item}"] = PracticeFigure(
                        value=fig["counts"][item],
                        ids=tuple(fig["ids_by"][item]),
                        source="捐赠记录",
                        text=text,
                    )
            else:
                out[name] = PracticeFigure(
                    value=fig["value"],
                    ids=tuple(fig["ids"]),
                    source=_source(name),
                    text=fig.get("about", ""),
                    names=tuple(fig.get("titles", ())),
                )
    return out


def summary_for(
    *,
    unit: Unit,
    period: Period,
    written_on: date | None = None,
    shortcomings: list[str] | None = None,
    next_steps: list[str] | None = None,
) -> Document:
    """The summary as the ledger stands now: facts, gaps (see ``documents.gaps``), then the pure builder."""
    facts = summary_facts(unit=unit, period=period, written_on=written_on)
    gaps = gaps_module.gaps_for(unit=unit, period=period)
    return build_summary(facts, gaps, shortcomings=shortcomings, next_steps=next_steps)


def bulletin_for(*, root: Unit, period: Period, written_on: date | None = None) -> Document:
    """Every unit of ``root``'s tree with its own records in the period, ranked.

    One query per table for the whole tree (activities, submissions, adoptions, articles) plus the
    reporting module's grouped points, never a query per unit.
    """
    tree = Unit.objects.filter(path__startswith=root.path)
    units = list(tree.order_by("path"))
    in_tree = {"unit__path__startswith": root.path}
    between = {"date__gte": period.start, "date__lte": period.end}

    def by_unit(rows) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {u.pk: [] for u in units}
        for unit_id, pk in rows:
            out[unit_id].append(pk)
        return out

    activities = by_unit(in_period(Activity.objects.filter(**in_tree), period).values_list("unit_id", "id"))
    submissions = by_unit(Submission.objects.filter(**in_tree, **between).values_list("unit_id", "id"))
    # Adoptions count by their own date, as the reporting module's points do.
    adoptions = by_unit(
        Adoption.objects.filter(
            submission__unit__path__startswith=root.path, submission__deleted=False, **between
        ).values_list("submission__unit_id", "id")
    )
    articles = by_unit(Article.objects.filter(**in_tree, **between).values_list("unit_id", "id"))
    points = reporting_queries.measure_counts(units=tree, period=period)
    return build_bulletin(
        issuer=root.name,
        period=period,
        rows=[
            UnitRow(
                u.name,
                tuple(activities[u.pk]),
                submission_ids=tuple(submissions[u.pk]),
                adoption_ids=tuple(adoptions[u.pk]),
                article_ids=tuple(articles[u.pk]),
                points=points.get(u.pk, {}).get("reporting_points", 0),
            )
            for u in units
        ],
        written_on=written_on or date.today(),
    )


def activity_records(activities: QuerySet[Activity]) -> list[ActivityRecord]:
    """Records with their attendance, in date order: three queries whatever their number."""
    rows = activities.select_related("kind", "host", "recorder").prefetch_related(
        Prefetch("attendances", queryset=Attendance.objects.select_related("person").order_by("person_id"))
    )
    return [
        ActivityRecord(
            id=a.pk,
            kind_name=a.kind.name,
            date=a.date,
            topic=a.topic,
            location=a.location,
            host=a.host.name if a.host else "",
            recorder=a.recorder.name if a.recorder else "",
            materials=tuple(a.material_list),
            minutes=a.minutes,
            attendees=tuple(
                Attendee(x.person.name, x.person.job_title, x.status, x.reason) for x in a.attendances.all()
            ),
        )
        for a in rows.order_by("date", "id")
    ]


def study_activities(*, unit: Unit, period: Period) -> QuerySet[Activity]:
    """What a study archive binds: the unit's activities of the theory-study area in the period."""
    return in_period(Activity.objects.filter(unit=unit, kind__area__code="theory_study"), period)


def ledger_export(
    *, unit: Unit, period: Period, with_children: bool = False, personal: bool = False
) -> bytes:
    """The unit's ledger workbook for the period (sheets in the framework's kind order).

    The roster leaves phone numbers out unless ``personal`` (an admin of the unit asked for them).
    """
    base = (
        Activity.objects.filter(unit__path__startswith=unit.path) if with_children else unit.activities.all()
    )
    records = activity_records(in_period(base, period))
    kind_order = list(ActivityKind.objects.order_by("order", "code").values_list("name", flat=True))
    by_kind: dict[str, list[ActivityRecord]] = {}
    for rec in sorted(
        records, key=lambda r: kind_order.index(r.kind_name) if r.kind_name in kind_order else 999
    ):
        by_kind.setdefault(rec.kind_name, []).append(rec)
    reflection_base = (
        Reflection.objects.filter(unit__path__startswith=unit.path)
        if with_children
        else unit.reflections.all()
    )
    reflections = [
        ReflectionRow(r.date, r.person.name, r.title, r.activity.topic if r.activity else "")
        for r in in_period(reflection_base, period).select_related("person", "activity")
    ]
    people = Person.objects.filter(unit__path__startswith=unit.path) if with_children else unit.people.all()
    roster = [
        RosterRow(p.name, p.unit.name, p.job_title, p.is_party_member, p.phone if personal else "")
        for p in people.select_related("unit").order_by("unit__path", "id")
    ]
    label = f"{unit.name}{period.label}台账"
    return ledger_workbook(by_kind, reflections, unit_label=label, roster=roster, personal=personal)
