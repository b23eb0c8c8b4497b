"""History a person can read: names, "field: before → after", one line per save, nothing empty."""

from __future__ import annotations

from django.urls import reverse

from taizhang.ledger.models import Activity
from taizhang.org.models import Person
from taizhang.review.models import Draft
from tests.html import table


def _history(html: str) -> list[list[str]]:
    return table(html, "history")[1:]


def _activity(cppcc) -> Activity:
    return Activity.objects.filter(unit=cppcc, attendances__isnull=False).distinct().first()


def test_an_edit_with_attendance_is_one_line_by_the_persons_name(cppcc_clerk, cppcc):
    activity = _activity(cppcc)
    # someone other than the host goes on leave (a host recorded away is refused: test_time_true)
    rows = sorted(
        activity.attendances.select_related("person"), key=lambda r: (r.person_id == activity.host_id, r.pk)
    )
    away = rows[0]
    attendance = [{"person": r.person_id, "status": r.status, "reason": r.reason} for r in rows]
    attendance[0] = {"person": away.person_id, "status": "leave", "reason": "下乡调研"}
    response = cppcc_clerk.patch(
        f"/api/activities/{activity.pk}/",
        {"topic": "修改后的主题", "attendance": attendance, "version": activity.version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    lines = _history(cppcc_clerk.get(reverse("ledger:activity-detail", args=[activity.pk])).content.decode())
    clerk = Person.objects.get(user__username="cppcc-clerk").name
    newest = lines[0]
    assert newest[1] == clerk and "cppcc-clerk" not in " ".join(newest)
    assert f"主题：{activity.topic} → 修改后的主题" in newest[3]
    was = "出席" if away.status == "present" else away.get_status_display()
    assert (
        f"考勤：{away.person.name}：{was}{'（' + away.reason + '）' if away.reason else ''} → 请假（下乡调研）"
        in newest[3]
    )
    assert len(lines) == 2, "the demo's creation and this edit: one line each"


def test_the_attendance_recorded_with_an_activity_is_folded_into_its_line(cppcc_clerk, cppcc):
    activity = _activity(cppcc)
    lines = _history(cppcc_clerk.get(reverse("ledger:activity-detail", args=[activity.pk])).content.decode())
    assert len(lines) == 1
    when, who, what, content = lines[0]
    present = activity.attendances.filter(status="present").count()
    assert (who, what) == ("系统", "创建活动") and when
    assert f"出席 {present} 人" in content
    assert "考勤·" not in content


def test_no_history_row_is_empty(cppcc_clerk, cppcc):
    draft = Draft.objects.filter(unit=cppcc, state="published").first()
    lines = _history(cppcc_clerk.get(reverse("review:draft-detail", args=[draft.pk])).content.decode())
    assert lines and all(when and who and what for when, who, what, _ in lines)


def test_record_pages_do_not_open_with_bookkeeping(cppcc_clerk, cppcc):
    draft = Draft.objects.filter(unit=cppcc).first()
    fields = [
        row[0]
        for row in table(
            cppcc_clerk.get(reverse("review:draft-detail", args=[draft.pk])).content.decode(), "detail"
        )
    ]
    assert "标题" in fields
    assert not {"创建时间", "修改时间", "版本", "已删除"} & set(fields)


def test_the_activity_page_does_not_open_with_its_version(cppcc_clerk, cppcc):
    activity = _activity(cppcc)
    html = cppcc_clerk.get(reverse("ledger:activity-detail", args=[activity.pk])).content.decode()
    assert activity.topic in html and f"第 {activity.version} 版" not in html
