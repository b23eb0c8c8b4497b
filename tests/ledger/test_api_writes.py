"""Recording a meeting through the API as a clerk does (``bench/load.py``'s write): everything a
save keeps is kept, in a bounded number of queries."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from taizhang.ledger import queries, rollup
from taizhang.ledger.models import Activity, Attendance
from taizhang.org.models import Person


@pytest.fixture
def clerk(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="cppcc-clerk")


@pytest.fixture
def api(clerk):
    client = APIClient()
    client.force_authenticate(clerk)
    return client


def meeting(people, **fields) -> dict:
    return {
        "unit": "cppcc",
        "kind": "collective_study",
        "date": "2020-06-10",
        "topic": "集体学习",
        "minutes": "学习记录",
        "attendance": [
            {"person": p.pk, "status": "present"}
            if i
            else {"person": p.pk, "status": "leave", "reason": "出差"}
            for i, p in enumerate(people)
        ],
        **fields,
    }


def test_each_attendance_line_keeps_its_history_by_the_clerk(api, clerk, cppcc):
    people = list(Person.objects.filter(unit=cppcc).order_by("pk")[:5])
    response = api.post("/api/activities/", meeting(people), format="json")
    assert response.status_code == 201, response.json()
    rows = Attendance.objects.filter(activity_id=response.json()["id"])
    entries = Attendance.history.filter(activity_id=response.json()["id"])
    assert sorted(e.person_id for e in entries) == sorted(r.person_id for r in rows) == [p.pk for p in people]
    assert {(e.history_type, e.history_user_id, e.history_change_reason) for e in entries} == {
        ("+", clerk.pk, None)
    }
    assert {e.id for e in entries} == {r.pk for r in rows}
    assert next(e for e in entries if e.person_id == people[0].pk).reason == "出差"


def test_the_reply_is_the_activity_as_read_back(api, cppcc):
    people = list(Person.objects.filter(unit=cppcc).order_by("-pk")[:5])
    created = api.post("/api/activities/", meeting(people), format="json").json()
    read = api.get(f"/api/activities/{created['id']}/").json()
    assert created == read
    assert [line["person"] for line in created["attendance"]] == sorted(p.pk for p in people)
    assert created["counting"], "the requirements that read a collective study say whether it counts"


def test_the_rollup_and_the_kept_counts_follow_at_once(api, cppcc):
    from taizhang.core.periods import Period

    period = Period.parse("2020H1")
    before = queries.kind_counts(unit=cppcc, period=period)  # kept until a write in the unit
    people = list(Person.objects.filter(unit=cppcc)[:5])
    assert api.post("/api/activities/", meeting(people), format="json").status_code == 201
    after = queries.kind_counts(unit=cppcc, period=period)
    assert after["collective_study"] == before.get("collective_study", 0) + 1
    assert rollup.stale(connection) == []


@pytest.mark.parametrize(
    ("person", "words"),
    [
        (999_999, "“999999” － 对象不存在"),
        (2**70, "对象不存在"),  # beyond what a row's id can be (schemathesis sent one)
        (True, "获得的类型为 bool"),
        ("abc", "获得的类型为 str"),
    ],
)
def test_an_unknown_attendee_is_refused_as_before(api, cppcc, person, words):
    before = Activity.all_objects.count()
    data = meeting(list(Person.objects.filter(unit=cppcc)[:2]))
    data["attendance"].append({"person": person, "status": "present"})
    response = api.post("/api/activities/", data, format="json")
    assert response.status_code == 400
    # the third line's person, in DRF's own words (the attendees are read at once now)
    assert words in response.json()["attendance"]["2"]["person"][0]
    assert Activity.all_objects.count() == before


def test_a_meeting_is_recorded_in_a_bounded_number_of_queries(api, cppcc, django_assert_max_num_queries):
    people = list(Person.objects.filter(unit=cppcc)[:5])
    api.post("/api/activities/", meeting(people, topic="暖机"), format="json")
    # 45 before the attendance went in as one INSERT and the attendees were read at once
    with django_assert_max_num_queries(20):
        assert api.post("/api/activities/", meeting(people), format="json").status_code == 201
