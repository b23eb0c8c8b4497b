"""The admin site lists deleted activities and restores them."""

import pytest

from taizhang.ledger.models import Activity

pytestmark = pytest.mark.django_db


def test_admin_lists_and_restores_a_deleted_activity(admin_client, cppcc):
    activity = Activity.objects.filter(unit=cppcc).first()
    Activity.objects.filter(pk=activity.pk).update(deleted=True)
    listing = admin_client.get("/admin/ledger/activity/", {"deleted__exact": "1"}).content.decode()
    assert f"/admin/ledger/activity/{activity.pk}/change/" in listing
    admin_client.post(
        "/admin/ledger/activity/", {"action": "restore_activities", "_selected_action": [activity.pk]}
    )
    assert Activity.objects.filter(pk=activity.pk).exists()
    history = admin_client.get(f"/admin/ledger/activity/{activity.pk}/history/")
    assert history.status_code == 200
