"""A record keeps to its time, whichever way it is entered: the form, the API and the import refuse
a study of a document before its day, an activity on a public holiday without a stated reason and a
host recorded away from the meeting, each message naming the field (or the cell) and the date."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook
from rest_framework.test import APIClient

from taizhang.core.management.base import UsageError
from taizhang.ledger import services
from taizhang.ledger.models import Activity, ActivityKind
from taizhang.ledger.services import AttendanceEntry
from taizhang.org.models import Person

RULES = "《中国共产党政治协商工作条例》"


@pytest.fixture
def people(cppcc):
    """Two people of the organ with names nobody else in it bears (the import looks people up by name)."""
    everyone = list(Person.objects.filter(unit__path__startswith=cppcc.path).order_by("id"))
    unique = [p for p in everyone if sum(q.name == p.name for q in everyone) == 1]
    return unique[:2]


def _create(unit, **changes):
    fields = {
        "unit": unit,
        "kind": ActivityKind.objects.get(code="collective_study"),
        "date": date(2020, 4, 9),
        "topic": "机关干部集中学习",
        "minutes": "记录",
    }
    return services.activity_create(**{**fields, **changes})


def test_a_study_of_a_document_before_its_day_is_refused_naming_the_field_and_the_day(cppcc):
    before = Activity.objects.count()
    with pytest.raises(ValidationError) as refused:
        _create(cppcc, materials=f"党的十九届四中全会《决定》\n{RULES}")
    message = refused.value.message_dict["materials"][0]
    assert "学习材料" in message and "政治协商工作条例" in message
    assert "2022年6月13日才发布" in message and "2020年4月9日" in message
    with pytest.raises(ValidationError) as refused:
        _create(cppcc, date=date(2020, 9, 15), topic="学习五中全会精神")
    assert "2020年10月29日才闭幕" in refused.value.message_dict["topic"][0]
    assert Activity.objects.count() == before
    # from its day on, the same study is recorded
    assert _create(cppcc, date=date(2022, 6, 14), materials=RULES).pk
    assert _create(cppcc, date=date(2020, 11, 5), topic="学习五中全会精神").pk


def test_an_edit_that_moves_a_study_before_its_document_is_refused(cppcc):
    activity = _create(cppcc, date=date(2020, 6, 11), topic="学习民法典相关知识")
    with pytest.raises(ValidationError) as refused:
        services.activity_update(activity=activity, expected_version=None, date=date(2020, 5, 20))
    assert "2020年5月28日才通过" in refused.value.message_dict["topic"][0]


def test_a_holiday_needs_a_stated_reason_which_the_record_keeps(cppcc):
    with pytest.raises(ValidationError) as refused:
        _create(cppcc, date=date(2020, 10, 1), topic="国庆升旗仪式")
    message = refused.value.message_dict["date"][0]
    assert "2020年10月1日是国庆节、中秋节假期" in message and "节假日开展说明" in message
    held = _create(
        cppcc, date=date(2020, 10, 1), topic="国庆升旗仪式", holiday_reason="国庆节当天举行升旗仪式"
    )
    assert Activity.objects.get(pk=held.pk).holiday_reason == "国庆节当天举行升旗仪式"
    # a weekend that is not a public holiday needs no reason
    assert _create(cppcc, date=date(2020, 4, 25), topic="周末集中学习").pk


def test_a_host_recorded_away_does_not_host(cppcc, people):
    host, other = people
    away = [AttendanceEntry(host, "leave", "病假"), AttendanceEntry(other, "present")]
    with pytest.raises(ValidationError) as refused:
        _create(cppcc, host=host, attendance=away)
    assert refused.value.message_dict["host"] == [
        f"主持人{host.name}在本次活动的考勤中记为请假，不能主持：请更正主持人或考勤。"
    ]
    held = _create(
        cppcc, host=host, attendance=[AttendanceEntry(host, "present"), AttendanceEntry(other, "absent")]
    )
    # an edit of the host alone is checked against the attendance as it stands
    with pytest.raises(ValidationError) as refused:
        services.activity_update(activity=held, expected_version=None, host=other)
    assert (
        "缺席" in refused.value.message_dict["host"][0]
        and other.name in refused.value.message_dict["host"][0]
    )


def test_the_form_shows_each_refusal_beside_its_field_and_takes_a_holiday_reason(cppcc_clerk, cppcc, people):
    url = reverse("ledger:activity-create") + "?unit=cppcc"
    host = people[0]
    data = {
        "unit": "cppcc",
        "kind": "collective_study",
        "date": "2020-01-25",
        "topic": "学习民法典",
        "host": host.pk,
        f"att-{host.pk}": "leave",
        f"reason-{host.pk}": "回乡过年",
    }
    page = cppcc_clerk.post(url, data)
    errors = page.context["form"].errors
    assert "春节假期" in errors["date"][0] and "2020年5月28日才通过" in errors["topic"][0]
    assert host.name in errors["host"][0]
    assert "节假日开展说明" in page.content.decode()  # the field the message points to is on the form
    page = cppcc_clerk.post(
        url,
        {
            **data,
            "topic": "春节期间疫情防控部署",
            f"att-{host.pk}": "present",
            "holiday_reason": "疫情防控紧急部署",
        },
    )
    activity = Activity.objects.get(topic="春节期间疫情防控部署")
    assert page.status_code == 302 and activity.holiday_reason == "疫情防控紧急部署"
    assert "疫情防控紧急部署" in cppcc_clerk.get(page.url).content.decode()


def test_the_api_names_the_field(db):
    from django.contrib.auth import get_user_model

    api = APIClient()
    api.force_authenticate(get_user_model().objects.get(username="cppcc-clerk"))
    body = {"unit": "cppcc", "kind": "seminar", "date": "2020-04-28", "topic": "研讨", "materials": RULES}
    response = api.post("/api/activities/", body, format="json")
    assert response.status_code == 400 and "2022年6月13日才发布" in str(response.json()["materials"])
    response = api.post("/api/activities/", {**body, "date": "2020-05-01", "materials": ""}, format="json")
    assert response.status_code == 400 and "劳动节" in str(response.json()["date"])
    response = api.post(
        "/api/activities/",
        {**body, "date": "2020-05-01", "materials": "", "holiday_reason": "劳动节值班学习"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["holiday_reason"] == "劳动节值班学习"


def test_the_import_names_the_cell_and_reads_a_holiday_reason_from_the_remarks(cppcc, people, tmp_path):
    host, other = people
    book = Workbook()
    sheet = book.active
    sheet.title = "学习台账"
    sheet.append(["日期", "主题", "类型", "学习材料", "主持人", "参会人员", "备注"])
    sheet.append(["2020-04-09", "集中学习", "集中学习", RULES, "", other.name, ""])
    sheet.append(["2020-10-05", "国庆期间集中学习", "集中学习", "", "", other.name, ""])
    sheet.append(
        ["2020-07-09", "专题研讨", "专题研讨", "", host.name, other.name, f"{host.name}请假（出差）"]
    )
    sheet.append(
        ["2020-10-02", "国庆值班学习", "集中学习", "", "", other.name, "节假日开展：国庆值班期间学习"]
    )
    path = tmp_path / "台账.xlsx"
    book.save(path)
    err = io.StringIO()
    with pytest.raises(UsageError):
        call_command("import", str(path), "--unit", "cppcc", stdout=io.StringIO(), stderr=err)
    problems = err.getvalue().splitlines()
    assert any(p.startswith("学习台账!D2: ") and "2022年6月13日才发布" in p for p in problems), problems
    assert any(p.startswith("学习台账!A3: ") and "国庆节、中秋节假期" in p and "备注" in p for p in problems)
    assert any(p.startswith("学习台账!E4: ") and host.name in p and "请假" in p for p in problems)
    assert not any("!A5" in p or "!D5" in p for p in problems)  # the confirmed holiday row is fine
    sheet.delete_rows(2, 3)
    book.save(path)
    call_command("import", str(path), "--unit", "cppcc", stdout=io.StringIO(), stderr=io.StringIO())
    assert Activity.objects.get(topic="国庆值班学习").holiday_reason == "国庆值班期间学习"
