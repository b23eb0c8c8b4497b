"""Reads for the archive: activities with their attendance, and what a study archive binds."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from taizhang.core.periods import Period
from taizhang.documents.archive.build import ActivityRecord, Attendee
from taizhang.ledger.models import Activity, Attendance
from taizhang.ledger.queries import in_period
from taizhang.org.models import Unit


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
            highlight=a.highlight,
            holiday_reason=a.holiday_reason,
            attendees=tuple(
                Attendee(x.person.name, x.person.job_title, x.status, x.reason) for x in a.attendances.all()
            ),
        )
        for a in rows.order_by("date", "id")
    ]


def study_activities(*, unit: Unit, period: Period) -> QuerySet[Activity]:
    """What a study archive binds: the unit's activities of the theory-study area in the period."""
    return in_period(Activity.objects.filter(unit=unit, kind__area__code="theory_study"), period)
