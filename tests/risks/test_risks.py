"""Risk points reviewed by the ledger's assessment meetings; overdue high risks are the to-do list."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from taizhang.core.periods import Period
from taizhang.documents.summary.facts import summary_facts
from taizhang.ledger.models import Activity
from taizhang.org.models import Person, Unit
from taizhang.risks import queries, services
from taizhang.risks.models import RiskPoint

H1 = Period.parse("2020H1")


def test_the_demos_assessments_reviewed_its_risk_points(cppcc):
    facts = summary_facts(unit=cppcc, period=H1)
    risks = facts.records["risk_points"]
    assert len(risks) == 2
    reviewed = RiskPoint.objects.filter(
        pk__in=[r.id for r in risks], assessments__date__lte=H1.end
    ).distinct()
    assert reviewed.count() == 2
    meetings = [a for a in facts.records["activities"] if a.kind == "assessment"]
    assert len(meetings) == 2
    in_h1 = Activity.objects.filter(risk_points__in=reviewed, date__lte=H1.end)
    assert set(in_h1.values_list("id", flat=True)) == {m.id for m in meetings}
    assert not [r for r in risks if r.info["status"] == "open" and r.info["review_date"] < H1.end]


def test_an_open_high_risk_past_its_review_date_is_overdue(cppcc, django_assert_max_num_queries):
    owner = Person.objects.filter(unit=cppcc).first()
    risk = services.risk_point_create(
        unit=cppcc,
        title="舆情风险",
        level="high",
        owner=owner,
        identified_on=date(2020, 2, 1),
        review_date=date(2020, 3, 1),
    )
    units = Unit.objects.all()
    with django_assert_max_num_queries(2):  # what the rules engine reads: one query each for all units
        high = queries.high_risk_counts(units=units, ends=[H1.end], today=H1.end)
        meetings = queries.assessment_counts(units=units, start=H1.start, end=H1.end)
    assert high[cppcc.pk][("high_risks", "2020-06")] == (1, 1)  # open and high, and overdue
    assert sum(n for n, _ in meetings[cppcc.pk].values()) == 2
    assert list(queries.overdue_high_risks(Unit.objects.filter(pk=cppcc.pk))) == [risk]


def test_bad_risk_points_are_refused_whole(cppcc, school):
    owner = Person.objects.filter(unit=cppcc).first()
    not_assessment = Activity.objects.filter(unit=cppcc).exclude(kind__code="assessment").first()
    foreign = Person.objects.filter(unit__path__startswith=school.path).first()
    before = RiskPoint.all_objects.count()
    with pytest.raises(ValidationError) as info:
        services.risk_point_create(
            unit=cppcc,
            title="x",
            level="severe",
            owner=foreign,
            identified_on=date(2020, 5, 1),
            review_date=date(2020, 4, 1),
            assessments=[not_assessment],
        )
    assert {"level", "owner", "review_date", "assessments"} <= set(info.value.message_dict)
    assert RiskPoint.all_objects.count() == before
    assert owner


def test_an_assessment_meeting_is_noted_on_a_risk_point(cppcc):
    risk = RiskPoint.objects.filter(unit=cppcc).order_by("id").last()
    meeting = Activity.objects.filter(unit=cppcc, kind__code="assessment").order_by("date").first()
    risk = services.risk_point_assess(record=risk, activity=meeting, next_review=date(2020, 12, 31))
    assert meeting in risk.assessments.all() and risk.review_date == date(2020, 12, 31)
    other = Activity.objects.filter(unit=cppcc, kind__code="seminar").first()
    with pytest.raises(ValidationError):
        services.risk_point_assess(record=risk, activity=other)


def test_a_meeting_counts_once_and_only_while_a_live_risk_point_names_it(cppcc):
    """Two risk points reviewed at one meeting: one meeting; its risk points deleted: none."""
    units = Unit.objects.filter(pk=cppcc.pk)

    def meetings() -> tuple[int, int]:
        monthly = queries.monthly_assessments(units=units, start=H1.start, end=H1.end)
        counted = queries.assessment_counts(units=units, start=H1.start, end=H1.end)
        return sum(monthly.get(cppcc.pk, {}).values()), sum(n for n, _ in counted.get(cppcc.pk, {}).values())

    assert meetings() == (2, 2)
    risks = list(RiskPoint.objects.filter(unit=cppcc).order_by("id"))
    reviewed = {a.pk for r in risks for a in r.assessments.all()}
    meeting = Activity.objects.get(pk=min(reviewed))
    for risk in risks:
        services.risk_point_assess(record=risk, activity=meeting)
    assert meetings() == (2, 2)
    for risk in risks:
        services.risk_point_delete(record=risk)
    assert meetings() == (0, 0)


def test_a_past_period_is_judged_as_the_risk_stood_then(cppcc):
    """Mitigated in September, the risk was still open (and past its review) at the end of June."""
    from taizhang.risks.models import RiskStatus

    owner = Person.objects.filter(unit=cppcc).first()
    risk = services.risk_point_create(
        unit=cppcc,
        title="复工期间的舆情风险",
        level="high",
        owner=owner,
        identified_on=date(2020, 2, 1),
        review_date=date(2020, 4, 1),
    )
    services.risk_point_update(
        record=risk, expected_version=risk.version, status=RiskStatus.MITIGATED, closed_on=date(2020, 9, 10)
    )
    units = Unit.objects.filter(pk=cppcc.pk)
    H2 = Period.parse("2020H2")
    assert (
        queries.high_risk_counts(units=units, ends=[H1.end], today=H1.end)[cppcc.pk][
            ("high_risks", "2020-06")
        ][1]
        == 1
    )
    in_h2 = queries.high_risk_counts(units=units, ends=[H2.end], today=H2.end).get(cppcc.pk, {})
    assert in_h2.get(("high_risks", "2020-12"), (0, 0))[1] == 0
    assert queries.high_risk_state(units=units, ends=[H1.end])[cppcc.pk]["2020-06"] == (1, 1)
    stood = {r.id: r.info["status"] for r in summary_facts(unit=cppcc, period=H1).records["risk_points"]}
    assert stood[risk.pk] == "open"
    reopened = services.risk_point_update(record=risk, expected_version=risk.version, status=RiskStatus.OPEN)
    assert reopened.closed_on is None


def test_a_closing_day_before_the_risk_was_identified_is_a_field_error(cppcc):
    owner = Person.objects.filter(unit=cppcc).first()
    with pytest.raises(ValidationError) as info:
        services.risk_point_create(
            unit=cppcc,
            title="风险",
            level="low",
            owner=owner,
            identified_on=date(2020, 5, 1),
            review_date=date(2020, 6, 1),
            status="closed",
            closed_on=date(2020, 4, 1),
        )
    assert "化解日期" in info.value.message_dict["closed_on"][0]
