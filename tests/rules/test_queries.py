"""Counting and checking the demo organisations against the default framework."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taizhang.core.periods import Period
from taizhang.core.registry import record_type
from taizhang.ledger.models import Activity
from taizhang.org.models import Unit, UnitKind
from taizhang.org.services import unit_create
from taizhang.rules.check import compliance
from taizhang.rules.facts import module_records
from taizhang.rules.requirements import rules_of


def statuses(check):
    return {(r.requirement, r.period.code): r.status for r in check.results}


def test_cppcc_first_half_meets_the_counts_the_seed_reports(cppcc):
    check = compliance(unit=cppcc, window=Period.parse("2020H1"))
    got = statuses(check)
    for key in [
        ("central_group_study", "2020Q1"),
        ("central_group_study", "2020Q2"),
        ("seminar", "2020H1"),
        ("joint_meeting", "2020H1"),
        ("report_upward", "2020H1"),
        ("work_points_plan", "2020"),
        ("theme_day", "2020-06"),
        ("cell_study", "2020-02"),
    ]:
        assert got[key] == "met", key
    # two a year, one held by June: on track, not yet met
    assert got[("ideology_session", "2020")] == "on_track"
    assert got[("public_sentiment", "2020H1")] == "met"  # counted from reporting since issue 5


def test_school_missing_february_micro_lesson_is_overdue(school):
    got = statuses(compliance(unit=school, window=Period.parse("2020")))
    assert got[("micro_lesson", "2020-02")] == "overdue"
    assert all(got[("micro_lesson", f"2020-{m:02d}")] == "met" for m in range(1, 13) if m != 2)
    # mid-February, the month is still open: on track
    mid = statuses(compliance(unit=school, window=Period.parse("2020-02"), as_of=date(2020, 2, 14)))
    assert mid[("micro_lesson", "2020-02")] == "on_track"


def test_records_without_minutes_are_left_out_and_counted_as_excluded(cppcc):
    Activity.objects.filter(unit=cppcc, kind__code="joint_meeting").update(minutes="")
    check = compliance(unit=cppcc, window=Period.parse("2020H1"))
    [joint] = [r for r in check.results if r.requirement == "joint_meeting"]
    assert (joint.actual, joint.excluded, joint.status) == (0, 1, "overdue")
    assert joint.excluded_reasons == (("minutes", 1),)


def test_counting_takes_the_same_few_queries_however_many_units(school, django_assert_max_num_queries):
    check = compliance(unit=school, window=Period.parse("2020"), with_children=True)  # framework loaded once
    # 9, and one per table of the practice modules' record types the framework counts
    tables = {record_type(r.counts).table for r in rules_of(check.framework) if r.counts in module_records()}
    with django_assert_max_num_queries(9 + len(tables)):
        small = compliance(unit=school, window=Period.parse("2020"), with_children=True)
    for i in range(30):
        unit_create(code=f"extra-{i}", name=f"党小组{i}", kind=UnitKind.CELL, parent=school)
    with django_assert_max_num_queries(9 + len(tables)):
        big = compliance(unit=school, window=Period.parse("2020"), with_children=True)
    assert len({r.unit for r in big.results}) > len({r.unit for r in small.results})
    # a new cell with no meetings is overdue every closed month
    extra = Unit.objects.get(code="extra-0")
    assert {r.status for r in big.results if r.unit == extra.pk} == {"overdue"}


def test_evidence_computed_only_where_a_rule_asks_for_it_changes_no_result(school, cppcc):
    # Strip minutes and attendance here and there so that exclusions happen, then compare the
    # check (evidence tested only for the kinds whose rules demand it) with a check that tests
    # every kind of activity for every kind of evidence.
    from taizhang.ledger.models import Attendance
    from taizhang.rules.check import units_of
    from taizhang.rules.engine import evaluate, window_span
    from taizhang.rules.facts import facts_for
    from taizhang.rules.requirements import framework_for, rules_of

    ids = list(Activity.objects.order_by("pk").values_list("pk", flat=True))
    Activity.objects.filter(pk__in=ids[::3]).update(minutes="")
    Attendance.objects.filter(activity__in=ids[1::4]).update(deleted=True)
    for root in (school, cppcc):
        window, as_of = Period.parse("2020"), date(2020, 9, 15)
        check = compliance(unit=root, window=window, as_of=as_of, with_children=True)
        rules = rules_of(framework_for(root))
        start, end = window_span(rules, window, as_of)
        units_qs = units_of(root, with_children=True)
        facts = facts_for(units=units_qs, start=start, end=end)  # all evidence, all kinds
        full = evaluate(
            rules=rules, units={u.pk: u.kind for u in units_qs}, facts=facts, window=window, as_of=as_of
        )
        # the practice modules' records are read by records_for(), not compared here
        of_activities = {r.code for r in rules if r.counts == "activities"}
        assert [r for r in check.results if r.requirement in of_activities] == [
            r for r in full if r.requirement in of_activities
        ]
        assert any(r.excluded for r in full)


def test_rules_that_count_no_existing_kind_find_nothing(cppcc):
    from taizhang.rules.check import units_of
    from taizhang.rules.facts import facts_for

    facts = facts_for(
        units=units_of(cppcc, with_children=True),
        start=date(2020, 1, 1),
        end=date(2020, 12, 31),
        rate_kinds={"no_such_kind"},
        evidence={"attendance": {"no_such_kind"}},
        kinds={"no_such_kind"},
    )
    assert (facts.activities, facts.attendance) == ({}, {})


def test_the_rollup_gives_the_facts_the_ledger_gives(school, cppcc):
    # Whole months are read from the monthly rollup, a month cut by the check day from the ledger;
    # after edits that move activities between evidence buckets, both agree with an aggregate of
    # the ledger itself over every day, for a check at a month's end and one in mid-month.
    from taizhang.ledger.models import Attachment, Attendance
    from taizhang.rules.check import units_of
    from taizhang.rules.facts import facts_for

    ids = list(Activity.objects.order_by("pk").values_list("pk", flat=True))
    Activity.objects.filter(pk__in=ids[::3]).update(minutes="")
    Attendance.objects.filter(activity__in=ids[1::4]).update(status="absent")
    Attendance.objects.filter(activity__in=ids[2::5]).update(deleted=True)
    Attachment.objects.create(activity_id=ids[4], name="签到表.pdf", file="a.pdf")
    Activity.objects.filter(pk=ids[5]).update(deleted=True)
    for root in (school, cppcc):
        units_qs = units_of(root, with_children=True)
        for end in (date(2020, 8, 31), date(2020, 9, 15)):
            fast = facts_for(units=units_qs, start=date(2020, 1, 1), end=end)
            slow = facts_for(units=units_qs, start=date(2020, 1, 1), end=end, rollup=False)
            assert fast.activities and fast.attendance
            assert (fast.activities, fast.attendance) == (slow.activities, slow.attendance)


@given(
    start=st.dates(min_value=date(2019, 1, 1), max_value=date(2021, 12, 31)),
    length=st.integers(min_value=0, max_value=800),
)
def test_whole_months_are_exactly_the_calendar_months_inside_the_dates(start, length):
    from taizhang.rules.facts import whole_months

    end = start + timedelta(days=length)
    inside = set()
    day = start
    while day <= end:
        month_start = day.replace(day=1)
        month_end = (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        if start <= month_start and month_end <= end:
            inside.add(month_start)
        day += timedelta(days=1)
    found = whole_months(start, end)
    if not inside:
        assert found is None
    else:
        first, last = found
        assert first == min(inside) and last.replace(day=1) == max(inside)
        assert (last + timedelta(days=1)).day == 1


def test_months_do_not_depend_on_the_servers_date_style(cppcc):
    # A PostgreSQL server set to print dates as 23/11/2026 must still bucket activities by month.
    from django.db import connection

    from taizhang.rules.check import units_of
    from taizhang.rules.facts import facts_for

    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps dates as ISO text and has no date style")
    units_qs = units_of(cppcc, with_children=True)
    iso = facts_for(units=units_qs, start=date(2020, 1, 1), end=date(2020, 6, 30), rollup=False)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL DateStyle = 'SQL, DMY'")
    local = facts_for(units=units_qs, start=date(2020, 1, 1), end=date(2020, 6, 30), rollup=False)
    assert iso.activities and all(month.startswith("2020-") for _, month, _ in iso.activities[cppcc.pk])
    assert (local.activities, local.attendance, local.per_person) == (
        iso.activities,
        iso.attendance,
        iso.per_person,
    )
