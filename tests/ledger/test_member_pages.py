"""A member reads their own attendance, never the unit's ledger or their colleagues' lines."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from taizhang.ledger.models import Activity, Attendance
from taizhang.org.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    client.force_login(get_user_model().objects.get(username="cppcc-member"))
    return client


def test_member_home_is_their_own_page(member):
    response = member.get("/", follow=True)
    person = Person.objects.get(user__username="cppcc-member")
    assert response.redirect_chain[-1][0] == reverse("ledger:mine")
    assert person.name in response.content.decode()


def test_member_sees_own_line_of_an_attended_activity_only(member):
    person = Person.objects.get(user__username="cppcc-member")
    row = Attendance.objects.filter(person=person).select_related("activity").first()
    others = Attendance.objects.filter(activity=row.activity).exclude(person=person)
    page = member.get(reverse("ledger:activity-detail", args=[row.activity.pk])).content.decode()
    assert "我的考勤" in page
    assert person.name in page
    assert not any(f"<td>{other.person.name}</td>" in page for other in others)
    api = member.get(f"/api/activities/{row.activity.pk}/").json()
    assert [line["person"] for line in api["attendance"]] == [person.pk]


def test_member_cannot_open_the_unit_page_or_unattended_activities(member):
    person = Person.objects.get(user__username="cppcc-member")
    assert member.get(reverse("org:unit-detail", args=[person.unit.code])).status_code == 404
    other = Activity.objects.filter(unit__path__startswith="/").exclude(attendances__person=person).first()
    assert member.get(reverse("ledger:activity-detail", args=[other.pk])).status_code == 404


def test_member_writes_a_reflection_from_their_page(member):
    response = member.post(
        reverse("ledger:mine"), {"title": "学习体会一则", "date": "2020-05-06", "text": "正文"}
    )
    assert response.status_code == 302
    assert "学习体会一则" in member.get(reverse("ledger:mine")).content.decode()
    refused = member.post(reverse("ledger:mine"), {"title": "", "date": "2020-05-06", "text": "正文"})
    assert "请填写标题。" in refused.content.decode()


def test_a_members_page_is_short_on_a_phone_the_form_first_the_history_paged(member):
    from datetime import date, timedelta

    from taizhang.ledger.services import reflection_create
    from taizhang.org.models import Person

    person = Person.objects.get(user__username="cppcc-member")
    for day in range(1, 16):
        reflection_create(
            person=person, title=f"体会{day:02d}", date=date.today() - timedelta(days=day), text="正文"
        )
    html = member.get(reverse("ledger:mine")).content.decode()
    assert html.index("提交学习体会") < html.index("我的考勤") < html.index("我的学习体会")
    assert (
        html.count('<li class="att-') <= 10 and "体会01" in html and "体会10" in html and "体会12" not in html
    )
    older = member.get(reverse("ledger:mine"), {"rpage": 2}).content.decode()
    assert "体会12" in older and "体会01" not in older
