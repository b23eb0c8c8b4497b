"""Deletes are soft: a deleted activity leaves lists and counts, and restoring it brings all back."""

import pytest
from django.urls import reverse

from taizhang.core.periods import Period
from taizhang.ledger import queries
from taizhang.ledger.models import Activity, Attendance

pytestmark = pytest.mark.django_db


def test_restoring_a_deleted_activity_brings_back_its_attendance_and_counts(cppcc_clerk, cppcc):
    activity = Activity.objects.filter(unit=cppcc).exclude(attendances=None).first()
    period = Period(activity.date.year, "year")
    kind = activity.kind.code
    before = queries.kind_counts(unit=cppcc, period=period)[kind]
    summary = queries.attendance_summary(activity)
    assert summary["present"] > 0

    response = cppcc_clerk.post(reverse("ledger:activity-delete", args=[activity.pk]))
    assert response.status_code == 302
    assert queries.kind_counts(unit=cppcc, period=period).get(kind, 0) == before - 1
    month = f"{activity.date:%Y-%m}"
    listing = cppcc_clerk.get(
        reverse("ledger:activity-list"), {"unit": "cppcc", "kind": kind, "period": month}
    )
    assert reverse("ledger:activity-detail", args=[activity.pk]) not in listing.content.decode()
    assert cppcc_clerk.get(reverse("ledger:activity-detail", args=[activity.pk])).status_code == 404
    person = Attendance.objects.filter(activity=activity).first().person
    assert activity not in [row.activity for row in queries.attendance_of(person)]

    deleted = cppcc_clerk.get(reverse("ledger:activity-deleted"))
    assert reverse("ledger:activity-restore", args=[activity.pk]) in deleted.content.decode()
    response = cppcc_clerk.post(reverse("ledger:activity-restore", args=[activity.pk]))
    assert response.status_code == 302
    assert queries.kind_counts(unit=cppcc, period=period)[kind] == before
    assert queries.attendance_summary(Activity.objects.get(pk=activity.pk)) == summary
    page = cppcc_clerk.get(reverse("ledger:activity-detail", args=[activity.pk])).content.decode()
    assert f"实到 {summary['present']} 人" in page


def test_another_units_clerk_can_neither_delete_nor_restore(school_clerk, cppcc):
    activity = Activity.objects.filter(unit=cppcc).first()
    assert school_clerk.post(reverse("ledger:activity-delete", args=[activity.pk])).status_code == 404
    activity.deleted = True
    activity.save()
    assert school_clerk.post(reverse("ledger:activity-restore", args=[activity.pk])).status_code == 404
    restore = reverse("ledger:activity-restore", args=[activity.pk])
    assert restore not in school_clerk.get(reverse("ledger:activity-deleted")).content.decode()
    assert Activity.all_objects.get(pk=activity.pk).deleted


def test_stale_edit_is_refused_in_the_form(cppcc_clerk, cppcc):
    activity = Activity.objects.filter(unit=cppcc).first()
    url = reverse("ledger:activity-edit", args=[activity.pk])
    data = {
        "kind": activity.kind.code,
        "date": activity.date.isoformat(),
        "topic": "改过的主题",
        "version": activity.version - 1 if activity.version > 1 else activity.version + 5,
    }
    response = cppcc_clerk.post(url, data)
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    assert Activity.objects.get(pk=activity.pk).topic == activity.topic


def test_stale_edit_is_refused_in_the_api(cppcc_clerk, cppcc):
    activity = Activity.objects.filter(unit=cppcc).first()
    url = f"/api/activities/{activity.pk}/"
    response = cppcc_clerk.patch(
        url, {"topic": "改过的主题", "version": activity.version + 5}, content_type="application/json"
    )
    assert response.status_code == 409  # a conflict, not bad input: the message names the newer version
    assert f"当前为第 {activity.version} 版" in str(response.json()["version"])
    response = cppcc_clerk.patch(url, {"topic": "改过的主题"}, content_type="application/json")
    assert response.status_code == 400
    assert "version" in response.json()
    assert Activity.objects.get(pk=activity.pk).topic == activity.topic
    ok = cppcc_clerk.patch(
        url, {"topic": "改过的主题", "version": activity.version}, content_type="application/json"
    )
    assert ok.status_code == 200
    assert ok.json()["version"] == activity.version + 1
