"""QR sign-in: a member scans, confirms and is recorded present once; every bad scan gets a clear page."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from taizhang.ledger import services
from taizhang.ledger.models import Activity, Attendance, AttendanceStatus
from taizhang.org.models import Person
from taizhang.org.queries import organisation_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return Person.objects.select_related("unit", "user").get(user__username="cppcc-member")


@pytest.fixture
def activity(member):
    # an activity of the member's own organisation (the demo county holds others beside it)
    activity = Activity.objects.filter(unit__path__startswith=organisation_of(member.unit).path).first()
    Attendance.all_objects.filter(activity=activity, person=member).delete()
    return activity


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_clerk_opens_sign_in_and_the_page_shows_a_qr_code(cppcc_clerk, activity):
    url = reverse("ledger:activity-sign-in", args=[activity.pk])
    assert "开始签到" in cppcc_clerk.get(url).content.decode()
    response = cppcc_clerk.post(url, {"action": "open", "minutes": "20"}, follow=True)
    page = response.content.decode()
    assert '<svg width="' in page and 'class="segno"' in page
    assert "/ledger/sign-in/" in page


def test_member_scans_confirms_and_is_present_once(client, activity, member):
    window = services.sign_in_open(activity=activity, opened_by=None)
    url = reverse("ledger:sign-in", args=[services.sign_in_token(window)])
    login(client, "cppcc-member")
    page = client.get(url).content.decode()
    assert activity.topic in page and "确认签到" in page
    done = client.post(url).content.decode()
    assert "签到成功" in done
    row = Attendance.objects.get(activity=activity, person=member)
    assert row.status == AttendanceStatus.PRESENT and row.signed_in_at is not None
    first = row.signed_in_at
    client.post(url)
    assert Attendance.objects.filter(activity=activity, person=member).count() == 1
    assert Attendance.objects.get(activity=activity, person=member).signed_in_at == first


def test_anonymous_scan_goes_to_login_and_comes_back(client, activity):
    window = services.sign_in_open(activity=activity, opened_by=None)
    url = reverse("ledger:sign-in", args=[services.sign_in_token(window)])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("tampered", "链接被篡改"),
        ("closed", "不在签到时间内"),
        ("revoked", "已被撤销"),
    ],
)
def test_bad_scans_are_refused_with_a_clear_page_and_nothing_written(client, activity, member, case, message):
    window = services.sign_in_open(activity=activity, opened_by=None)
    token = services.sign_in_token(window)
    if case == "tampered":
        token = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    elif case == "closed":
        services.sign_in_close(window=window, now=timezone.now() - timedelta(seconds=1))
    elif case == "revoked":
        window.delete()
    login(client, "cppcc-member")
    response = client.post(reverse("ledger:sign-in", args=[token]))
    assert response.status_code == 403
    assert message in response.content.decode()
    assert not Attendance.objects.filter(activity=activity, person=member).exists()


def test_expired_token_is_refused(client, activity, member, monkeypatch):
    from django.core import signing

    window = services.sign_in_open(activity=activity, opened_by=None)
    token = services.sign_in_token(window)
    later = timezone.now() + timedelta(minutes=services.SIGN_IN_MAX_MINUTES + 1)
    monkeypatch.setattr(signing.time, "time", lambda: later.timestamp())
    login(client, "cppcc-member")
    response = client.post(reverse("ledger:sign-in", args=[token]))
    assert response.status_code == 403
    assert "已过期" in response.content.decode()
    assert not Attendance.objects.filter(activity=activity, person=member).exists()


def test_member_of_another_unit_is_refused(client, school):
    activity = Activity.objects.filter(unit__path__startswith=school.path).first()
    window = services.sign_in_open(activity=activity, opened_by=None)
    before = Attendance.all_objects.filter(activity=activity).count()
    login(client, "cppcc-member")
    url = reverse("ledger:sign-in", args=[services.sign_in_token(window)])
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 403
        assert "不属于" in response.content.decode()
    assert Attendance.all_objects.filter(activity=activity).count() == before


def test_clerk_marks_leave_with_a_reason_and_a_reason_is_required(cppcc_clerk, activity, member):
    url = reverse("ledger:activity-sign-in", args=[activity.pk])
    response = cppcc_clerk.post(url, {"action": "mark", "person": member.pk, "status": "leave", "reason": ""})
    assert f"请填写{member.name}请假的事由" in response.content.decode()
    assert not Attendance.objects.filter(activity=activity, person=member).exists()
    cppcc_clerk.post(url, {"action": "mark", "person": member.pk, "status": "leave", "reason": "下乡调研"})
    row = Attendance.objects.get(activity=activity, person=member)
    assert (row.status, row.reason) == ("leave", "下乡调研")


def test_live_list_shows_who_signed_in(cppcc_clerk, client, activity, member):
    window = services.sign_in_open(activity=activity, opened_by=None)
    services.attendance_sign_in(token=services.sign_in_token(window), user=member.user)
    live = cppcc_clerk.get(reverse("ledger:activity-sign-in-live", args=[activity.pk])).content.decode()
    assert member.name in live


def test_the_clerks_list_stops_saying_not_marked_once_a_member_signs_in(cppcc_clerk, activity, member):
    page = cppcc_clerk.get(reverse("ledger:activity-sign-in", args=[activity.pk])).content.decode()
    assert f'<span class="meta" id="status-{member.pk}">未登记</span>' in page
    window = services.sign_in_open(activity=activity, opened_by=None)
    services.attendance_sign_in(token=services.sign_in_token(window), user=member.user)
    # the fragment the page polls every 3 s swaps each person's status in place (htmx out of band)
    live = cppcc_clerk.get(reverse("ledger:activity-sign-in-live", args=[activity.pk])).content.decode()
    assert f'<span class="meta" id="status-{member.pk}" hx-swap-oob="true">出席</span>' in live
