"""Tasks decomposed to one person, the to-do list, reminders and the score sheet."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from openpyxl import load_workbook

from taizhang.core.periods import Period
from taizhang.org.models import Person, Unit
from taizhang.rules.check import compliance
from taizhang.rules.requirements import rules_of
from taizhang.rules.score import score_lines, total
from taizhang.rules.services import task_complete, task_create
from taizhang.rules.todo import todo_for


def test_tasks_break_down_to_one_person_and_a_parent_waits_for_its_children(cppcc):
    office = Unit.objects.get(code="cppcc-office")
    clerk = Person.objects.filter(unit=office).first()
    parent = task_create(unit=cppcc, title="落实2020年意识形态工作要点", due=date(2020, 12, 31))
    child = task_create(unit=office, title="编发宣传信息", due=date(2020, 6, 30), parent=parent, person=clerk)
    with pytest.raises(ValidationError) as caught:
        task_create(unit=office, title="晚于上级", due=date(2021, 1, 5), parent=parent)
    assert "due" in caught.value.message_dict
    with pytest.raises(ValidationError):
        task_complete(task=parent, on=date(2020, 7, 1))
    task_complete(task=child, on=date(2020, 6, 20))
    assert task_complete(task=parent, on=date(2020, 7, 1)).status == "done"


def test_todo_lists_overdue_tasks_first_and_requirements_due_soon(cppcc):
    office = Unit.objects.get(code="cppcc-office")
    task_create(unit=office, title="报送社情民意信息", due=date(2020, 6, 1))
    items = todo_for(unit=cppcc, today=date(2020, 6, 10))
    assert items[0].title == "报送社情民意信息" and items[0].overdue
    # the ideology session (2 a year, 1 held) is not due before 12-31: not on a 30-day list in June
    assert all(i.requirement != "ideology_session" for i in items)
    december = todo_for(unit=cppcc, today=date(2020, 12, 10))
    # by December the second was held (September); the half year's report to the county is still due
    assert all(i.requirement != "ideology_session" for i in december)
    assert any(i.requirement == "report_upward" and not i.overdue for i in december)  # due 12-31


def test_remind_mails_the_person_responsible(cppcc, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    office = Unit.objects.get(code="cppcc-office")
    person = Person.objects.filter(unit=office, user__isnull=False).first()
    person.user.email = "clerk@example.org"
    person.user.save()
    task_create(unit=office, title="更新宣传栏", due=date(2020, 6, 5), person=person)
    call_command("remind", "--unit", "cppcc", "--as-of", "2020-06-10")
    [message] = [m for m in mail.outbox if m.to == ["clerk@example.org"]]
    assert "更新宣传栏" in message.body and "逾期" in message.body


def test_score_gives_partial_credit_and_counts_the_practice_modules(school, tmp_path):
    check = compliance(unit=school, window=Period.parse("2020"))
    lines = {
        line.rule.code: line for line in score_lines(rules_of(check.framework), check.results, unit=school.pk)
    }
    micro = lines["micro_lesson"]
    # 11 of 12 months: 11/12 of the points, minus a tenth for the overdue month
    assert micro.score == pytest.approx(4 * 11 / 12 - 0.4, abs=0.01)
    assert lines["theme_day"].score == lines["theme_day"].rule.points
    # the practice modules are measured: all published items reviewed, 5 of 10 articles, overdue
    assert (
        lines["three_review"].measurable and lines["three_review"].score == lines["three_review"].rule.points
    )
    assert lines["channel_registration"].score == lines["channel_registration"].rule.points
    assert lines["publicity_articles"].score == pytest.approx(4 * 5 / 10 - 0.4, abs=0.01)
    score, maximum = total(lines.values())
    assert score < maximum

    out = tmp_path / "sheet.xlsx"
    call_command("score", "--unit", "school", "--period", "2020", "-o", str(out))
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    micro_row = next(r for r in rows if r[0] == "micro_lesson")
    assert micro_row[4] == 11 and micro_row[5] == 1
    assert {"three_review", "channel_registration", "publicity_articles", "risk_points_reviewed"} <= {
        r[0] for r in rows
    }
    assert rows[-1][1] == "合计" and rows[-1][9] == pytest.approx(score)


def test_todo_lists_the_periods_already_missed_with_who_answers_and_where_to_record(cppcc, cppcc_clerk):
    from taizhang.ledger.models import Activity

    Activity.objects.filter(unit=cppcc, kind__code="theme_day", date__year=2020, date__month=7).delete()
    items = todo_for(unit=cppcc, today=date(2020, 12, 10))
    missed = [i for i in items if i.kind == "requirement" and i.overdue]
    assert [i.due for i in missed] == sorted(i.due for i in missed)  # oldest first
    july = next(i for i in missed if i.requirement == "theme_day" and i.period.code == "2020-07")
    assert july.title == "每月开展主题党日（2020年7月）" and [p.name for p in july.holders] == ["余娟欣"]
    assert july.record_url == "/ledger/activities/new/?unit=cppcc&kind=theme_day"
    html = cppcc_clerk.get("/rules/todo/?unit=cppcc&as_of=2020-12-10").content.decode()
    assert (
        "每月开展主题党日（2020年7月）" in html
        and 'href="/ledger/activities/new/?unit=cppcc&amp;kind=theme_day"' in html
    )
    form = cppcc_clerk.get(july.record_url).content.decode()
    assert '<option value="theme_day" selected>' in form
