"""The REST API: the same rules as the pages."""

import pytest
from rest_framework.test import APIClient

from taizhang.ledger.models import Activity
from taizhang.org.models import Person


@pytest.fixture
def api(db):
    from django.contrib.auth import get_user_model

    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username="cppcc-clerk"))
    return client


def test_anonymous_requests_are_refused(db):
    client = APIClient()
    assert client.get("/api/activities/").status_code in (401, 403)
    assert client.get("/api/units/").status_code in (401, 403)


def test_a_token_is_issued_for_a_valid_login(db):
    response = APIClient().post("/api/token/", {"username": "cppcc-clerk", "password": "taizhang-demo"})
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/units/cppcc/").json()["name"] == "县政协机关"


def test_lists_hold_only_what_the_login_may_see(api):
    codes = {u["code"] for u in api.get("/api/units/").json()["results"]}
    assert "cppcc" in codes and "school" not in codes
    assert api.get("/api/units/school/").status_code == 404
    units = {a["unit"] for a in api.get("/api/activities/", {"period": "2020H1"}).json()["results"]}
    assert units and units <= {
        "cppcc",
        "cppcc-office",
        "cppcc-proposal",
        "cppcc-economy",
        "cppcc-social",
        "cppcc-culture",
    }


def test_activities_filter_by_kind_and_period(api):
    body = api.get(
        "/api/activities/", {"unit": "cppcc", "kind": "central_group_study", "period": "2020H1"}
    ).json()
    assert body["count"] == 4
    assert all(row["attendance"] for row in body["results"])


def test_a_malformed_period_names_the_parameter(api):
    response = api.get("/api/activities/", {"period": "2020H9"})
    # The field's messages, as every refused field lists them (core.api.ErrorSerializer).
    assert response.status_code == 400 and "期间不存在" in response.json()["period"][0]


def test_an_activity_is_created_and_edited_with_its_version(api, cppcc):
    person = Person.objects.filter(unit=cppcc).first()
    created = api.post(
        "/api/activities/",
        {
            "unit": "cppcc",
            "kind": "seminar",
            "date": "2020-07-01",
            "topic": "专题研讨",
            "attendance": [{"person": person.pk, "status": "present"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["attendance"][0]["person_name"] == person.name and body["version"] == 1
    url = f"/api/activities/{body['id']}/"
    assert api.patch(url, {"topic": "改", "version": 1}, format="json").json()["version"] == 2
    stale = api.patch(url, {"topic": "旧", "version": 1}, format="json")
    assert stale.status_code == 409 and "当前为第 2 版" in str(stale.json())
    missing = api.patch(url, {"topic": "旧"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "no_such_kind"}, "kind"),
        ({"date": "2999-01-01"}, "date"),
        ({"date": "2020-02-30"}, "date"),
        ({"unit": "school"}, "unit"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(api, change, field):
    before = Activity.objects.count()
    data = {"unit": "cppcc", "kind": "seminar", "date": "2020-07-01", "topic": "研讨", **change}
    response = api.post("/api/activities/", data, format="json")
    assert response.status_code == 400 and field in response.json()
    assert Activity.objects.count() == before


def test_an_attendee_from_another_organisation_is_refused(api, school):
    outsider = Person.objects.filter(unit=school).first()
    before = Activity.objects.count()
    response = api.post(
        "/api/activities/",
        {
            "unit": "cppcc",
            "kind": "seminar",
            "date": "2020-07-01",
            "topic": "研讨",
            "attendance": [{"person": outsider.pk, "status": "present"}],
        },
        format="json",
    )
    assert response.status_code == 400 and "attendance" in response.json()
    assert Activity.objects.count() == before


def test_delete_is_soft(api, cppcc):
    activity = Activity.objects.filter(unit=cppcc).first()
    assert api.delete(f"/api/activities/{activity.pk}/").status_code == 204
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert Activity.all_objects.get(pk=activity.pk).deleted


def test_the_openapi_schema_is_served(api):
    response = api.get("/api/schema/")
    assert response.status_code == 200 and b"/api/activities/" in response.content
