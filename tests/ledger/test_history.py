"""Every change is kept: the activity page shows who changed what, when, before and after."""

import pytest
from django.urls import reverse

from taizhang.ledger.models import Activity
from taizhang.org.models import Person

pytestmark = pytest.mark.django_db


def test_activity_page_shows_who_changed_the_topic_from_what_to_what(cppcc_clerk, cppcc):
    activity = Activity.objects.filter(unit=cppcc).first()
    old_topic = activity.topic
    response = cppcc_clerk.patch(
        f"/api/activities/{activity.pk}/",
        {"topic": "修改后的主题", "version": activity.version},
        content_type="application/json",
    )
    assert response.status_code == 200
    page = cppcc_clerk.get(reverse("ledger:activity-detail", args=[activity.pk])).content.decode()
    assert "修改记录" in page
    assert f"主题：{old_topic} → 修改后的主题" in page
    clerk_name = Person.objects.get(user__username="cppcc-clerk").name
    history = page[page.index("修改记录") :]
    assert clerk_name in history


def test_delete_and_restore_are_in_the_history(cppcc_clerk, cppcc):
    activity = Activity.objects.filter(unit=cppcc).first()
    cppcc_clerk.post(reverse("ledger:activity-delete", args=[activity.pk]))
    cppcc_clerk.post(reverse("ledger:activity-restore", args=[activity.pk]))
    states = list(activity.history.order_by("history_date").values_list("deleted", flat=True))
    assert states[-2:] == [True, False]
    page = cppcc_clerk.get(reverse("ledger:activity-detail", args=[activity.pk])).content.decode()
    assert "状态：已删除" in page and "状态：已恢复" in page
