"""Within their own unit, a leader reads everything but changes nothing; a member changes no ledger row."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from taizhang.ledger.models import Activity

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ["cppcc-leader", "cppcc-member"])
def test_leader_and_member_cannot_change_their_units_activities(client, cppcc, username):
    client.force_login(get_user_model().objects.get(username=username))
    activity = Activity.objects.filter(unit=cppcc).first()
    before = (activity.version, activity.topic, activity.deleted)
    body = {
        "kind": activity.kind.code,
        "date": "2020-05-06",
        "topic": "越权修改",
        "version": activity.version,
    }
    for url in ("activity-edit", "activity-delete", "activity-sign-in", "activity-attachment-add"):
        assert client.post(reverse(f"ledger:{url}", args=[activity.pk]), body).status_code == 404
    api = f"/api/activities/{activity.pk}/"
    assert client.patch(api, body, content_type="application/json").status_code in (403, 404)
    assert client.delete(api).status_code in (403, 404)
    activity.refresh_from_db()
    assert (activity.version, activity.topic, activity.deleted) == before


def test_leader_reads_the_whole_unit_ledger(client, cppcc):
    client.force_login(get_user_model().objects.get(username="cppcc-leader"))
    activity = Activity.objects.filter(unit=cppcc).exclude(attendances=None).first()
    page = client.get(reverse("ledger:activity-detail", args=[activity.pk])).content.decode()
    assert "应到" in page and "修改记录" in page
    assert "编辑" not in page
