"""Ids of another unit's objects in a request body are refused with a message; nothing is written."""

import pytest

from taizhang.ledger.models import Activity, Attendance
from taizhang.org.models import Person

pytestmark = pytest.mark.django_db


def test_api_refuses_an_attendee_from_another_unit(cppcc_clerk, cppcc, school):
    stranger = Person.objects.filter(unit__path__startswith=school.path).first()
    before = Activity.all_objects.count(), Attendance.all_objects.count()
    response = cppcc_clerk.post(
        "/api/activities/",
        {
            "unit": "cppcc",
            "kind": "central_group_study",
            "date": "2020-05-06",
            "topic": "带了外单位人员的活动",
            "attendance": [{"person": stranger.pk, "status": "present"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "attendance" in response.json()
    assert (Activity.all_objects.count(), Attendance.all_objects.count()) == before


def test_api_refuses_an_activity_for_another_unit(cppcc_clerk):
    before = Activity.all_objects.count()
    response = cppcc_clerk.post(
        "/api/activities/",
        {"unit": "school", "kind": "central_group_study", "date": "2020-05-06", "topic": "越权登记"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "unit" in response.json()
    assert Activity.all_objects.count() == before
