"""The activity pages as a clerk uses them."""

import pytest
from django.urls import reverse

from taizhang.ledger.models import Activity, ActivityKind
from taizhang.org.models import Person


def test_every_page_needs_a_login(client, cppcc):
    activity = Activity.objects.filter(unit=cppcc).first()
    for url in [
        reverse("home"),
        reverse("org:unit-detail", args=["cppcc"]),
        reverse("ledger:activity-list"),
        reverse("ledger:activity-create"),
        reverse("ledger:activity-detail", args=[activity.pk]),
        reverse("ledger:activity-edit", args=[activity.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_login_page_is_in_chinese_and_logs_in(client, db):
    page = client.get(reverse("login"))
    assert "登录台账" in page.content.decode()
    response = client.post(reverse("login"), {"username": "cppcc-clerk", "password": "taizhang-demo"})
    assert response.status_code == 302
    bad = client.post(reverse("login"), {"username": "cppcc-clerk", "password": "wrong"})
    assert "用户名或密码不正确" in bad.content.decode()


def test_the_unit_page_shows_counts_by_kind_and_month(cppcc_clerk, cppcc):
    page = cppcc_clerk.get(reverse("org:unit-detail", args=["cppcc"]), {"period": "2020H1"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "县政协机关" in html and "2020年上半年" in html
    assert 'data-kind="central_group_study">4<' in html
    assert 'data-kind="collective_study">8<' in html
    assert "6月" in html and "vendor/echarts/echarts.min.js" in html


def test_a_bad_period_on_the_unit_page_says_so(cppcc_clerk):
    html = cppcc_clerk.get(reverse("org:unit-detail", args=["cppcc"]), {"period": "2020H3"}).content.decode()
    assert "期间不存在" in html


def test_the_activity_list_filters_by_unit_kind_and_period(cppcc_clerk):
    page = cppcc_clerk.get(
        reverse("ledger:activity-list"), {"unit": "cppcc", "kind": "theme_day", "period": "2020Q1"}
    )
    assert page.context["page"].paginator.count == 3
    assert "共 3 条" in page.content.decode()


def test_a_clerk_does_not_see_another_organisations_activities(cppcc_clerk, school):
    other = Activity.objects.filter(unit=school).first()
    assert cppcc_clerk.get(reverse("ledger:activity-detail", args=[other.pk])).status_code == 404
    assert cppcc_clerk.get(reverse("ledger:activity-edit", args=[other.pk])).status_code == 404
    listing = cppcc_clerk.get(reverse("ledger:activity-list"), {"unit": "school"})
    assert "无权查看" in listing.content.decode()
    assert cppcc_clerk.get(reverse("org:unit-detail", args=["school"])).status_code == 404


def _form(kind="seminar", date="2020-07-09", topic="专题研讨：基层协商", **extra):
    return {"unit": "cppcc", "kind": kind, "date": date, "topic": topic, **extra}


def test_a_clerk_records_an_activity_with_attendance(cppcc_clerk, cppcc):
    person = Person.objects.filter(unit=cppcc).first()
    response = cppcc_clerk.post(
        reverse("ledger:activity-create") + "?unit=cppcc",
        _form(**{f"att-{person.pk}": "leave", f"reason-{person.pk}": "公务外出"}),
    )
    activity = Activity.objects.get(topic="专题研讨：基层协商")
    assert response.status_code == 302 and response.url == reverse(
        "ledger:activity-detail", args=[activity.pk]
    )
    assert activity.attendances.get().reason == "公务外出"
    detail = cppcc_clerk.get(response.url).content.decode()
    assert "请假 1 人" in detail


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (_form(date="2999-01-01"), "date", "晚于今天"),
        (_form(kind="no_such_kind"), "kind", "选择一个有效的选项"),
        (_form(topic=""), "topic", "必填项"),
    ],
)
def test_bad_input_is_shown_on_its_field_and_nothing_is_written(cppcc_clerk, data, field, message):
    before = Activity.objects.count()
    page = cppcc_clerk.post(reverse("ledger:activity-create") + "?unit=cppcc", data)
    assert page.status_code == 200
    assert message in " ".join(page.context["form"].errors[field])
    assert Activity.objects.count() == before


def test_an_attendee_of_another_organisation_cannot_be_slipped_in(cppcc_clerk, school):
    outsider = Person.objects.filter(unit=school).first()
    before = Activity.objects.count()
    page = cppcc_clerk.post(
        reverse("ledger:activity-create") + "?unit=cppcc",
        _form(**{"host": outsider.pk, f"att-{outsider.pk}": "present"}),
    )
    assert "所选主持人不属于本单位" in page.content.decode()
    assert Activity.objects.count() == before


def test_a_clerk_cannot_record_for_another_unit(cppcc_clerk):
    page = cppcc_clerk.get(reverse("ledger:activity-create"), {"unit": "school"}, follow=True)
    assert "您不能在单位“school”下登记活动" in page.content.decode()


def test_editing_with_a_stale_version_is_refused(cppcc_clerk, cppcc):
    activity = Activity.objects.filter(unit=cppcc, kind__code="seminar").first()
    url = reverse("ledger:activity-edit", args=[activity.pk])
    data = {
        "kind": activity.kind.code,
        "date": activity.date.isoformat(),
        "topic": "改过的主题",
        "version": activity.version,
    }
    assert cppcc_clerk.post(url, data).status_code == 302
    data["topic"] = "基于旧版本的修改"
    page = cppcc_clerk.post(url, data)
    assert "已被他人修改" in page.content.decode()
    assert Activity.objects.get(pk=activity.pk).topic == "改过的主题"


def test_the_kind_list_comes_from_the_framework_file(db):
    codes = set(ActivityKind.objects.values_list("code", flat=True))
    assert {"central_group_study", "seminar", "collective_study", "cell_study", "theme_day"} <= codes
