"""Recording activities: what a clerk sees when input is good, and when it is not."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from taizhang.core.services import StaleEdit
from taizhang.ledger import services
from taizhang.ledger.models import Activity, ActivityKind, Attendance
from taizhang.ledger.services import AttendanceEntry
from taizhang.org.models import Person


@pytest.fixture
def study(db):
    return ActivityKind.objects.get(code="collective_study")


def test_an_activity_is_recorded_with_its_attendance(cppcc, study):
    people = list(Person.objects.filter(unit__path__startswith=cppcc.path)[:3])
    activity = services.activity_create(
        unit=cppcc,
        kind=study,
        date=date(2020, 7, 2),
        topic="  学习党章  ",
        host=people[0],
        attendance=[
            AttendanceEntry(person=people[0], status="present"),
            AttendanceEntry(person=people[1], status="leave", reason="下乡调研"),
            AttendanceEntry(person=people[2], status="absent"),
        ],
    )
    assert activity.topic == "学习党章"
    statuses = dict(activity.attendances.values_list("person__name", "status"))
    assert statuses == {people[0].name: "present", people[1].name: "leave", people[2].name: "absent"}


def test_a_future_date_is_refused_and_nothing_is_written(cppcc, study):
    before = Activity.objects.count()
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as err:
        services.activity_create(unit=cppcc, kind=study, date=tomorrow, topic="学习")
    assert "date" in err.value.message_dict
    assert "晚于今天" in err.value.message_dict["date"][0]
    assert Activity.objects.count() == before


def test_missing_kind_and_topic_are_named(cppcc):
    with pytest.raises(ValidationError) as err:
        services.activity_create(unit=cppcc, kind=None, date=date(2020, 3, 1), topic=" ")
    assert set(err.value.message_dict) == {"kind", "topic"}


def test_an_attendee_from_another_organisation_is_refused_and_nothing_is_written(cppcc, school, study):
    outsider = Person.objects.filter(unit__path__startswith=school.path).first()
    insider = Person.objects.filter(unit=cppcc).first()
    activities, attendances = Activity.objects.count(), Attendance.objects.count()
    with pytest.raises(ValidationError) as err:
        services.activity_create(
            unit=cppcc,
            kind=study,
            date=date(2020, 3, 3),
            topic="学习",
            attendance=[
                AttendanceEntry(person=insider, status="present"),
                AttendanceEntry(person=outsider, status="present"),
            ],
        )
    message = err.value.message_dict["attendance"][0]
    assert "第 2 行" in message and outsider.name in message and "县政协机关" in message
    assert (Activity.objects.count(), Attendance.objects.count()) == (activities, attendances)


def test_a_host_from_another_organisation_is_refused(cppcc, school, study):
    outsider = Person.objects.filter(unit=school).first()
    with pytest.raises(ValidationError) as err:
        services.activity_create(unit=cppcc, kind=study, date=date(2020, 3, 3), topic="学习", host=outsider)
    assert "主持人" in err.value.message_dict["host"][0]


def test_people_of_an_office_may_attend_the_organs_activities(cppcc, study):
    office_staff = Person.objects.filter(unit__parent=cppcc).first()
    activity = services.activity_create(
        unit=cppcc,
        kind=study,
        date=date(2020, 3, 3),
        topic="学习",
        attendance=[AttendanceEntry(person=office_staff, status="present")],
    )
    assert activity.attendances.get().person == office_staff


def test_an_unknown_status_and_a_duplicate_person_are_named_by_line(cppcc, study):
    person = Person.objects.filter(unit=cppcc).first()
    with pytest.raises(ValidationError) as err:
        services.activity_create(
            unit=cppcc,
            kind=study,
            date=date(2020, 3, 3),
            topic="学习",
            attendance=[
                AttendanceEntry(person=person, status="late"),
                AttendanceEntry(person=person, status="present"),
            ],
        )
    message = err.value.message_dict["attendance"][0]
    assert "第 1 行" in message and "late" in message and "第 2 行" in message and "重复" in message


def test_an_edit_keeps_the_version_and_a_stale_edit_is_refused(cppcc):
    activity = Activity.objects.filter(unit=cppcc).first()
    version = activity.version
    services.activity_update(activity=activity, expected_version=version, topic="新主题")
    assert Activity.objects.get(pk=activity.pk).version == version + 1
    stale = Activity.objects.get(pk=activity.pk)
    with pytest.raises(StaleEdit):
        services.activity_update(activity=stale, expected_version=version, topic="旧版本上的修改")
    assert Activity.objects.get(pk=activity.pk).topic == "新主题"


def test_editing_attendance_drops_and_restores_rows_without_losing_them(cppcc):
    activity = Activity.objects.filter(unit=cppcc, kind__code="central_group_study").first()
    # the host stays: a host recorded away from the meeting is refused (test_time_true)
    rows = sorted(
        activity.attendances.select_related("person"), key=lambda r: r.person_id == activity.host_id
    )
    kept = [AttendanceEntry(person=r.person, status=r.status, reason=r.reason) for r in rows[1:]]
    services.activity_update(activity=activity, expected_version=None, attendance=kept)
    assert activity.attendances.count() == len(rows) - 1
    assert Attendance.all_objects.filter(activity=activity).count() == len(rows)  # kept in history
    services.activity_update(
        activity=activity,
        expected_version=None,
        attendance=[AttendanceEntry(person=rows[0].person, status="leave", reason="病假"), *kept],
    )
    assert activity.attendances.get(person=rows[0].person).status == "leave"


def test_a_deleted_activity_leaves_the_counts_and_comes_back_on_restore(cppcc):
    from taizhang.core.periods import Period
    from taizhang.ledger.queries import kind_counts

    period = Period.parse("2020H1")
    activity = Activity.objects.filter(unit=cppcc, kind__code="seminar", date__lte=period.end).first()
    assert kind_counts(unit=cppcc, period=period)["seminar"] == 2
    services.activity_delete(activity=activity)
    assert kind_counts(unit=cppcc, period=period)["seminar"] == 1
    services.activity_restore(activity=Activity.all_objects.get(pk=activity.pk))
    assert kind_counts(unit=cppcc, period=period)["seminar"] == 2
    assert Activity.objects.get(pk=activity.pk).attendances.count() > 0


def test_a_reflection_with_a_bad_period_names_the_field(cppcc):
    person = Person.objects.filter(unit=cppcc).first()
    with pytest.raises(ValidationError) as err:
        services.reflection_create(
            person=person, title="体会", text="正文", date=date(2020, 5, 1), period="2020H3"
        )
    assert "period" in err.value.message_dict
