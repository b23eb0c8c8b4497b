"""Reads the documents need from the ledger and org: a few set-based queries per document."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, QuerySet

from taizhang.core.periods import Period
from taizhang.documents.bulletin import UnitRow, build_bulletin
from taizhang.documents.facts import default_date, summary_facts
from taizhang.documents.ledger_xlsx import ReflectionRow, RosterRow, ledger_workbook
from taizhang.documents.model import Document
from taizhang.documents.records import ActivityRecord, Attendee
from taizhang.documents.summary import build_summary
from taizhang.ledger.models import Activity, ActivityKind, Attendance, Reflection
from taizhang.ledger.queries import in_period
from taizhang.org.models import Person, Unit
from taizhang.reporting import queries as reporting_queries
from taizhang.reporting.models import Adoption, Article, Submission


def summary_for(
    *,
    unit: Unit,
    period: Period,
    written_on: date | None = None,
    shortcomings: list[str] | None = None,
    next_steps: list[str] | None = None,
) -> Document:
    """The summary as the ledger stands now: the facts of the unit's tree, then the pure builder."""
    facts = summary_facts(unit=unit, period=period, written_on=written_on)
    return build_summary(facts, shortcomings=shortcomings, next_steps=next_steps)


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
        written_on=written_on or default_date(period),
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
